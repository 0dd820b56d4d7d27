"""Incremental builds: an edit rewrites the pages it affects, all of them, and no others."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS

PAGES = ("index", "a1", "a2", "people", "places", "organizations", "timeline", "references")


class Book:
    """A copy of ``tests/roots/test-incremental`` rebuilt in place, as an editor would."""

    def __init__(self, dest: Path) -> None:
        self.src = dest / "src"
        shutil.copytree(ROOTS / "test-incremental", self.src)
        self.build_dir = dest / "build"
        self.app = self.build()

    def build(self) -> SphinxTestApp:
        app = SphinxTestApp("html", srcdir=self.src, builddir=self.build_dir)
        try:
            app.build()
        finally:
            app.cleanup()
        assert app.warning.getvalue() == ""
        self.app = app
        return app

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(name), "html.parser")

    def html(self, name: str) -> str:
        return (self.app.outdir / f"{name}.html").read_text(encoding="utf-8")

    def stamps(self) -> dict[str, int]:
        return {name: (self.app.outdir / f"{name}.html").stat().st_mtime_ns for name in PAGES}

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.src / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def rebuild_and_list_written(self) -> set[str]:
        before = self.stamps()
        self.build()
        after = self.stamps()
        return {name for name in PAGES if after[name] != before[name]}


def backlink_titles(book: Book, page: str, entity_id: str) -> list[str]:
    entry = book.page(page).find(id=entity_id).find_next_sibling("dd")
    return [a.get_text() for a in entry.select(".bb-backlinks li > p > a:first-child")]


@pytest.fixture
def book(tmp_path) -> Book:
    return Book(tmp_path)


def test_a_build_with_nothing_changed_writes_no_page(book):
    assert book.rebuild_and_list_written() == set()


def test_new_mention_of_an_organisation_rewrites_its_glossary_only(book):
    assert backlink_titles(book, "organizations", "royal-society") == []
    book.edit("a1", "wrote from", "wrote to the {org}`Royal Society` from")
    written = book.rebuild_and_list_written()
    assert backlink_titles(book, "organizations", "royal-society") == ["Article one"]
    # The page itself and the glossary it now feeds: not the page whose toctree lists it
    # (its entry, the title, is unchanged), people, places, the timeline or references.
    assert written == {"a1", "organizations"}


def test_new_title_reaches_every_page_that_lists_the_article(book):
    book.edit("a1", "# Article one", "# Article one, revised")
    written = book.rebuild_and_list_written()
    assert {"people", "places", "timeline", "references", "index"} <= written
    assert "organizations" not in written  # a1 names no organisation
    assert backlink_titles(book, "people", "ada-lovelace")[0] == "Article one, revised"
    assert backlink_titles(book, "places", "london") == ["Article one, revised"]
    assert "Article one, revised" in book.page("timeline").get_text()
    cited = book.page("references").find(id="cite-notes1843").select(".bb-cited-in a")
    assert [a.get_text() for a in cited] == ["Article one, revised", "Article two"]
    assert "Article one, revised" in book.page("index").select_one(".bb-latest").get_text()


def test_dropped_quote_and_citation_leave_the_glossary_and_references(book):
    quoted = book.page("people").find(id="ada-lovelace").find_next_sibling("dd")
    assert len(quoted.select(".bb-quote-index li")) == 1
    book.edit("a2", "said\n“{quote}`we may say most aptly <speaker=Ada Lovelace; source=notes1843>`”.",
              "agreed.")
    book.edit("a2", " {cite:p}`letter1843`", "")
    written = book.rebuild_and_list_written()
    assert {"people", "references"} <= written
    quoted = book.page("people").find(id="ada-lovelace").find_next_sibling("dd")
    assert quoted.select(".bb-quote-index li") == []
    assert book.page("references").find(id="cite-letter1843") is None


def test_removed_article_leaves_every_listing(book):
    assert "Article two" in backlink_titles(book, "people", "charles-babbage")
    (book.src / "a2.md").unlink()
    book.edit("index", "a2\n", "")
    book.build()
    assert backlink_titles(book, "people", "charles-babbage") == []
    assert "Article two" not in book.page("index").select_one(".bb-latest").get_text()


def test_edited_bib_entry_is_formatted_again(book):
    assert "Notes on the Analytical Engine" in book.page("references").get_text()
    path = book.src / "refs.bib"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Notes on the {Analytical} {Engine}", "Sketch of the {Analytical} {Engine}"),
        encoding="utf-8")
    book.build()
    text = book.page("references").get_text()
    assert "Sketch of the Analytical Engine" in text
    assert "Notes on the Analytical Engine" not in text


def test_bibliography_reformatted_from_cache_matches_a_fresh_build(book, tmp_path):
    book.edit("a1", "wrote from", "wrote, again, from")
    book.build()
    fresh = Book(tmp_path / "fresh")
    fresh.edit("a1", "wrote from", "wrote, again, from")
    fresh.build()
    assert book.html("references") == fresh.html("references")


def test_pages_left_from_the_last_build_keep_their_security_policy(book):
    book.edit("a1", "wrote from", "wrote to the {org}`Royal Society` from")
    book.rebuild_and_list_written()
    for name in PAGES:
        head = book.html(name)[:4000]
        assert 'http-equiv="Content-Security-Policy"' in head, name


def test_a_page_without_policy_gets_one_even_when_not_rewritten(book):
    path = book.app.outdir / "people.html"
    stripped = re.sub(r'\n?<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                      path.read_text(encoding="utf-8"))
    path.write_text(stripped, encoding="utf-8")
    book.build()
    assert 'http-equiv="Content-Security-Policy"' in book.html("people")


def test_broken_bib_file_is_caught_after_a_good_build(tmp_path):
    """The bib check is remembered between builds, but never past a change to the file."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-incremental", src)

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(tmp_path / "out")],
            capture_output=True, text=True, check=False, timeout=300)

    assert build().returncode == 0
    with (src / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{notes1843,\n  title = {Again},\n}\n")
    proc = build()
    assert proc.returncode != 0
    assert "refs.bib:13: ERROR: BB404 duplicate key 'notes1843' (first at line 7)" in proc.stderr


def test_an_edit_reports_no_configuration_change_but_a_real_one_does(tmp_path):
    """Themes set options once the builder exists; Sphinx compared them with the user's
    and announced changed options on every incremental build."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-incremental", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nhtml_theme = "sphinx_book_theme"\n',
                    encoding="utf-8")

    def build() -> str:
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(src),
                               str(tmp_path / "out"), "-d", str(tmp_path / "doctrees")],
                              capture_output=True, text=True, check=True, timeout=300)
        return proc.stdout + proc.stderr

    build()
    (src / "a1.md").write_text((src / "a1.md").read_text(encoding="utf-8") + "\nMore.\n",
                               encoding="utf-8")
    second = build()
    assert "configuration has changed" not in second
    assert "1 changed" in second
    conf.write_text(conf.read_text(encoding="utf-8") + 'briefbook_edition = "Second"\n',
                    encoding="utf-8")
    third = build()
    assert "The configuration has changed (1 option: 'briefbook_edition')" in third
