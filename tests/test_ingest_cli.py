"""The ``briefbook ingest`` command: JSON contract, writes, batches, candidates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbook.cli import main
from briefbook.entities.registry_files import load_registry
from briefbook.ingest.model import IngestError
from briefbook.ingest.pipeline import Context, analyse_bytes
from briefbook.ingest.writer import render_page
from test_ingest_support import ARTICLES, SAMPLE_REGISTRY, SEED, TEST_REGISTRY, write_hostile_article


@pytest.fixture
def book(tmp_path: Path) -> Path:
    shutil.copytree(TEST_REGISTRY, tmp_path / "conf" / "entities")
    (tmp_path / "sources.bib").write_text("@misc{existing2024,\n  title = {X},\n}\n")
    return tmp_path


def run(book: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(book)
    return main(["ingest", *args])


def test_dry_run_json_contract(book: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code = run(book, str(ARTICLES / "press_release.txt"), str(ARTICLES / "transcript.txt"),
               "--dry-run", "--json", monkeypatch=monkeypatch)
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        data = json.loads(line)
        assert set(data) >= {"meta", "paragraphs", "pull_quotes", "quotes", "mentions",
                             "candidates"}
        assert set(data["meta"]) >= {"title", "date", "author"}
        assert all(isinstance(p, str) for p in data["paragraphs"])
        assert all(isinstance(p, str) for p in data["pull_quotes"])
        for quote in data["quotes"]:
            assert set(quote) >= {"text", "speaker", "paragraph"}
            assert set(quote["speaker"]) >= {"id", "text"}
            assert quote["text"] in data["paragraphs"][quote["paragraph"]]
        for mention in data["mentions"]:
            assert mention["type"] in {"person", "place", "organization"}
            paragraph = data["paragraphs"][mention["paragraph"]]
            assert paragraph[mention["start"]:mention["end"]] == mention["text"]
            assert isinstance(mention["id"], str)
        for candidate in data["candidates"]:
            assert set(candidate) == {"text", "type", "count"}
            assert isinstance(candidate["count"], int)
    assert not (book / "docs").exists()
    assert (book / "sources.bib").read_text().count("@misc") == 1


def test_writes_page_and_bib_never_overwrites(book: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    article = str(ARTICLES / "press_release.txt")
    assert run(book, article, "--out", "out", monkeypatch=monkeypatch) == 0
    pages = list((book / "out").glob("*.md"))
    assert [p.name for p in pages] == ["2024-10-23-austin-announces-new-security-assistance-for-ukraine.md"]
    page = pages[0].read_text()
    assert "source: usdepartment2024" in page
    assert "{person}`Lloyd J. Austin III <lloyd-austin>`" in page
    bib = (book / "sources.bib").read_text()
    assert "@misc{existing2024" in bib and bib.count("@misc") == 2
    pages[0].write_text("edited by hand")  # its front matter gone: no page gives its source
    capsys.readouterr()
    assert run(book, article, "--out", "out", monkeypatch=monkeypatch) == 0
    assert "already ingested (source key usdepartment2024; no page gives that source any " \
           "more: --force writes it again)" in capsys.readouterr().err
    assert pages[0].read_text() == "edited by hand"
    assert (book / "sources.bib").read_text() == bib
    assert run(book, article, "--out", "out", "--force", monkeypatch=monkeypatch) == 0
    assert pages[0].read_text() == page
    assert (book / "sources.bib").read_text() == bib  # same article, same entry
    assert [p.name for p in (book / "out").glob("*.md")] == [pages[0].name]


def test_failed_batch_keeps_earlier_outputs(book: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = book / "in"
    folder.mkdir()
    shutil.copy2(ARTICLES / "explainer.txt", folder / "a.txt")
    (folder / "b.txt").write_bytes(b"\xff\xfe\x00broken")
    (folder / "c.txt").write_bytes(b"bad \xc3\x28 utf8\n")
    shutil.copy2(ARTICLES / "statement.txt", folder / "d.txt")
    code = run(book, str(folder), "--out", "out", monkeypatch=monkeypatch)
    err = capsys.readouterr().err
    assert code == 1
    assert len(list((book / "out").glob("*.md"))) == 2
    assert "c.txt:1: not valid UTF-8" in err
    assert "b.txt" in err and "Traceback" not in err
    assert "wrote 2 pages" in err


def test_add_candidates_appends_without_touching_entries(
        book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = book / "conf" / "entities" / "places.yaml"
    before = {p: p.read_text() for p in (book / "conf" / "entities").glob("*.yaml")}
    code = run(book, str(ARTICLES / "explainer.txt"), "--out", "out", "--add-candidates",
               monkeypatch=monkeypatch)
    assert code == 0
    after = places.read_text()
    assert after.startswith(before[places])
    assert "name: Brazil" in after and "unreviewed: true" in after
    registry = load_registry(book / "conf" / "entities")
    brazil = registry.lookup("Brazil")
    assert brazil is not None and brazil.unreviewed and brazil.coordinates is not None


def test_missing_registry_and_files(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(book, "nope.txt", "--dry-run", monkeypatch=monkeypatch) == 1
    assert run(book, str(ARTICLES / "qa.txt"), "--registry", "missing", "--dry-run",
               monkeypatch=monkeypatch) == 2
    assert main([]) == 2


def test_seed_into_sample_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SAMPLE_REGISTRY, tmp_path / "conf" / "entities")
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(SEED), "--out", "docs/briefings"]) == 0
    page = next((tmp_path / "docs" / "briefings").glob("2024-11-17-*.md")).read_text()
    assert "<speaker=steve-rosenberg; source=gaston2024>" in page


def test_hostile_article_fixture(tmp_path: Path) -> None:
    path = write_hostile_article(tmp_path / "in")
    assert "<script>" in path.read_text()


CONTEXT = Context(load_registry(TEST_REGISTRY), backend="rules")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(
    lambda t: t.encode("utf-8", "surrogatepass"))))
def test_ingest_never_crashes(raw: bytes) -> None:
    try:
        analysis = analyse_bytes(raw, "fuzz.txt", CONTEXT)
    except IngestError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    analysis.source_key = "fuzz2024"
    json.dumps(analysis.to_json())
    render_page(analysis)
