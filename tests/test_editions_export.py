"""``briefbook export`` and the ``briefbook-export.json`` published with the HTML, as a
program reading them sees them (tests/roots/test-editions-export: a fictional book whose
convoy briefing holds a TLP:RED portion naming "Nightjar", the canary)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from briefbook.cli import main as briefbook
from briefbook.publishing.export import FILENAME

ROOT = Path(__file__).parent / "roots" / "test-editions-export"
CANARY = "Nightjar"  # only the TLP:RED portion (and what only it cites) holds this word
CONVOY = "briefings/2025-03-10-convoy"
STATEMENT = "briefings/2025-03-12-statement"


def copy_root(dest: Path) -> Path:
    src = dest / "src"
    if not src.exists():
        shutil.copytree(ROOT, src)
    return src


def build_html(src: Path, dest: Path, **overrides: Any) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=src, builddir=dest, confoverrides=overrides, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def warnings(app: SphinxTestApp) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def export(src: Path, out: Path, *args: str) -> str:
    assert briefbook(["export", str(src), "--out", str(out), *args]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[SphinxTestApp, Path]:
    dest = tmp_path_factory.mktemp("export")
    src = copy_root(dest)
    return build_html(src, dest / "build"), src


@pytest.fixture(scope="module")
def published(book: tuple[SphinxTestApp, Path]) -> dict[str, Any]:
    app, _ = book
    assert warnings(app) == []
    return json.loads((Path(app.outdir) / FILENAME).read_text(encoding="utf-8"))


def test_published_with_the_html_as_one_versioned_document(published: dict[str, Any]) -> None:
    assert list(published) == ["format", "version", "book", "edition", "briefings", "entities",
                               "mentions", "quotes", "claims", "sources"]
    assert (published["format"], published["version"]) == ("briefbook-export", 1)
    assert published["book"] == {"title": "Export test book"}
    # As of its latest briefing; its highest marking is the convoy's TLP:RED portion.
    assert published["edition"] == {"name": "Edition 2", "as_of": "2025-03-12",
                                    "marking": "TLP:RED", "release": None}


def test_briefings_newest_first_with_their_page(published: dict[str, Any]) -> None:
    assert published["briefings"] == [
        {"docname": STATEMENT, "title": "The ministry statement", "date": "2025-03-12",
         "author": "Second Analyst", "source": "", "marking": None,
         "html": f"{STATEMENT}.html"},
        {"docname": CONVOY, "title": "The convoy at the border", "date": "2025-03-10",
         "author": "Test Analyst", "source": "wire2025", "marking": "TLP:RED",
         "html": f"{CONVOY}.html"},
    ]


def test_entities_and_mentions(published: dict[str, Any]) -> None:
    assert published["entities"] == [
        {"id": "ivo-nightjar", "kind": "person", "name": "Ivo Nightjar", "native_name": "",
         "aliases": []},
        {"id": "jane-example", "kind": "person", "name": "Jane Example",
         "native_name": "Жанна Пример", "aliases": ["J. Example"]},
    ]
    assert [(m["entity"], m["docname"]) for m in published["mentions"]] == [
        ("jane-example", CONVOY), ("ivo-nightjar", CONVOY), ("jane-example", STATEMENT)]
    assert all(set(m) == {"entity", "docname", "node_id"} and m["node_id"]
               for m in published["mentions"])


def test_quotes_name_their_speaker_or_describe_them(published: dict[str, Any]) -> None:
    quotes = {q["text"]: q for q in published["quotes"]}
    assert quotes["the lorries kept coming all night"] == {
        "text": "the lorries kept coming all night",
        "speaker": {"id": "jane-example", "name": "Jane Example"}, "unnamed": "",
        "sources": ["wire2025"], "said": "2025-03-09", "credibility": {},
        "docname": CONVOY, "node_id": "q-0"}
    forum = quotes["the casualties of the March shelling"]
    assert (forum["speaker"], forum["unnamed"]) == (None, "a forum user")
    assert forum["credibility"] == {"forum2025": "5"}


def test_claims_with_estimates_sources_and_key_flag(published: dict[str, Any]) -> None:
    claims = {c["text"]: c for c in published["claims"]}
    assert claims["Casualties rose in March."] == {
        "text": "Casualties rose in March.", "likelihood": "roughly even chance",
        "confidence": "low", "sources": ["agency2025"], "key": True,
        "credibility": {"agency2025": "3"}, "docname": CONVOY, "node_id": "claim-2"}
    assert claims["The convoy will stay at the border until the middle of April."]["sources"] == [
        "wire2025", "agency2025"]
    # The page has the claim at that anchor.
    assert all(c["node_id"].startswith("claim-") for c in published["claims"])


def test_sources_cited_with_grade_standing_and_preserved_copy(published: dict[str, Any]) -> None:
    sources = {s["key"]: s for s in published["sources"]}
    # Cited only: oldpaper2024 stays in refs.bib, but nothing cites it any more.
    assert list(sources) == ["agency2025", "forum2025", "redsource2025", "statement2025",
                             "wire2025"]
    assert sources["statement2025"] == {
        "key": "statement2025", "label": "Example and Example Ministry 2025",
        "author": "Jane Example and Example Ministry",
        "title": "Statement on the casualty figures", "year": "2025",
        "url": "https://www.example.org/ministry/statement", "reliability": "C",
        "credibility": "", "status": "", "status_date": "", "status_reason": "",
        "archive_date": "2025-03-12T08:00:00Z",
        "archive_sha256": "b6341f2216e2f0ef5697e81edb6efd14ac2259910cf81179c354fc0b8a9bf3bd",
        "cited_in": [STATEMENT]}
    forum = sources["forum2025"]
    assert (forum["status"], forum["status_date"], forum["status_reason"]) == (
        "discredited", "2025-03-13", "The photographs were shown to date from 2019")
    assert (sources["wire2025"]["reliability"], sources["wire2025"]["credibility"]) == ("B", "2")


def test_command_writes_the_same_document_every_time(book: tuple[SphinxTestApp, Path],
                                                    tmp_path: Path) -> None:
    app, src = book
    first = export(src, tmp_path / "one.json")
    second = export(src, tmp_path / "two.json")
    assert first == second  # byte-identical
    # ... and the same document the HTML build published.
    assert first == (Path(app.outdir) / FILENAME).read_text(encoding="utf-8")
    assert (src / "_build" / "export" / "full").is_dir()  # its own read, beside the book


def test_command_writes_to_standard_output(book: tuple[SphinxTestApp, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, src = book
    assert briefbook(["export", str(src)]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "briefbook-export"


def test_released_edition_holds_only_what_it_releases(book: tuple[SphinxTestApp, Path],
                                                      tmp_path: Path) -> None:
    _, src = book
    full = export(src, tmp_path / "full.json")
    released = export(src, tmp_path / "clear.json", "--release", "TLP:CLEAR")
    assert CANARY in full
    assert CANARY not in released
    data = json.loads(released)
    assert data["edition"]["release"] == "TLP:CLEAR"
    assert [e["id"] for e in data["entities"]] == ["jane-example"]
    assert "redsource2025" not in {s["key"] for s in data["sources"]}
    assert len(data["claims"]) == len(json.loads(full)["claims"]) - 1


def test_released_html_publishes_the_released_export(tmp_path: Path) -> None:
    src = copy_root(tmp_path)
    app = build_html(src, tmp_path / "build", briefbook_release="TLP:CLEAR")
    text = (Path(app.outdir) / FILENAME).read_text(encoding="utf-8")
    assert CANARY not in text
    assert json.loads(text)["edition"]["release"] == "TLP:CLEAR"


def test_no_book_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert briefbook(["export", str(tmp_path)]) == 2
    assert "no conf/conf.py" in capsys.readouterr().err


def test_unknown_release_level_stops_with_the_marking_problem(
        book: tuple[SphinxTestApp, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, src = book
    out = tmp_path / "never.json"
    assert briefbook(["export", str(src), "--out", str(out), "--release", "TLP:PURPLE"]) == 2
    err = capsys.readouterr().err
    assert "BB601 unknown marking 'TLP:PURPLE'" in err
    assert "nothing written" in err
    assert not out.exists()
