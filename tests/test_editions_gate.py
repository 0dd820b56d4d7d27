"""A release is built fresh, and replaces the published one only after the final gate.

The gate (briefbook.publishing.gate) reads every byte of a built release for the
distinctive words of what it withholds; these tests hold what it withholds (pages and
portions, at their lines, at any depth), which words count as distinctive (names and
sentences, not shared words), that an output it cannot read fails closed, and the three
commands that publish a release: ``briefbook build --release`` (always from nothing, and
not published when the gate fails), ``briefbook export --release`` and ``briefbook pdf
--release``. The canary test (tests/test_editions_release.py) plants leaks in every
output format.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest

from briefbook.publishing import gate, readable
from test_editions_release import ROOT, conf_values, output_text, pdf, png


def make_book(dest: Path) -> Path:
    """The editions test book laid out as ``briefbook`` finds a book: conf/ and docs/."""
    (dest / "conf").mkdir(parents=True)
    shutil.copytree(ROOT, dest / "docs", ignore=shutil.ignore_patterns("conf.py", "entities",
                                                                      "refs.bib"))
    shutil.copytree(ROOT / "entities", dest / "conf" / "entities")
    shutil.copy(ROOT / "conf.py", dest / "conf" / "conf.py")
    shutil.copy(ROOT / "refs.bib", dest / "conf" / "refs.bib")  # bib paths are conf-relative
    return dest


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def opening_before(path: Path, text: str, opening: str) -> int:
    """The line of the last ``opening`` (a directive's fence) before the line of ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = line_of(path, text)
    return max(n for n, line in enumerate(lines[:at], 1) if line.startswith(opening))


def run(*argv: str) -> int:
    from briefbook.cli import main

    return main(list(argv))


# --- what the release withholds ------------------------------------------------------------


def test_withheld_material_is_every_page_and_portion_above_the_level_at_its_line() -> None:
    config = conf_values(ROOT)
    clear = gate.withheld_material(ROOT, config, "TLP:CLEAR")
    b1 = ROOT / "b1.md"
    assert [(w.source, w.line, w.what) for w in clear] == [
        ("b2.md", 1, "page marked TLP:AMBER+STRICT"),
        # the claim inside {key-judgements}: a portion at any depth
        ("b1.md", opening_before(b1, ":marking: TLP:RED", "```{claim}"), "portion marked TLP:RED"),
        ("b1.md", line_of(b1, "```{quote}"), "portion marked TLP:GREEN"),
        ("b1.md", line_of(b1, "{marking} TLP:AMBER"), "portion marked TLP:AMBER")]
    assert "zqxREDclaim5521" in clear[1].text and "zqxAMBERevent2218" in clear[3].text
    assert "will reopen" not in "".join(w.text for w in clear[1:])  # the kept claim is kept
    amber = gate.withheld_material(ROOT, config, "TLP:AMBER")
    assert [(w.source, w.what) for w in amber] == [
        ("b2.md", "page marked TLP:AMBER+STRICT"), ("b1.md", "portion marked TLP:RED")]
    assert gate.withheld_material(ROOT, config, "TLP:RED") == []


def test_portions_are_found_in_colon_fences_option_blocks_rest_and_unknown_markings(
        tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "briefbook"]\nmyst_enable_extensions = ["colon_fence"]\n',
        encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# Page\n\nOpen words.\n\n"
        ":::{marking} TLP:RED\nzqxCOLONfence\n:::\n\n"
        "```{claim}\n---\nlikelihood: likely\nmarking: TLP:AMBER\n---\nzqxYAMLoptions\n```\n\n"
        "```{marking} TLP:PURPLE\nzqxUNKNOWNmarking\n```\n\n"
        "```{marking} TLP:CLEAR\nzqxKEPTportion\n```\n", encoding="utf-8")
    (tmp_path / "other.rst").write_text(
        "Other\n=====\n\nOpen.\n\n.. marking:: TLP:RED\n\n   zqxRESTportion\n\nAfter.\n",
        encoding="utf-8")
    found = gate.withheld_material(tmp_path, conf_values(tmp_path), "TLP:CLEAR")
    held = {(w.source, w.line): w.text for w in found}
    assert set(held) == {("index.md", 5), ("index.md", 9), ("index.md", 17), ("other.rst", 6)}
    text = "\n".join(held.values())
    for word in ("zqxCOLONfence", "zqxYAMLoptions", "zqxUNKNOWNmarking", "zqxRESTportion"):
        assert word in text
    assert "zqxKEPTportion" not in text and "After." not in text


def test_what_only_withheld_material_names_or_cites_is_withheld_too() -> None:
    material = gate.release_material(ROOT, conf_values(ROOT), "TLP:CLEAR", ROOT)
    derived = {(Path(w.source).name, w.what) for w in material.withheld
               if w.source.endswith((".yaml", ".bib"))}
    assert derived == {("people.yaml", "registry entry only withheld material names"),
                       ("places.yaml", "registry entry only withheld material names"),
                       ("refs.bib", "source only withheld material cites")}
    entries = "\n".join(w.text for w in material.withheld)
    assert "Zqxamberalias" in entries and "Zqxamber source title" in entries
    assert "Ada Open" not in entries and "Open report on the harbour" not in entries
    assert "Ada Open" in material.kept and "zqxREDclaim5521" not in material.kept


def test_an_edition_built_inside_the_source_tree_is_not_taken_for_what_is_kept(
        tmp_path: Path) -> None:
    """A full edition's output in the source folder holds every withheld word; were it
    read as kept text, no withheld word would be distinctive and the gate would be blind."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "out").mkdir()
    (src / "out" / ".buildinfo").write_text("# Sphinx build info\n", encoding="utf-8")
    (src / "out" / "b1.html").write_text("<p>zqxREDclaim5521: the harbour closes again.</p>",
                                         encoding="utf-8")
    material = gate.release_material(src, conf_values(src), "TLP:CLEAR", src)
    assert "zqxredclaim5521" not in material.kept.lower()
    assert "zqxredclaim5521" in {t.text for t in gate.distinctive_tokens(material)[0]}


def test_distinctive_words_are_names_and_sentences_not_shared_words() -> None:
    material = gate.release_material(ROOT, conf_values(ROOT), "TLP:CLEAR", ROOT)
    tokens = {t.text: t for t in gate.distinctive_tokens(material)[0]}
    # Names, identifiers and rare words the release does not keep; a leaked sentence's
    # bigrams, even where each word of it is shared ("harbour" is kept).
    for word in ("zqxredclaim5521", "zqxamber", "zqxamberalias", "zqxstrict", "outlet",
                 "harbour closes", "closes again", "zqxamber person", "zqxstrict city"):
        assert word in tokens, word
    # Words the release keeps ("harbour", the page title's "report"), a common word, a
    # word of the marking scheme ("community", in TLP:GREEN's description), two kept words
    # side by side ("the harbour"), short words alone ("told").
    for word in ("harbour", "report", "again", "community", "the harbour", "told", "the"):
        assert word not in tokens, word
    assert tokens["zqxredclaim5521"].where == f"b1.md:{line_of(ROOT / 'b1.md', 'zqxREDclaim5521')}"
    # A withheld portion that says nothing the release does not say elsewhere cannot be
    # told from it: reported as unchecked, not silently passed for checked.
    shared = gate.Withheld("b9.md", 3, "The harbour report.", "portion marked TLP:RED")
    assert gate.distinctive_tokens(gate.Material([shared], "Harbour report: the harbour "
                                                 "report.")) == ([], [shared])
    alias = tokens["zqxamberalias"]
    assert Path(alias.source).name == "people.yaml"
    assert alias.line == line_of(ROOT / "entities" / "people.yaml", "Zqxamberalias")


# --- reading the outputs --------------------------------------------------------------------


def test_an_output_the_gate_cannot_read_fails_the_release(tmp_path: Path) -> None:
    """Fail closed: a PDF, an inventory or a search index the gate cannot read might hold
    anything."""
    material = gate.release_material(ROOT, conf_values(ROOT), "TLP:CLEAR", ROOT)
    out = tmp_path / "html"
    out.mkdir()
    (out / "ok.html").write_text("<p>Open words.</p>", encoding="utf-8")
    assert gate.scan([out], material).passed
    (out / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (out / "objects.inv").write_bytes(b"# Sphinx inventory version 2\n# Project: x\n"
                                      b"# Version: \n# zlib\nnot zlib at all")
    (out / "searchindex.js").write_text("Search.setIndex({not json)", encoding="utf-8")
    report = gate.scan([out], material, root=tmp_path)
    assert not report.passed and report.hits == []
    assert sorted(p.split(":")[0] for p in report.unreadable) == [
        "html/broken.pdf", "html/objects.inv", "html/searchindex.js"]


def test_the_gate_reads_the_forms_a_reader_could_get_words_out_of() -> None:
    def text_of(name: str, data: bytes) -> str:
        return "\n".join(form.text for form in readable.file_forms(name, data))

    def words_of_forms(name: str, data: bytes) -> list[str]:
        return [" ".join(re.findall(r"[^\W_]+", readable.normalise(form.text)))
                for form in readable.file_forms(name, data)]

    inventory = (b"# Sphinx inventory version 2\n# Project: x\n# Version: \n# zlib\n"
                 + zlib.compress(b"zqxinv std:label -1 a.html#x Zqx Inventory\n"))
    assert "zqxinv" in text_of("objects.inv", inventory)
    assert "zqxTitle" in text_of("x.pdf", pdf(title="zqxTitle words"))
    assert "zqxBookmark" in text_of("x.pdf", pdf(bookmark="zqxBookmark words"))
    assert "zqxPageText" in text_of("x.pdf", pdf(text="zqxPageText words"))
    assert "zqxPNG" in text_of("a.png", png([(b"tEXt", b"Comment\0zqxPNG")]))
    assert "zqxHTML" in text_of("a.html", b"<p>zqx&#72;TML</p>")
    assert "zqx JSON" in text_of("a.js", b'"zqx\\u0020JSON"')
    # Words split by markup meet again (a bigram across an inline tag).
    assert "zqx split" in words_of_forms("a.html", b"<p>zqx<em>\n</em> split</p>")
    # A soft hyphen or a zero-width space does not split a word; a ligature is its letters.
    assert any("zqxsoftfine" in forms for forms in words_of_forms(
        "a.html", "<p>zqx&shy;soft\u200b\ufb01ne</p>".encode()))
    # Percent-encoded (a link) and base64 in a data: URI (an embedded image).
    assert any("zqx percent" in forms for forms in words_of_forms("a.html", b"<a href='#zqx%20percent'>"))
    svg = base64.b64encode(b"<svg><text>zqxEmbedded words</text></svg>")
    assert any("zqxembedded words" in forms for forms in words_of_forms(
        "a.html", b"<img src='data:image/svg+xml;base64," + svg + b"'>"))


# --- briefbook build --release: fresh, and gated ----------------------------------------------


def add_fresh_material(book: Path) -> None:
    """A CLEAR page with an image, and a CLEAR portion with an image, in the book."""
    docs = book / "docs"
    (docs / "b3.md").write_text(
        "---\ndate: 2025-03-02\nauthor: Test Analyst\n---\n\n# Zqxfreshpage heading\n\n"
        "zqxFRESHpage4242 stands beside its figure.\n\n"
        "![Zqxfreshpage figure](zqxfreshpage-figure.png)\n", encoding="utf-8")
    (docs / "zqxfreshpage-figure.png").write_bytes(png([(b"tEXt", b"Comment\0figure")]))
    (docs / "zqxfreshportion-figure.png").write_bytes(png([(b"tEXt", b"Comment\0other")]))
    index = docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("b2\n", "b2\nb3\n"),
                     encoding="utf-8")
    b1 = docs / "b1.md"
    b1.write_text(b1.read_text(encoding="utf-8") +
                  "\n```{marking} TLP:CLEAR\nzqxFRESHportion5151 and its figure.\n\n"
                  "![Zqxfreshportion figure](zqxfreshportion-figure.png)\n```\n",
                  encoding="utf-8")


def remark_red(book: Path) -> None:
    docs = book / "docs"
    page = docs / "b3.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "author: Test Analyst\n", "author: Test Analyst\nmarking: TLP:RED\n"), encoding="utf-8")
    b1 = docs / "b1.md"
    b1.write_text(b1.read_text(encoding="utf-8").replace(
        "{marking} TLP:CLEAR\nzqxFRESH", "{marking} TLP:RED\nzqxFRESH"), encoding="utf-8")


def search_terms(html_out: Path) -> set[str]:
    text = (html_out / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[len("Search.setIndex("):].rstrip(";\n").rstrip(")"))
    return {*index["terms"], *index["titleterms"]}


def traces_of_fresh_material(folder: Path) -> list[str]:
    """Every output file whose name or content holds the re-marked page or portion."""
    return sorted(path for path, text in output_text(folder).items()
                  if "zqxfresh" in path.lower() or "zqxfresh" in text.lower())


@pytest.mark.parametrize("formats", [
    pytest.param("html", id="html"),
    pytest.param("all", id="html-and-pdf", marks=pytest.mark.pdf)])
def test_a_release_is_built_fresh_so_nothing_re_marked_survives(tmp_path: Path, formats: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    book = make_book(tmp_path / "book")
    add_fresh_material(book)
    release = book / "_build" / "release-tlp-clear"
    folders = [release / "html"] + ([release / "latex"] if formats == "all" else [])
    assert run("build", str(book), "--format", formats, "--release", "TLP:CLEAR") == 0
    # The control: the CLEAR page and portion, their images and words, are released.
    for folder in folders:
        assert traces_of_fresh_material(folder)
    assert {"zqxfreshpage4242", "zqxfreshportion5151"} <= search_terms(release / "html")
    assert (release / "html" / "_images" / "zqxfreshpage-figure.png").is_file()
    remark_red(book)
    capsys.readouterr()
    code = run("build", str(book), "--format", formats, "--release", "TLP:CLEAR")
    for folder in folders:
        assert traces_of_fresh_material(folder) == []
    assert not (release / "html" / "b3.html").exists()
    assert not [t for t in search_terms(release / "html") if "zqxfresh" in t]
    # The staging folder was emptied too: nothing of the earlier build is kept anywhere.
    assert traces_of_fresh_material(release / ".staging") == []
    # Built fresh, the release holds nothing of them, and so passes its gate.
    assert code == 0
    assert "final gate passed" in capsys.readouterr().err


def test_a_release_that_fails_the_gate_is_not_published(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A leak past the filter (a withheld sentence in a file of html_extra_path, which no
    marking governs) fails the release; the last good release stays published."""
    book = make_book(tmp_path / "book")
    assert run("build", str(book), "--format", "html", "--release", "TLP:CLEAR") == 0
    published = book / "_build" / "release-tlp-clear" / "html"
    before = {p.relative_to(published): p.read_bytes() for p in published.rglob("*") if p.is_file()}
    assert re.search(r"final gate passed: \d+ files \([\d,]+ bytes\) scanned for \d+ distinctive "
                     r"words of 8 withheld items", capsys.readouterr().err)
    (book / "conf" / "extra").mkdir()
    (book / "conf" / "extra" / "notes.txt").write_text(
        "Background: zqxREDclaim5521, the harbour closes again.\n", encoding="utf-8")
    conf = book / "conf" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'html_extra_path = ["extra"]\n',
                    encoding="utf-8")
    assert run("build", str(book), "--format", "html", "--release", "TLP:CLEAR") == 1
    err = capsys.readouterr().err
    where = f"docs/b1.md:{line_of(book / 'docs' / 'b1.md', 'zqxREDclaim5521')}"
    assert re.search(rf"LEAK: _build/release-tlp-clear/\.staging/html/notes\.txt holds "
                     rf"'zqxredclaim5521' \(text\) from {re.escape(where)} \(portion marked "
                     r"TLP:RED\)", err), err
    assert "'harbour closes'" in err and "final gate FAILED" in err
    assert "not published" in err
    after = {p.relative_to(published): p.read_bytes() for p in published.rglob("*") if p.is_file()}
    assert after == before


# --- briefbook export --release and briefbook pdf --release -----------------------------------


def test_export_release_writes_nothing_that_fails_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from briefbook.publishing import export_command as export

    book = make_book(tmp_path / "book")
    out = tmp_path / "clear.json"
    args = argparse.Namespace(path=str(book), out=str(out), release="TLP:CLEAR")
    assert export.main(args) == 0 and out.is_file()
    assert "final gate passed" in capsys.readouterr().err
    out.unlink()
    real = export.export_book

    def leaky(env: Any, target_uri: Any = None) -> dict[str, Any]:  # a filter that missed one
        data = real(env, target_uri)
        data["claims"].append({"text": "Zqxamber Person said so."})
        return data

    monkeypatch.setattr(export, "export_book", leaky)
    assert export.main(args) == 1
    err = capsys.readouterr().err
    assert f"LEAK: {out} holds 'zqxamber'" in err and "docs/b1.md:" in err
    assert not out.exists()
    args.out = "-"
    assert export.main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "LEAK: standard output holds 'zqxamber'" in captured.err


@pytest.mark.pdf
def test_pdf_release_writes_no_handout_that_fails_the_gate(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    book = make_book(tmp_path / "book")
    (book / "conf" / "extra").mkdir()
    (book / "conf" / "extra" / "notes.txt").write_text("zqxSTRICTpage6613 in Zqxstrict City\n",
                                                       encoding="utf-8")
    conf = book / "conf" / "conf.py"
    clean = conf.read_text(encoding="utf-8")
    conf.write_text(clean + 'latex_additional_files = ["extra/notes.txt"]\n', encoding="utf-8")
    out = tmp_path / "b1.pdf"
    assert run("pdf", str(book), "b1", "--release", "TLP:CLEAR", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "LEAK: _build/.selection/b1-tlp-clear/build/latex/notes.txt holds 'zqxstrictpage6613'" in err
    assert "docs/b2.md:" in err and "failed the final gate" in err
    assert not out.exists()
    conf.write_text(clean, encoding="utf-8")
    assert run("pdf", str(book), "b1", "--release", "TLP:CLEAR", "--out", str(out)) == 0
    assert out.is_file() and "final gate passed" in capsys.readouterr().err
