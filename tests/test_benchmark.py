"""The build benchmark's generator and runner: deterministic, warning-free, complete.

Timings are not asserted (they depend on the machine); what is checked is that the
synthetic books are what the benchmark claims to measure: the same bytes for the same N,
both books building with ``-W -n``, a registry and mentions that grow with N, and a
``--quick`` run writing every key of the JSON.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from briefbook.benchmark import corpus, runner
from briefbook.benchmark.edit import add_mention
from conftest import sphinx_build


def _digest(root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(root)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def book5(tmp_path_factory: pytest.TempPathFactory) -> corpus.Corpus:
    return corpus.generate(5, tmp_path_factory.mktemp("bench") / "n5")


def test_same_n_same_bytes(tmp_path: Path, book5: corpus.Corpus) -> None:
    again = corpus.generate(5, tmp_path / "again")
    assert _digest(again.root) == _digest(book5.root)
    other = corpus.generate(5, tmp_path / "other", seed="another")
    assert _digest(other.root) != _digest(book5.root)


def test_layout_and_constructs(book5: corpus.Corpus) -> None:
    bb, anchor = book5.briefbook, book5.anchor
    assert {p.name for p in (bb / "conf" / "entities").iterdir()} == {
        "people.yaml", "places.yaml", "organizations.yaml"}
    articles = sorted((bb / "docs" / "briefings").glob("*.md"))
    assert len(articles) == 5
    text = articles[0].read_text(encoding="utf-8")
    assert text.startswith("---\ndate: ")
    assert "\nauthor: " in text
    for construct in ("{person}`", "{place}`", "{org}`", "{quote}`", "{claim}", "{cite:p}`",
                      "{event}", "{key-judgements}", ":likelihood:", ":confidence:"):
        assert construct in text, construct
    plain = (anchor / "docs" / articles[0].relative_to(bb / "docs")).read_text(encoding="utf-8")
    assert "{term}`" in plain and "{cite:p}`" in plain
    for construct in ("{person}", "{place}", "{org}", "{quote}", "{claim}", "{event}"):
        assert construct not in plain, construct
    assert "briefbook" not in (anchor / "conf" / "conf.py").read_text(encoding="utf-8").split(
        "extensions", 1)[1].split("\n", 1)[0]
    words = json.loads((book5.root / "manifest.json").read_text())["articles"][0]["words"]
    assert 800 <= words <= 1400


def test_registry_schema(book5: corpus.Corpus) -> None:
    from briefbook.entities.registry_files import load_registry

    registry = load_registry(book5.briefbook / "conf" / "entities")  # raises on any problem
    assert len(registry) == book5.counts.entities


def test_counts_grow_with_n() -> None:
    small = corpus.build_model(5)[3]
    large = corpus.build_model(40)[3]
    assert large.entities > small.entities
    assert large.mentions > 6 * small.mentions
    assert large.sources > small.sources
    per_article = small.mentions / small.articles
    assert 20 <= per_article <= 45  # 2-4 per paragraph, ~10 paragraphs


def test_briefbook_book_builds_warning_free(tmp_path: Path, book5: corpus.Corpus) -> None:
    result = sphinx_build(book5.briefbook / "docs", book5.briefbook / "conf", tmp_path / "html")
    assert result.returncode == 0, result.stderr
    assert result.warnings == []
    glossary = (tmp_path / "html" / "glossary" / "people.html").read_text(encoding="utf-8")
    assert "bb-backlinks" in glossary


def test_anchor_builds_warning_free(tmp_path: Path, book5: corpus.Corpus) -> None:
    result = sphinx_build(book5.anchor / "docs", book5.anchor / "conf", tmp_path / "html")
    assert result.returncode == 0, result.stderr
    assert result.warnings == []
    page = next((tmp_path / "html" / "briefings").glob("*.html")).read_text(encoding="utf-8")
    assert 'class="reference internal"' in page and "glossary/people.html#term-" in page


def test_add_mention_picks_an_entity_the_article_lacks(tmp_path: Path) -> None:
    book = corpus.generate(4, tmp_path / "n4")
    manifest = json.loads((book.root / "manifest.json").read_text())
    edit = add_mention(book.briefbook, manifest)
    target = next(a for a in manifest["articles"] if a["docname"] == edit.docname)
    assert edit.entity_id not in target["entities"]
    assert edit.path.read_bytes() != edit.original
    edit.restore()
    assert edit.path.read_bytes() == edit.original


def test_quick_run_writes_every_key(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    assert runner.main(["--quick", "--out", str(out)]) == 0
    data = json.loads((out / "bench.json").read_text())
    assert set(data) >= {"meta", "sizes", "parallel", "incremental", "pdf", "targets"}
    row = data["sizes"][0]
    assert row["n"] == runner.QUICK_SIZE
    for book in ("anchor", "briefbook"):
        assert set(row[book]) >= {"wall_s", "per_article_ms", "peak_rss_mb", "runs_s", "warnings"}
        assert row[book]["failed"] == 0 and row[book]["warnings"] == 0
        assert row[book]["peak_rss_mb"] > 0
    assert row["ratio"] is not None
    assert set(data["parallel"]) >= {"n", "jobs", "j1", "jn", "speedup", "parallel_warnings"}
    inc = data["incremental"]
    assert inc["backlinks_updated"] is True
    assert inc["last"]["pages_read"] == [inc["last"]["edited"]]
    assert data["pdf"]["skipped"] == "--quick"
    assert {t["target"] for t in data["targets"]} >= {"peak RSS at N=2000"}
