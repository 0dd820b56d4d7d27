"""Released editions leak nothing: tested like a security property.

tests/roots/test-editions plants unique canary words in material marked at each level
above TLP:CLEAR (a portion, a claim, a quotation, a whole page), with an entity, a place
and a source only that material names. Each released edition is built, and every byte
of every file it outputs (HTML, scripts, search index, the decompressed inventory,
copies of sources, LaTeX, PDF text) is searched for the canaries of every level above
it; the canaries at or below its level must be there, so the test can fail.

The release's final gate (briefbook.publishing.gate) must pass every unmodified release
(no false alarm), and must catch a canary planted past the filter, after the build, in
any format a release outputs (an HTML page, the search index, the compressed inventory,
a stylesheet, a script, the export, LaTeX, a PDF's text, title or bookmarks, an SVG, a
PNG's text chunk, an image's name), naming the output file, the withheld source and line.
"""

from __future__ import annotations

import html
import io
import json
import re
import runpy
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-editions"
LEVELS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]

#: Canary words by the level of the material they stand in.
CANARIES = {
    "TLP:GREEN": ["zqxGREENquote8812"],
    "TLP:AMBER": ["zqxAMBERportion7731", "zqxAMBERquote3390", "zqxAMBERevent2218",
                  "Zqxamber Person", "Zqxamberalias", "zqxamber-person", "zqxambersource",
                  "Zqxamber source title", "Zqxamber Outlet"],
    "TLP:AMBER+STRICT": ["zqxSTRICTpage6613", "Zqxstrict page title 9090", "Zqxstrict City",
                         "zqxstrict-city", "zqxstrictsource", "Zqxstrict Outlet"],
    "TLP:RED": ["zqxREDclaim5521"],
}


def build(dest: Path, builder: str, release: str = "") -> SphinxTestApp:
    src = dest / "src"
    if not src.exists():
        shutil.copytree(ROOT, src)
    overrides = {"briefbook_release": release} if release else {}
    app = SphinxTestApp(builder, srcdir=src, builddir=dest / "build", freshenv=True,
                        confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def output_text(outdir: Path) -> dict[str, str]:
    """Every output file's content as text: compressed inventories decompressed, PDFs
    as their text, everything else as its bytes decoded leniently."""
    found: dict[str, str] = {}
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "objects.inv":
            header_end = 0
            for _ in range(4):
                header_end = data.index(b"\n", header_end) + 1
            data = data[:header_end] + zlib.decompress(data[header_end:])
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
            found[str(path)] = " ".join(text.split())
            continue
        found[str(path)] = data.decode("utf-8", errors="replace")
    return found


def above(level: str) -> list[str]:
    return [word for marking, words in CANARIES.items()
            if LEVELS.index(marking) > LEVELS.index(level) for word in words]


def at_or_below(level: str) -> list[str]:
    return [word for marking, words in CANARIES.items()
            if LEVELS.index(marking) <= LEVELS.index(level) for word in words]


def leaks(outdir: Path, words: list[str]) -> list[tuple[str, str]]:
    return [(word, path) for path, text in output_text(outdir).items() for word in words
            if word.lower() in text.lower()]


def conf_values(src: Path) -> dict[str, Any]:
    """The test book's conf.py values, as the gate reads a book's configuration."""
    return {k: v for k, v in runpy.run_path(str(src / "conf.py")).items() if not k.startswith("_")}


def gate_report(app: SphinxTestApp, level: str) -> Any:
    from briefbook.publishing import gate

    src = Path(app.srcdir)
    return gate.check(src, conf_values(src), level, [Path(app.outdir)], confdir=src)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return build(tmp_path_factory.mktemp("full"), "html")


def test_the_full_edition_holds_every_canary(full: SphinxTestApp) -> None:
    """The control: without it, a test that finds nothing proves nothing."""
    text = "\n".join(output_text(Path(full.outdir)).values())
    missing = [w for words in CANARIES.values() for w in words if w not in text]
    assert missing == []
    assert full.warning.getvalue() == ""


@pytest.mark.parametrize("level", ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"])
def test_no_byte_of_a_released_html_edition_holds_what_is_withheld(tmp_path: Path, level: str) -> None:
    app = build(tmp_path, "html", level)
    assert app.warning.getvalue() == "", app.warning.getvalue()
    out = Path(app.outdir)
    assert leaks(out, above(level)) == []
    text = "\n".join(output_text(out).values())
    assert [w for w in at_or_below(level) if w not in text] == []
    # The pages' sources are not copied: _sources would hold the unfiltered text.
    assert not [p for p in (out / "_sources").rglob("*") if p.is_file()]
    # The final gate finds nothing in a release that leaks nothing: no false alarm.
    report = gate_report(app, level)
    assert report.passed, [str(h) for h in report.hits] + report.unreadable
    assert report.files > 20 and report.tokens > 0


def test_released_edition_keeps_what_it_may_show(tmp_path: Path) -> None:
    app = build(tmp_path, "html", "TLP:CLEAR")
    out = Path(app.outdir)
    b1 = BeautifulSoup((out / "b1.html").read_text(encoding="utf-8"), "html.parser")
    assert "will reopen" in b1.get_text()
    glossary = BeautifulSoup((out / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    assert glossary.find(id="ada-open") is not None
    assert glossary.find(id="harbour-town") is not None
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    # The withheld page is in no toctree and no front-page card.
    assert [a.get_text(strip=True) for a in index.select(".bb-briefing-card .sd-card-title")] == [
        "Harbour report"]
    banner = b1.select_one(".bb-marking-banner")
    assert banner.get_text() == "TLP:CLEAR"
    assert "TLP:CLEAR" in banner["aria-label"]


def test_marked_page_shows_its_highest_marking_in_the_full_edition(full: SphinxTestApp) -> None:
    out = Path(full.outdir)
    b1 = BeautifulSoup((out / "b1.html").read_text(encoding="utf-8"), "html.parser")
    banners = b1.select(".bb-marking-banner")
    assert [b.get_text() for b in banners] == ["TLP:RED", "TLP:RED"]  # top and bottom
    assert "no further disclosure" in banners[0]["aria-label"]
    portions = [p["data-marking"] for p in b1.select("div.bb-portion")]
    assert sorted(portions) == ["TLP:AMBER", "TLP:GREEN", "TLP:RED"]
    amber = b1.select_one("div.bb-portion[data-marking='TLP:AMBER']")
    assert amber.select_one(".bb-portion-mark").get_text() == "(TLP:AMBER)"
    b2 = BeautifulSoup((out / "b2.html").read_text(encoding="utf-8"), "html.parser")
    assert b2.select_one(".bb-marking-banner").get_text() == "TLP:AMBER+STRICT"


@pytest.mark.parametrize("level", ["TLP:CLEAR", "TLP:AMBER"])
def test_no_byte_of_a_released_latex_edition_holds_what_is_withheld(tmp_path: Path, level: str) -> None:
    app = build(tmp_path, "latex", level)
    out = Path(app.outdir)
    assert leaks(out, above(level)) == []
    report = gate_report(app, level)
    assert report.passed, [str(h) for h in report.hits] + report.unreadable
    tex = (out / "editions.tex").read_text(encoding="utf-8")
    assert re.search(r"\\bbsetmarking\{TLP:CLEAR\}", tex)
    assert "As of 1 March 2025" in tex  # the latest briefing this edition holds


@pytest.mark.pdf
def test_no_text_of_a_released_pdf_holds_what_is_withheld(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(tmp_path / "build"),
         "-D", "briefbook_release=TLP:GREEN", "-q"],
        capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "build" / "latex"
    assert leaks(out, above("TLP:GREEN")) == []
    pdf_text = output_text(out)[str(out / "editions.pdf")]
    assert "zqxGREENquote8812" in pdf_text
    assert "As of 1 March 2025" in pdf_text and "TLP:GREEN" in pdf_text
    from briefbook.publishing import gate

    report = gate.check(src, conf_values(src), "TLP:GREEN", [out], confdir=src)
    assert report.passed, [str(h) for h in report.hits] + report.unreadable


def test_unknown_release_level_stops_the_build_with_the_reason(tmp_path: Path) -> None:
    from briefbook.cli import main

    book = tmp_path / "book"
    (book / "conf").mkdir(parents=True)
    shutil.copytree(ROOT, book / "docs", ignore=shutil.ignore_patterns("conf.py", "entities"))
    shutil.copytree(ROOT / "entities", book / "conf" / "entities")
    shutil.copy(ROOT / "conf.py", book / "conf" / "conf.py")
    code = main(["build", str(book), "--format", "html", "--release", "TLP:PURPLE"])
    assert code == 2
    assert not (book / "_build" / "release-tlp-purple").exists()


def test_sample_book_builds_full_and_clear_editions_side_by_side(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefbook.cli import main

    repo = Path(__file__).parent.parent
    book = tmp_path / "book"
    for part in ("docs", "conf"):
        shutil.copytree(repo / part, book / part)
    shutil.copy(repo / "sources.bib", book / "sources.bib")
    assert main(["build", str(book), "--format", "html"]) == 0
    assert main(["build", str(book), "--format", "html", "--release", "tlp:clear"]) == 0
    page = "briefings/2024-11-17-north-korean-troops-in-russia.html"
    full = (book / "_build" / "html" / page).read_text(encoding="utf-8")
    clear = (book / "_build" / "release-tlp-clear" / "html" / page).read_text(encoding="utf-8")
    # The editors' note is marked TLP:GREEN: in the full edition only.
    assert "Editors' note for the briefing team" in full
    assert "Editors' note for the briefing team" not in clear
    assert 'bb-marking-banner bb-marking-tlp-green' in full
    assert 'bb-marking-banner bb-marking-tlp-clear' in clear
    assert "TLP:GREEN" not in "\n".join(output_text(book / "_build" / "release-tlp-clear" / "html").values())
    # The release passed the final gate (the editors' note is withheld, and no false alarm).
    assert re.search(r"final gate passed: \d+ files .* distinctive words of 1 withheld items",
                     capsys.readouterr().err)


def test_bad_markings_are_reported_at_their_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "briefbook"]\n'
                                 'briefbook_marking = "TLP:CLEAR"\n', encoding="utf-8")
    (src / "index.md").write_text(
        "---\nmarking: TLP:AMBER\n---\n\n# Page\n\n"
        "```{marking} TLP:GREEN\nLower than the page.\n```\n\n"
        "```{marking} TLP:PURPLE\nNo such level.\n```\n", encoding="utf-8")
    (src / "other.md").write_text("---\nmarking: SECRET\n---\n\n# Other\n\nText.\n",
                                  encoding="utf-8")
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8")
                                  + "\n```{toctree}\nother\n```\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "build", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    assert re.search(r"index\.md:7: WARNING: BB602 portion marked TLP:GREEN inside a page "
                     r"marked TLP:AMBER", text), text
    assert re.search(r"index\.md:11: WARNING: BB601 unknown marking 'TLP:PURPLE'", text), text
    assert re.search(r"other\.md:1: WARNING: BB601 unknown marking 'SECRET' .*front matter",
                     text), text


def test_another_marking_scheme_is_configuration(tmp_path: Path) -> None:
    """A national scheme instead of TLP: its names, colours and order come from conf.py."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "briefbook"]\n'
        'briefbook_marking_scheme = [\n'
        '    {"name": "OFFICIAL", "colour": "#FFFFFF", "background": "#1D5E9A"},\n'
        '    {"name": "OFFICIAL-SENSITIVE", "colour": "#FFFFFF", "background": "#1D5E9A",\n'
        '     "aliases": ["OS"]},\n'
        '    {"name": "SECRET", "colour": "#FFFFFF", "background": "#F39000"},\n'
        ']\n'
        'briefbook_marking = "OFFICIAL"\n', encoding="utf-8")
    (src / "index.md").write_text(
        "# Page\n\nOpen words.\n\n```{marking} os\nzqxSENSITIVEwords\n```\n\n"
        "```{marking} SECRET\nzqxSECRETwords\n```\n", encoding="utf-8")
    outputs = {}
    for release in ("", "OFFICIAL-SENSITIVE"):
        app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / f"build{release}",
                            freshenv=True, confoverrides={"briefbook_release": release})
        try:
            app.build()
        finally:
            app.cleanup()
        assert app.warning.getvalue() == ""
        outputs[release] = Path(app.outdir)
    full = BeautifulSoup((outputs[""] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert full.select_one(".bb-marking-banner").get_text() == "SECRET"
    assert [p["data-marking"] for p in full.select("div.bb-portion")] == [
        "OFFICIAL-SENSITIVE", "SECRET"]
    styles = (outputs[""] / "_static" / "briefbook-markings.css").read_text(encoding="utf-8")
    assert ".bb-marking-banner.bb-marking-secret" in styles and "#F39000" in styles
    released = "\n".join(output_text(outputs["OFFICIAL-SENSITIVE"]).values())
    assert "zqxSECRETwords" not in released and "zqxSENSITIVEwords" in released


def test_a_failed_release_never_replaces_the_last_good_one(tmp_path: Path) -> None:
    from briefbook.cli import main

    book = tmp_path / "book"
    (book / "conf").mkdir(parents=True)
    shutil.copytree(ROOT, book / "docs", ignore=shutil.ignore_patterns("conf.py", "entities"))
    shutil.copytree(ROOT / "entities", book / "conf" / "entities")
    shutil.copy(ROOT / "conf.py", book / "conf" / "conf.py")
    shutil.copy(ROOT / "refs.bib", book / "conf" / "refs.bib")  # bib paths are conf-relative
    assert main(["build", str(book), "--format", "html", "--release", "TLP:GREEN"]) == 0
    published = book / "_build" / "release-tlp-green" / "html" / "b1.html"
    before = published.read_bytes()
    page = book / "docs" / "b1.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Harbour report", "Harbour report, revised\n\n```{marking} TLP:MAUVE\nx\n```"),
        encoding="utf-8")
    assert main(["build", str(book), "--format", "html", "--release", "TLP:GREEN"]) == 1
    assert published.read_bytes() == before


# --- the final gate: a leak planted past the filter is caught, and named ---------------------


def png(chunks: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """A valid 1×1 grey PNG with ``chunks`` (kind, body) before its image data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    extra = b"".join(chunk(kind, body) for kind, body in chunks or [])
    return (b"\x89PNG\r\n\x1a\n" + header + extra + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
            + chunk(b"IEND", b""))


def pdf(text: str = "", title: str = "", bookmark: str = "") -> bytes:
    """A one-page PDF whose (compressed) page text, /Title or bookmark is given."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(400, 100)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream.set_data(f"BT /F1 12 Tf 10 50 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    writer.add_metadata({"/Title": title or "Planted", "/Producer": "test"})
    if bookmark:
        writer.add_outline_item(title=bookmark, page_number=0)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def plant_everywhere(html_out: Path, latex_out: Path, canary: str) -> dict[str, str]:
    """Write ``canary`` into the release after its build, past every filter, in each
    format a release outputs; return each planted file (relative to the release's
    folder) and how the canary is hidden in it."""
    slug = re.sub(r"[^a-z0-9]+", "-", canary.lower()).strip("-")
    planted: dict[str, str] = {}

    def put(relative: str, data: bytes | str, how: str) -> None:
        path = html_out.parent / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        planted[relative] = how

    entities = "".join(f"&#{ord(c)};" for c in canary)
    put("html/planted.html", f"<p class='x'>Open text. {entities}</p>", "HTML, as character references")
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem  # as Sphinx stems the terms of its search index
    index_path = html_out / "searchindex.js"
    text = index_path.read_text(encoding="utf-8")
    index = json.loads(text[len("Search.setIndex("):].rstrip(";\n").rstrip(")"))
    for word in re.findall(r"[^\W_]+", canary.lower()):
        index["terms"][stem(word)] = 0
    put("html/searchindex.js", "Search.setIndex(" + json.dumps(index) + ")", "search index term, stemmed")
    inventory = (html_out / "objects.inv").read_bytes()
    end = 0
    for _ in range(4):
        end = inventory.index(b"\n", end) + 1
    body = zlib.decompress(inventory[end:]) + f"{slug} std:label -1 b1.html#x {canary}\n".encode()
    put("html/objects.inv", inventory[:end] + zlib.compress(body), "compressed inventory entry")
    put("html/_static/planted.css", f".x::after {{ content: '{canary}'; }}\n", "stylesheet")
    escaped = "".join(f"\\u{ord(c):04x}" for c in canary)
    put("html/_static/planted.js", f'var note = "{escaped}";\n', "script, as JSON escapes")
    export = json.loads((html_out / "briefbook-export.json").read_text(encoding="utf-8"))
    export["edition"]["name"] = canary
    put("html/briefbook-export.json", json.dumps(export, ensure_ascii=True), "export JSON")
    put("html/_images/planted.svg", f'<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="9">'
        f"{html.escape(canary)}</text></svg>", "SVG text")
    put("html/_images/planted.png", png([(b"zTXt", b"Comment\0\0" + zlib.compress(canary.encode()))]),
        "PNG compressed text chunk")
    put(f"html/_images/{slug}.png", png(), "image file name")
    put("latex/planted-text.pdf", pdf(text=f"Open words. {canary}"), "PDF page text")
    put("latex/planted-title.pdf", pdf(title=canary), "PDF /Title")
    put("latex/planted-bookmark.pdf", pdf(bookmark=canary), "PDF bookmark")
    tex = (latex_out / "editions.tex").read_text(encoding="utf-8")
    put("latex/editions.tex", tex.replace("\\end{document}",
                                          f"\\sphinxstylestrong{{{canary}}}\n\\end{{document}}"),
        "LaTeX source")
    return planted


@pytest.fixture(scope="module", params=["TLP:CLEAR", "TLP:AMBER"])
def release_outputs(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path, Path]:
    """A released edition of the test book, HTML and LaTeX: its level, source and folders."""
    level = request.param
    dest = tmp_path_factory.mktemp("planted")
    html_app = build(dest / "html-build", "html", level)
    latex_app = build(dest / "latex-build", "latex", level)
    return level, Path(html_app.srcdir), Path(html_app.outdir), Path(latex_app.outdir)


def test_the_gate_catches_a_canary_planted_in_any_format_and_names_where(
        tmp_path: Path, release_outputs: tuple[str, Path, Path, Path]) -> None:
    from briefbook.publishing import gate

    level, src, html_out, latex_out = release_outputs
    material = gate.release_material(src, conf_values(src), level, src)
    # The unmodified release passes: the control for every planted case below.
    clean = gate.scan([html_out, latex_out], material)
    assert clean.passed, [str(h) for h in clean.hits]
    for canary in [*above(level), *at_or_below(level)]:
        release = tmp_path / re.sub(r"\W+", "-", canary)
        shutil.copytree(html_out, release / "html")
        shutil.copytree(latex_out, release / "latex")
        planted = plant_everywhere(release / "html", release / "latex", canary)
        report = gate.scan([release / "html", release / "latex"], material, root=release)
        caught = {hit.output: hit for hit in report.hits}
        if canary in at_or_below(level):  # released: its words are the release's own
            assert report.passed, (canary, [str(h) for h in report.hits])
            continue
        missed = {path: how for path, how in planted.items() if path not in caught}
        assert missed == {}, f"{canary} not caught in {missed}"
        assert set(caught) == set(planted), set(caught) - set(planted)
        for path in planted:
            token = caught[path].token
            source = Path(token.source) if Path(token.source).is_absolute() else src / token.source
            line = source.read_text(encoding="utf-8").splitlines()[token.line - 1].lower()
            # The hit names the withheld file and a line of it that holds the word found.
            assert token.text.split()[0] in re.findall(r"[^\W_]+", line), (str(caught[path]), line)
            assert source.name in {"b1.md", "b2.md", "people.yaml", "places.yaml", "refs.bib"}
