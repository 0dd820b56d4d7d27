"""The reader's pages, generated from the book: front page, timeline, indexes, search."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.xdist_group("sample")

BRIEFING = "briefings/2024-11-17-north-korean-troops-in-russia.html"


def soup(result, name: str) -> BeautifulSoup:
    return BeautifulSoup((result.outdir / name).read_text(encoding="utf-8"), "html.parser")


def test_front_page_card_for_the_seed_briefing(sample_html):
    front = soup(sample_html, "index.html")
    cards = front.select(".bb-latest .bb-briefing-card")
    assert len(cards) == 1
    card = cards[0]
    title = card.select_one(".sd-card-title a")
    assert title.get_text() == "North Korean Troops in Russia and the Widening War in Ukraine"
    assert title["href"] == BRIEFING
    assert card.select_one(".bb-card-dateline").get_text() == "17 November 2024 · Lewis Gaston"
    judgement = card.select_one(".bb-card-judgement").get_text()
    assert judgement.startswith("Almost certain: North Korean troops were in Russia")
    badges = [b.get_text() for b in card.select(".sd-badge")]
    assert "Vladimir Putin" in badges and "Russia" in badges
    # Badges link to the glossary entries.
    assert card.select_one(".bb-card-badges a[href='glossary/people.html#vladimir-putin']")


def test_timeline_groups_by_month(sample_html):
    page = soup(sample_html, "timeline.html")
    months = [r.get_text() for r in page.select(".bb-timeline-month")]
    assert months == ["October 2024", "November 2024"]
    november = page.select_one("#month-2024-11").find_next_sibling("ul")
    assert "Briefing: North Korean Troops in Russia" in november.get_text()
    assert november.select_one(f"a[href='{BRIEFING}']")
    october = page.select_one("#month-2024-10").find_next_sibling("ul")
    event = october.select_one(".bb-timeline-event")
    assert event.get_text().startswith("22 October 2024 — The 16th BRICS summit opens in Kazan")
    hrefs = [a["href"] for a in event.select("a")]
    assert any(h.startswith(BRIEFING + "#event-") for h in hrefs)
    assert "glossary/places.html#kazan" in hrefs
    assert "references.html#cite-brics2024kazan" in hrefs


def test_people_grid_cards(sample_html):
    page = soup(sample_html, "indexes/people.html")
    box = page.select_one("input.bb-filter-input")
    assert box["data-bb-filter"] == "bb-grid-person"
    cards = page.select("#bb-grid-person .bb-entity-card")
    names = [c.select_one(".sd-card-title").get_text(strip=True) for c in cards]
    assert names == sorted(names, key=str.casefold) and "Xi Jinping" in names
    putin = cards[names.index("Vladimir Putin")]
    assert putin.select_one(".bb-native").get_text() == "Владимир Владимирович Путин"
    assert putin.select_one(".bb-grid-count").get_text() == "5 mentions"
    austin = cards[names.index("Lloyd Austin")]
    assert austin.select_one(".bb-grid-role").get_text() == (
        "U.S. Secretary of Defense (2021-01-22 to 2025-01-20)")


def test_search_index_holds_aliases_and_native_names(sample_html):
    raw = (sample_html.outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", raw, re.S).group(1))
    objects = json.dumps(index["objects"], ensure_ascii=False)
    for name in ("Steve Rosenburg (Steve Rosenberg)", "김태효 (Kim Tae-hyo)", "Lloyd Austin"):
        assert name in objects


def test_no_cdn_or_remote_assets(sample_html):
    for page in ("index.html", BRIEFING, "timeline.html", "indexes/people.html"):
        html = (sample_html.outdir / page).read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(js|css)', html), page
