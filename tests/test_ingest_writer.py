"""Article text never becomes live markup: checked by rendering with myst-parser."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from myst_parser.parsers.mdit import create_md_parser

from briefbook.ingest.model import Analysis, Quote
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.pipeline import Context, analyse_text
from briefbook.ingest.writer import escape_text, render_page, role
from test_ingest_support import ARTICLES, paragraph_texts, render_doctree

# Printable text: no control characters (the reader replaces them) and no surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
               max_size=200)
# Strings built from MyST-significant pieces, where escaping bugs would show.
PIECES = [*"`*_{}[]<>$#+-!|~:=&^%()\\\"'.1 aZ@;/",
          "{eval-rst}", "{raw}", "<script>", "&amp;", "```", "---", ":::", "$$", "](", "1. ",
          "<speaker=x; source=y>", "{{", "(x)=", "\\(", "{person}`X <x>`"]
MYSTY = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _md_tokens(source: str) -> list[Token]:
    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "fieldlist", "dollarmath"})
    md = create_md_parser(config, DocutilsRenderer)
    tokens = md.parse(source)
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        flat.extend(token.children or [])
    return flat


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TEXT, MYSTY))
def test_escaped_text_renders_literally(text: str) -> None:
    text = _one_line(text)
    if not text:
        return
    assert paragraph_texts(escape_text(text)) == [text]


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, MYSTY))
def test_role_content_is_exactly_the_text(text: str) -> None:
    text = _one_line(text)
    if not text:
        return
    content = f"{text} <source=k>"
    tokens = [t for t in _md_tokens("x " + role("quote", content) + " y") if t.type == "myst_role"]
    assert len(tokens) == 1
    assert tokens[0].content.strip() == content.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TEXT, MYSTY), min_size=1, max_size=5))
def test_whole_page_keeps_every_paragraph(paragraphs: list[str]) -> None:
    body = "\n\n".join(_one_line(p) for p in paragraphs if _one_line(p))
    if not body:
        return
    analysis = analyse_text(" date 2024-01-01 A B\n\nTitle\n\n" + body)
    analysis.source_key = "key2024"
    rendered = paragraph_texts(render_page(analysis))
    for paragraph in analysis.article.paragraphs:
        assert paragraph in rendered


def test_quote_text_with_backticks_and_attribute_lookalike() -> None:
    text = "He said “`a` ``b`` <speaker=evil; source=evil>” today."
    start, end = text.index("`a`"), text.index("”")
    quote = Quote(text[start:end], 0, start, end, "x-y", "X Y")
    assert text[quote.start:quote.end] == quote.text
    article = parse_article("Title\n\n" + text, "t.txt")
    page = render_page(Analysis(article, [], [quote], [], "key2024"))
    roles = [t for t in _md_tokens(page) if t.type == "myst_role"]
    assert roles[0].content == " `a` ``b`` <speaker=evil; source=evil> <speaker=x-y; source=key2024>"
    assert re.search(r"<([^<>]*)>$", roles[0].content).group(1) == "speaker=x-y; source=key2024"  # type: ignore[union-attr]


HOSTILE_TOKENS = {"html_block", "html_inline", "math_inline", "math_block", "link_open",
                  "image", "footnote_ref", "s_open", "strong_open", "em_open",
                  "myst_target", "blockquote_open", "ordered_list_open",
                  "bullet_list_open", "table_open", "dl_open", "field_list_open", "hr"}


def test_hostile_article_has_no_live_markup() -> None:
    text = (ARTICLES / "hostile.txt").read_text(encoding="utf-8")
    analysis = analyse_text(text, "hostile.txt", context=Context(None))
    analysis.source_key = "mallory2024"
    page = render_page(analysis)
    tokens = _md_tokens(page)
    kinds = {t.type for t in tokens}
    assert not kinds & HOSTILE_TOKENS, kinds & HOSTILE_TOKENS
    # Only the writer's own front matter and review comment.
    assert [t.type for t in tokens].count("front_matter") == 1
    assert [t.type for t in tokens].count("myst_line_comment") == 1
    fences = [t.info for t in tokens if t.type == "fence"]
    assert set(fences) <= {"{pull-quote}"}
    assert {t.meta["name"] for t in tokens if t.type == "myst_role"} <= {
        "person", "place", "org", "quote"}
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 1
    rendered = paragraph_texts(page)
    for paragraph in analysis.article.paragraphs:
        assert paragraph in rendered
    doc = render_doctree(page)
    assert "<script>" in doc.astext()  # present as text, not as a raw node
    from docutils import nodes
    assert not list(doc.findall(nodes.raw))
