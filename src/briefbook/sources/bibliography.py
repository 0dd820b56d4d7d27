"""What a bibliography entry says beyond pybtex's formatting: the source's grade, its
standing (retracted, discredited, disputed: when and why) and its preserved copy.

Added to the resolved page rather than to the formatted entry, because the lines are
styled (a flag, a hash in code) and link to the preserved copy relative to the page; the
copies themselves are shipped with the HTML site under ``_archive/``, so the link works
offline and the build never fetches anything.  Only a copy whose SHA-256 is the one its
entry recorded is linked and shipped; any other is refused with BB414.
"""

from __future__ import annotations

import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from briefbook.sources import catalogue, fields
from briefbook.sources.archive import changed_since_capture, file_sha256
from briefbook.sources.citations import (
    bibliography_docnames,
    bibtex_available,
    entry_location,
    holds_bibliography,
)
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
    path = verified_copy(app, key) if app.builder.format == "html" else None
    if path is not None:
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


@dataclass(frozen=True)
class CheckedCopy:
    """A preserved copy on disk, hashed for this build: ``problem`` says why it is not
    the file captured (empty when its SHA-256 is the one its entry recorded)."""

    path: Path
    problem: str = ""
    code: str = "BB414"


# Per build (the app): each entry's copy on disk, checked once.
_checked: weakref.WeakKeyDictionary[Any, dict[str, CheckedCopy]] = weakref.WeakKeyDictionary()


def checked_copies(app: Sphinx) -> dict[str, CheckedCopy]:
    """Every entry's preserved copy that is on disk, hashed and compared with the SHA-256
    its entry recorded, once per build.

    The site ships a copy beside its recorded hash, so only a copy whose content is that
    hash may ship: a file's size or time says nothing of what it holds (a tampered copy
    given back its old time is still tampered).  A missing copy is BB412's
    (:func:`warn_missing_copies`).
    """
    found = _checked.get(app)
    if found is not None:
        return found
    found = {}
    for key, facts in sorted(catalogue.source_facts(app.env).items()):
        path = catalogue.preserved_copy_path(app.env, key)
        if not facts.preserved or path is None or not path.is_file():
            continue
        recorded = facts.preserved.sha256.lower()
        try:
            digest = file_sha256(path)
        except OSError as exc:
            found[key] = CheckedCopy(path, f"entry '{key}': the preserved copy "
                                           f"{facts.preserved.file} cannot be read: "
                                           f"{exc.strerror or exc}", "BB412")
            continue
        if not fields.valid_sha256(recorded):
            found[key] = CheckedCopy(path, f"entry '{key}': the preserved copy "
                                           f"{facts.preserved.file} has no valid "
                                           f"{fields.ARCHIVE_SHA256_FIELD} to be checked "
                                           "against", "BB411")
            continue
        if digest != recorded:
            problem = changed_since_capture(key, facts.preserved.file, digest, recorded)
        else:
            problem = ""
        found[key] = CheckedCopy(path, problem)
    _checked[app] = found
    return found


def verified_copy(app: Sphinx, key: str) -> Path | None:
    """The preserved copy of ``key`` when it is the file captured (else None)."""
    checked = checked_copies(app).get(key)
    return checked.path if checked is not None and not checked.problem else None


def rewrite_when_verdicts_change(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The bibliography pages, when a copy became (or stopped being) the file captured
    since the last build: they link a verified copy and only name any other, and Sphinx
    would not write them again for a change outside the sources."""
    if app.builder.format != "html" or not bibtex_available(env):
        return []
    now = {key: not checked.problem for key, checked in checked_copies(app).items()}
    before = getattr(env, "briefbook_copy_verdicts", None)
    env.briefbook_copy_verdicts = now  # type: ignore[attr-defined]
    if before is None or before == now:
        return []
    return sorted(set(bibliography_docnames(env)) & env.found_docs)


def refuse_changed_copies(app: Sphinx, exception: Exception | None) -> None:
    """BB414 for each preserved copy that is not the file captured (BB412 unreadable,
    BB411 no hash to compare with): in every build, so a
    strict build (``briefbook build``, ``make html``) fails on it as ``check`` does, and
    incremental builds keep failing until it is restored.  Such a copy is never shipped
    (:func:`ship_preserved_copies`)."""
    if exception is not None or not bibtex_available(app.env):
        return
    domain: Any = app.env.domains.get("cite")
    left_out = "; it is left out of the site" if app.builder.format == "html" else ""
    for key, checked in checked_copies(app).items():
        if checked.problem:
            logger.warning("%s %s%s", checked.code, checked.problem, left_out,
                           location=entry_location(domain, key), type="briefbook",
                           subtype="preserved_copy")


def ship_preserved_copies(app: Sphinx, exception: Exception | None) -> None:
    """Make the site's ``_archive/`` hold exactly the verified preserved copies its
    bibliographies show, compared by content: a copy already there is kept only when its
    SHA-256 is its entry's, anything else there is removed, so that what is published
    beside a hash is always the file with that hash."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / ARCHIVE_OUT
    listed = set(catalogue.citation_keys(app.env).values())  # what the bibliographies show
    facts_by_key = catalogue.source_facts(app.env)
    wanted: dict[str, tuple[Path, str]] = {}
    for key in sorted(listed):
        path = verified_copy(app, key)
        if path is not None:
            wanted[path.name] = (path, facts_by_key[key].preserved.sha256.lower())
    if out.is_dir():
        for stale in out.iterdir():
            if stale.name not in wanted:
                _remove(stale)
    for name, (path, digest) in wanted.items():
        target = out / name
        if target.is_file() and not target.is_symlink() and file_sha256(target) == digest:
            continue
        out.mkdir(parents=True, exist_ok=True)
        temporary = out / f".{name}.tmp"
        shutil.copyfile(path, temporary)
        temporary.replace(target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def warn_missing_copies(app: Sphinx, env: BuildEnvironment) -> None:
    """BB412: an entry names a preserved copy that is not on disk (the link would break)."""
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
                       location=entry_location(domain, key), type="briefbook",
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
    app.connect("env-updated", rewrite_when_verdicts_change)
    app.connect("build-finished", refuse_changed_copies)
    app.connect("build-finished", ship_preserved_copies)
