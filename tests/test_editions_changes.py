"""The "What changed" page, as a returning reader sees it, and what it says of bad input.

The previous edition is ``tests/editions/previous-export.json``: the export of an
earlier state of tests/roots/test-editions-export, which is that root with the files of
``tests/editions/earlier/`` laid over it and the briefings of :data:`ADDED_LATER`
removed, read as "Edition 1". Since then: a briefing was added and one withdrawn; in the
convoy briefing one key judgement became more likely, one was reworded (and its
confidence and sources changed), one was added and one dropped; two sources are newly
cited, one is no longer cited and one was re-graded.

To remake the fixture after changing the export format or the test book::

    .venv/bin/python tests/test_editions_changes.py

(``test_fixture_is_what_the_exporter_makes`` fails when it is out of date.)
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from briefbook.publishing.comparison import Judgement, pair

TESTS = Path(__file__).resolve().parent
ROOT = TESTS / "roots" / "test-editions-export"
EARLIER = TESTS / "editions" / "earlier"
FIXTURE = TESTS / "editions" / "previous-export.json"
ADDED_LATER = ("briefings/2025-03-12-statement.md",)
CONVOY = "briefings/2025-03-10-convoy"
CANARY = "Nightjar"


def make_previous_export(dest: Path) -> str:
    """The earlier state's export (``dest``: a scratch folder)."""
    from briefbook.book.layout import Book
    from briefbook.publishing.export import dumps, export_book
    from briefbook.publishing.export_command import read_edition

    book = dest / "earlier-book"
    shutil.copytree(ROOT, book)
    shutil.copytree(EARLIER, book, dirs_exist_ok=True)
    for name in ADDED_LATER:
        (book / name).unlink()
    app = read_edition(Book.find(book), overrides={"briefbook_edition": "Edition 1"})
    return dumps(export_book(app.env))


def build(dest: Path, builder: str = "html", fresh: bool = True, **overrides: Any) -> SphinxTestApp:
    src = dest / "src"
    if not src.exists():
        shutil.copytree(ROOT, src)
    app = SphinxTestApp(builder, srcdir=src, builddir=dest / "build", confoverrides=overrides,
                        freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def warnings(app: SphinxTestApp) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def what_changed(app: SphinxTestApp) -> BeautifulSoup:
    html = (Path(app.outdir) / "what-changed.html").read_text(encoding="utf-8")
    found = BeautifulSoup(html, "html.parser").select_one(".bb-what-changed")
    assert found is not None
    return found


def text(node: Any) -> str:
    """What a reader reads: each paragraph's words, paragraphs one after the other."""
    parts = [p.get_text() for p in node.find_all("p")] or [node.get_text()]
    return " ".join(" ".join(part.split()) for part in parts)


def items(page: BeautifulSoup, kind: str) -> list[Any]:
    return page.select(f"li.bb-changes-{kind}")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return build(tmp_path_factory.mktemp("changes"), briefbook_previous_export=str(FIXTURE))


@pytest.fixture(scope="module")
def page(compared: SphinxTestApp) -> BeautifulSoup:
    assert warnings(compared) == []
    return what_changed(compared)


def test_fixture_is_what_the_exporter_makes(tmp_path: Path) -> None:
    assert make_previous_export(tmp_path) == FIXTURE.read_text(encoding="utf-8"), (
        "tests/editions/previous-export.json is out of date: "
        "run .venv/bin/python tests/test_editions_changes.py")


def test_summary_names_the_previous_edition(page: BeautifulSoup) -> None:
    assert text(page.select_one(".bb-changes-summary")) == (
        "Compared with the previous edition (Edition 1, as of 10 March 2025). "
        "Briefings: 1 added, 1 withdrawn. Key judgements: 2 changed, 1 added, 1 dropped. "
        "Sources: 3 newly cited, 1 no longer cited, 1 reassessed.")


def test_briefing_added_links_to_it_with_its_judgements(page: BeautifulSoup) -> None:
    [added] = items(page, "briefing-added")
    assert text(added).startswith("Added: The ministry statement (12 March 2025, Second Analyst)")
    assert "“The ministry will deny the casualty figures.” (Likely, moderate confidence)" in text(added)
    hrefs = [a["href"] for a in added.select("a")]
    assert hrefs == ["briefings/2025-03-12-statement.html",
                     "briefings/2025-03-12-statement.html#claim-0"]


def test_briefing_withdrawn_is_named_not_linked(page: BeautifulSoup) -> None:
    [withdrawn] = items(page, "briefing-withdrawn")
    assert text(withdrawn).startswith("Withdrawn: A first report (1 March 2025, Test Analyst)")
    assert "“The convoy is part of a routine exercise.” (Unlikely, low confidence)" in text(withdrawn)
    assert withdrawn.select("a") == []


def test_judgement_whose_likelihood_changed(page: BeautifulSoup) -> None:
    changed = {text(li.select("a")[1]): li for li in items(page, "judgement-changed")}
    item = changed["“The ministry moved troops towards the border.”"]
    assert "Changed in The convoy at the border" in text(item)
    assert "Likelihood: likely → very likely" in text(item)
    assert "Confidence: moderate" in text(item)
    assert "Sources: Example Wire 2025" in text(item)
    assert item.select("a")[1]["href"] == f"{CONVOY}.html#claim-0"
    assert item.select("a")[2]["href"] == "references.html#cite-wire2025"


def test_reworded_judgement_is_changed_not_dropped_and_added(page: BeautifulSoup) -> None:
    changed = {text(li.select("a")[1]): li for li in items(page, "judgement-changed")}
    item = changed["“The convoy will stay at the border until the middle of April.”"]
    assert "Confidence: moderate → high" in text(item)
    assert "Sources: Example Wire 2025 → Example Wire 2025; Example Agency 2025" in text(item)
    assert ("Previously worded: “The convoy will stay at the border until the end of March.”"
            in text(item))
    added_or_dropped = [text(li) for kind in ("added", "dropped")
                        for li in page.select(f"li.bb-changes-judgement-{kind}")]
    assert not any("The convoy will stay" in said for said in added_or_dropped)


def test_judgements_added_and_dropped(page: BeautifulSoup) -> None:
    judgements = page.select_one(".bb-changes-judgements")
    added = [text(li) for li in judgements.select("li.bb-changes-judgement-added")]
    dropped = [text(li) for li in judgements.select("li.bb-changes-judgement-dropped")]
    assert added == ["Added in The convoy at the border: “Casualties rose in March.” Roughly even "
                     "chance, low confidence. Sources: Example Agency 2025."]
    assert dropped == ["Dropped from The convoy at the border: “The region will stabilise this "
                       "year.” Unlikely, low confidence. Sources: Example Gazette 2024."]
    # A dropped judgement is only in the previous edition: named, not linked.
    assert [a["href"] for a in judgements.select("li.bb-changes-judgement-dropped a")] == [f"{CONVOY}.html"]


def test_sources_newly_cited_withdrawn_and_reassessed(page: BeautifulSoup) -> None:
    assert [text(li) for li in items(page, "source-cited")] == [
        "Newly cited: Example Agency 2025 (reliability A)",
        "Newly cited: Example and Example Ministry 2025 (reliability C)",
        "Newly cited: Example Forum 2025 (reliability F, discredited)"]
    assert [text(li) for li in items(page, "source-uncited")] == ["No longer cited: Example Gazette 2024"]
    assert [text(li) for li in items(page, "source-reassessed")] == [
        "Reassessed: Example Wire 2025: reliability C → B."]
    assert items(page, "source-cited")[0].select_one("a")["href"] == "references.html#cite-agency2025"
    assert items(page, "source-uncited")[0].select("a") == []


def test_same_edition_again_changed_nothing(compared: SphinxTestApp, tmp_path: Path) -> None:
    own = Path(compared.outdir) / "briefbook-export.json"  # this edition, as published
    app = build(tmp_path, briefbook_previous_export=str(own))
    assert warnings(app) == []
    page = what_changed(app)
    assert text(page) == ("Compared with the previous edition (Edition 2, as of 12 March 2025): "
                          "nothing changed. The briefings, their key judgements and the sources "
                          "cited are the same.")


def test_first_edition_says_how_to_compare(tmp_path: Path) -> None:
    app = build(tmp_path)
    assert warnings(app) == []
    said = text(what_changed(app))
    assert said.startswith("This is the first edition compared")
    assert "briefbook_previous_export" in said


def test_pdf_gets_the_same_lists(tmp_path: Path) -> None:
    app = build(tmp_path, "latex", briefbook_previous_export=str(FIXTURE))
    assert warnings(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "Key judgements" in tex
    assert r"likely \(\rightarrow\) \sphinxstylestrong{very likely}" in tex
    assert "Example Gazette 2024" in tex


def test_relative_path_is_relative_to_conf_py_and_a_new_export_rewrites_the_page(
        tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    shutil.copytree(ROOT, tmp_path / "src", dirs_exist_ok=True)
    shutil.copy(FIXTURE, tmp_path / "src" / "previous.json")
    app = build(tmp_path, briefbook_previous_export="previous.json")
    assert "Compared with the previous edition (Edition 1," in text(what_changed(app))
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["edition"]["name"] = "Edition 1 (corrected)"
    (tmp_path / "src" / "previous.json").write_text(json.dumps(data), encoding="utf-8")
    again = build(tmp_path, fresh=False, briefbook_previous_export="previous.json")
    assert "Compared with the previous edition (Edition 1 (corrected)," in text(what_changed(again))


@pytest.mark.parametrize(("content", "code", "line", "message"), [
    (None, "BB603", 1, "briefbook_previous_export names a file that does not exist"),
    ('{\n  "format": "briefbook-export",\n  "version": 1\n  "edition": {}\n}\n', "BB604", 4,
     "is not valid JSON: Expecting ',' delimiter (line 4, column 3)"),
    ('{\n  "format": "briefbook-export",\n  "version": 2\n}\n', "BB605", 3,
     "made by briefbook export version 2; this version reads 1"),
    ('{"findings": []}\n', "BB605", 1, "it is not a briefbook export"),
])
def test_bad_previous_export_is_a_coded_warning_at_the_file(
        tmp_path: Path, content: str | None, code: str, line: int, message: str) -> None:
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    app = build(tmp_path, briefbook_previous_export=str(path))
    [warning] = warnings(app)
    assert warning.startswith(f"{path}:{line}: WARNING: {code} "), warning
    assert message in warning
    assert "Traceback" not in app.warning.getvalue()
    assert "nothing is compared" in text(what_changed(app))


def test_released_edition_is_not_compared_with_a_fuller_one(tmp_path: Path) -> None:
    full = FIXTURE.read_text(encoding="utf-8")
    assert CANARY in full  # the previous full edition holds the TLP:RED portion
    app = build(tmp_path, briefbook_release="TLP:CLEAR", briefbook_previous_export=str(FIXTURE))
    [warning] = warnings(app)
    assert f"{FIXTURE}:1: WARNING: BB606 the previous export is of the full edition" in warning
    said = text(what_changed(app))
    assert CANARY not in said
    assert "nothing is compared" in said


def test_released_edition_compared_with_its_own_previous_release(tmp_path: Path) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["edition"]["release"] = "TLP:CLEAR"
    path = tmp_path / "previous-clear.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = build(tmp_path, briefbook_release="TLP:CLEAR", briefbook_previous_export=str(path))
    assert warnings(app) == []
    assert "Compared with the previous edition (Edition 1," in text(what_changed(app))


def test_check_reports_a_broken_previous_export(tmp_path: Path) -> None:
    from briefbook.check.run import run_check

    book = tmp_path / "book"
    shutil.copytree(ROOT, book)
    (book / "previous.json").write_text('{"format": "briefbook-export",\n  "version": }\n',
                                        encoding="utf-8")
    with (book / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('briefbook_previous_export = "previous.json"\n')
    found = [f for f in run_check(book) if f.code.startswith("BB6")]
    assert [(f.path, f.line, f.code, f.severity) for f in found] == [
        ("previous.json", 2, "BB604", "error")]
    assert found[0].hint


# --- matching judgements across editions ------------------------------------------------------


def judgement(text: str, likelihood: str = "likely") -> Judgement:
    return Judgement("page", "claim-0", text, likelihood, "moderate", ("a",))


def test_pairs_same_text_first_then_the_most_alike() -> None:
    before = [judgement("Troops will cross the river in May."),
              judgement("The talks will fail before the summer."),
              judgement("Prices will rise.")]
    after = [judgement("The talks will fail before the autumn."),
             judgement("Troops will cross the river in May.", "very likely"),
             judgement("A new government will be formed.")]
    pairs, dropped, added = pair(before, after)
    assert [(old.text, new.text) for old, new in pairs] == [
        ("The talks will fail before the summer.", "The talks will fail before the autumn."),
        ("Troops will cross the river in May.", "Troops will cross the river in May.")]
    assert [j.text for j in dropped] == ["Prices will rise."]
    assert [j.text for j in added] == ["A new government will be formed."]


def test_unrelated_rewrite_is_dropped_and_added() -> None:
    pairs, dropped, added = pair([judgement("The region will stabilise this year.")],
                                 [judgement("Casualties rose in March.")])
    assert (pairs, len(dropped), len(added)) == ([], 1, 1)


if __name__ == "__main__":  # remake tests/editions/previous-export.json
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        FIXTURE.write_text(make_previous_export(Path(scratch)), encoding="utf-8")
    print(f"wrote {FIXTURE}", file=sys.stderr)
