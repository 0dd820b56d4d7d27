"""Pages made from other pages carry the highest marking of what they show.

tests/roots/test-editions-derived gives each generated page material of its own marking:
the front page shows an AMBER key judgement (in a card) and a GREEN-only person (a badge),
the timeline a GREEN event, the people grid a GREEN-only person, the people glossary an
AMBER quotation of an unmarked person, the places glossary and the map an AMBER-only
place, the bibliography and the affected judgements page a source only an AMBER
judgement cites; the organisations glossary shows only unmarked material; a RED page is
in no listing. So each page's expected banner differs, in the full edition and in the
editions released at TLP:GREEN and TLP:CLEAR.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS, SAMPLE_EPOCH

ROOT = ROOTS / "test-editions-derived"
CLEAR, GREEN, AMBER, RED = "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"

#: Each page's banner, by edition (full, released at TLP:GREEN, released at TLP:CLEAR).
EXPECTED = {
    "full": {
        "index": AMBER,  # a card shows a1's first key judgement, marked AMBER
        "a1": AMBER, "g1": GREEN, "r1": RED,
        "timeline": GREEN, "people": GREEN,
        "glossary-people": AMBER,  # Ada Open's quotation, in an AMBER portion
        "glossary-places": AMBER, "map": AMBER, "glossary-orgs": CLEAR,
        "references": AMBER, "affected": AMBER,
        "what-changed": RED,  # its filler does not say what it shows: the edition's highest
        "genindex": RED, "search": RED,  # made by templates: the edition's highest
    },
    GREEN: {
        "index": GREEN,  # the AMBER judgement is not in it; Greta Green's badge is
        "a1": CLEAR, "g1": GREEN,
        "timeline": GREEN, "people": GREEN, "glossary-people": GREEN,
        "glossary-places": CLEAR, "map": CLEAR, "glossary-orgs": CLEAR,
        "references": GREEN, "affected": CLEAR, "what-changed": GREEN, "genindex": GREEN,
        "search": GREEN,
    },
    CLEAR: dict.fromkeys(("index", "a1", "g1", "timeline", "people", "glossary-people",
                          "glossary-places", "map", "glossary-orgs", "references",
                          "affected", "what-changed", "genindex", "search"), CLEAR),
}


def build(dest: Path, builder: str = "html", release: str = "", parallel: int = 0,
          freshenv: bool = True, **overrides: object) -> SphinxTestApp:
    src = dest / "src"
    if not src.exists():
        shutil.copytree(ROOT, src)
    if release:
        overrides["briefbook_release"] = release
    app = SphinxTestApp(builder, srcdir=src, builddir=dest / "build", freshenv=freshenv,
                        parallel=parallel, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def banners(outdir: Path) -> dict[str, list[str]]:
    """Every page's banners (top and bottom), by page name."""
    found = {}
    for page in sorted(outdir.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found[page.stem] = [b.get_text() for b in soup.select(".bb-marking-banner")]
    return found


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SphinxTestApp]:
    return {name: build(tmp_path_factory.mktemp(name.replace(":", "-")), release=release)
            for name, release in (("full", ""), (GREEN, GREEN), (CLEAR, CLEAR))}


@pytest.mark.parametrize("edition", list(EXPECTED))
def test_each_page_carries_the_highest_marking_of_what_it_shows(
        editions: dict[str, SphinxTestApp], edition: str) -> None:
    app = editions[edition]
    assert app.warning.getvalue() == ""
    found = banners(Path(app.outdir))
    assert {page: found[page] for page in EXPECTED[edition]} == {
        page: [level, level] for page, level in EXPECTED[edition].items()}


def test_a_released_affected_page_names_no_source_only_withheld_material_cites(
        editions: dict[str, SphinxTestApp]) -> None:
    """The source behind the AMBER judgement is disputed: the full edition's page lists it,
    the TLP:GREEN edition's (which holds no judgement resting on it) does not name it."""
    full = (Path(editions["full"].outdir) / "affected.html").read_text(encoding="utf-8")
    green = (Path(editions[GREEN].outdir) / "affected.html").read_text(encoding="utf-8")
    assert "Its figures are contested" in full
    assert "ambersource" not in green and "Its figures are contested" not in green


def test_the_front_page_banner_agrees_with_what_its_cards_show(
        editions: dict[str, SphinxTestApp]) -> None:
    """The issue's case: cards showing an AMBER judgement under a TLP:CLEAR banner."""
    soup = BeautifulSoup((Path(editions["full"].outdir) / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    cards = soup.select_one(".bb-latest").get_text(" ", strip=True)
    assert "The port will close before the summer" in cards  # the AMBER judgement
    assert soup.select_one(".bb-edition").get_text().endswith(RED)  # the edition's highest
    assert soup.select_one(".bb-marking-banner").get_text() == AMBER
    assert not soup.select("[class*='bb-shown']"), "the reports are not written"


def test_pages_made_by_templates_carry_the_edition_marking_in_a_basic_theme(
        tmp_path: Path) -> None:
    """The banner of genindex and search comes from a template override that works with
    Sphinx's basic themes too (alabaster), not only with sphinx-book-theme."""
    app = build(tmp_path, html_theme="alabaster", html_theme_options={})
    found = banners(Path(app.outdir))
    assert found["genindex"] == [RED, RED]
    assert found["search"] == [RED, RED]
    assert found["index"] == [AMBER, AMBER]  # a page with a document: its own, once


def test_a_parallel_build_marks_every_page_as_a_serial_one(
        tmp_path: Path, editions: dict[str, SphinxTestApp]) -> None:
    """Which ids sit inside which portions is merged from the reading processes."""
    app = build(tmp_path, parallel=2)
    found = banners(Path(app.outdir))
    assert {page: found[page] for page in EXPECTED["full"]} == {
        page: [level, level] for page, level in EXPECTED["full"].items()}
    assert found == banners(Path(editions["full"].outdir))


def test_an_incremental_build_raises_the_pages_showing_newly_marked_text(tmp_path: Path) -> None:
    """A portion marked around text that does not change: the timeline and the grid that
    show it are written again with the higher banner."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    page = src / "g1.md"
    marked = page.read_text(encoding="utf-8")
    unmarked = marked.replace("````{marking} TLP:GREEN\n", "").replace("```\n````\n", "```\n")
    assert unmarked != marked and "{marking}" not in unmarked
    page.write_text(unmarked, encoding="utf-8")
    before = banners(Path(build(tmp_path).outdir))
    assert [before[p][0] for p in ("timeline", "people", "g1")] == [CLEAR] * 3
    page.write_text(marked, encoding="utf-8")
    after = banners(Path(build(tmp_path, freshenv=False).outdir))
    assert [after[p][0] for p in ("timeline", "people", "g1")] == [GREEN] * 3


def test_the_pdf_marks_each_page_by_what_it_shows(tmp_path: Path) -> None:
    """The running head of each page of the PDF (LaTeX), the bibliography Sphinx gathers
    at the end, and the general index (the edition's highest)."""
    app = build(tmp_path, "latex")
    tex = (Path(app.outdir) / "derived.tex").read_text(encoding="utf-8")
    chapters = dict(re.findall(
        r"\\chapter\*?\{([^}]*)\}[^\n]*\n(?:\\label[^\n]*\n|\n)*\\bbsetmarking\{([^}]*)\}", tex))
    assert chapters == {
        "Overview": AMBER, "Port report": AMBER, "Ministry report": GREEN, "Red notes": RED,
        "Timeline": GREEN, "Map": AMBER, "People at a glance": GREEN, "People": AMBER,
        "Places": AMBER, "Organisations": CLEAR, "Affected judgements": AMBER,
        "What changed": RED}
    assert re.search(r"\\cleardoublepage\\bbsetmarking\{TLP:AMBER\}\S*\s*"
                     r"\\begin\{sphinxthebibliography\}", tex)
    assert re.search(r"\\cleardoublepage\\bbsetmarking\{TLP:RED\}\S*\\printindex", tex)
    assert "shown_marking" not in tex


@pytest.mark.pdf
def test_the_printed_running_heads_follow_what_each_page_shows(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
    app = build(tmp_path, "latex")
    import subprocess

    done = subprocess.run(["make", "-s"], cwd=app.outdir, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    from pypdf import PdfReader

    pages = [" ".join((p.extract_text() or "").split())
             for p in PdfReader(Path(app.outdir) / "derived.pdf").pages]

    def head_of(pattern: str) -> str:
        found = next(p for p in pages if re.search(pattern, p))
        return found.split(" ", 1)[0]  # the running head's marking comes first

    assert pages[0].startswith(RED)  # the cover: the edition's highest
    assert head_of(r"^\S+ OVERVIEW") == AMBER
    assert head_of(r"CHAPTER \w+ TIMELINE") == GREEN
    assert head_of(r"CHAPTER \w+ MAP") == AMBER
    assert head_of(r"CHAPTER \w+ ORGANISATIONS") == CLEAR
    assert head_of(r"^\S+ BIBLIOGRAPHY") == AMBER
    assert head_of(r"^\S+ INDEX") == RED
