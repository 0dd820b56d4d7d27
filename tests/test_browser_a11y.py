"""Accessibility (Section 508 / WCAG 2.1 AA): axe-core in Chromium over every page type.

axe-core comes bundled in axe-playwright-python (``axe.min.js`` in the package, injected
into the page: nothing is fetched at run time).  Each page type is checked once in the
light and once in the dark colour scheme, after its scripts have run (the sidebar is drawn
by ``briefbook-nav.js``), and a briefing once more with its hover cards shown, since axe
skips what is hidden.

A page fails on any violation of a WCAG 2.0/2.1 level A or AA rule, whatever its impact,
and on any violation rated serious or critical, whatever its rule.  Best-practice rules
of lower impact (``region``: the theme's logo sits outside a landmark) are not failures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sample")]

WCAG_AA = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
FAILING_IMPACTS = {"serious", "critical"}
BRIEFING = "briefings/2024-11-17-north-korean-troops-in-russia.html"

#: One page of each type the sample book has: (page type, path and query).
PAGE_TYPES = [
    ("front page", "index.html"),
    ("briefing", BRIEFING),
    ("glossary", "glossary/index.html"),
    ("glossary: people", "glossary/people.html"),
    ("glossary: places", "glossary/places.html"),
    ("glossary: organizations", "glossary/organizations.html"),
    ("grid: people", "indexes/people.html"),
    ("grid: places", "indexes/places.html"),
    ("timeline", "timeline.html"),
    ("map", "map.html"),
    ("references", "references.html"),
    ("affected judgements", "affected.html"),
    ("what changed", "what-changed.html"),
    ("yardstick", "yardstick.html"),
    ("search", "search.html?q=Kim"),
    ("general index", "genindex.html"),
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def failures(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations this suite does not accept (see the module docstring)."""
    return [v for v in results["violations"]
            if WCAG_AA & set(v["tags"]) or v["impact"] in FAILING_IMPACTS]


def report(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} accessibility violation(s)"]
    for violation in violations:
        tags = ", ".join(t for t in violation["tags"] if t.startswith("wcag")) or "best practice"
        lines.append(f"- {violation['id']} ({violation['impact']}; {tags}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}  {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def open_page(page, sample_site: str, path: str, scheme: str) -> None:
    # Reduced motion: colours are measured as they settle, not half-way through the
    # theme's transitions (a loaded machine caught a dark-mode label mid-fade).
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(sample_site + path)
    page.wait_for_load_state("load")
    # The theme follows the reader's colour scheme ("auto"): check it did.
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    # The sidebar is drawn by script; scan it drawn, not as its empty placeholder.
    page.locator("#bb-nav ul.bd-sidenav").first.wait_for(state="attached")
    if path.startswith("search.html"):
        page.locator("#search-results ul.search li").first.wait_for(state="attached")
    # And any transition still running is finished before axe reads the colours.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("kind", "path"), PAGE_TYPES, ids=[kind for kind, _ in PAGE_TYPES])
def test_page_type_passes_axe(page, sample_site, axe, kind, path, scheme):
    open_page(page, sample_site, path, scheme)
    results = axe.run(page, options={"resultTypes": ["violations"]}).response
    bad = failures(results)
    assert not bad, report(f"{kind} ({path}, {scheme})", bad)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_briefing_with_cards_shown_passes_axe(page, sample_site, axe, scheme):
    open_page(page, sample_site, BRIEFING, scheme)
    # A card shows on keyboard focus; one of each kind (entity, source).
    for selector in (".bb-mention a", ".bb-source a"):
        page.locator(selector).first.focus()
        page.locator(selector).first.locator("xpath=..").locator(".bb-card").wait_for(
            state="visible")
        results = axe.run(page, options={"resultTypes": ["violations"]}).response
        bad = failures(results)
        assert not bad, report(f"briefing with a {selector} card shown ({scheme})", bad)


def test_axe_core_is_bundled_not_fetched():
    """The engine ships in the package; a test run must not depend on a CDN."""
    import axe_playwright_python
    from axe_playwright_python.base import AXE_FILE_PATH, AXE_SCRIPT

    assert AXE_FILE_PATH.is_file()
    assert AXE_FILE_PATH.parent == Path(axe_playwright_python.__file__).parent
    assert AXE_SCRIPT.startswith("/*! axe v4.")
