"""Ingested pages in the real sample book: warning-free, linked as by hand, and inert.

The seed article and a hostile article (every markup trick the issue lists) go through
``briefbook ingest`` into a copy of the sample book, which then builds with
``-W --keep-going -n`` like the real one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, sphinx_build
from test_ingest_support import SEED, write_hostile_article

pytestmark = pytest.mark.xdist_group("ingest-build")

HAND_PAGE = "briefings/2024-11-17-north-korean-troops-in-russia"


@pytest.fixture(scope="module")
def ingested_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("ingested")
    for name in ("docs", "conf"):
        shutil.copytree(REPO / name, book / name)
    shutil.copy2(REPO / "sources.bib", book / "sources.bib")
    hostile = write_hostile_article(book / "incoming")
    proc = subprocess.run(
        [sys.executable, "-m", "briefbook.cli", "ingest", str(SEED), str(hostile),
         "--out", "docs/ingested"],
        cwd=book, capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = sorted(p.stem for p in (book / "docs" / "ingested").glob("*.md"))
    assert len(pages) == 2
    index = book / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{toctree}\n:caption: Ingested\n\n"
                     + "\n".join(f"ingested/{p}" for p in pages) + "\n```\n", encoding="utf-8")
    result = sphinx_build(book / "docs", book / "conf", book / "_build" / "html")
    return book, result, pages


def page(book: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((book / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8"),
                         "html.parser")


def test_ingested_pages_build_without_warnings(ingested_book):
    _, result, _ = ingested_book
    assert result.returncode == 0, result.stderr
    assert result.warnings == []


def test_seed_ingest_reproduces_hand_annotation(ingested_book):
    book, _, pages = ingested_book
    seed_page = next(p for p in pages if p.startswith("2024-11-17"))
    hand = page(book, HAND_PAGE)
    auto = page(book, f"ingested/{seed_page}")
    hand_links = {m["data-entity"] for m in hand.select("span.bb-mention")}
    auto_links = {m["data-entity"] for m in auto.select("span.bb-mention")}
    # The hand annotation also links "the South Korean committee", a description the
    # registry holds no alias for, and the editors' footnotes name the Department of
    # Defense; every entity of the article's own text is found by ingest.
    assert auto_links == hand_links - {"national-assembly-intelligence-committee",
                                       "us-department-of-defense"}

    def speakers(soup: BeautifulSoup) -> dict[str, str]:
        return {q.select_one(".bb-quote-text").get_text(): q.select_one(".bb-speaker").get_text()
                for q in soup.select("span.bb-quote") if q.select_one(".bb-speaker a")}

    auto_speakers = speakers(auto)
    for text, speaker in speakers(hand).items():
        if speaker == "Armed Forces of Ukraine":
            continue  # the article names no speaker; the editors attributed it by hand
        assert auto_speakers.get(text) == speaker, text


def test_hostile_article_stays_inert(ingested_book):
    book, _, pages = ingested_book
    hostile_page = next(p for p in pages if not p.startswith("2024-11-17"))
    html = (book / "_build" / "html" / "ingested" / f"{hostile_page}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    # No live script, image, raw HTML or javascript: link from the input.
    assert not article.find_all("script")
    assert not article.find_all("img")
    assert not article.find_all("b")
    assert "javascript:" not in " ".join(a.get("href", "") for a in article.find_all("a"))
    text = article.get_text(" ")
    for literal in ('<script>alert("tag")</script>', "<img src=x onerror=alert(1)>",
                    "{eval-rst}", "```{raw} html", "{include} /etc/passwd", "$x^2$",
                    "[a link](javascript:alert(1))", "&lt;script&gt;", "{person}`Fake <vladimir-putin>`"):
        assert literal in text, literal
    # The injected role did not run (ingest may still link the word "Russia" itself).
    assert "Fake" not in [m.select_one(".bb-name").get_text() for m in article.select("span.bb-mention")]
    # Nothing became math or an admonition.
    assert not article.select(".math")
    assert not article.select(".admonition")
