"""The sample book as a reader gets it: HTML site and PDF, warning-free."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

BRIEFING = "briefings/2024-11-17-north-korean-troops-in-russia.html"
TITLE = "North Korean Troops in Russia and the Widening War in Ukraine"
PULL_QUOTES = [
    "we will not tolerate it but act firmly with the international community.",
    "“war of attrition.”",
    "“the war is spreading”",
    "“How can you show the pressures not working? Try hosting a summit.”",
]

pytestmark = pytest.mark.xdist_group("sample")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_html_builds_without_warnings(sample_html):
    assert sample_html.returncode == 0, sample_html.stderr
    assert sample_html.warnings == []


def test_citations_link_to_bibliography_entries(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    refs = soup(sample_html.outdir / "references.html")
    citations = page.select("span.bibtex-citation a.reference")
    assert len(citations) >= 8
    for link in citations:
        target, _, anchor = link["href"].partition("#")
        assert target == "../references.html"
        entry = refs.find(id=anchor)
        assert entry is not None, f"no bibliography entry {anchor}"
        assert "citation" in entry.get("class", [])
    # Author-year, with the bibliography's disambiguating suffix.
    texts = {a.get_text() for a in citations}
    assert "U.S. Department of Defense, 2024" in texts


def test_pull_quotes_are_marked_up_apart_from_body(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    asides = [a.get_text(strip=True) for a in page.select("aside.bb-pullquote")]
    assert asides == PULL_QUOTES
    body_paragraphs = [p.get_text(strip=True) for p in page.select("section > p")]
    for quote in PULL_QUOTES:
        assert quote not in body_paragraphs


def test_front_matter_becomes_byline(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    byline = page.select_one("p.bb-byline")
    assert byline is not None
    assert byline.select_one(".bb-author").get_text() == "Lewis Gaston"
    assert byline.select_one(".bb-date").get_text() == "17 November 2024"


def test_article_words_are_kept_verbatim(sample_html):
    page = soup(sample_html.outdir / BRIEFING).get_text(" ", strip=True)
    # The author's spellings stay as published (annotated, not corrected).
    assert "Kim Tae-Yayo" in page
    assert "Steve Rosenburg" in page
    assert "acclimatize to assumed dissimilar warfare methodologies" in page


@pytest.fixture(scope="module")
def pdf_text(sample_pdf) -> str:
    result, pdf = sample_pdf
    assert result.returncode == 0, result.stderr[-3000:]
    assert pdf.is_file()
    reader = PdfReader(pdf)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.mark.pdf
def test_pdf_has_table_of_contents(sample_pdf, pdf_text):
    reader = PdfReader(sample_pdf[1])
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert TITLE in outline_titles
    assert "Glossary" in outline_titles
    # A printed contents page: the front page's text under a heading of its own, then
    # the briefing as chapter 1.
    assert re.search(r"CONTENTS\s+Overview\s+\d+\s+1\s+North Korean Troops in Russia", pdf_text,
                     re.IGNORECASE)


@pytest.mark.pdf
def test_pdf_holds_article_author_and_bibliography(pdf_text):
    flat = " ".join(pdf_text.split())
    assert TITLE in flat
    assert "Lewis Gaston" in flat
    assert "Bibliography" in flat
    assert "XVI BRICS Summit Kazan Declaration" in flat


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["김태효", "이성권", "Владимир Владимирович Путин",
                                  "Володимир Олександрович Зеленський", "Казань", "习近平"])
def test_pdf_renders_native_scripts(pdf_text, name):
    # Real glyphs, not dropped ones: XeLaTeX only logs a missing character.
    assert name in pdf_text


EXPECTED_ENTITIES = {
    "lloyd-austin", "kim-tae-hyo", "lee-seong-kweun", "vladimir-putin", "volodymyr-zelensky",
    "steve-rosenberg", "xi-jinping", "russia", "north-korea", "south-korea", "ukraine",
    "united-states", "china", "kazan", "brics", "bbc", "national-intelligence-service",
    "national-assembly-intelligence-committee", "us-department-of-defense",
}


def test_seed_briefing_links_every_entity(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    linked = {m["data-entity"] for m in page.select("span.bb-mention")}
    assert linked == EXPECTED_ENTITIES
    for mention in page.select("span.bb-mention"):
        href = mention.select_one("a")["href"]
        assert href.startswith("../glossary/") and href.endswith("#" + mention["data-entity"])


def test_seed_misspellings_shown_with_sic(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    sic = {m.select_one(".bb-name").get_text(): m["data-entity"]
           for m in page.select("span.bb-mention") if m.select_one(".bb-sic")}
    assert sic == {"Kim Tae-Yayo": "kim-tae-hyo", "Steve Rosenburg": "steve-rosenberg",
                   "Lee Seong-Kweun": "lee-seong-kweun"}


def test_glossary_pages_list_backlinks(sample_html):
    people = soup(sample_html.outdir / "glossary" / "people.html")
    entry = people.find(id="steve-rosenberg").find_next_sibling("dd")
    links = [a["href"] for a in entry.select(".bb-backlinks a")]
    assert links == [f"../{BRIEFING}#m-steve-rosenberg-0"]
    putin = people.find(id="vladimir-putin").find_next_sibling("dd")
    assert "(5 mentions)" in putin.select_one(".bb-backlinks").get_text()


@pytest.mark.pdf
def test_pdf_glossary_gives_page_numbers(pdf_text):
    flat = " ".join(pdf_text.split())
    assert re.search(r"North Korean Troops in Russia and the Widening War in Ukraine "
                     r"\(5 mentions, p\. \d+(, \d+)*\)", flat)


EXPECTED_SPEAKERS = {
    "very, very, serious.": "Lloyd Austin",
    "the special forces have already arrived in Russia,": "National Intelligence Service",
    "the war is spreading": "BBC",
    "How can you show the pressures not working? Try hosting a summit.": "Steve Rosenberg",
    "no escalation in fighting": "Xi Jinping",
}


def test_seed_quotes_name_speaker_and_source(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    quotes = page.select("span.bb-quote")
    assert len(quotes) == 11
    by_text = {q.select_one(".bb-quote-text").get_text(): q for q in quotes}
    for text, speaker in EXPECTED_SPEAKERS.items():
        assert by_text[text].select_one(".bb-speaker").get_text() == speaker
    kim = next(q for t, q in by_text.items() if t.startswith("the immediate withdrawal"))
    assert kim.select_one(".bb-speaker").get_text() == "Kim Tae-hyo"
    lee = next(q for t, q in by_text.items() if t.startswith("there are also signs"))
    assert lee.select_one(".bb-speaker").get_text() == "Lee Seong-kweun"
    ukr = next(q for t, q in by_text.items() if t.startswith("the Ukrainian military"))
    assert ukr.select_one(".bb-speaker").get_text() == "Armed Forces of Ukraine"
    for quote in quotes:
        # Every quotation is sourced to an entry of the bibliography.
        link = quote.select_one(".bb-attribution .bibtex-citation a")
        assert link is not None and link["href"].startswith("../references.html#cite-")


def test_seed_opens_with_key_judgements(sample_html):
    page = soup(sample_html.outdir / BRIEFING)
    box = page.select_one("section.bb-key-judgements")
    claims = box.select("div.bb-claim")
    assert 3 <= len(claims) <= 5
    for claim in claims:
        assert claim.select_one(".bb-likelihood") is not None
        assert claim.select_one(".bb-confidence") is not None
        assert claim.select(".bb-claim-sources a")
    # Nothing of the article comes before the key judgements.
    assert box.find_previous("p", class_=False) is None


@pytest.mark.pdf
def test_pdf_has_key_judgements_and_attributions(pdf_text):
    flat = " ".join(pdf_text.split())
    kj = flat.index("Key judgements")
    assert kj < flat.index("It has been officially confirmed")
    assert "Almost certain (95–99%) · High confidence" in flat
    assert "[Lloyd Austin · U.S. Department of Defense, 2024 [B]]" in flat
    assert "[Steve Rosenberg · Rosenberg, 2024 [B]]" in flat
    assert "ESTIMATIVE LANGUAGE" in flat.upper()


@pytest.mark.pdf
def test_pdf_has_timeline_and_people_at_a_glance(pdf_text):
    flat = " ".join(pdf_text.split())
    timeline = flat.index("Every briefing by its date")
    assert flat.index("October 2024", timeline) < flat.index("November 2024", timeline)
    assert "22 October 2024 — The 16th BRICS summit opens in Kazan" in flat
    assert "17 November 2024 — Briefing: North Korean Troops in Russia" in flat
    # Card grids print as short entries, not run-together text.
    assert "Vladimir Putin — Владимир Владимирович Путин · President of Russia · 5 mentions" in flat


@pytest.mark.pdf
def test_pdf_has_the_map(sample_pdf, pdf_text):
    flat = " ".join(pdf_text.split())
    assert "Places named in the briefings. Borders as internationally recognised" in flat
    tex = (sample_pdf[1].parent / "briefing-book.tex").read_text(encoding="utf-8")
    maps = re.findall(r"\\sphinxincludegraphics\[width=1\.000\\linewidth\]\{\{(bb-maps/map-[^}]+)\}", tex)
    assert len(maps) == 1 and (sample_pdf[1].parent / f"{maps[0]}.pdf").is_file()


def test_sample_briefing_ends_with_its_sourcing_table(sample_html):
    page = soup(sample_html.outdir / "briefings" / "2024-11-17-north-korean-troops-in-russia.html")
    table = page.select_one("table.bb-sourcing")
    rows = {row.select("td")[0].select_one("a").get_text(): [c.get_text(" ", strip=True)
                                                             for c in row.select("td")[1:]]
            for row in table.select("tbody tr")}
    assert rows["Xinhua, 2024"][0] == "C fairly reliable"
    assert rows["U.S. Department of Defense, 2024"][:2] == [
        "B usually reliable", "1 confirmed by other sources ; other uses not graded"]
    # Every source the sample's key judgements rest on is graded (briefbook_require_grades).
    assert all(cells[0] != "not graded" for cells in rows.values())


@pytest.mark.pdf
def test_pdf_shows_grades_where_cited_and_a_sourcing_table(pdf_text):
    flat = " ".join(pdf_text.split())
    assert "Sourcing" in flat and "Rests on it" in flat
    assert re.search(r"U\.S\. Department of Defense, 2024\s?\[B1\]", flat)
    assert "Grading: Source reliability C (fairly reliable)" in flat
