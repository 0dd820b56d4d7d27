"""The sample book works under its Content-Security-Policy in a real browser.

The site is served over HTTP, as it is published. A listener added before any page script
records every ``securitypolicyviolation``; the pages must report none while their scripts
(navigation, hover cards, filter, search) do their work.
"""

from __future__ import annotations

import pytest

from briefbook.build.csp_policy import add_policy
from conftest import serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sample")]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
    + " " + event.sourceFile + ":" + event.lineNumber + " " + event.sample);
});
"""


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_pages_run_their_scripts_without_violations(watched, sample_site):
    page = watched
    page.goto(sample_site + "index.html")
    page.wait_for_load_state("load")
    # The navigation is drawn by a script: it ran.
    assert page.locator("#bb-nav a").count() > 3
    assert violations(page) == []

    page.goto(sample_site + "briefings/2024-11-17-north-korean-troops-in-russia.html")
    mention = page.locator(".bb-mention[data-entity=kazan]").first
    mention.locator("a").hover()
    mention.locator(".bb-card").wait_for(state="visible")
    assert violations(page) == []

    page.goto(sample_site + "indexes/people.html")
    page.locator("input.bb-filter-input").fill("putin")
    assert page.locator(".bb-filter-count").inner_text().startswith("1 of ")
    assert violations(page) == []

    page.goto(sample_site + "search.html?q=Rosenburg")
    page.locator("#search-results li").first.wait_for()
    assert violations(page) == []

    for name in ("timeline.html", "glossary/places.html", "references.html", "genindex.html"):
        page.goto(sample_site + name)
        page.wait_for_load_state("load")
        assert violations(page) == [], name


def test_an_inline_script_the_templates_did_not_write_is_blocked(watched, tmp_path):
    """The policy is not decorative: a script added after it was computed does not run."""
    page_html = add_policy('<!DOCTYPE html><html><head><meta charset="utf-8" />'
                           '<script>document.title = "allowed";</script></head><body>'
                           '<p>text</p></body></html>')
    smuggled = page_html.replace("<p>text</p>",
                                 '<p>text</p><script>document.title = "smuggled";</script>')
    (tmp_path / "page.html").write_text(smuggled, encoding="utf-8")
    server = serve_folder(tmp_path)
    try:
        watched.goto(f"http://127.0.0.1:{server.server_address[1]}/page.html")
        watched.wait_for_load_state("load")
        assert watched.title() == "allowed"
        assert any(v.startswith("script-src") for v in violations(watched))
    finally:
        server.shutdown()
