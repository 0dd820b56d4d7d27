"""Saved web pages of layouts ingest was not tuned on (issue 20): the visible headline,
the site's name, every author, and the article's paragraphs without the page's furniture.

Each page here is synthetic: a made-up site with the layout at stake.
"""

from __future__ import annotations

from briefbook.ingest.bylines import parse_byline
from briefbook.ingest.web import article_from_html

BODY = "".join(
    f"<p>Paragraph {n} of the report says the harbour council met on Tuesday and agreed "
    f"to widen the northern quay, which fishing crews had asked for since the storm.</p>"
    for n in range(1, 7))


def page(head: str = "", before: str = "", body: str = BODY, after: str = "",
         title: str = "Harbour council agrees to widen the northern quay | Coastline Daily") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body>"
            f"<header><a href='/'>Coastline Daily</a></header><main><article>{before}"
            f"<h1>Harbour council agrees to widen the northern quay</h1>"
            f"<div class='article-body'>{body}</div>{after}</article></main>"
            f"<footer>All rights reserved.</footer></body></html>")


def paragraphs(article: object) -> list[str]:
    return [b.text for b in article.blocks if b.kind == "paragraph"]  # type: ignore[attr-defined]


def test_the_visible_headline_beats_a_shortened_og_title_and_a_kicker() -> None:
    html = page(head="<meta property='og:title' content='Council widens quay'>",
                before="<div class='kicker'>Local politics</div>")
    article = article_from_html(html, "p.html")
    assert article.title == "Harbour council agrees to widen the northern quay"
    assert not paragraphs(article)[0].startswith("Local politics")


def test_publisher_from_the_title_suffix_not_the_domain() -> None:
    article = article_from_html(page(), "p.html", url="https://www.coastline-daily.example/a")
    assert article.publisher == "Coastline Daily"


def test_publisher_from_json_ld() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher": '
          '{"@type": "Organization", "name": "Coastline Daily"}}</script>')
    article = article_from_html(page(head=ld, title="Harbour council"), "p.html",
                                url="https://www.coastline-daily.example/a")
    assert article.publisher == "Coastline Daily"


def test_every_author_of_a_byline_split_over_elements() -> None:
    byline = ("<p class='meta'><span class='byline-prefix'>By </span><span>Ana Ruiz</span>, "
              "<span>Tom K. Berg</span> and <span class='last-byline'>Li Wei</span></p>")
    article = article_from_html(page(head="<meta name='author' content='Li Wei'>",
                                     after="", body=byline + BODY), "p.html")
    assert article.author == "Ana Ruiz, Tom K. Berg and Li Wei"   # the initial keeps its period


def test_meta_and_printed_byline_in_capitals_are_one_author() -> None:
    byline = "<p class='byline'>By ANA RUIZ MAY 3, 2021</p>"
    article = article_from_html(page(head="<meta name='author' content='Ana Ruiz'>",
                                     body=byline + BODY), "p.html")
    assert article.author == "Ana Ruiz"


def test_json_ld_author_list() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
          '{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Li Wei"}]}'
          '</script>')
    article = article_from_html(page(head=ld), "p.html")
    assert article.author == "Ana Ruiz and Li Wei"


def test_a_desk_byline_names_no_person() -> None:
    byline = "<div class='byline'>Our Harbour Staff 3 May 2021</div>"
    article = article_from_html(page(body=byline + BODY), "p.html")
    assert article.author == ""
    assert parse_byline("By Our Harbour Staff") == ("", "Our Harbour Staff", None)


def test_reading_time_and_date_do_not_run_into_the_name() -> None:
    byline = "<div class='byline'>By Ana Ruiz, Li Wei5 Min Read</div>"
    article = article_from_html(page(body=byline + BODY), "p.html")
    assert article.author == "Ana Ruiz and Li Wei"


def test_standfirst_is_not_the_first_paragraph() -> None:
    dek = "<h2 class='deck'>The quay will be forty metres longer by next summer, at last</h2>"
    article = article_from_html(page(body=dek + BODY), "p.html")
    assert paragraphs(article)[0].startswith("Paragraph 1 of the report")


def test_furniture_after_the_body_is_cut_and_in_body_links_dropped() -> None:
    body = (BODY[:400] + "<p>[Read: Why quays keep getting longer]</p>" + BODY[400:]
            + "<p>Ana Ruiz reported from Portside.</p>"
            + "<p>Sign up for our morning newsletter here.</p>"
            + "<p>Comments are closed</p>")
    texts = paragraphs(article_from_html(page(body=body), "p.html"))
    assert texts[-1].startswith("Paragraph 6 of the report")
    assert not any(t.startswith("[Read") for t in texts)


def test_a_newsletter_keeps_all_its_items() -> None:
    body = "".join(f"<h2>Item {n}</h2><p>Item {n} of the newsletter: the council voted on "
                   f"the quay and the harbour master said work could begin in spring.</p>"
                   for n in range(1, 6))
    texts = paragraphs(article_from_html(page(body=body), "p.html"))
    assert sum(t.startswith("Item") and "newsletter" in t for t in texts) == 5
