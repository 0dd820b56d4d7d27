"""The entity domain: resolution, glossary entries, backlinks, hover cards."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import build_root


def html(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def mentions(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [
        (m["data-entity"], m.select_one(".bb-name").get_text(), m.select_one("a")["href"])
        for m in page.select("span.bb-mention")
    ]


@pytest.fixture(scope="module")
def entities_app(tmp_path_factory):
    return build_root("entities", tmp_path_factory.mktemp("entities"))


def test_builds_without_warnings(entities_app):
    assert entities_app.warning.getvalue() == ""


def test_resolves_by_name_alias_id_and_explicit_title(entities_app):
    found = mentions(html(entities_app, "a1"))
    assert found[:4] == [
        ("ada-lovelace", "Ada Lovelace", "glossary.html#ada-lovelace"),
        ("ada-lovelace", "Lovelace", "glossary.html#ada-lovelace"),
        ("ada-lovelace", "ada-lovelace", "glossary.html#ada-lovelace"),
        ("ada-lovelace", "the Countess", "glossary.html#ada-lovelace"),
    ]
    assert ("london", "London", "glossary.html#london") in found
    org = mentions(html(entities_app, "a2"))
    assert ("royal-society", "RS", "glossary.html#royal-society") in org


def test_variant_spelling_shows_source_text_with_sic_marker(entities_app):
    page = html(entities_app, "a2")
    mention = page.select_one("span.bb-mention[data-entity=ada-lovelace]")
    assert mention.select_one(".bb-name").get_text() == "Ada Lovelance"
    assert mention.select_one(".bb-sic").get_text() == "[sic]"
    # Correct spellings get no marker.
    assert html(entities_app, "a6").select_one(".bb-sic") is None
    # The glossary explains the marker.
    entry = html(entities_app, "glossary").find(id="ada-lovelace").find_next_sibling("dd")
    aliases = entry.select_one(".bb-aliases").get_text(" ", strip=True)
    assert "Ada Lovelance" in aliases
    assert "[sic]" in aliases


def test_term_role_reaches_entities(entities_app):
    page = html(entities_app, "a4")
    link = page.select_one("a.reference.internal span.std-term")
    assert link is not None and link.get_text() == "Ada Lovelace"
    assert link.parent["href"] == "glossary.html#ada-lovelace"


def test_glossary_entry_has_native_name_roles_description(entities_app):
    page = html(entities_app, "glossary")
    terms = [dt.get_text(strip=True).rstrip("#¶") for dt in page.select("dl.glossary dt")]
    assert terms[:2] == ["Ada Lovelace", "Charles Babbage"]  # sorted
    entry = page.find(id="ada-lovelace").find_next_sibling("dd")
    assert entry.select_one(".bb-native-name").get_text() == "Augusta Ada King"
    roles = [li.get_text(strip=True) for li in entry.select(".bb-roles li")]
    assert roles == ["Countess of Lovelace, since 1838-06-30",
                     "Analyst of the Engine, 1842-01-01 to 1843-12-31"]
    place = page.find(id="london").find_next_sibling("dd")
    assert "51.509° N, 0.126° W" in place.select_one(".bb-facts").get_text()


def backlinks(app, entity_id: str) -> list[str]:
    entry = html(app, "glossary").find(id=entity_id).find_next_sibling("dd")
    return [a["href"] for a in entry.select(".bb-backlinks a")]


def test_backlinks_point_at_each_briefing_and_section(entities_app):
    links = backlinks(entities_app, "ada-lovelace")
    # One link per page (to the first mention), a1 not repeated per mention.
    assert links == ["a1.html#m-ada-lovelace-0", "a2.html#m-ada-lovelace-0",
                     "a6.html#m-ada-lovelace-0"]
    babbage = html(entities_app, "glossary").find(id="charles-babbage").find_next_sibling("dd")
    text = babbage.select_one(".bb-backlinks").get_text(" ", strip=True)
    # a1 mentions Babbage in its "Second section": the section is named and linked.
    assert "Second section" in text
    # The {term} role in a4 is a glossary link, not an entity mention.
    assert "a4.html" not in " ".join(backlinks(entities_app, "ada-lovelace"))


def test_hover_card_shows_role_at_article_date(entities_app):
    card_1843 = html(entities_app, "a1").select_one("#m-ada-lovelace-0-card")
    assert card_1843["role"] == "tooltip"
    assert card_1843.select_one(".bb-card-name").get_text() == "Ada Lovelace"
    assert card_1843.select_one(".bb-card-native").get_text() == "Augusta Ada King"
    assert card_1843.select_one(".bb-card-role").get_text() == (
        "Countess of Lovelace; Analyst of the Engine")
    assert card_1843.select_one(".bb-card-summary").get_text() == "Mathematician."
    card_1850 = html(entities_app, "a2").select_one("span.bb-card")
    assert card_1850.select_one(".bb-card-role").get_text() == "Countess of Lovelace"


def test_static_assets_are_shipped(entities_app):
    assert (entities_app.outdir / "_static" / "briefbook.js").is_file()
    assert (entities_app.outdir / "_static" / "briefbook.css").is_file()
    page = (entities_app.outdir / "a1.html").read_text(encoding="utf-8")
    assert "_static/briefbook.js" in page
    assert "cdn" not in page.lower().split("briefbook.js")[0][-200:]


@pytest.mark.sphinx("html", testroot="unresolved")
def test_unresolved_mention_warns_with_file_and_line(app):
    app.build()
    warnings = app.warning.getvalue().strip().splitlines()
    assert len(warnings) == 3, warnings
    assert "index.md:5: WARNING: BB101 unresolved person mention 'Grace Hopper'" in warnings[0]
    assert ("index.md:5: WARNING: BB101 unresolved person mention 'London' (it is a place: "
            "use {place})") in warnings[1]
    # Known, but the book has no glossary page for people: a fix, not a Sphinx internal.
    assert ("index.md:3: WARNING: BB102 'Ada Lovelace' has no glossary entry: add a page "
            "with {entity-index} person to the book") in warnings[2]


def test_parallel_build_gives_same_glossary(tmp_path):
    pages = {}
    for jobs in (1, 2):
        app = build_root("entities", tmp_path / f"j{jobs}", parallel=jobs)
        assert jobs == 1 or app.is_parallel_allowed("read")
        assert app.warning.getvalue() == ""
        pages[jobs] = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    assert pages[1] == pages[2]
    assert "a6.html#m-ada-lovelace-0" in pages[2]


def test_incremental_rebuild_drops_and_adds_backlinks(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-entities", src)
    build = tmp_path / "build"

    def run() -> SphinxTestApp:
        app = SphinxTestApp("html", srcdir=src, builddir=build)
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    first = run()
    assert "a6.html#m-ada-lovelace-0" in backlinks(first, "ada-lovelace")
    # Drop the mention from a6 and add one of Babbage instead.
    (src / "a6.md").write_text("---\ndate: 1842-06-01\n---\n\n# Article a6\n\n"
                               "Now only {person}`Charles Babbage`.\n", encoding="utf-8")
    second = run()
    assert "a6.html#m-ada-lovelace-0" not in backlinks(second, "ada-lovelace")
    assert "a6.html#m-charles-babbage-0" in backlinks(second, "charles-babbage")
