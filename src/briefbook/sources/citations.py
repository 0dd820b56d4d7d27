"""Citations made by briefbook's own constructs, and the "Cited in" lists.

A quote's ``source`` and a claim's ``sources`` are citations like ``{cite:p}``: they
link to the bibliography, count as citing the entry, and an unknown key fails the
build.  Rather than re-implement sphinxcontrib-bibtex, :func:`cite` builds exactly the
node its ``cite`` role builds and records the same ``CitationRef``, so the bibliography,
tooltips and "key not found" checks treat both alike.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def split_keys(value: str) -> list[str]:
    """``"a, b c"`` → ``["a", "b", "c"]``: keys separated by commas or spaces."""
    return [key for key in value.replace(",", " ").split() if key]


def bibtex_available(env: BuildEnvironment) -> bool:
    return "cite" in env.domains


def cite(env: BuildEnvironment, document: nodes.document, keys: list[str], line: int,
         style: str = "p") -> nodes.Node:
    """A ``{cite:<style>}`` citation of ``keys`` as sphinxcontrib-bibtex would make it."""
    text = ",".join(keys)
    if not bibtex_available(env):
        return nodes.inline(text, text, classes=["bb-citation-unlinked"])
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets
    from sphinxcontrib.bibtex.roles import CitationRef

    node = addnodes.pending_xref(
        f":cite:{style}:`{text}`", refdomain="cite", reftype=style, reftarget=text,
        refdoc=env.current_document.docname, refexplicit=False, refwarn=True,
    )
    node += nodes.inline(text, text, classes=["xref", "cite"])
    node.source = env.doc2path(env.current_document.docname)
    node.line = line
    document.note_explicit_target(node, node)
    domain: Any = env.domains["cite"]
    domain.citation_refs.append(CitationRef(
        citation_ref_id=node["ids"][0], docname=env.current_document.docname, line=line,
        targets=list(parse_citation_targets(text)),
    ))
    return node


def citing_docnames(env: BuildEnvironment) -> dict[str, list[str]]:
    """Bibliography key → documents that cite it (sorted, each once)."""
    if not bibtex_available(env):
        return {}
    domain: Any = env.domains["cite"]
    cited: dict[str, set[str]] = {}
    for ref in domain.citation_refs:
        for target in ref.targets:
            cited.setdefault(target.key, set()).add(ref.docname)
    return {key: sorted(docs) for key, docs in cited.items()}


def bibliography_docnames(env: BuildEnvironment) -> list[str]:
    if not bibtex_available(env):
        return []
    domain: Any = env.domains["cite"]
    return sorted({key.docname for key in domain.bibliographies})


def holds_bibliography(app: Sphinx, docname: str) -> bool:
    """Whether the page being resolved can hold bibliography entries (in a builder that
    writes a page per document, only a page with a ``{bibliography}``)."""
    if app.builder.format != "html":
        return True
    return docname in bibliography_docnames(app.env)


def add_cited_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Append "Cited in: <briefing>, …" to each bibliography entry."""
    env = app.env
    if not bibtex_available(env) or not app.config.briefbook_cited_in:
        return
    if not holds_bibliography(app, docname):
        return
    citations = list(doctree.findall(nodes.citation))
    if not citations:
        return  # most pages: no bibliography, nothing to compute
    cited = citing_docnames(env)
    for citation in citations:
        key = _citation_key(env, citation)
        if key is None or not cited.get(key):
            continue
        para = nodes.paragraph(classes=["bb-cited-in"])
        para += nodes.emphasis("Cited in: ", "Cited in: ")
        for i, citing in enumerate(d for d in cited[key] if d != docname):
            if i:
                para += nodes.Text("; ")
            title = env.titles[citing].astext() if citing in env.titles else citing
            ref = nodes.reference("", "", internal=True)
            try:
                ref["refuri"] = app.builder.get_relative_uri(docname, citing)
            except Exception:  # NoUri for builders without pages
                para += nodes.Text(title)
                continue
            ref += nodes.Text(title)
            para += ref
        if len(para) > 1:
            citation += para


def _citation_key(env: BuildEnvironment, citation: nodes.citation) -> str | None:
    domain: Any = env.domains["cite"]
    for cit in domain.citations:
        if cit.citation_id in citation["ids"]:
            return str(cit.key)
    return None


def warn_uncited(app: Sphinx, env: BuildEnvironment) -> None:
    """BB401: an entry of sources.bib that no page cites (switch off in config)."""
    if not bibtex_available(env) or not app.config.briefbook_warn_uncited:
        return
    if str(app.config.briefbook_release or "").strip():
        return  # a released edition leaves out what only withheld pages cite
    domain: Any = env.domains["cite"]
    cited = citing_docnames(env)
    entries = getattr(domain.bibdata.data, "entries", {})
    for key in sorted(entries):
        if key in cited:
            continue
        location = entry_location(domain, key)
        logger.warning("BB401 source '%s' in sources.bib is not cited by any page "
                       "(cite it, remove it, or set briefbook_warn_uncited = False)",
                       key, location=location, type="briefbook", subtype="uncited")


def entry_location(domain: Any, key: str) -> str | None:
    """``file:line`` of ``@type{key,`` in the bib files, for warnings an editor can follow."""
    for path in domain.bibdata.bibfiles:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            continue
        for number, text in enumerate(lines, start=1):
            if "{" in text and text.split("{", 1)[1].split(",", 1)[0].strip() == key:
                return f"{path}:{number}"
    return None


# --- the environment's pickle --------------------------------------------------------------

# Per environment: sphinxcontrib-bibtex's formatted citations, held out of the pickle.
_held: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()


def hold_out_formatted_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Keep sphinxcontrib-bibtex's formatted citations out of the pickled environment.

    It recomputes them from the bibliography after every read (``env-updated``, which
    starts by clearing what the pickle restored), so pickling them only costs time: a
    quarter of a second to load and save at 1,500 sources. ``env-get-updated`` runs just
    before the environment is pickled; the list is back before anything is written.
    """
    if bibtex_available(env):
        domain: Any = env.domains["cite"]
        _held[env] = domain.data["citations"]
        domain.data["citations"] = []
    return []


def restore_formatted_citations(app: Sphinx, *args: Any) -> None:
    env = app.env
    held = _held.pop(env, None)
    if held is not None:
        domain: Any = env.domains["cite"]
        domain.data["citations"] = held


def setup_pickling(app: Sphinx) -> None:
    app.connect("env-get-updated", hold_out_formatted_citations, priority=1000)
    # After the pickle: the consistency checks (when pages were read) or, at the
    # latest, the start of writing.
    app.connect("env-check-consistency", restore_formatted_citations, priority=0)
    app.connect("write-started", restore_formatted_citations, priority=0)
