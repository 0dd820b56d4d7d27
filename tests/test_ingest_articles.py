"""End-to-end analysis of the seed article and of the dozen test articles.

Each ``tests/articles/<name>.txt`` has ``<name>.expected.json``: metadata, the exact set
of entity ids linked in the paragraphs, and the quotes (a prefix of the words and the
speaker: a registry id, the unnamed speaker's words, or null).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefbook.entities.registry_files import load_registry
from briefbook.ingest.pipeline import Context, analyse
from briefbook.ingest.reader import read_article
from briefbook.ingest.writer import render_page
from test_ingest_support import ARTICLES, SAMPLE_REGISTRY, SEED, TEST_REGISTRY, paragraph_texts


@pytest.fixture(scope="module")
def test_context() -> Context:
    return Context(load_registry(TEST_REGISTRY), backend="rules")


@pytest.fixture(scope="module")
def sample_context() -> Context:
    return Context(load_registry(SAMPLE_REGISTRY), backend="rules")


def _speaker(quote) -> str | None:  # type: ignore[no-untyped-def]
    return quote.speaker_id or quote.speaker_text


ARTICLE_FILES = sorted(ARTICLES.glob("*.txt"))


def test_a_dozen_articles() -> None:
    assert len(ARTICLE_FILES) >= 12


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.stem for p in ARTICLE_FILES])
def test_article_matches_expectations(path: Path, test_context: Context) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    analysis = analyse(read_article(path), test_context)
    meta = analysis.to_json()["meta"]
    for key, value in expected["meta"].items():
        assert meta[key] == value, key
    assert {m.id for m in analysis.mentions} == set(expected["entities"])
    assert len(analysis.quotes) == len(expected["quotes"]), [q.text for q in analysis.quotes]
    for want, got in zip(expected["quotes"], analysis.quotes, strict=True):
        assert got.text.startswith(want["text"])
        assert _speaker(got) == want["speaker"], got.text
    # Every paragraph comes back word for word from the rendered page.
    rendered = paragraph_texts(render_page(analysis))
    for paragraph in analysis.article.paragraphs:
        assert paragraph in rendered


SEED_ENTITIES = {
    "lloyd-austin", "kim-tae-hyo", "lee-seong-kweun", "vladimir-putin", "volodymyr-zelensky",
    "steve-rosenberg", "xi-jinping", "russia", "north-korea", "south-korea", "ukraine",
    "united-states", "china", "kazan", "brics", "bbc",
}


def test_seed_links_and_attributions(sample_context: Context) -> None:
    analysis = analyse(read_article(SEED), sample_context)
    linked = {m.id for m in analysis.mentions}
    assert linked >= SEED_ENTITIES
    texts = {m.text: m.id for m in analysis.mentions}
    assert texts["Kim Tae-Yayo"] == "kim-tae-hyo"
    assert texts["Zelensky"] == "volodymyr-zelensky"
    assert texts["Steve Rosenburg"] == "steve-rosenberg"
    assert texts["Lee"] == "lee-seong-kweun"
    speakers = {q.text.split()[0:4].__str__(): q for q in analysis.quotes}
    by_start = {q.text[:30]: (q.speaker_id, q.speaker_text) for q in analysis.quotes}
    assert by_start["the immediate withdrawal of No"][0] == "kim-tae-hyo"
    assert by_start["very, very, serious."][0] == "lloyd-austin"
    assert by_start["the special forces have alread"][1] == "South Korean intelligence services"
    assert by_start["there are also signs of North "][0] == "lee-seong-kweun"
    assert by_start["the war is spreading"][0] == "bbc"
    assert by_start["How can you show the pressures"][0] == "steve-rosenberg"
    assert by_start["no escalation in fighting"][0] == "xi-jinping"
    assert speakers
    meta = analysis.article
    assert (meta.date and meta.date.isoformat(), meta.author) == ("2024-11-17", "Lewis Gaston")
    assert meta.title_supplied
    assert len(analysis.article.pull_quotes) == 4


def test_seed_page_quotes_keep_marks_outside(sample_context: Context) -> None:
    analysis = analyse(read_article(SEED), sample_context)
    analysis.source_key = "gaston2024a"
    page = render_page(analysis)
    assert "“{quote}`the war is spreading <speaker=bbc; source=gaston2024a>`”" in page
    assert "{person}`Kim Tae-Yayo <kim-tae-hyo>`" in page
    assert "title_supplied: true" in page
    assert page.count("{pull-quote}") == 4
