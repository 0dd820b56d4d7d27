"""The sourcing table at the end of each briefing: every source it cites, graded, with
what rests on it and whether it still stands.

ICD 203 asks analysts to describe the quality of their sources; a reader of the PDF has
no hover card, so each briefing ends with the table. Which sources a page cites and how
its claims and quotations use them is known when the page is read (the table's rows and
its links, made as ordinary citations); what the bibliography says of each source (its
grade, a retraction) is filled in when the page is written, so an edit of
``sources.bib`` shows without re-reading the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from briefbook.book.briefings import briefing_date
from briefbook.sources import catalogue, fields
from briefbook.sources.citations import cite, split_keys

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from briefbook.entities.domain import BriefbookDomain

HEADERS = ("Source", "Reliability", "Information credibility", "Rests on it", "Status")


class sourcing_cell(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils naming)
    """A cell filled from the bibliography when the page is written: ``key``, ``column``
    and, for credibility, the grades the page's own uses give (``uses``)."""


def cited_keys(doctree: nodes.document) -> list[str]:
    """The sources a page cites, in the order a reader meets them."""
    from sphinx import addnodes

    keys: list[str] = []
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "cite":
            keys.extend(k.strip() for k in str(xref.get("reftarget", "")).split(","))
    return list(dict.fromkeys(k for k in keys if k))


def _uses(domain: BriefbookDomain, docname: str, key: str) -> tuple[str, list[str]]:
    """"2 key judgements, 1 quotation" and the credibility grades those uses give."""
    key_claims = claims = quotes = 0
    grades: list[str] = []
    for claim in domain.claims.get(docname, []):
        if key in split_keys(claim.sources):
            if claim.key:
                key_claims += 1
            else:
                claims += 1
            grades.append(fields.decode_grades(claim.credibility).get(key, ""))
    for quote in domain.quotes.get(docname, []):
        if key in split_keys(quote.source):
            quotes += 1
            grades.append(fields.decode_grades(quote.credibility).get(key, ""))
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in
             ((key_claims, "key judgement"), (claims, "claim"), (quotes, "quotation")) if n]
    return (", ".join(parts) or "cited in the text"), grades


def add_sourcing_table(app: Sphinx, doctree: nodes.document) -> None:
    """Append the table to a briefing (a page with a date and an author) that cites."""
    env = app.env
    if not app.config.briefbook_sourcing_table:
        return
    docname = env.current_document.docname
    metadata = env.metadata.get(docname, {})
    if briefing_date(metadata) is None or not str(metadata.get("author", "")).strip():
        return
    # An unknown key is reported where it is cited; the table does not repeat it.
    known = catalogue.source_facts(env)
    keys = [key for key in cited_keys(doctree) if key in known]
    section = next(iter(doctree.findall(nodes.section)), None)
    if not keys or section is None:
        return
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    # Column widths left to LaTeX's tabulary: it sizes them by their content, ragged right.
    table = nodes.table(classes=["bb-sourcing"])
    group = nodes.tgroup(cols=len(HEADERS))
    table += group
    for width in (22, 17, 21, 16, 24):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([nodes.Text(h) for h in HEADERS])
    body = nodes.tbody()
    group += body
    line = doctree.children[-1].line if doctree.children and doctree.children[-1].line else 1
    for key in keys:
        uses, grades = _uses(domain, docname, key)
        source = cite(env, doctree, [key], line, style="alp")
        body += _row([
            source,
            sourcing_cell("", "", key=key, column="reliability"),
            sourcing_cell("", "", key=key, column="credibility", uses=",".join(grades)),
            nodes.Text(uses),
            sourcing_cell("", "", key=key, column="standing"),
        ])
    rubric = nodes.rubric("Sourcing", "Sourcing", classes=["bb-sourcing-title"])
    note = nodes.paragraph(classes=["bb-sourcing-note"])
    note += nodes.Text("Grades on the Admiralty scale: source reliability A (completely "
                       "reliable) to F (cannot be judged); information credibility 1 "
                       "(confirmed by other sources) to 6 (cannot be judged).")
    section += [rubric, table, note]


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph("", "", cell))
    return row


def fill_sourcing_cells(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    metadata = app.env.metadata.get(docname, {})
    if app.builder.format == "html" and not (metadata.get("date") and metadata.get("author")):
        return  # only briefings end with the table
    facts_by_key = catalogue.source_facts(app.env)
    for cell in list(doctree.findall(sourcing_cell)):
        facts = facts_by_key.get(cell["key"])
        cell.replace_self(_cell(cell, facts))


def _cell(cell: sourcing_cell, facts: fields.SourceFacts | None) -> list[nodes.Node]:
    column = cell["column"]
    grade = facts.grade if facts else fields.Grade()
    if column == "reliability":
        if not grade.reliability:
            return [nodes.emphasis("", "not graded")]
        return [nodes.strong("", grade.reliability),
                nodes.Text(f" {fields.RELIABILITY[grade.reliability]}")]
    if column == "credibility":
        # Each use's own grade, else the source's default; say when some uses have neither.
        uses = [g or grade.credibility for g in str(cell.get("uses", "")).split(",")]
        found = sorted(set(uses) - {""})
        if not found:
            return [nodes.emphasis("", "not graded")]
        out: list[nodes.Node] = []
        for i, value in enumerate(found):
            if i:
                out.append(nodes.Text("; "))
            out += [nodes.strong("", value), nodes.Text(f" {fields.CREDIBILITY[value]}")]
        if "" in uses:
            out.append(nodes.emphasis("", "; other uses not graded"))
        return out
    if facts is None or not facts.standing:
        return [nodes.Text("Stands")]
    return [nodes.strong("", facts.standing.describe(),
                         classes=["bb-source-flag", f"bb-status-{facts.standing.status}"])]


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_sourcing_table", True, "env", types=[bool])
    app.add_node(sourcing_cell, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    # After the byline (600), which cites the article itself.
    app.connect("doctree-read", add_sourcing_table, priority=800)
    app.connect("doctree-resolved", fill_sourcing_cells)
