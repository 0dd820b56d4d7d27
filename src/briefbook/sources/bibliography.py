"""What a bibliography entry says beyond pybtex's formatting: the source's grade, its
standing (retracted, discredited, disputed: when and why) and its preserved copy.

Added to the resolved page rather than to the formatted entry, because the lines are
styled (a flag, a hash in code) and link to the preserved copy relative to the page; the
copies themselves are shipped with the HTML site under ``_archive/``, so the link works
offline and the build never fetches anything.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from briefbook.sources import catalogue, fields
from briefbook.sources.citations import bibtex_available, holds_bibliography
from briefbook.sources.fields import SourceFacts

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)
ARCHIVE_OUT = "_archive"


class source_hash(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A SHA-256 in hexadecimal: code in HTML; in print, breakable every 16 digits."""


def grading_line(facts: SourceFacts) -> nodes.paragraph | None:
    grade = facts.grade
    if not grade:
        return None
    para = nodes.paragraph(classes=["bb-source-grading"])
    para += nodes.emphasis("Grading: ", "Grading: ")
    parts = []
    if grade.reliability:
        parts.append(f"source reliability {grade.reliability} "
                     f"({fields.RELIABILITY[grade.reliability]})")
    if grade.credibility:
        parts.append(f"information credibility {grade.credibility} "
                     f"({fields.CREDIBILITY[grade.credibility]}) unless a use grades it")
    text = "; ".join(parts) + "."
    para += nodes.Text(text[:1].upper() + text[1:])
    return para


def standing_line(facts: SourceFacts) -> nodes.paragraph | None:
    if not facts.standing:
        return None
    para = nodes.paragraph(classes=["bb-source-standing", f"bb-status-{facts.standing.status}"])
    para += nodes.strong("", facts.standing.describe() + ".")
    return para


def preserved_line(app: Sphinx, docname: str, key: str, facts: SourceFacts) -> nodes.paragraph | None:
    preserved = facts.preserved
    if not preserved:
        return None
    para = nodes.paragraph(classes=["bb-source-preserved"])
    para += nodes.emphasis("Preserved copy: ", "Preserved copy: ")
    name = Path(preserved.file).name
    path = catalogue.preserved_copy_path(app.env, key)
    if app.builder.format == "html" and path is not None and path.is_file():
        uri = relative_uri(app.builder.get_target_uri(docname), f"{ARCHIVE_OUT}/{name}")
        para += nodes.reference("", preserved.file, refuri=uri, classes=["bb-preserved-copy"])
    else:
        para += nodes.literal(preserved.file, preserved.file)
    if preserved.date:
        para += nodes.Text(f", captured {_moment(preserved.date)}")
    if preserved.sha256:
        para += nodes.Text("; SHA-256 ")
        para += source_hash(preserved.sha256, preserved.sha256)
    para += nodes.Text(".")
    return para


def _moment(value: str) -> str:
    moment = fields.parse_moment(value)
    if moment is None:
        return value
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def annotate_bibliography(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Grade, standing and preserved copy under each bibliography entry."""
    env = app.env
    if not holds_bibliography(app, docname):
        return
    citations = list(doctree.findall(nodes.citation))
    if not citations or not bibtex_available(env):
        return
    keys = catalogue.citation_keys(env)
    facts_by_key = catalogue.source_facts(env)
    for citation in citations:
        key = next((keys[i] for i in citation["ids"] if i in keys), None)
        facts = facts_by_key.get(key) if key else None
        if key is None or facts is None:
            continue
        lines = [grading_line(facts), standing_line(facts),
                 preserved_line(app, docname, key, facts)]
        # Before "Cited in" (added later by the same event), after the formatted entry.
        for line in lines:
            if line is not None:
                citation += line
        if facts.standing:
            citation["classes"].append("bb-source-flagged")


def ship_preserved_copies(app: Sphinx, exception: Exception | None) -> None:
    """Copy each preserved copy that an entry names into the site's ``_archive/``."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / ARCHIVE_OUT
    listed = set(catalogue.citation_keys(app.env).values())  # what the bibliographies show
    for key, facts in catalogue.source_facts(app.env).items():
        if not facts.preserved or key not in listed:
            continue
        path = catalogue.preserved_copy_path(app.env, key)
        if path is None or not path.is_file():
            continue
        target = out / path.name
        if target.is_file() and target.stat().st_size == path.stat().st_size \
                and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def warn_missing_copies(app: Sphinx, env: BuildEnvironment) -> None:
    """BB412: an entry names a preserved copy that is not on disk (the link would break)."""
    from briefbook.sources.citations import _entry_location

    domain: Any = env.domains.get("cite") if bibtex_available(env) else None
    if domain is None:
        return
    for key in sorted(catalogue.source_facts(env)):
        path = catalogue.preserved_copy_path(env, key)
        if path is None or path.is_file():
            continue
        where = "archive folder" if not path.parent.is_dir() else "preserved copy"
        missing = path.parent if not path.parent.is_dir() else path
        logger.warning("BB412 the %s of '%s' is missing: %s (run briefbook sources archive, "
                       "or restore the file)", where, key, missing,
                       location=_entry_location(domain, key), type="briefbook",
                       subtype="preserved_copy")


def visit_hash_latex(self: LaTeXTranslator, node: source_hash) -> None:
    digits = node.astext()
    groups = [digits[i:i + 16] for i in range(0, len(digits), 16)]
    self.body.append(r"{\footnotesize\ttfamily " + r"\allowbreak ".join(groups) + "}")
    raise nodes.SkipNode


def visit_hash_html(self: Any, node: source_hash) -> None:
    self.body.append(self.starttag(node, "code", "", CLASS="bb-hash"))


def depart_hash_html(self: Any, node: source_hash) -> None:
    self.body.append("</code>")


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(source_hash, html=(visit_hash_html, depart_hash_html),
                 latex=(visit_hash_latex, None), text=(_pass, _pass))
    # Before citations.add_cited_in (priority 500): the grade comes before "Cited in".
    app.connect("doctree-resolved", annotate_bibliography, priority=450)
    app.connect("env-check-consistency", warn_missing_copies)
    app.connect("build-finished", ship_preserved_copies)
