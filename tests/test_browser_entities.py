"""Hover cards in a real browser: mouse hover and keyboard focus show the preview."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sample")]

BRIEFING = "briefings/2024-11-17-north-korean-troops-in-russia.html"


def open_briefing(page, sample_html):
    assert sample_html.returncode == 0, sample_html.stderr
    page.goto((sample_html.outdir / BRIEFING).as_uri())


def test_hovering_a_mention_shows_its_card(page, sample_html):
    open_briefing(page, sample_html)
    mention = page.locator(".bb-mention[data-entity=kim-tae-hyo]").first
    card = mention.locator(".bb-card")
    assert not card.is_visible()
    mention.locator("a").hover()
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "Kim Tae-hyo" in text
    assert "김태효" in text
    # The page keeps the article's spelling and marks it.
    assert mention.locator(".bb-name").inner_text() == "Kim Tae-Yayo"
    assert mention.locator(".bb-sic").is_visible()


def test_keyboard_focus_shows_the_card(page, sample_html):
    open_briefing(page, sample_html)
    mention = page.locator(".bb-mention[data-entity=lloyd-austin]").first
    mention.locator("a").focus()
    card = mention.locator(".bb-card")
    card.wait_for(state="visible")
    assert "U.S. Secretary of Defense" in card.inner_text()
    assert mention.locator("a").get_attribute("aria-describedby") == card.get_attribute("id")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")


def test_mention_link_opens_the_glossary_entry(page, sample_html):
    open_briefing(page, sample_html)
    page.locator(".bb-mention[data-entity=xi-jinping] a").first.click()
    page.wait_for_url("**/glossary/people.html#xi-jinping")
    entry = page.locator("dt#xi-jinping + dd")
    assert "习近平" in entry.inner_text()
    assert "Mentioned in" in entry.inner_text()


def test_citation_card_shows_the_source_and_its_grade_by_keyboard(page, sample_html):
    open_briefing(page, sample_html)
    claim = page.locator(".bb-key-judgements .bb-claim").first
    source = claim.locator(".bb-source[data-source=dod2024austinrome]")
    link = source.locator("a")
    card = source.locator(".bb-card")
    assert not card.is_visible()
    link.focus()
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "Remarks by Secretary of Defense Lloyd Austin" in text
    # The key judgement grades its use of the source (credibility 1).
    assert "Grade B1: source B: usually reliable; information 1: confirmed by other sources" in text
    assert link.get_attribute("aria-describedby") == card.get_attribute("id")
    assert link.get_attribute("title") is None  # no second, native tooltip
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
