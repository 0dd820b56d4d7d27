"""``briefbook pdf``: one briefing, or a selection, as a PDF a reader can be handed.

What is checked is what a reader sees in the PDF (read back with pypdf): the cover's
title, "as of" date, edition, marking and distribution statement; the briefings newest
first, each opening with its key judgements; a glossary of only the entities they name
and a bibliography of only the sources they cite. Then the command's contract: every
way of naming a page, every bad input with its exit code and message, and a failed
build that leaves the last good PDF where it was.

The PDF builds are shared per module (one of the sample book's briefing, two of the
test root's selections); the choosing and the generated configuration are checked
without building.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import runpy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefbook.book import layout
from briefbook.book.layout import Book
from briefbook.cli import main
from briefbook.publishing import handout
from briefbook.publishing.book_pages import book_pages
from briefbook.publishing.selection import (
    Criteria,
    SelectionError,
    parse_day,
    select,
)
from conftest import ROOTS

pytestmark = pytest.mark.xdist_group("editions-selection")

SAMPLE_BRIEFING = "briefings/2024-11-17-north-korean-troops-in-russia"
SAMPLE_TITLE = "North Korean Troops in Russia and the Widening War in Ukraine"
ALPHA = "briefings/2024-10-01-convoys-leave-norland"
BRAVO = "briefings/2024-10-15-ostmark-weighs-tariffs"
CHARLIE = "briefings/2024-11-02-corridor-extended"


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


def run_pdf(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``briefbook pdf …`` as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "briefbook.cli", "pdf", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def book_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the test book (three briefings, an annex, an unnamed entity)."""
    dest = tmp_path_factory.mktemp("selection") / "book"
    shutil.copytree(ROOTS / "test-editions-selection", dest)
    return dest


@pytest.fixture(scope="module")
def book(book_root: Path) -> tuple[Book, dict, dict]:
    found = Book.find(book_root)
    config = layout.read_config(found)
    return found, config, book_pages(found.srcdir, config, found.root)


def choose(book: tuple[Book, dict, dict], **criteria: object):
    from briefbook.editions.markings import TLP_2_0, Scheme

    found, _, pages = book
    return select(Criteria(**criteria), pages, found, "index",  # type: ignore[arg-type]
                  Scheme.from_config(TLP_2_0), cwd=found.root)


# --- choosing, without building -----------------------------------------------------------------


def test_pages_are_read_from_front_matter(book) -> None:
    _, _, pages = book
    assert set(pages) >= {ALPHA, BRAVO, CHARLIE, "annex", "index", "references"}
    assert "_parts/tariff-note" not in pages  # excluded by conf.py, as Sphinx leaves it out
    charlie = pages[CHARLIE]
    assert charlie.briefing and charlie.date == dt.date(2024, 11, 2)
    assert charlie.title == "The Grain Corridor Is Extended"
    assert charlie.tags == ("grain",) and charlie.marking == "TLP:GREEN"
    assert not pages["annex"].briefing and pages["annex"].title == "Annex: Grain Routes"


@pytest.mark.parametrize("name", [
    BRAVO, f"{BRAVO}.md", f"docs/{BRAVO}.md", "2024-10-15-ostmark-weighs-tariffs",
    "2024-10-15-ostmark-weighs-tariffs.md",
])
def test_a_page_is_named_by_docname_file_or_file_name(book, name: str) -> None:
    chosen = choose(book, pages=[name])
    assert [p.docname for p in chosen.pages] == [BRAVO]
    assert chosen.name == "2024-10-15-ostmark-weighs-tariffs"
    assert chosen.title == "Ostmark Weighs Tariffs"
    assert chosen.as_of == dt.date(2024, 10, 15)


def test_a_date_range_selects_briefings_newest_first(book) -> None:
    chosen = choose(book, start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 31))
    assert [p.docname for p in chosen.pages] == [BRAVO, ALPHA]
    assert chosen.name == "briefings-from-2024-10-01-to-2024-10-31"
    assert chosen.title == "Briefings, 1 October 2024 to 31 October 2024"
    assert chosen.as_of == dt.date(2024, 10, 15)


def test_a_tag_selects_briefings_and_filters_narrow_a_list(book) -> None:
    chosen = choose(book, tag="GRAIN")
    assert [p.docname for p in chosen.pages] == [CHARLIE, BRAVO, ALPHA]
    assert chosen.title == "Briefings on GRAIN" and chosen.name == "briefings-tagged-grain"
    narrowed = choose(book, pages=[ALPHA, BRAVO, CHARLIE], tag="trade")
    assert [p.docname for p in narrowed.pages] == [BRAVO]


def test_listed_pages_print_newest_first_then_other_pages(book) -> None:
    chosen = choose(book, pages=["annex", ALPHA, CHARLIE], title="For the minister")
    assert [p.docname for p in chosen.pages] == [CHARLIE, ALPHA, "annex"]
    assert chosen.title == "For the minister"
    assert chosen.name.startswith("selection-2024-11-02-")
    assert any("docs/annex.md: not a briefing" in note for note in chosen.notes)


def test_release_leaves_out_pages_marked_above_it(book) -> None:
    chosen = choose(book, tag="grain", release="TLP:CLEAR")
    assert [p.docname for p in chosen.pages] == [BRAVO, ALPHA]
    assert chosen.name == "briefings-tagged-grain-tlp-clear"
    assert any(note.startswith(f"docs/{CHARLIE}.md:6: marked TLP:GREEN") for note in chosen.notes)
    with pytest.raises(SelectionError, match="no page matches"):
        choose(book, pages=[CHARLIE], release="TLP:CLEAR")


def test_generated_conf_runs_the_books_conf_then_the_handouts(book, tmp_path: Path) -> None:
    found, config, _ = book
    chosen = choose(book, tag="grain", title="Grain & tariffs: 100% {made} up")
    src, confdir = handout.prepare(found, config, chosen, tmp_path / "work", "TLP:GREEN")
    settings = runpy.run_path(str(confdir / "conf.py"))
    assert settings["root_doc"] == handout.ROOT_DOC
    assert settings["latex_documents"] == [(handout.ROOT_DOC, "briefings-tagged-grain.tex",
                                            r"Grain \& tariffs: 100\% \{made\} up",
                                            "briefbook tests", "manual")]
    assert settings["briefbook_named_entities_only"] is True
    assert settings["briefbook_release"] == "TLP:GREEN"
    assert settings["briefbook_as_of"] == "2024-11-02"
    # The book's relative paths, made absolute against its own folders.
    assert settings["briefbook_registry"] == str(found.confdir / "entities")
    assert settings["bibtex_bibfiles"] == [str(found.root / "sources.bib")]
    assert settings["latex_elements"]["printindex"] == ""
    assert "setmainfont{FreeSerif}" in settings["latex_elements"]["fontpkg"]
    # Only the selection and the generated pages: nothing else of the book is read. What
    # the pages use (an image, an included part the book excludes) is linked in.
    pages = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.md"))
    assert pages == sorted([f"{CHARLIE}.md", f"{BRAVO}.md", f"{ALPHA}.md", "_parts/tariff-note.md",
                            f"{handout.ROOT_DOC}.md", f"{handout.GLOSSARY_DOC}.md",
                            f"{handout.REFERENCES_DOC}.md"])
    assert (src / "_parts" / "tariff-note.md").is_symlink()
    assert (src / "briefings" / "route.png").resolve() == found.srcdir / "briefings" / "route.png"
    assert not (src / f"{CHARLIE}.md").is_symlink()
    root = (src / f"{handout.ROOT_DOC}.md").read_text(encoding="utf-8")
    assert root.index(CHARLIE) < root.index(BRAVO) < root.index(ALPHA)
    # A second, narrower selection in the same folder drops the pages it no longer holds.
    narrower = choose(book, pages=[ALPHA])
    handout.prepare(found, config, narrower, tmp_path / "work", "")
    assert not (src / f"{CHARLIE}.md").exists() and (src / f"{ALPHA}.md").exists()


# --- bad input: exit 2, a message that says what to do ---------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["briefings/no-such-briefing"], "no page 'briefings/no-such-briefing' in docs/ "
                                     "(did you mean briefings/"),
    (["--from", "2024-13-01"], "--from '2024-13-01' is not a date: write YYYY-MM-DD"),
    (["--to", "17/11/2024"], "--to '17/11/2024' is not a date: write YYYY-MM-DD"),
    (["--from", "2024-11-01", "--to", "2024-10-01"], "--from 2024-11-01 is after --to 2024-10-01"),
    (["--from", "2025-01-01"], "no page matches: no briefing dated 2025-01-01 or later"),
    (["--tag", "nothing-has-this"], "no page matches: no briefing tagged 'nothing-has-this'"),
    ([], "nothing to print: name the pages, or select briefings with --from/--to/--tag"),
    (["--tag", "grain", "--release", "TLP:PURPLE"], "--release: unknown marking 'TLP:PURPLE' "
                                                    "(one of TLP:CLEAR, TLP:GREEN"),
    (["index"], "docs/index.md: the book's front page opens the whole book"),
    (["glossary/people"], "docs/glossary/people.md:3: a page with the {entity-index} directive"),
    (["references.md"], "docs/references.md:3: a page with the {bibliography} directive"),
    (["docs/briefings"], "'docs/briefings' is a folder, not a page"),
])
def test_bad_input_exits_2_and_says_why(book_root: Path, capsys, args: list[str],
                                        message: str) -> None:
    work = book_root / "_build" / ".selection"
    before = sorted(work.iterdir()) if work.exists() else []
    assert main(["pdf", str(book_root), *args]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert (sorted(work.iterdir()) if work.exists() else []) == before  # nothing was built


def test_malformed_front_matter_date_is_reported_with_file_and_line(tmp_path: Path, capsys) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "test-editions-selection", root)
    page = root / "docs" / f"{ALPHA}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("date: 2024-10-01", "date: 2024-10-41"),
                    encoding="utf-8")
    assert main(["pdf", str(root), "--from", "2024-09-01", "--to", "2024-10-05"]) == 2
    err = capsys.readouterr().err
    assert f"docs/{ALPHA}.md:3: date '2024-10-41' is not YYYY-MM-DD" in err
    assert "no page matches" in err


def test_no_book_here_exits_2(tmp_path: Path) -> None:
    result = run_pdf("briefing.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "no conf/conf.py in" in result.stderr


def test_parse_day_is_strict() -> None:
    assert parse_day("2024-11-17", "--from") == dt.date(2024, 11, 17)
    for bad in ("2024-11-7", "20241117", "2024-02-30", "yesterday"):
        with pytest.raises(SelectionError):
            parse_day(bad, "--from")


# --- the sample book's briefing, as a reader gets it -------------------------------------------


@pytest.fixture(scope="module")
def sample_handout(sample_copy: Path) -> tuple[subprocess.CompletedProcess[str], Path, float]:
    out = sample_copy / "_build" / "handouts" / "briefing.pdf"
    start = time.perf_counter()
    result = run_pdf(str(sample_copy), SAMPLE_BRIEFING, "--out", str(out))
    return result, out, time.perf_counter() - start


@pytest.mark.pdf
def test_sample_briefing_pdf_builds(sample_handout) -> None:
    result, out, seconds = sample_handout
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(out)
    assert out.is_file()
    print(f"one-briefing PDF of the sample book: {seconds:.1f} s")


@pytest.mark.pdf
def test_sample_cover_says_what_the_reader_holds(sample_handout) -> None:
    cover = pdf_pages(sample_handout[1])[0]
    assert SAMPLE_TITLE in cover
    assert "As of 17 November 2024" in cover
    assert "TLP:GREEN" in cover  # the briefing's editors' note is marked TLP:GREEN
    assert "First edition" in cover
    assert "Distribution is limited by the marking on each page" in cover


@pytest.mark.pdf
def test_sample_briefing_opens_with_key_judgements(sample_handout) -> None:
    text = " ".join(pdf_pages(sample_handout[1])[1:])
    assert "Overview" not in text.split("Key judgements")[0]
    assert text.index("Key judgements") < text.index("Almost certain (95–99%)") < text.index(
        "It has been officially confirmed")
    outline = [item.title for item in PdfReader(sample_handout[1]).outline
               if not isinstance(item, list)]
    assert outline == [SAMPLE_TITLE, "Glossary", "Bibliography"]


@pytest.mark.pdf
def test_sample_end_matter_holds_its_entities_and_sources(sample_handout) -> None:
    text = " ".join(pdf_pages(sample_handout[1]))
    glossary = text[text.index("GLOSSARY"):text.index("BIBLIOGRAPHY")]
    for name in ("Lloyd Austin", "Kim Tae-hyo", "Vladimir Putin", "Kazan", "BRICS",
                 "National Intelligence Service"):
        assert name in glossary, name
    assert "Mentioned in" in glossary
    bibliography = text[text.index("BIBLIOGRAPHY"):]
    assert "XVI BRICS Summit Kazan Declaration" in bibliography
    assert "Xi advocates high-quality development of greater BRICS cooperation" in bibliography


# --- the test book's selections -----------------------------------------------------------------


@pytest.fixture(scope="module")
def tag_handout(book_root: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    result = run_pdf("--tag", "grain", cwd=book_root)
    return result, book_root / "_build" / "pdf" / "briefings-tagged-grain.pdf"


@pytest.fixture(scope="module")
def range_handout(book_root: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = book_root / "out" / "october.pdf"
    result = run_pdf(str(book_root), "--from", "2024-10-10", "--to", "2024-11-30",
                     "--release", "tlp:clear", "--title", "October's Tariffs", "--out", str(out))
    return result, out


@pytest.mark.pdf
def test_tag_selection_prints_newest_first_with_the_highest_marking(tag_handout) -> None:
    result, out = tag_handout
    assert result.returncode == 0, result.stderr[-3000:]
    pages = pdf_pages(out)
    cover = pages[0]
    assert "Briefings on grain" in cover and "As of 2 November 2024" in cover
    assert "TLP:GREEN" in cover and "Test edition" in cover and "For the test suite only." in cover
    text = " ".join(pages[1:])
    assert (text.index("Charlie body text") < text.index("Bravo body text")
            < text.index("Alpha body text"))
    for body in ("Charlie body text", "Bravo body text", "Alpha body text"):
        chapter = text[:text.index(body)].rsplit("CHAPTER", 1)[1]
        assert "Key judgements" in chapter
    assert "Annex" not in text
    # What the pages use beside them: an included part, an image.
    assert "Included note text" in text and "The convoy route" in text
    assert sum(len(page.images) for page in PdfReader(tag_handout[1]).pages) == 1


@pytest.mark.pdf
def test_tag_selection_glossary_and_sources_are_only_what_it_uses(tag_handout) -> None:
    text = " ".join(pdf_pages(tag_handout[1]))
    glossary = text[text.index("GLOSSARY"):text.index("BIBLIOGRAPHY")]
    for name in ("Mira Kovac", "Jonas Berg", "Norland", "Ostmark", "Harbour Council"):
        assert name in glossary, name
    assert "Elena Sorin" not in text and "unread ledger" not in text
    bibliography = text[text.index("BIBLIOGRAPHY"):]
    for title in ("Convoys leave the northern port", "Ostmark weighs new tariffs",
                  "Harbour council extends the grain corridor"):
        assert title in bibliography, title
    assert "A ledger nobody cites" not in text


@pytest.mark.pdf
def test_range_selection_released_leaves_out_what_is_marked_above(range_handout, book_root) -> None:
    result, out = range_handout
    assert result.returncode == 0, result.stderr[-3000:]
    assert "marked TLP:GREEN, above the release level TLP:CLEAR: left out" in result.stderr
    pages = pdf_pages(out)
    cover = pages[0]
    assert "October's Tariffs" in cover and "As of 15 October 2024" in cover
    assert "Released at TLP:CLEAR" in cover and "TLP:GREEN" not in cover
    text = " ".join(pages)
    assert "Bravo body text" in text
    assert "Charlie body text" not in text and "Alpha body text" not in text
    assert "Jonas Berg" in text and "Ostmark weighs new tariffs" in text
    for absent in ("Mira Kovac", "Harbour Council", "Convoys leave the northern port", "Elena Sorin"):
        assert absent not in text, absent
    # A kind the selection names nothing of is left out, not printed empty.
    glossary = text[text.index("GLOSSARY"):text.index("BIBLIOGRAPHY")]
    assert "People" in glossary and "Places" in glossary and "Organisations" not in glossary
    # Only the selected page was copied into the generated book.
    src = book_root / "_build" / ".selection" / "briefings-from-2024-10-10-to-2024-11-30-tlp-clear" / "src"
    assert sorted(p.name for p in (src / "briefings").glob("*.md")) == [f"{BRAVO.split('/')[1]}.md"]


# --- a failed build never replaces the last good PDF ------------------------------------------


@pytest.mark.pdf
def test_an_error_in_a_page_fails_the_handout_every_time(tmp_path: Path) -> None:
    """Sphinx goes on past a missing include (exit 0): the handout does not, and says
    where, in the book's terms; nor does the next run, which Sphinx alone would let pass
    (it reports a page's problems only when it reads the page)."""
    root = _broken_copy(tmp_path)
    (root / "docs" / "_parts" / "tariff-note.md").unlink()
    out = tmp_path / "handout.pdf"
    out.write_bytes(b"%PDF-1.5 the last good handout\n")
    for _ in range(2):
        result = run_pdf(str(root), BRAVO, "--out", str(out))
        assert result.returncode == 1, result.stderr
        assert re.search(rf"^docs/{BRAVO}\.md:\d+: (CRITICAL|ERROR): .*include", result.stderr,
                         re.M), result.stderr
        assert out.read_bytes() == b"%PDF-1.5 the last good handout\n"


def _broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "test-editions-selection", root)
    return root


def test_failed_sphinx_build_leaves_the_last_pdf(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    (root / "conf" / "entities" / "people.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    out = tmp_path / "handout.pdf"
    out.write_bytes(b"%PDF-1.5 the last good handout\n")
    result = run_pdf(str(root), ALPHA, "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert out.read_bytes() == b"%PDF-1.5 the last good handout\n"
    assert "the build failed; " in result.stderr and "is left as it was" in result.stderr
    assert "people.yaml" in result.stderr  # the problem, with its file
    assert not list(tmp_path.glob(".handout.pdf*"))


@pytest.mark.pdf
def test_failed_latex_build_leaves_the_last_pdf_every_time(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    page = root / "docs" / f"{ALPHA}.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n```{raw} latex\n\\bbnosuchcommand\n```\n", encoding="utf-8")
    out = tmp_path / "handout.pdf"
    out.write_bytes(b"%PDF-1.5 the last good handout\n")
    for _ in range(2):  # the second run must not take the failed run's leftovers for a PDF
        result = run_pdf(str(root), ALPHA, "--out", str(out))
        assert result.returncode == 1, result.stderr
        assert out.read_bytes() == b"%PDF-1.5 the last good handout\n"
        assert re.search(r"LaTeX stopped at _build/\.selection/2024-10-01-convoys-leave-norland/"
                         r"build/latex/2024-10-01-convoys-leave-norland\.tex:\d+: "
                         r"! Undefined control sequence\.", result.stderr), result.stderr
