"""Quotes, claims and sources: attribution, key judgements, indexes and checks."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from briefbook.analysis import estimative
from briefbook.analysis.quotes import parse_attributes
from conftest import build_root


def html(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return build_root("provenance", tmp_path_factory.mktemp("provenance"))


def test_builds_clean(book):
    assert book.warning.getvalue() == ""


def test_inline_quote_names_speaker_and_source(book):
    quote = html(book, "a1").select("span.bb-quote")[0]
    assert quote.select_one(".bb-quote-text").get_text() == (
        "the Analytical Engine weaves algebraical patterns")
    speaker = quote.select_one(".bb-speaker a")
    assert speaker.get_text() == "Ada Lovelace"
    assert speaker["href"] == "glossary.html#ada-lovelace"
    citation = quote.select_one(".bb-attribution .bibtex-citation a")
    assert citation["href"] == "references.html#cite-notes1843"
    assert quote.select_one(".bb-said").get_text() == "1 July 1843"


def test_unnamed_speaker_is_described_not_linked(book):
    quote = html(book, "a1").select("span.bb-quote")[1]
    unnamed = quote.select_one(".bb-unnamed")
    assert unnamed.get_text() == "a club member"
    assert unnamed.find("a") is None


def test_block_quote_has_attribution_line(book):
    block = html(book, "a1").select_one("blockquote.bb-quote-block")
    assert "Forget this world" in block.get_text()
    attribution = block.select_one(".attribution")
    assert attribution.select_one("a[href='glossary.html#charles-babbage']") is not None
    assert attribution.select_one("a[href='references.html#cite-letter1843']") is not None


def test_claim_shows_likelihood_band_confidence_and_sources(book):
    claim = html(book, "a1").select_one("div.bb-claim")
    likelihood = claim.select_one(".bb-likelihood")
    assert likelihood.get_text() == "Very likely"
    assert likelihood["title"] == "very likely: 80–95% (ICD 203)"
    assert likelihood["tabindex"] == "0"
    assert claim.select_one(".bb-band").get_text().strip() == "(80–95%)"
    confidence = claim.select_one(".bb-confidence")
    assert confidence.get_text() == "High confidence"
    assert confidence["title"].startswith("high confidence: Judgements based on high-quality")
    assert claim.select_one(".bb-claim-sources a")["href"] == "references.html#cite-notes1843"


def test_key_judgements_open_the_page_and_collect_key_claims(book):
    page = html(book, "a2")
    box = page.select_one("section.bb-key-judgements")
    assert box is not None
    first_block = page.select_one("section > *:not(h1)")
    assert first_block is box
    summaries = box.select("div.bb-claim")
    assert [s.select_one(".bb-likelihood").get_text() for s in summaries] == ["Unlikely"]
    assert box.select_one("a[href^='#claim-']").get_text() == "See it in context"
    assert "non-key" not in box.get_text()


def test_speaker_glossary_entry_lists_their_quotes(book):
    entry = html(book, "glossary").find(id="ada-lovelace").find_next_sibling("dd")
    index = entry.select_one(".bb-quotes-by")
    items = [li.get_text(" ", strip=True) for li in index.select("li")]
    assert len(items) == 2
    assert items[0].startswith("“the Analytical Engine weaves algebraical patterns” — Article one")
    assert "(said 1843-07-01)" in items[0]
    assert items[1].startswith("“we may say most aptly” — Article two")
    links = [a["href"] for a in index.select("a")]
    assert links[0].startswith("a1.html#q-") and links[1].startswith("a2.html#q-")
    # Places never speak: no quote index on them.
    place = html(book, "glossary").find(id="london").find_next_sibling("dd")
    assert place.select_one(".bb-quotes-by") is None


def test_bibliography_lists_what_cites_each_source(book):
    refs = html(book, "references")
    cited_in = {
        entry["id"]: [a.get_text() for a in entry.select(".bb-cited-in a")]
        for entry in refs.select("div.citation")
    }
    assert cited_in["cite-notes1843"] == ["Article one", "Article two"]
    assert cited_in["cite-letter1843"] == ["Article one", "Article two"]
    assert cited_in["cite-society1840"] == ["Article three"]


def test_indexes_equal_under_parallel_build(tmp_path):
    pages = {}
    for jobs in (1, 2):
        app = build_root("provenance", tmp_path / f"j{jobs}", parallel=jobs)
        assert app.warning.getvalue() == ""
        pages[jobs] = [(app.outdir / f"{n}.html").read_text(encoding="utf-8")
                       for n in ("glossary", "references")]
    assert pages[1] == pages[2]


def test_incremental_rebuild_updates_quote_index_and_cited_in(tmp_path):
    first = build_root("provenance", tmp_path)
    assert len(html(first, "glossary").find(id="ada-lovelace")
               .find_next_sibling("dd").select(".bb-quote-index li")) == 2
    src = tmp_path / "src"
    text = (src / "a2.md").read_text(encoding="utf-8")
    (src / "a2.md").write_text(text.replace(
        "And a quote: “{quote}`we may say most aptly <speaker=Ada Lovelace; source=notes1843>`”.",
        "No quote any more."), encoding="utf-8")
    from sphinx.testing.util import SphinxTestApp
    second = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "build")
    try:
        second.build()
    finally:
        second.cleanup()
    entry = html(second, "glossary").find(id="ada-lovelace").find_next_sibling("dd")
    assert len(entry.select(".bb-quote-index li")) == 1
    refs = html(second, "references")
    notes = refs.find(id="cite-notes1843")
    assert [a.get_text() for a in notes.select(".bb-cited-in a")] == ["Article one"]


@pytest.fixture(scope="module")
def check_warnings(tmp_path_factory):
    app = build_root("provenance-checks", tmp_path_factory.mktemp("checks"))
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line]


@pytest.mark.parametrize(("where", "message"), [
    ("index.md:3", "BB201 quotation has no source"),
    ("index.md:5", "BB202 quotation speaker 'Grace Hopper' does not resolve"),
    ("index.md:7", "BB203 claim cites no source"),
    ("index.md:14", "BB204 claim needs estimative language"),
    ("index.md:14", "BB205 claim needs a confidence in its sourcing"),
    ("index.md:21", "could not find bibtex key \"nosuchkey\""),
    ("refs.bib:1", "BB401 source 'letter1843' in sources.bib is not cited by any page"),
    ("refs.bib:13", "BB401 source 'society1840' in sources.bib is not cited by any page"),
])
def test_each_check_warns_with_file_and_line(check_warnings, where, message):
    assert any(f"{where}: WARNING: {message}" in w for w in check_warnings), check_warnings


def test_uncited_warning_can_be_switched_off(tmp_path):
    app = build_root("provenance-checks", tmp_path,
                     confoverrides={"briefbook_warn_uncited": False})
    assert "BB401" not in app.warning.getvalue()
    assert "BB201" in app.warning.getvalue()


def test_unknown_bibtex_key_fails_a_strict_build(tmp_path, rootdir):
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-provenance", src)
    (src / "a3.md").write_text("# Article three\n\n{cite:p}`society1840` and "
                               "{cite:p}`missing2024`.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-b", "html", str(src),
                           str(tmp_path / "out")], capture_output=True, text=True,
                          check=False, timeout=300)
    assert proc.returncode != 0
    assert "a3.md:3: WARNING: could not find bibtex key \"missing2024\"" in proc.stderr


@pytest.mark.parametrize(("raw", "words", "attrs"), [
    ("words <speaker=x; source=k>", "words", {"speaker": "x", "source": "k"}),
    ("a < b and c > d", "a < b and c > d", {}),
    ("ends with <html>", "ends with <html>", {}),
    ("tricky <speaker=x; colour=red>", "tricky <speaker=x; colour=red>", {}),
    ("multi\nline <unnamed=officials; said=2024-10-01>", "multi\nline",
     {"unnamed": "officials", "said": "2024-10-01"}),
])
def test_parse_attributes_reads_only_a_final_known_group(raw, words, attrs):
    assert parse_attributes(raw) == (words, attrs)


def test_estimative_terms_and_synonyms():
    assert [t.band for t in estimative.LIKELIHOODS] == [
        "01–05%", "05–20%", "20–45%", "45–55%", "55–80%", "80–95%", "95–99%"]
    assert estimative.likelihood("Probably").term == "likely"
    assert estimative.likelihood("almost-certain").term == "almost certain"
    assert estimative.likelihood("maybe") is None
    assert estimative.confidence("High confidence") == "high"
