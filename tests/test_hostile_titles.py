"""Titles are text wherever they appear: HTML, navigation data, search, LaTeX and PDF.

A book made by ``briefbook init`` with a hostile title (``project``, ``html_title``, the
LaTeX title), a hostile author, registry entities with hostile names, a briefing ingested
from an article with a hostile headline (its derived title) and a page with a hostile
front-matter ``title:`` and ``# heading``. Every payload points at ``example.invalid``
or calls ``alert(1)``, so a live element made from a title is found by what it carries,
in any page, wherever the theme or briefbook put it. Built twice in HTML: with the
book's own navigation (the default) and with the theme's sidebar and logo title, which
printed titles as they were; and once as a PDF.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from briefbook.cli import main
from briefbook.init import BookValues, init_book
from conftest import SAMPLE_EPOCH, BuildResult, serve_folder, sphinx_build

PAYLOAD = " ".join([
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=http://example.invalid/meta">',
    '"><form action="http://example.invalid/form">',
    '</title><a href="http://example.invalid/link">x</a>',
    "{{ 7*7 }}",
    r"\input{/etc/passwd} & % $ # _ { } ~ ^",
])
BOOK_TITLE = f"Book {PAYLOAD}"
AUTHOR = "Ann <script>alert(1)</script>"
HEADING = f"Heading {PAYLOAD}"
FRONT_TITLE = f"Front {PAYLOAD}"
HEADLINE = f"Headline {PAYLOAD}"
JUDGEMENT = f"Judgement {PAYLOAD}"
PERSON, PLACE, ORG = f"Person {PAYLOAD}", f"Place {PAYLOAD}", f"Org {PAYLOAD}"
PAGE = "briefings/2024-11-18-hostile"

#: Attributes that make an element do something with a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "content", "data", "xlink:href"}


def markdown(text: str) -> str:
    """``text`` as MyST inline text (as ``briefbook ingest`` escapes an article's)."""
    from briefbook.ingest.writer import escape_text

    return escape_text(text)


def write_book(root: Path) -> None:
    init_book(root, BookValues(title=BOOK_TITLE, author=AUTHOR))
    entities = root / "conf" / "entities"
    (entities / "people.yaml").write_text(yaml.safe_dump(
        [{"id": "hostile-person", "name": PERSON, "description": "A person."}]), encoding="utf-8")
    (entities / "places.yaml").write_text(yaml.safe_dump(
        [{"id": "hostile-place", "name": PLACE, "kind": "city", "country": "GB",
          "coordinates": [51.5, -0.1], "description": "A place."}]), encoding="utf-8")
    (entities / "organizations.yaml").write_text(yaml.safe_dump(
        [{"id": "hostile-org", "name": ORG, "description": "An organisation."}]), encoding="utf-8")
    with (root / "sources.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{hostile2024,\n  author = {Hostile Outlet},\n  title = {Report},\n"
                  "  year = {2024},\n  reliability = {B},\n}\n")
    article = root / "article.txt"
    article.write_text(f" date 2024-11-17 Jane Writer\n\n{HEADLINE}\n\n"
                       "Something happened at the harbour today, said the minister.\n",
                       encoding="utf-8")
    assert main(["ingest", "--recogniser", "rules", "--out", str(root / "docs" / "briefings"),
                 "--registry", str(entities), "--bib", str(root / "sources.bib"),
                 str(article)]) == 0
    front = yaml.safe_dump({"title": FRONT_TITLE, "date": "2024-11-18", "author": "Bob"},
                           allow_unicode=True, width=10_000)
    (root / "docs" / f"{PAGE}.md").write_text(
        f"---\n{front}---\n\n# {markdown(HEADING)}\n\n"
        "````{key-judgements}\n```{claim}\n:likelihood: likely\n:confidence: low\n"
        f":sources: hostile2024\n:key:\n\n{markdown(JUDGEMENT)}\n```\n````\n\n"
        "{person}`hostile-person` spoke in {place}`hostile-place` for {org}`hostile-org`.\n\n"
        "```{event} 2024-11-16\n:entities: hostile-person\n:sources: hostile2024\n\n"
        "The harbour reopened.\n```\n", encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "book"
    write_book(root)
    return root


def build_html(root: Path, out: Path) -> BuildResult:
    return sphinx_build(root / "docs", root / "conf", out)


@pytest.fixture(scope="module")
def own_nav(book: Path) -> BuildResult:
    """The book as ``briefbook init`` configures it: briefbook's navigation script."""
    return build_html(book, book / "_build" / "html")


@pytest.fixture(scope="module")
def theme_nav(book: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The theme's own sidebar (its home link prints the book's title) and its logo title
    (``html_title``)."""
    root = tmp_path_factory.mktemp("hostile-theme") / "book"
    shutil.copytree(book, root, ignore=shutil.ignore_patterns("_build"))
    with (root / "conf" / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nbriefbook_static_nav = False\nhtml_sidebars = {}\n"
                   "html_theme_options = {k: v for k, v in html_theme_options.items()"
                   " if k != 'logo'}\n")
    return build_html(root, root / "_build" / "html")


def live_elements(html: str) -> list[str]:
    """Elements that do what a payload asks: scripts calling alert, event handlers,
    refreshes, and any element pointing at example.invalid."""
    found = []
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        attrs = {k.lower(): (" ".join(v) if isinstance(v, list) else str(v)) for k, v in el.attrs.items()}
        why = ""
        if el.name == "script" and "alert(1)" in el.get_text():
            why = "script"
        elif any(name.startswith("on") for name in attrs):
            why = "event handler"
        elif el.name == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            why = "refresh"
        elif el.name == "img" and attrs.get("src") == "x":
            why = "img"
        elif any(name in URL_ATTRIBUTES and "example.invalid" in value
                 for name, value in attrs.items()):
            why = "points at example.invalid"
        if why:
            where = " < ".join(p.name + "".join(f".{c}" for c in p.get("class", []))
                               for p in list(el.parents)[:3] if p.name)
            found.append(f"{why}: <{el.name}> in {where}")
    return found


#: :func:`live_elements` for the page as its scripts left it (the argument: URL_ATTRIBUTES).
LIVE_IN_PAGE = """(urls) => [...document.querySelectorAll('*')].filter(e =>
    [...e.attributes].some(a => a.name.startsWith('on')
                           || (urls.includes(a.name) && a.value.includes('example.invalid')))
    || (e.tagName === 'SCRIPT' && e.textContent.includes('alert(1)'))).map(e => e.outerHTML)"""


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*.html"))}


def soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")


def text(node: object) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())  # type: ignore[attr-defined]


def squash(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("variant", ["own_nav", "theme_nav"])
def test_no_title_becomes_a_live_element_in_any_page(variant: str,
                                                     request: pytest.FixtureRequest) -> None:
    result: BuildResult = request.getfixturevalue(variant)
    found = {name: live for name, html in pages(result.outdir).items()
             if (live := live_elements(html))}
    assert found == {}
    assert result.returncode == 0, "\n".join(result.warnings)
    # Every payload was there to be found: in the page and the book's titles, as text.
    page = soup(result.outdir, f"{PAGE}.html")
    assert text(page.find("title")) == squash(f"{HEADING} \u2014 {BOOK_TITLE}")  # once escaped
    assert text(page.select_one("#jb-print-docs-body h1")) == squash(HEADING)  # print header
    assert text(page.select_one("p.component-author")) == f"By {AUTHOR}"


def test_the_theme_sidebar_and_logo_print_the_book_title_as_text(theme_nav: BuildResult) -> None:
    page = soup(theme_nav.outdir, "timeline.html")
    assert text(page.select_one(".bd-sidenav__home-link a")) == squash(BOOK_TITLE)
    assert text(page.select_one(".logo__title")) == squash(BOOK_TITLE)
    search = soup(theme_nav.outdir, "search.html")
    assert text(search.find("title")) == squash(f"Search - {BOOK_TITLE}")


def test_generated_pages_show_titles_and_names_as_text(own_nav: BuildResult) -> None:
    out = own_nav.outdir
    index = soup(out, "index.html")
    cards = [text(c) for c in index.select(".bb-briefing-card .sd-card-title")]
    headline = next(c for c in cards if c.startswith("Headline"))
    assert squash(HEADING) in cards and headline == squash(HEADLINE)
    card = next(c for c in index.select(".bb-briefing-card") if squash(HEADING) in text(c))
    assert squash(JUDGEMENT) in text(card.select_one(".bb-card-judgement"))
    assert [text(b) for b in card.select(".sd-badge")] == [squash(PERSON), squash(PLACE)]
    timeline = text(soup(out, "timeline.html").select_one(".bb-timeline"))
    assert squash(HEADING) in timeline and squash(HEADLINE) in timeline and squash(PERSON) in timeline
    term = soup(out, "glossary/people.html").select_one("dt")
    for permalink in term.select("a.headerlink"):
        permalink.decompose()
    assert text(term) == squash(PERSON)
    marker = soup(out, "map.html").select_one("svg .bb-map-marker")
    assert text(marker.find("title")) == squash(PLACE)
    assert text(marker.find("text")) == squash(PLACE)


def test_navigation_data_is_json_holding_the_titles_as_text(own_nav: BuildResult) -> None:
    script = (own_nav.outdir / "_static" / "briefbook-nav.js").read_text(encoding="utf-8")
    assert "</" not in script.split("window.BRIEFBOOK_NAV = ", 1)[1].split(";\n", 1)[0]
    data = json.loads(script.split("window.BRIEFBOOK_NAV = ", 1)[1].split(";\n", 1)[0])
    titles = [item["title"] for section in data["sections"] for item in section.get("items", [])]
    assert HEADING in titles and HEADLINE in titles
    assert data["rootTitle"] == BOOK_TITLE
    # The renderer sets text, never markup.
    assert "innerHTML" not in script and "textContent = text" in script


def test_search_index_holds_the_titles_as_plain_text(own_nav: BuildResult) -> None:
    index = (own_nav.outdir / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index.removeprefix("Search.setIndex(").removesuffix(")"))
    assert HEADING in data["titles"] and HEADLINE in data["titles"]


@pytest.mark.browser
def test_a_browser_shows_titles_as_text_in_navigation_and_search(own_nav: BuildResult, page) -> None:
    """What scripts build (the navigation, the search results) from the titles, in a real
    browser: no dialog opens, nothing points at example.invalid, the titles read as text."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    server = serve_folder(own_nav.outdir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page.goto(base + f"{PAGE}.html")
        page.locator("#bb-nav a").first.wait_for()
        nav = [squash(t) for t in page.locator("#bb-nav a").all_inner_texts()]
        assert squash(HEADING) in nav and squash(HEADLINE) in nav and squash(BOOK_TITLE) in nav
        assert page.evaluate(LIVE_IN_PAGE, sorted(URL_ATTRIBUTES)) == []
        page.goto(base + "search.html?q=Headline")
        page.locator("#search-results li a").first.wait_for()
        results = [squash(t) for t in page.locator("#search-results li a").all_inner_texts()]
        assert squash(HEADLINE) in results
        assert page.evaluate(LIVE_IN_PAGE, sorted(URL_ATTRIBUTES)) == []
    finally:
        server.shutdown()
    assert dialogs == []


@pytest.fixture(scope="module")
def pdf(book: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    root = tmp_path_factory.mktemp("hostile-pdf") / "book"
    shutil.copytree(book, root, ignore=shutil.ignore_patterns("_build"))
    result = sphinx_build(root / "docs", root / "conf", root / "_build", builder="latexpdf",
                          make_mode=True, env={"SOURCE_DATE_EPOCH": SAMPLE_EPOCH})
    return result, root / "_build" / "latex"


@pytest.mark.pdf
def test_the_pdf_prints_latex_specials_literally(pdf: tuple[BuildResult, Path]) -> None:
    from pypdf import PdfReader

    result, latex = pdf
    assert result.returncode == 0, result.stdout[-3000:] + "\n".join(result.warnings)
    tex = (latex / "briefing-book.tex").read_text(encoding="utf-8")
    assert r"\input{/etc/passwd}" not in tex
    assert "(/etc/passwd" not in (latex / "briefing-book.log").read_text(errors="replace")
    reader = PdfReader(latex / "briefing-book.pdf")
    assert reader.metadata is not None and reader.metadata.title == BOOK_TITLE
    outline = []
    stack = list(reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        else:
            outline.append(item.title)
    assert HEADING in outline and HEADLINE in outline
    # Compared without spaces and hyphens: lines break, and hyphenate, anywhere.
    body = plain("".join(p.extract_text() or "" for p in reader.pages))
    assert [t for t in (HEADING, HEADLINE, JUDGEMENT, PERSON, PLACE, BOOK_TITLE)
            if plain(t) not in body] == []


def plain(value: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", value)


@pytest.mark.pdf
def test_a_handout_prints_the_front_matter_title_literally(book: Path,
                                                          tmp_path: Path) -> None:
    """``briefbook pdf PAGE`` takes its cover title and ``/Title`` from the page's
    front-matter ``title:``."""
    from pypdf import PdfReader

    root = tmp_path / "book"
    shutil.copytree(book, root, ignore=shutil.ignore_patterns("_build"))
    assert main(["pdf", str(root), PAGE]) == 0
    reader = PdfReader(root / "_build" / "pdf" / "2024-11-18-hostile.pdf")
    assert reader.metadata is not None and reader.metadata.title == FRONT_TITLE
    assert plain(FRONT_TITLE) in plain(reader.pages[0].extract_text() or "")
    assert HEADING in [item.title for item in reader.outline if not isinstance(item, list)]
