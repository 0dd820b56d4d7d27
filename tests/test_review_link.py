"""``briefbook link``: names linked in place, everything else kept byte for byte.

The book (``tests/roots/test-link``) has two pages written by hand with names left
unlinked: escaped punctuation, a name inside a quotation, a code span, a link and a
heading, a name already linked earlier in its paragraph, a family name alone, a name
split across two lines, a line silenced with ``briefbook-ignore``, names in a
directive's body, in a list and in reStructuredText, a caption whose other names need
no link, and an unreviewed stub's name; a third page has nothing to link.  One module
fixture runs the command as a user would (dry run, run, run again); the tests then read
what it printed and wrote, check the book and build it with ``-W``.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefbook.review.link as link_module
from briefbook.check.run import run_check
from briefbook.cli import main
from briefbook.ingest.writer import escape_text
from briefbook.review.sourcemap import MystSource, UntraceableError, source_span
from conftest import ROOTS, sphinx_build

pytestmark = pytest.mark.xdist_group("link")

ONE_LINKED = """\
---
date: 2024-10-22
author: A. Writer
source: news2024
---

# Lloyd Austin visits Seoul

% An analyst's note, kept as written: Lloyd Austin in Seoul.

{person}`Kim Yong-hyun` met {person}`Lloyd Austin` in {place}`Seoul` on Tuesday; Austin said little. Seoul, again, needs no link.

“{quote}`We stand with Seoul <speaker=lloyd-austin; source=news2024>`,” an official in {place}`Seoul` said.

The code name `Seoul` is not {place}`Seoul`, nor is [Seoul](https://example.org/seoul).

{person}`Lloyd Austin` arrived first; Lloyd Austin then spoke *for the {place}`U.S. <united-states>`* and Busan.

A name split across lines is left as it is: Lloyd
Austin.

% briefbook-ignore: BB103
Seoul is left unlinked here, on purpose.
"""  # noqa: E501

TWO_LINKED = """\
---
date: 2024-10-23
author: B. Writer
source: news2024
---

# Ministry of National Defense briefs

```{claim}
:likelihood: likely
:confidence: high
:sources: news2024

The {org}`Ministry of National Defense` will brief {place}`Seoul`.
```

Minister for the Armed Forces Mark Lancaster speaks to a {org}`British Army` soldier in front of a helicopter

- {org}`Marks & Spencer` opened
  a store in {place}`Seoul`.

```{eval-rst}
Seoul, in reStructuredText.
```
"""


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["link", *argv])
    return code, out.getvalue()


def _files(book: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the book but the build output: its bytes and modification time."""
    return {str(path.relative_to(book)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(book.rglob("*"))
            if path.is_file() and "_build" not in path.relative_to(book).parts}


@dataclass
class Runs:
    book: Path
    before: dict[str, tuple[bytes, int]]
    dry: tuple[int, str]
    after_dry: dict[str, tuple[bytes, int]]
    first: tuple[int, str]
    after_first: dict[str, tuple[bytes, int]]
    second: tuple[int, str]
    after_second: dict[str, tuple[bytes, int]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    book = tmp_path_factory.mktemp("link") / "book"
    shutil.copytree(ROOTS / "test-link", book)
    before = _files(book)
    dry = _run(str(book), "--dry-run")
    after_dry = _files(book)
    first = _run(str(book))
    after_first = _files(book)
    second = _run(str(book))
    return Runs(book, before, dry, after_dry, first, after_first, second, _files(book))


def test_dry_run_shows_the_diff_and_writes_nothing(runs: Runs) -> None:
    code, out = runs.dry
    assert code == 0
    assert runs.after_dry == runs.before
    assert "--- a/docs/one.md\n+++ b/docs/one.md\n" in out
    assert ("-Kim Yong\\-hyun met Lloyd Austin in Seoul on Tuesday; Austin said little. "
            "Seoul, again, needs no link.\n"
            "+{person}`Kim Yong-hyun` met {person}`Lloyd Austin` in {place}`Seoul` on "
            "Tuesday; Austin said little. Seoul, again, needs no link.\n") in out
    assert "docs/one.md: would link 6 names" in out
    assert "docs/two.md: would link 5 names" in out
    assert "Would link 11 names in 2 pages." in out


def test_only_the_names_change(runs: Runs) -> None:
    code, out = runs.first
    assert code == 0, out
    after = runs.after_first
    assert after["docs/one.md"][0].decode("utf-8") == ONE_LINKED
    assert after["docs/two.md"][0].decode("utf-8") == TWO_LINKED
    # Every other file, the registry and the page with nothing to link included, is
    # the same file: same bytes, never rewritten.
    untouched = {name for name in runs.before if name not in ("docs/one.md", "docs/two.md")}
    assert "docs/three.md" in untouched
    assert {name: after[name] for name in untouched} == {
        name: runs.before[name] for name in untouched}


def test_summary_says_what_was_linked_and_what_was_left(runs: Runs) -> None:
    _, out = runs.first
    assert "docs/one.md: linked 6 names\n" in out
    assert "  docs/one.md:11: Kim Yong-hyun → {person}`Kim Yong-hyun`\n" in out
    assert "  docs/one.md:17: U.S. → {place}`U.S. <united-states>`\n" in out
    assert "  docs/two.md:19: Marks & Spencer → {org}`Marks & Spencer`\n" in out
    assert "  docs/two.md:20: Seoul → {place}`Seoul`\n" in out
    assert ("  docs/two.md:23: 'Seoul' (seoul): inside a {eval-rst} directive, whose text "
            "is not read as MyST\n") in out
    assert ("1 name of 1 entry still unreviewed left unlinked: review them first, or pass "
            "--include-unreviewed\n") in out
    assert "1 name silenced with briefbook-ignore left unlinked\n" in out
    assert out.endswith("Linked 11 names in 2 pages.\n")


def test_a_second_run_changes_nothing(runs: Runs) -> None:
    # Linking "British Army" leaves "Minister for the Armed Forces Mark Lancaster speaks
    # to a " as a text of its own that reads like a headline; the names in it still need
    # no link, as they needed none in the whole sentence.
    code, out = runs.second
    assert code == 0
    assert "Nothing to link." in out
    assert runs.after_second == runs.after_first


def test_check_reports_only_what_was_left(runs: Runs) -> None:
    unlinked = sorted((f.path, f.line, f.message.split("'")[1])
                      for f in run_check(runs.book) if f.code == "BB103")
    assert unlinked == [("docs/one.md", 17, "Busan"), ("docs/two.md", 23, "Seoul")]


def test_linked_book_builds_with_warnings_as_errors(runs: Runs) -> None:
    result = sphinx_build(runs.book / "docs", runs.book / "conf",
                          runs.book / "_build" / "html")
    assert result.returncode == 0, result.stderr
    assert not result.warnings
    page = (runs.book / "_build" / "html" / "one.html").read_text(encoding="utf-8")
    # The escaped name is linked under its own spelling, and still reads as written.
    assert "Kim Yong-hyun</span>" in page
    assert "Kim Yong\\-hyun" not in page


def test_unreviewed_entries_are_linked_on_request(runs: Runs) -> None:
    code, out = _run(str(runs.book), "--dry-run", "--include-unreviewed",
                     "--page", "docs/one.md", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True
    assert [(p["path"], p["written"], p["linked"]) for p in report["pages"]] == [
        ("docs/one.md", False, [{"line": 17, "name": "Busan", "entity": "busan",
                                 "role": "{place}`Busan`"}])]
    assert "+{person}`Lloyd Austin` arrived first; Lloyd Austin then spoke *for the " \
           "{place}`U.S. <united-states>`* and {place}`Busan`.\n" in report["pages"][0]["diff"]
    assert report["skipped"] == []  # --page: two.md's reStructuredText is not looked at
    assert _files(runs.book) == runs.after_second


def test_a_page_edited_meanwhile_is_not_written(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-link", book)
    page = book / "docs" / "one.md"
    original = page.read_text(encoding="utf-8")
    link_page = link_module._link_page

    def edited_while_linking(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = link_page(*args, **kwargs)
        if result is not None and result.path == "docs/one.md":
            page.write_text(original + "\nAn analyst's new line.\n", encoding="utf-8")
        return result

    monkeypatch.setattr(link_module, "_link_page", edited_while_linking)
    code, out = _run(str(book))
    assert code == 1
    assert ("docs/one.md: not written, the page changed since it was read (run briefbook "
            "link again): 6 names left unlinked\n") in out
    assert page.read_text(encoding="utf-8") == original + "\nAn analyst's new line.\n"
    assert (book / "docs" / "two.md").read_text(encoding="utf-8") == TWO_LINKED


def test_bad_invocations_change_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", str(tmp_path)]) == 2
    assert f"briefbook link: no conf/conf.py under {tmp_path}" in capsys.readouterr().err
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-link", book)
    assert main(["link", str(book), "--page", "docs/missing.md"]) == 2
    assert "docs/missing.md: not a page of the book" in capsys.readouterr().err
    people = book / "conf" / "entities" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text + "\n- id: Bad Id\n  name: X\n", encoding="utf-8")
    before = _files(book)
    assert main(["link", str(book)]) == 2
    err = capsys.readouterr().err
    assert "the registry has errors" in err
    assert f"people.yaml:{text.count(chr(10)) + 2}: BB307" in err
    assert _files(book) == before


# --- tracing text to the page's characters ---------------------------------------------------


def _source(page: str) -> MystSource:
    from myst_parser.config.main import MdParserConfig

    return MystSource(page, MdParserConfig(enable_extensions={"colon_fence", "deflist"}))


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=60).filter(lambda t: t.strip() == t and t))
def test_any_escaped_text_is_traced_to_its_characters(text: str) -> None:
    """Whatever an article says, ingest's escaped paragraph traces back to each character."""
    written = escape_text(text)
    page = f"# Title\n\n{written}\n"
    runs = _source(page).paragraph(3).runs
    assert len(runs) == 1
    assert runs[0].source_text == text
    pieces = runs[0].pieces or ()
    assert "".join(page[p.start:p.end] for p in pieces) == written
    assert all(page[p.start:p.end] == p.text for p in pieces if p.plain)


def test_windows_line_ends_byte_order_mark_and_typography() -> None:
    page = '\ufeff# Title\r\n\r\nSaid in "Seoul" -- and U\\.S\\. too.\r\n'
    source = _source(page)
    run = source.paragraph(3).runs[0]
    shown = "Said in “Seoul” – and U.S. too."  # as Sphinx reads it
    start = shown.index("U.S.")
    begin, end, written = source_span(run, shown, start, start + len("U.S."))
    assert written == "U.S."
    assert page[source.raw_offset(begin):source.raw_offset(end)] == "U\\.S\\."
    begin, end, written = source_span(run, shown, shown.index("Seoul"), shown.index("Seoul") + 5)
    assert page[source.raw_offset(begin):source.raw_offset(end)] == written == "Seoul"


def test_a_paragraph_that_is_not_there_is_not_guessed() -> None:
    source = _source("# Title\n\n| a | b |\n| - | - |\n| Seoul | x |\n")
    with pytest.raises(UntraceableError, match="no paragraph"):
        source.paragraph(5)
