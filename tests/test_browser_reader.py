"""The reader's briefing in a real browser (Debian's Chromium, headless, via Playwright).

Screenshots of the main pages at phone (375 px) and desktop (1440 px) widths are written
to ``_build/screenshots/`` for whoever changes the layout to look at.
"""

from __future__ import annotations

import pytest

from conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sample")]

SHOTS = REPO / "_build" / "screenshots"


def goto(page, sample_html, name: str, query: str = "") -> None:
    assert sample_html.returncode == 0, sample_html.stderr
    page.goto((sample_html.outdir / name).as_uri() + query)


def test_front_page_lists_the_seed_briefing(page, sample_html):
    goto(page, sample_html, "index.html")
    card = page.locator(".bb-latest .bb-briefing-card").first
    assert card.is_visible()
    assert "North Korean Troops in Russia" in card.inner_text()
    card.locator(".sd-card-title a").click()
    page.wait_for_url("**/briefings/2024-11-17-north-korean-troops-in-russia.html")


def test_timeline_shows_the_briefing_under_november_2024(page, sample_html):
    goto(page, sample_html, "timeline.html")
    november = page.locator("#month-2024-11 + ul")
    assert november.is_visible()
    assert "North Korean Troops in Russia and the Widening War in Ukraine" in november.inner_text()


def test_filter_box_narrows_the_people_grid(page, sample_html):
    goto(page, sample_html, "indexes/people.html")
    cards = page.locator("#bb-grid-person .sd-col")
    total = cards.count()
    assert total >= 7
    box = page.locator("input.bb-filter-input")
    box.fill("rosenburg")  # a variant spelling finds the person
    visible = [c for c in cards.all() if c.is_visible()]
    assert [c.locator(".sd-card-title").inner_text() for c in visible] == ["Steve Rosenberg"]
    assert page.locator(".bb-filter-count").inner_text() == f"1 of {total}"
    box.fill("путин")  # native script, any case
    visible = [c for c in cards.all() if c.is_visible()]
    assert [c.locator(".sd-card-title").inner_text() for c in visible] == ["Vladimir Putin"]
    box.fill("")
    assert len([c for c in cards.all() if c.is_visible()]) == total


def test_map_marker_for_kazan_opens_its_entry(page, sample_html):
    goto(page, sample_html, "map.html")
    marker = page.locator("figure.bb-map-page svg a.bb-map-marker[data-place=kazan]")
    assert marker.count() == 1 and marker.is_visible()
    assert marker.locator("text").inner_html() == "Kazan"
    marker.click()
    page.wait_for_url("**/glossary/places.html#kazan")
    assert page.locator("dt#kazan").is_visible()


@pytest.mark.parametrize(("query", "entity"), [("Rosenburg", "Steve Rosenberg"),
                                               ("김태효", "Kim Tae-hyo")])
def test_search_finds_an_entity_by_alias(page, sample_html, query, entity):
    goto(page, sample_html, "search.html", f"?q={query}")
    first = page.locator("#search-results li").first
    first.wait_for(state="visible")
    assert entity in first.inner_text()
    assert "people.html#" in first.locator("a").first.get_attribute("href")


def test_tap_opens_the_card_on_touch(browser, sample_html):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        goto(page, sample_html, "briefings/2024-11-17-north-korean-troops-in-russia.html")
        mention = page.locator(".bb-mention[data-entity=xi-jinping]").first
        mention.scroll_into_view_if_needed()
        url = page.url
        mention.locator("a").tap()
        card = mention.locator(".bb-card")
        card.wait_for(state="visible")
        assert "Xi Jinping" in card.inner_text()
        assert page.url == url  # the first tap previews, it does not navigate
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1440])
def test_screenshots_and_no_horizontal_scroll(browser, sample_html, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for name in ("index", "briefings/2024-11-17-north-korean-troops-in-russia", "timeline",
                     "indexes/people", "glossary/people"):
            goto(page, sample_html, f"{name}.html")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{name} scrolls sideways at {width}px"
            shot = SHOTS / f"{name.replace('/', '-')}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
    finally:
        context.close()
