"""Grades, retraction and preserved copies as a reader meets them in the built book
(tests/roots/test-sources: fictional sources, one of each standing)."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from briefbook.cli import main as briefbook

ROOT = Path(__file__).parent / "roots" / "test-sources"


def write_warc(path: Path, url: str, body: bytes) -> str:
    """A one-response WARC, as ``briefbook sources archive`` keeps; returns its SHA-256."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prepare(dest: Path) -> Path:
    """The test root with a real preserved copy whose hash the bib entry records."""
    src = dest / "src"
    shutil.copytree(ROOT, src)
    digest = write_warc(src / "archive" / "archived2025.warc.gz", "https://www.example.org/statement",
                        b"<html><body>The ministry's statement.</body></html>")
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{SHA256}", "{" + digest + "}"),
                   encoding="utf-8")
    return src


def build(src: Path, dest: Path, builder: str = "html", fresh: bool = True) -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=src, builddir=dest / "build", freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"),
                         "html.parser")


def line_of(path: Path, marker: str) -> int:
    """The line of the directive that holds ``marker`` (the claim's first line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if marker in text)
    return max(i for i in range(at + 1) if lines[i].startswith("```{claim}")) + 1


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    dest = tmp_path_factory.mktemp("sources")
    return build(prepare(dest), dest)


def warnings(app: SphinxTestApp) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line]


@pytest.mark.parametrize(("marker", "message"), [
    (":sources: tabloid2025, forum2025", "BB416 key judgement has no source left standing: "
     "'tabloid2025' (Retracted on 2 March 2025"),
    (":sources: wire2025, tabloid2025", "BB417 key judgement has lost a source: 'tabloid2025'"),
    (":sources: agency2025", "BB418 key judgement rests on a disputed source: 'agency2025' "
     "(Disputed on 10 March 2025: The ministry denies the figures)"),
    (":sources: report2025", "BB415 key judgement rests on 'report2025', which has no "
     "reliability grade"),
])
def test_judgements_on_flagged_or_ungraded_sources_are_reported_at_their_line(
        book: SphinxTestApp, marker: str, message: str) -> None:
    line = line_of(Path(book.srcdir) / "b1.md", marker)
    assert any(f"b1.md:{line}: WARNING: {message}" in w for w in warnings(book)), warnings(book)


def test_nothing_else_is_reported(book: SphinxTestApp) -> None:
    codes = sorted(re.search(r"WARNING: (BB\d+)", w).group(1) for w in warnings(book))
    assert codes == ["BB415", "BB416", "BB417", "BB418"], warnings(book)


def test_citation_shows_grade_and_flag_where_cited(book: SphinxTestApp) -> None:
    b1 = page(book, "b1")
    quote = b1.select_one(".bb-quote .bb-source[data-source='tabloid2025']")
    # The quotation grades its own use of the source (credibility=4).
    assert quote.select_one("abbr.bb-grade").get_text() == "E4"
    assert "source E: unreliable; information 4: doubtful" in quote.select_one("abbr")["title"]
    assert quote.select_one("strong.bb-source-flag").get_text() == "Retracted"
    card = quote.select_one(".bb-card")
    assert card["role"] == "tooltip"
    assert "Retracted on 2 March 2025: The paper withdrew the story" in card.get_text()
    # The card replaces the browser's tooltip.
    assert not quote.select_one("a").has_attr("title")
    text_cite = next(s for s in b1.select(".bb-source[data-source='forum2025']")
                     if not s.find_parent(class_="bb-claim") and not s.find_parent("table"))
    assert text_cite.select_one("abbr.bb-grade").get_text() == "F"
    assert text_cite.select_one("strong.bb-source-flag").get_text() == "Discredited"


def test_claim_use_grades_override_the_source_default(book: SphinxTestApp) -> None:
    claim = page(book, "b1").find(string=re.compile("moved troops")).find_parent(class_="bb-claim")
    grades = {s["data-source"]: s.select_one("abbr.bb-grade").get_text()
              for s in claim.select(".bb-source")}
    assert grades == {"wire2025": "B1", "tabloid2025": "E"}


def test_claims_on_flagged_sources_say_what_they_still_rest_on(book: SphinxTestApp) -> None:
    b1 = page(book, "b1")
    lost_all = b1.find(string=re.compile("A convoy crossed")).find_parent(class_="bb-claim")
    assert "bb-claim-unsupported" in lost_all["class"]
    warning = lost_all.select_one(".bb-claim-warning").get_text(" ", strip=True)
    assert warning.startswith("Rests on a retracted or discredited source: Daily Example 2025 "
                              "(retracted on 2 March 2025: The paper withdrew the story")
    assert "No source left standing." in warning
    lost_one = b1.find(string=re.compile("moved troops")).find_parent(class_="bb-claim")
    assert "bb-claim-unsupported" not in lost_one["class"]
    warning = lost_one.select_one(".bb-claim-warning").get_text(" ", strip=True)
    assert "Still rests on: Example Wire 2025." in warning
    disputed = b1.find(string=re.compile("Casualties rose")).find_parent(class_="bb-claim")
    assert "It rests on no other source." in disputed.select_one(".bb-claim-warning").get_text()
    sound = b1.find(string=re.compile("will stabilise")).find_parent(class_="bb-claim")
    assert sound.select_one(".bb-claim-warning") is None


def test_sourcing_table_ends_each_briefing(book: SphinxTestApp) -> None:
    table = page(book, "b1").select_one("table.bb-sourcing")
    rows = [[cell.get_text(" ", strip=True).replace(" ;", ";") for cell in row.select("td")]
            for row in table.select("tbody tr")]
    by_source = {row[0].split(",")[0]: row[1:] for row in rows}
    # In the order a reader meets them.
    assert list(by_source) == ["Daily Example", "Example Forum", "Example Wire",
                               "Example Agency", "Example Institute"]
    assert by_source["Daily Example"] == [
        "E unreliable", "4 doubtful; other uses not graded", "2 key judgements, 1 quotation",
        "Retracted on 2 March 2025: The paper withdrew the story after its source recanted"]
    assert by_source["Example Wire"][:2] == ["B usually reliable", "1 confirmed by other sources"]
    assert by_source["Example Institute"][:2] == ["not graded", "not graded"]
    assert by_source["Example Agency"][3].startswith("Disputed on 10 March 2025")
    # The table's links keep their card but carry no second grade.
    assert table.select("abbr.bb-grade") == []


def entry(refs: BeautifulSoup, key: str):
    """A bibliography entry: its label and the text after it, up to the next entry."""
    return refs.find(id=f"cite-{key}").find_parent(["div", "dd"]) or refs.find(id=f"cite-{key}")


def test_bibliography_entry_shows_grading_standing_and_preserved_copy(book: SphinxTestApp) -> None:
    refs = page(book, "references")
    retracted = entry(refs, "tabloid2025")
    text = retracted.get_text(" ", strip=True)
    assert "Source reliability E (unreliable)" in text
    assert "Retracted on 2 March 2025: The paper withdrew the story" in text
    archived = entry(refs, "archived2025")
    link = archived.select_one("a.bb-preserved-copy")
    assert link["href"] == "_archive/archived2025.warc.gz"
    copy = Path(book.outdir) / "_archive" / "archived2025.warc.gz"
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert archived.select_one("code.bb-hash").get_text() == digest
    assert "captured 1 March 2025, 09:30 UTC" in archived.get_text(" ", strip=True)
    # Beside the live URL, not instead of it.
    assert any(a.get("href") == "https://www.example.org/statement" for a in archived.select("a"))


def test_affected_judgements_page_lists_what_rests_on_flagged_sources(book: SphinxTestApp) -> None:
    affected = page(book, "affected").select_one(".bb-affected-judgements")
    flagged = [li.get_text(" ", strip=True) for li in affected.select(".bb-flagged-sources li")]
    assert [f.split(":")[0].strip() for f in flagged] == ["Daily Example 2025", "Example Forum 2025",
                                                 "Example Agency 2025"]
    items = affected.select("ul.bb-affected-list")[0].select(":scope > li")
    first = items[0].get_text(" ", strip=True)
    assert first.startswith("Key judgement in The convoy: A convoy crossed the border")
    assert "No source left standing." in first
    assert "bb-affected-unsupported" in items[0]["class"]
    texts = [li.get_text(" ", strip=True) for li in items]
    assert any("moved troops" in t and "Still rests on: Example Wire 2025 (graded B)" in t for t in texts)
    assert any("Casualties rose" in t and "It rests on no other source." in t for t in texts)
    assert not any("will stabilise" in t or "keep the convoy" in t for t in texts)
    quotes = affected.select("ul.bb-affected-list")[1].get_text(" ", strip=True)
    assert "“a convoy of forty lorries” — in The convoy." in quotes
    # Each item links to the judgement in its briefing.
    assert items[0].select_one("a")["href"].startswith("b1.html#claim-")


def test_front_page_card_warns_of_affected_judgements(book: SphinxTestApp) -> None:
    cards = page(book, "index").select(".bb-briefing-card")
    by_title = {c.select_one(".sd-card-title").get_text(strip=True): c for c in cards}
    warning = by_title["The convoy"].select_one(".bb-card-affected").get_text(" ", strip=True)
    assert warning == ("Warning: 3 judgements rest on a retracted, discredited or disputed "
                       "source")
    assert by_title["The ministry statement"].select_one(".bb-card-affected") is None


def test_retraction_reaches_every_page_in_an_incremental_build(tmp_path: Path) -> None:
    src = prepare(tmp_path)
    first = build(src, tmp_path)
    assert page(first, "b2").select_one("strong.bb-source-flag") is None
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "  reliability   = {B},\n  credibility   = {2},",
        "  reliability   = {B},\n  credibility   = {2},\n  status        = {retracted},\n"
        "  status-date   = {2025-04-01},\n  status-reason = {The wire withdrew the report},"),
        encoding="utf-8")
    second = build(src, tmp_path, fresh=False)
    b2 = page(second, "b2")
    flags = [s.select_one("strong.bb-source-flag") for s in b2.select(".bb-source[data-source='wire2025']")
             if not s.find_parent("table")]  # the sourcing table has a column for it
    assert flags and all(f is not None and f.get_text() == "Retracted" for f in flags)
    claim = b2.find(string=re.compile("keep the convoy")).find_parent(class_="bb-claim")
    assert "No source left standing." in claim.select_one(".bb-claim-warning").get_text()
    card = {c.select_one(".sd-card-title").get_text(strip=True): c
            for c in page(second, "index").select(".bb-briefing-card")}["The ministry statement"]
    assert "1 judgement rests on a retracted source" in card.get_text(" ", strip=True)
    assert "keep the convoy" in page(second, "affected").get_text()
    assert "Retracted on 1 April 2025" in page(second, "references").get_text()
    assert re.search(r"b2\.md:\d+: WARNING: BB416", "\n".join(warnings(second)))
    # And back: the flag goes when the retraction is taken out.
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "  status        = {retracted},\n  status-date   = {2025-04-01},\n"
        "  status-reason = {The wire withdrew the report},", ""), encoding="utf-8")
    third = build(src, tmp_path, fresh=False)
    assert page(third, "b2").select_one("strong.bb-source-flag") is None
    assert "keep the convoy" not in page(third, "affected").get_text()


def test_latex_prints_grades_flags_and_the_sourcing_table(tmp_path: Path) -> None:
    src = prepare(tmp_path)
    app = build(src, tmp_path, builder="latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\bbgrade{E4}" in tex
    assert r"\bbsourceflag{Retracted}" in tex
    assert r"\begin{sphinxuseclass}{bb-claim-warning}" in tex
    assert "Sourcing" in tex and "Rests on it" in tex
    assert r"\allowbreak" in tex  # the preserved copy's hash, breakable in print


def test_check_reports_flagged_judgements_with_severity(tmp_path: Path, capsys) -> None:
    src = prepare(tmp_path)
    book_root = tmp_path / "book"
    (book_root / "conf").mkdir(parents=True)
    shutil.copytree(src, book_root / "docs", ignore=shutil.ignore_patterns(
        "conf.py", "entities", "refs.bib", "archive"))
    shutil.copytree(src / "entities", book_root / "conf" / "entities")
    shutil.copy(src / "refs.bib", book_root / "sources.bib")
    shutil.copytree(src / "archive", book_root / "archive")
    conf = (src / "conf.py").read_text(encoding="utf-8").replace(
        'bibtex_bibfiles = ["refs.bib"]', 'bibtex_bibfiles = ["../sources.bib"]')
    (book_root / "conf" / "conf.py").write_text(conf, encoding="utf-8")
    code = briefbook(["check", str(book_root), "--format", "json"])
    import json

    report = json.loads(capsys.readouterr().out)
    severity = {(f["code"], f["severity"]) for f in report["findings"]}
    # Errors all: a strict build (briefbook build, make html) stops on each of them.
    assert {("BB415", "error"), ("BB416", "error"), ("BB417", "error"),
            ("BB418", "error")} <= severity
    assert code == 1
    assert all(f["path"] == "docs/b1.md" for f in report["findings"] if f["code"] in
               ("BB415", "BB416", "BB417", "BB418"))


def test_parallel_build_gives_the_same_pages_and_findings(tmp_path: Path) -> None:
    pages = {}
    found = {}
    base = prepare(tmp_path / "base")  # one preserved copy (a WARC records when it was made)
    for jobs in (1, 2):
        dest = tmp_path / f"j{jobs}"
        src = dest / "src"
        shutil.copytree(base, src)
        app = SphinxTestApp("html", srcdir=src, builddir=dest / "build", parallel=jobs,
                            freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
        pages[jobs] = [(Path(app.outdir) / f"{n}.html").read_text(encoding="utf-8")
                       for n in ("b1", "b2", "affected", "index", "references")]
        found[jobs] = sorted(re.sub(r"^.*?(b\d\.md:\d+)", r"\1", w) for w in warnings(app))
    assert pages[1] == pages[2]
    assert found[1] == found[2] and len(found[1]) == 4
