"""Ingesting into a book that lives on: known articles skipped, ``--update`` merging edits,
batch metadata.

Every test drives the real command (``briefbook ingest`` through :func:`main`) in a book
in ``tmp_path`` and looks at what a user would: the files, their bytes, the messages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from briefbook.cli import main
from briefbook.ingest.merge import OURS_MARK, THEIRS_MARK
from briefbook.ingest.writer import escape_text
from test_ingest_support import ARTICLES, TEST_REGISTRY

BRIEFINGS = Path("docs") / "briefings"
FIRST = """Seoul summons Russian ambassador over troops

South Korea summoned the Russian ambassador on Tuesday to protest against the troops.

The meeting in Seoul lasted less than an hour, officials said.

The ministry gave no further details.
"""
#: The same article, corrected by its publisher: its last paragraph changed.
SECOND = FIRST.replace("The ministry gave no further details.",
                       "The ministry said talks with Moscow would continue next week.")
OTHER = """Kyiv asks allies for air defence

Ukraine asked its allies in Brussels for more air defence systems on Thursday.
"""


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(TEST_REGISTRY, root / "conf" / "entities")
    (root / "sources.bib").write_text("", encoding="utf-8")
    (root / "in").mkdir()
    monkeypatch.chdir(root)
    return root


def ingest(*args: str) -> int:
    return main(["ingest", "--recogniser", "rules", *args])


def files(book: Path) -> dict[str, bytes]:
    """Every file of the book (the inputs aside), by path: what "nothing written" means."""
    return {str(p.relative_to(book)): p.read_bytes() for p in sorted(book.rglob("*"))
            if p.is_file() and p.parts[len(book.parts)] != "in"}


def pages(book: Path) -> list[str]:
    return sorted(p.name for p in (book / BRIEFINGS).glob("*.md"))


def only_page(book: Path) -> Path:
    (name,) = pages(book)
    return book / BRIEFINGS / name


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines(keepends=True) if needle in line)


# --- known articles are skipped -------------------------------------------------------------


def test_reingest_after_dating_and_renaming_writes_nothing(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    written = only_page(book)
    assert written.name == "undated-seoul-summons-russian-ambassador-over-troops.md"
    # The analyst dates and renames the page, as the undated name asks.
    dated = written.with_name("2024-10-29-seoul-summons.md")
    text = written.read_text(encoding="utf-8")
    dated.write_text(text.replace("\nauthor:", "\ndate: 2024-10-29\nauthor:", 1), encoding="utf-8")
    written.unlink()
    # The same text again, under another name too, with a batch date and candidates asked.
    shutil.copy2(book / "in" / "seoul.txt", book / "in" / "seoul-copy.txt")
    before = files(book)
    capsys.readouterr()
    assert ingest("in", "--date", "2024-10-30", "--add-candidates") == 0
    err = capsys.readouterr().err
    message = (f"already ingested as {BRIEFINGS / dated.name} (source key anonnd); "
               "--update to refresh")
    assert f"in/seoul.txt: {message}" in err
    assert f"in/seoul-copy.txt: {message}" in err
    assert "wrote 0 pages" in err and "2 left as they were" in err
    assert files(book) == before  # no page, no bib entry, no stub, no record
    assert pages(book) == [dated.name]
    # The JSON stays one object per article, saying the article was skipped.
    assert ingest("in", "--dry-run", "--json") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [(d["meta"]["source"], d["meta"]["ingest"]) for d in map(json.loads, lines)] == [
        ("anonnd", "skipped"), ("anonnd", "skipped")]


def test_a_changed_article_is_named_but_not_refreshed_without_update(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = book / "in" / "seoul.txt"
    article.write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    article.write_text(SECOND, encoding="utf-8")
    before = files(book)
    capsys.readouterr()
    assert ingest("in") == 0
    assert ("the text changed since (the same file name as before); --update to refresh"
            in capsys.readouterr().err)
    assert files(book) == before


def test_one_file_name_for_two_articles_is_two_articles(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Saved as article.txt in two folders: another title, so not the first one changed."""
    for folder, text in (("2024-10", FIRST), ("2024-11", OTHER)):
        (book / "in" / folder).mkdir()
        (book / "in" / folder / "article.txt").write_text(text, encoding="utf-8")
    assert ingest("in") == 0
    assert pages(book) == ["undated-kyiv-asks-allies-for-air-defence.md",
                           "undated-seoul-summons-russian-ambassador-over-troops.md"]
    assert (book / "sources.bib").read_text(encoding="utf-8").count("@misc{") == 2
    # Corrected in place, same title: the first one, changed.
    (book / "in" / "2024-10" / "article.txt").write_text(SECOND, encoding="utf-8")
    capsys.readouterr()
    assert ingest("in") == 0
    err = capsys.readouterr().err
    assert ("in/2024-10/article.txt: already ingested as docs/briefings/undated-seoul-summons-"
            "russian-ambassador-over-troops.md (source key anonnd); the text changed since "
            "(the same file name as before)") in err


def test_books_made_before_content_hashes_are_recognised(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An entry with only the old ``ingested`` fingerprint, and no copy of what ingest
    wrote: the article is still known; --update refreshes only an untouched page."""
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    bib = book / "sources.bib"
    bib.write_text(re.sub(r"  ingested-(content|from) += \{[^}]*\},\n", "",
                          bib.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.rmtree(book / ".briefbook")
    page = only_page(book)
    before = files(book)
    assert ingest("in") == 0
    assert files(book) == before
    page.write_text(page.read_text(encoding="utf-8") + "\nMy note.\n", encoding="utf-8")
    edited = files(book)
    capsys.readouterr()
    assert ingest("in", "--update", "--date", "2024-10-29") == 1
    assert "was ingested before briefbook kept a copy of what it wrote" in capsys.readouterr().err
    assert files(book) == edited


# --- --update ---------------------------------------------------------------------------------


def test_update_keeps_hand_edits_and_applies_the_change(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = book / "in" / "seoul.txt"
    article.write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    page = only_page(book)
    text = page.read_text(encoding="utf-8")
    # The analyst's edits: a front matter key, a reworded paragraph, a note, and a grade
    # in the bibliography entry.
    meeting = line_with(text, "The meeting in")
    reworded = meeting.replace("lasted less than an hour", "lasted *forty minutes*")
    note = "\n```{note}\nAnalyst: compare with the 2023 summons.\n```\n"
    ours = (text.replace("\nsource:", "\ntags: [seoul]\nsource:", 1)
            .replace(meeting, reworded + note))
    page.write_text(ours, encoding="utf-8")
    bib = book / "sources.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "@misc{anonnd,\n", "@misc{anonnd,\n  reliability  = {B},\n"), encoding="utf-8")

    article.write_text(SECOND, encoding="utf-8")
    edited = files(book)
    capsys.readouterr()
    assert ingest("in", "--update", "--dry-run") == 0
    assert (f"would update {BRIEFINGS / page.name} (source key anonnd)"
            in capsys.readouterr().err)
    assert files(book) == edited
    assert ingest("in", "--update") == 0
    err = capsys.readouterr().err
    assert f"updated {BRIEFINGS / page.name} (source key anonnd)" in err
    new_render = (book / ".briefbook" / "ingested" / "anonnd.page").read_text(encoding="utf-8")
    old_line = line_with(ours, "no further details")
    new_line = line_with(new_render, "talks with")
    assert page.read_text(encoding="utf-8") == ours.replace(old_line, new_line)
    entry = bib.read_text(encoding="utf-8")
    assert entry.count("@misc{") == 1 and "reliability  = {B}," in entry
    assert pages(book) == [page.name]

    merged = page.read_bytes()
    capsys.readouterr()
    assert ingest("in", "--update") == 0
    assert f"up to date: {BRIEFINGS / page.name} (source key anonnd)" in capsys.readouterr().err
    assert page.read_bytes() == merged


def test_update_merges_a_page_saved_with_crlf(book: Path) -> None:
    """An editor that saves CRLF line ends changed every line's end, not every line."""
    article = book / "in" / "seoul.txt"
    article.write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    page = only_page(book)
    ours = page.read_text(encoding="utf-8").replace("\n", "\r\n") + "\r\nMy note.\r\n"
    page.write_bytes(ours.encode("utf-8"))
    article.write_text(SECOND, encoding="utf-8")
    assert ingest("in", "--update") == 0
    merged = page.read_bytes().decode("utf-8")
    assert merged.count("\r\n") == merged.count("\n")
    assert merged.endswith("would continue next week.\r\n\r\nMy note.\r\n")
    assert "no further details" not in merged


def test_update_conflict_fails_closed_then_takes_the_resolution(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = book / "in" / "seoul.txt"
    article.write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    page = only_page(book)
    text = page.read_text(encoding="utf-8")
    mine = line_with(text, "no further details")
    page.write_text(text.replace(mine, "The ministry declined to comment (analyst's "
                                       "wording).\n"), encoding="utf-8")
    article.write_text(SECOND, encoding="utf-8")
    before = files(book)
    capsys.readouterr()
    assert ingest("in", "--update") == 1
    err = capsys.readouterr().err
    number = page.read_text(encoding="utf-8").splitlines().index(
        "The ministry declined to comment (analyst's wording).") + 1
    assert (f"{BRIEFINGS / page.name}: line {number} changed both by hand and in the article "
            "(source key anonnd); nothing written." in err)
    copy = book / ".briefbook" / "conflicts" / f"{page.name}.conflict"
    assert f"Resolve the marked lines in {copy.relative_to(book)}" in err
    after = files(book)
    conflicts = Path(".briefbook") / "conflicts"
    assert after.pop(str(conflicts / f"{page.name}.conflict"))
    assert after.pop(str(conflicts / f"{page.name}.json"))
    assert after == before  # the page, the bibliography and the record untouched

    # The analyst keeps both wordings in the copy, then updates again.
    marked = copy.read_text(encoding="utf-8")
    assert OURS_MARK in marked and THEIRS_MARK in marked
    resolved = re.sub(r"<<<<<<< .*?>>>>>>> [^\n]*\n",
                      "The ministry declined to comment; talks with Moscow continue.\n",
                      marked, flags=re.DOTALL)
    copy.write_text(resolved, encoding="utf-8")
    assert ingest("in", "--update") == 0
    assert page.read_text(encoding="utf-8") == resolved
    assert not copy.exists()
    assert ingest("in", "--update") == 0
    assert page.read_text(encoding="utf-8") == resolved


def test_update_dates_and_renames_an_undated_page(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    page = only_page(book)
    page.write_text(page.read_text(encoding="utf-8") + "\nAnalyst's note.\n", encoding="utf-8")
    capsys.readouterr()
    assert ingest("in", "--update", "--date", "2024-10-29", "--author", "Min-ji Park") == 0
    err = capsys.readouterr().err
    dated = "2024-10-29-seoul-summons-russian-ambassador-over-troops.md"
    assert pages(book) == [dated]
    assert f"renamed from {page.name}" in err
    text = (book / BRIEFINGS / dated).read_text(encoding="utf-8")
    assert "\ndate: 2024-10-29\nauthor: Min\\-ji Park\n" in text  # escaped as body text
    assert text.endswith("\nAnalyst's note.\n")
    entry = (book / "sources.bib").read_text(encoding="utf-8")
    assert "@misc{anonnd," in entry  # the key stays: pages cite it
    assert "author       = {Park, Min-ji}" in entry and "year         = {2024}" in entry


def test_force_overwrites_the_page_wherever_it_is(book: Path) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    assert ingest("in") == 0
    page = only_page(book)
    original = page.read_text(encoding="utf-8")
    moved = page.with_name("2024-10-29-seoul.md")
    moved.write_text(original + "\nnote\n", encoding="utf-8")
    page.unlink()
    assert ingest("in", "--force") == 0
    assert pages(book) == [moved.name]
    assert moved.read_text(encoding="utf-8") == original
    assert (book / "sources.bib").read_text(encoding="utf-8").count("@misc{") == 1


# --- metadata for a batch ---------------------------------------------------------------------


def test_batch_metadata_reaches_page_name_and_bibliography(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    (book / "in" / "kyiv.txt").write_text(OTHER, encoding="utf-8")
    shutil.copy2(ARTICLES / "explainer.txt", book / "in" / "explainer.txt")  # dated 2024-10-21
    assert ingest("in", "--date", "2024-10-29", "--author", "Jane Roe",
                  "--publisher", "Example News") == 0
    err = capsys.readouterr().err
    assert pages(book) == ["2024-10-21-what-is-brics-and-why-does-the-kazan-summit-matter.md",
                           "2024-10-29-kyiv-asks-allies-for-air-defence.md",
                           "2024-10-29-seoul-summons-russian-ambassador-over-troops.md"]
    assert ("in/explainer.txt: --date 2024-10-29 not used: the article gives its own date, "
            "2024-10-21") in err
    seoul = (book / BRIEFINGS / "2024-10-29-seoul-summons-russian-ambassador-over-troops.md"
             ).read_text(encoding="utf-8")
    assert "\ndate: 2024-10-29\nauthor: Jane Roe\npublisher: Example News\n" in seoul
    explainer = (book / BRIEFINGS / pages(book)[0]).read_text(encoding="utf-8")
    assert "\ndate: 2024-10-21\nauthor: Maria Chen\npublisher: Example News\n" in explainer
    bib = (book / "sources.bib").read_text(encoding="utf-8")
    assert "@misc{roe2024," in bib and "@misc{roe2024a," in bib and "@misc{chen2024," in bib
    entry = bib[bib.index("@misc{roe2024a,"):]
    assert "  author       = {Roe, Jane},\n" in entry
    assert "  publisher    = {Example News},\n" in entry
    assert "  year         = {2024},\n  month        = oct,\n" in entry


def test_url_names_one_article_and_is_recognised(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    (book / "in" / "kyiv.txt").write_text(OTHER, encoding="utf-8")
    address = "https://news.example.org/2024/10/seoul-summons"
    before = files(book)
    assert ingest("in", "--url", address) == 2
    assert ("--url names one article's address, but 2 articles were given"
            in capsys.readouterr().err)
    assert files(book) == before

    assert ingest("in/seoul.txt", "--url", address) == 0
    page = only_page(book)
    assert f"\nurl: {escape_text(address)}\n" in page.read_text(encoding="utf-8")
    assert f"  url          = {{{address}}},\n" in (book / "sources.bib").read_text(encoding="utf-8")
    # The publisher corrects the article, saved under another name: the address tells.
    (book / "in" / "seoul-corrected.txt").write_text(SECOND, encoding="utf-8")
    capsys.readouterr()
    assert ingest("in/seoul-corrected.txt", "--url", address + "/", "--update") == 0
    assert f"updated {BRIEFINGS / page.name} (source key anonnd)" in capsys.readouterr().err
    assert "talks with {place}`Moscow <moscow>` would" in page.read_text(encoding="utf-8")
    assert pages(book) == [page.name]


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "29/10/2024"], "argument --date: '29/10/2024' is not a date written YYYY-MM-DD"),
    (["--date", "2024-02-30"], "argument --date: '2024-02-30' is not a calendar date"),
    (["--author", "  "], "argument --author: the author is empty"),
    (["--publisher", "A\x07B"], "argument --publisher: the publisher contains the control "
                                "character U+0007"),
    (["--url", "ftp://example.org/x"], "argument --url: 'ftp://example.org/x' is not a full "
                                       "http:// or https:// address"),
    (["--update", "--force"], "argument --force: not allowed with argument --update"),
])
def test_bad_batch_values_are_usage_errors(book: Path, capsys: pytest.CaptureFixture[str],
                                           args: list[str], message: str) -> None:
    (book / "in" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    before = files(book)
    with pytest.raises(SystemExit) as exit_info:
        ingest("in", *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert files(book) == before
