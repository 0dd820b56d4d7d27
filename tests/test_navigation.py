"""Navigation rendered once per build: one script, small pages, briefings by month."""

from __future__ import annotations

import json
import re

import pytest

from conftest import build_root

pytestmark = pytest.mark.xdist_group("navigation")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return build_root("navigation", tmp_path_factory.mktemp("navigation"))


def nav_data(app) -> dict:
    text = (app.outdir / "_static" / "briefbook-nav.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"window\.BRIEFBOOK_NAV = (\{.*?\});\n", text).group(1))


def test_builds_clean(book):
    assert book.warning.getvalue() == ""


def test_briefings_grouped_by_month_newest_first(book):
    sections = nav_data(book)["sections"]
    assert [s["caption"] for s in sections] == ["Briefings", "Reference"]
    groups = sections[0]["groups"]
    assert [(g["label"], len(g["items"])) for g in groups] == [
        ("November 2024", 4), ("October 2024", 4), ("September 2024", 2)]
    assert groups[0]["items"][0] == {"doc": "briefings/2024-11-25-briefing-10",
                                     "title": "Briefing number 10"}
    reference = sections[1]["items"]
    assert reference == [{"doc": "glossary", "title": "Glossary",
                          "children": [{"doc": "people", "title": "People"}]}]


def test_pages_carry_a_placeholder_not_the_whole_toctree(book):
    page = (book.outdir / "briefings" / "2024-09-03-briefing-1.html").read_text(encoding="utf-8")
    assert 'id="bb-nav"' in page
    assert 'data-bb-current="briefings/2024-09-03-briefing-1"' in page
    # No other briefing is linked from this page's HTML: the list lives in the script.
    assert "Briefing number 7" not in page
    assert re.search(r'src="\.\./_static/briefbook-nav\.js\?v=[0-9a-f]{12}"', page)


def test_script_is_rewritten_only_when_the_navigation_changes(book, tmp_path):
    first = nav_data(book)
    again = build_root("navigation", tmp_path)
    assert nav_data(again) == first


@pytest.mark.browser
def test_sidebar_renders_and_marks_the_current_page(book, page):
    page.goto((book.outdir / "briefings" / "2024-10-11-briefing-4.html").as_uri())
    current = page.locator("#bb-nav li.current.active > a")
    current.wait_for(state="attached")
    assert current.inner_text() == "Briefing number 4"
    assert current.get_attribute("aria-current") == "page"
    months = page.locator("#bb-nav .bb-nav-month > details")
    assert months.count() == 3
    opened = [months.nth(i).evaluate("d => d.open") for i in range(3)]
    assert opened == [False, True, False]  # the current page's month
    page.locator("#bb-nav summary.bb-nav-month-label").first.click()
    link = page.locator("#bb-nav a", has_text="Briefing number 10")
    link.click()
    page.wait_for_url("**/briefings/2024-11-25-briefing-10.html")
    page.locator("#bb-nav li.current.active").wait_for(state="attached")
    assert page.locator("#bb-nav li.current.active > a").inner_text() == "Briefing number 10"
