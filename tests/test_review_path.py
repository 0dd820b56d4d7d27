"""The analyst's path, end to end, with the commands a script would use.

A new book (``briefbook init``), ten real articles ingested with ``--add-candidates``,
the review queue decided (dates for the undated pages from the articles' gold
annotations, one merge, one reject, the rest accepted), the names linked in place, and
the book built with ``-W`` and checked ``--strict`` clean. Then what happens next in a
real team: a page is edited by hand and the same folder ingested again (nothing new, the
edit kept), and two new articles arrive (only they are written; the rejected name stays
out). One walk, shared by the tests below, since each step builds on the last.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefbook.cli import main
from briefbook.entities.registry import FILES
from briefbook.entities.registry_files import load_registry
from briefbook.entities.review_state import ReviewState

CORPUS = Path(__file__).parent / "corpus"
FIRST_BATCH = [
    "open-readout-govuk-pm-call-zelenskyy", "open-release-ec-barroso-ukraine",
    "open-release-govuk-cleverly-ukraine-un", "g-transcript-usun-thomas-greenfield-dprk-stakeout",
    "g-transcript-usun-rice-security-council-2012-11", "usg-readout-wh-sullivan-landerholm-2023-05",
    "usg-explainer-state-taiwan-2016-09", "x-explainer-crs-pacific-islands-2024",
    "x-speech-beehive-peters-cid-pacific-reset", "q-transcript-state-price-2022-08",
]
SECOND_BATCH = ["usg-transcript-state-miller-2023-05", "open-news-g8-summit-hokkaido"]
NOTE = "Analyst's note: read this beside the readout of 8 March.\n"


@dataclass
class Walk:
    book: Path
    inbox: Path
    outputs: dict[str, str] = field(default_factory=dict)
    pages_after_first: list[str] = field(default_factory=list)
    rejected: tuple[str, str] = ("", "")
    merged: tuple[str, str] = ("", "")
    edited: str = ""
    edited_text: bytes = b""


def run(*args: str) -> tuple[int, str, str]:
    """``briefbook ARGS`` as a user runs it; its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def gold_date(stem: str) -> str:
    data = yaml.safe_load((CORPUS / f"{stem}.gold.yaml").read_text(encoding="utf-8"))
    return str(data["date"])


def pages(book: Path) -> list[str]:
    return sorted(p.name for p in (book / "docs" / "briefings").glob("*.md"))


def items(book: Path) -> list[dict[str, Any]]:
    code, out, err = run("review", str(book), "--list", "--json")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Walk:
    root = tmp_path_factory.mktemp("path")
    book, inbox = root / "book", root / "inbox"
    inbox.mkdir()
    for stem in FIRST_BATCH:
        shutil.copy(CORPUS / f"{stem}.txt", inbox / f"{stem}.txt")
    walk = Walk(book, inbox)
    assert main(["init", str(book), "--title", "Path test", "--author", "Tests"]) == 0
    with contextlib.chdir(book):
        # 1. Ingest into the new book, as a user in its folder types it.
        code, _, err = run("ingest", str(inbox), "--add-candidates")
        walk.outputs["ingest"] = err
        assert code == 0, err
        walk.pages_after_first = pages(book)
        # 2. Review: dates for undated pages, one merge, one reject, accept the rest.
        queue = items(book)
        for item in [i for i in queue if i["category"] == "undated"]:
            stem = _stem_of(book / item["articles"][0], book)
            code, out, err = run("review", ".", "--date", item["key"], gold_date(stem))
            assert code == 0, err
        entities = [i for i in items(book) if i["category"] == "entity"]
        assert entities, walk.outputs["ingest"]
        reject = entities[-1]
        code, out, err = run("review", ".", "--reject", reject["key"])
        assert code == 0, err
        walk.rejected = (reject["name"], reject["kind"])
        # Merge one person into another (the mechanics; in a real book, a variant the
        # queue could not tell was the same person).
        entities = [i for i in items(book) if i["category"] == "entity"]
        people = [i for i in entities if i["kind"] == "person"]
        merge_from, into = people[-1], people[0]
        code, out, err = run("review", ".", "--accept", into["key"])
        assert code == 0, err
        into_id = next(e.id for e in load_registry(book / "conf" / "entities")
                       if e.name == into["name"] and e.kind == "person")
        code, out, err = run("review", ".", "--merge", merge_from["key"], into_id)
        assert code == 0, err
        walk.merged = (merge_from["name"], into_id)
        code, out, err = run("review", ".", "--accept-all")
        walk.outputs["accept-all"] = out + err
        assert code == 0, err
        # 3. Link the reviewed names in place.
        code, out, err = run("link", ".")
        walk.outputs["link"] = out + err
        assert code == 0, out + err
        # 4. Build with -W and check --strict.
        code, out, err = run("build", "--format", "html", ".")
        walk.outputs["build"] = out + err
        code_check, out_check, err_check = run("check", "--strict", ".")
        walk.outputs["check"] = out_check + err_check
        walk.outputs["codes"] = f"{code} {code_check}"
        walk.outputs["unreviewed"] = " ".join(
            e.id for e in load_registry(book / "conf" / "entities") if e.unreviewed)
        # 5. Edit a page by hand, ingest the same folder again.
        edited = book / "docs" / "briefings" / pages(book)[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + "\n" + NOTE, encoding="utf-8")
        walk.edited, walk.edited_text = edited.name, edited.read_bytes()
        walk.outputs["pages-before-again"] = "\n".join(pages(book))
        code, _, err = run("ingest", str(inbox), "--add-candidates")
        walk.outputs["again"] = err
        walk.outputs["again-code"] = str(code)
        walk.outputs["pages-after-again"] = "\n".join(pages(book))
        # 6. Two new articles arrive in the same folder.
        for stem in SECOND_BATCH:
            shutil.copy(CORPUS / f"{stem}.txt", inbox / f"{stem}.txt")
        code, _, err = run("ingest", str(inbox), "--add-candidates")
        walk.outputs["new"] = err
        walk.outputs["new-code"] = str(code)
    return walk


def test_stubs_land_in_the_registry_folder_of_a_new_book(walk: Walk) -> None:
    assert not any((walk.book / name).exists() for name in FILES.values())
    registry = load_registry(walk.book / "conf" / "entities")
    assert len(registry) > 10, walk.outputs["ingest"]
    assert len(walk.pages_after_first) == len(FIRST_BATCH)


def test_after_review_and_link_the_book_builds_and_checks_clean(walk: Walk) -> None:
    assert walk.outputs["codes"] == "0 0", walk.outputs["build"][-3000:] + walk.outputs["check"]
    assert "WARNING" not in walk.outputs["build"], walk.outputs["build"][-3000:]
    assert "No problems found." in walk.outputs["check"], walk.outputs["check"]
    assert walk.outputs["unreviewed"] == ""
    assert "Linked" in walk.outputs["link"]
    html = (walk.book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Path test" in html


def test_every_page_is_dated_by_review(walk: Walk) -> None:
    names = walk.outputs["pages-before-again"].splitlines()
    assert not [n for n in names if n.startswith("undated-")], names


def test_the_merge_and_the_reject_hold(walk: Walk) -> None:
    registry = load_registry(walk.book / "conf" / "entities")
    merged_name, into_id = walk.merged
    target = registry.get(into_id)
    assert target is not None and merged_name in target.all_names
    name, kind = walk.rejected
    assert registry.lookup(name) is None
    assert ReviewState.load(walk.book / "conf" / "entities").is_rejected(name, kind)


def test_ingesting_the_same_folder_again_writes_nothing_and_keeps_the_edit(walk: Walk) -> None:
    assert walk.outputs["again-code"] == "0", walk.outputs["again"]
    assert walk.outputs["pages-after-again"] == walk.outputs["pages-before-again"]
    assert "already ingested" in walk.outputs["again"]
    edited = walk.book / "docs" / "briefings" / walk.edited
    assert edited.read_bytes() == walk.edited_text
    assert NOTE in edited.read_text(encoding="utf-8")


def test_only_the_new_articles_are_written_and_rejected_names_stay_out(walk: Walk) -> None:
    assert walk.outputs["new-code"] == "0", walk.outputs["new"]
    before = set(walk.outputs["pages-before-again"].splitlines())
    after = set(pages(walk.book))
    assert len(after - before) == len(SECOND_BATCH), walk.outputs["new"]
    assert before <= after
    bib = (walk.book / "sources.bib").read_text(encoding="utf-8")
    assert bib.count("ingested-content") == len(FIRST_BATCH) + len(SECOND_BATCH)
    name, _ = walk.rejected
    registry = load_registry(walk.book / "conf" / "entities")
    assert registry.lookup(name) is None


# --- plumbing -----------------------------------------------------------------------------


def _stem_of(page: Path, book: Path) -> str:
    """The corpus file a page was ingested from, by its bibliography entry."""
    meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---")[1])
    bib = (book / "sources.bib").read_text(encoding="utf-8")
    start = bib.index("{" + meta["source"] + ",")
    entry = bib[start:bib.index("\n}", start)]
    line = next(line for line in entry.splitlines() if "ingested-from" in line)
    return line.split("{", 1)[1].rsplit("}", 1)[0].removesuffix(".txt")
