"""Every real article of the evaluation corpus, ingested into the sample book, builds.

The promise of ingest is a folder of articles nobody here wrote in, ``make html`` out,
with no hand edit: this test makes it for the whole corpus (government releases,
transcripts, encyclopedia pages, speeches), builds with ``-W --keep-going -n`` and holds
that every new page is in the navigation and that ``briefbook check --strict`` is clean
(no candidates were added, so nothing is left for review) but for the undated pages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from test_ingest_build import briefbook, copy_sample, html_build, nav_briefings

pytestmark = pytest.mark.xdist_group("ingest-corpus-build")

CORPUS = REPO / "tests" / "corpus"


@pytest.fixture(scope="module")
def corpus_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    book = copy_sample(tmp_path_factory.mktemp("corpus-book") / "book")
    articles = tmp_path_factory.mktemp("articles")
    for text in CORPUS.glob("*.txt"):
        shutil.copy2(text, articles / text.name)
    proc = briefbook(book, "ingest", str(articles))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "recogniser: spaCy" in proc.stderr
    written = sorted(p.stem for p in (book / "docs" / "briefings").glob("*.md"))
    return book, [f"briefings/{stem}" for stem in written]


def test_every_ingested_real_article_builds_and_is_listed(
        corpus_book: tuple[Path, list[str]]) -> None:
    book, docnames = corpus_book
    assert len(docnames) == len(list(CORPUS.glob("*.txt"))) + 1  # and the hand-written page
    result = html_build(book)
    assert result.returncode == 0 and not result.warnings, result.warnings[:20]
    listed, _ = nav_briefings(result.outdir)
    assert sorted(listed) == docnames
    dated = [d for d in listed if re.match(r"briefings/\d{4}-", d)]
    assert dated == sorted(dated, reverse=True)  # newest first


def test_check_is_clean_after_ingest(corpus_book: tuple[Path, list[str]]) -> None:
    """Clean but for the pages of articles that state no date (BB507, one each, for the
    analyst to date): nothing else is left for review."""
    book, _ = corpus_book
    proc = briefbook(book, "check", "--strict", "--format", "json", ".")
    findings = json.loads(proc.stdout)["findings"]
    undated = sorted(p.name for p in (book / "docs" / "briefings").glob("undated-*.md"))
    assert undated
    assert [(f["code"], Path(f["path"]).name) for f in findings] == [
        ("BB507", name) for name in undated], proc.stdout[-4000:]
    proc = briefbook(book, "check", "--strict", "--ignore", "BB507", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr
