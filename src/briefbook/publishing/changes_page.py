"""The "What changed" page's nodes for one comparison of two editions.

Given the previous edition's snapshot and this one's (:mod:`.comparison`), :class:`Page`
writes the summary and the three sections (briefings, key judgements, sources), linking
whatever is still in this edition to it and quoting what is not; :func:`first_edition`
says what to do when there is no previous edition to compare with. Which snapshot to
compare, and when, is :mod:`.changes`'s question.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes

from briefbook.book.briefings import format_date, parse_date
from briefbook.pages.design import link
from briefbook.publishing.comparison import CONFIG, Briefing, Judgement, Snapshot, Source, compare

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _link(app: Sphinx, fromdocname: str, docname: str, anchor: str,
          child: nodes.Node) -> nodes.Node:
    if docname not in app.env.all_docs:
        return child
    return link(app, fromdocname, docname, anchor, child)


def _source_ref(app: Sphinx, fromdocname: str, source: Source) -> nodes.Node:
    """The source's label, linking to its bibliography entry when this edition has it."""
    label = nodes.Text(source.label)
    domain: Any = app.env.domains.get("cite")
    for cit in getattr(domain, "citations", []):
        if cit.key == source.key:
            return _link(app, fromdocname, cit.bibliography_key.docname, cit.citation_id, label)
    return label


def _sources(app: Sphinx, fromdocname: str, keys: Iterable[str],
             known: dict[str, Source], linked: bool) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for key in keys:
        if out:
            out.append(nodes.Text("; "))
        source = known.get(key, Source(key, key))
        out.append(_source_ref(app, fromdocname, source) if linked else nodes.Text(source.label))
    return out or [nodes.Text("none")]


def _estimate(judgement: Judgement) -> str:
    """``Likely, moderate confidence``."""
    parts = [judgement.likelihood.capitalize() if judgement.likelihood else "No likelihood"]
    parts.append(f"{judgement.confidence} confidence" if judgement.confidence
                 else "no confidence given")
    return ", ".join(parts)


def _quoted(text: str) -> str:
    return f"“{text}”"


class Page:
    """The page's nodes for one comparison, as seen from ``fromdocname``."""

    def __init__(self, app: Sphinx, fromdocname: str, before: Snapshot, after: Snapshot) -> None:
        self.app = app
        self.fromdocname = fromdocname
        self.before = before
        self.after = after
        self.changes = compare(before, after)

    def title(self, docname: str) -> str:
        for edition in (self.after, self.before):
            if docname in edition.briefings:
                return edition.briefings[docname].title
        found = self.app.env.titles.get(docname)
        return found.astext() if found is not None else docname

    def page_link(self, docname: str) -> nodes.Node:
        return _link(self.app, self.fromdocname, docname, "", nodes.Text(self.title(docname)))

    def judgement_link(self, judgement: Judgement) -> nodes.Node:
        return _link(self.app, self.fromdocname, judgement.docname, judgement.node_id,
                     nodes.Text(_quoted(judgement.text)))

    def sources_of(self, judgement: Judgement, edition: Snapshot) -> list[nodes.Node]:
        return _sources(self.app, self.fromdocname, judgement.sources, edition.sources,
                        linked=edition is self.after)

    # -- sections --------------------------------------------------------------------------

    def render(self) -> list[nodes.Node]:
        out: list[nodes.Node] = [self.summary()]
        if not self.changes:
            return out
        out.extend(self.briefings())
        out.extend(self.judgements())
        out.extend(self.sources())
        return out

    def summary(self) -> nodes.paragraph:
        c = self.changes
        para = nodes.paragraph(classes=["bb-changes-summary"])
        if not c:
            para += nodes.Text(f"Compared with {self.before.described()}: nothing changed. The "
                               "briefings, their key judgements and the sources cited are the "
                               "same.")
            return para
        para += nodes.Text(f"Compared with {self.before.described()}.")
        for heading, counts in (
                ("Briefings", ((c.added, "added"), (c.withdrawn, "withdrawn"))),
                ("Key judgements", ((c.changed, "changed"), (c.new, "added"),
                                    (c.dropped, "dropped"))),
                ("Sources", ((c.cited, "newly cited"), (c.uncited, "no longer cited"),
                             (c.reassessed, "reassessed")))):
            said = ", ".join(f"{len(found)} {what}" for found, what in counts if found)
            if said:
                para += nodes.Text(f" {heading}: {said}.")
        return para

    def briefings(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Briefings")]
        if not c.added and not c.withdrawn:
            out.append(nodes.paragraph("", "No briefing added or withdrawn."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-briefings"])
        for briefing in c.added:
            items += self.briefing_item("Added", briefing, self.after)
        for briefing in c.withdrawn:
            items += self.briefing_item("Withdrawn", briefing, self.before)
        out.append(items)
        return out

    def briefing_item(self, what: str, briefing: Briefing, edition: Snapshot) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", f"{what}: ")
        lead += (self.page_link(briefing.docname) if edition is self.after
                 else nodes.Text(briefing.title))
        day = parse_date(briefing.date)
        dateline = ", ".join(p for p in (format_date(day) if day else "", briefing.author) if p)
        if dateline:
            lead += nodes.Text(f" ({dateline})")
        item = nodes.list_item("", lead, classes=[f"bb-changes-briefing-{what.lower()}"])
        held = edition.judgements.get(briefing.docname, [])
        if held:
            words = "Its key judgements:" if edition is self.after else "Its key judgements were:"
            item += nodes.paragraph("", words)
            inner = nodes.bullet_list()
            for judgement in held:
                para = nodes.paragraph()
                para += (self.judgement_link(judgement) if edition is self.after
                         else nodes.Text(_quoted(judgement.text)))
                para += nodes.Text(f" ({_estimate(judgement)})")
                inner += nodes.list_item("", para)
            item += inner
        return item

    def judgements(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Key judgements")]
        if not (c.changed or c.new or c.dropped):
            out.append(nodes.paragraph("", "No key judgement added, dropped or changed in the "
                                           "briefings of both editions."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-judgements"])
        for old, new in c.changed:
            items += self.changed_item(old, new)
        for judgement in c.new:
            items += self.judgement_item("Added", judgement, self.after, "in")
        for judgement in c.dropped:
            items += self.judgement_item("Dropped", judgement, self.before, "from")
        out.append(items)
        return out

    def judgement_item(self, what: str, judgement: Judgement, edition: Snapshot,
                       preposition: str) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", what)
        lead += nodes.Text(f" {preposition} ")
        lead += self.page_link(judgement.docname)
        lead += nodes.Text(": ")
        lead += (self.judgement_link(judgement) if edition is self.after
                 else nodes.Text(_quoted(judgement.text)))
        detail = nodes.paragraph()
        detail += nodes.Text(f"{_estimate(judgement)}. Sources: ")
        detail.extend(self.sources_of(judgement, edition))
        detail += nodes.Text(".")
        return nodes.list_item("", lead, detail, classes=[f"bb-changes-judgement-{what.lower()}"])

    def changed_item(self, old: Judgement, new: Judgement) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", "Changed")
        lead += nodes.Text(" in ")
        lead += self.page_link(new.docname)
        lead += nodes.Text(": ")
        lead += self.judgement_link(new)
        item = nodes.list_item("", lead, classes=["bb-changes-judgement-changed"])
        for label, was, now in (("Likelihood", old.likelihood, new.likelihood),
                                ("Confidence", old.confidence, new.confidence)):
            para = nodes.paragraph()
            para += nodes.emphasis("", f"{label}: ")
            if was == now:
                para += nodes.Text(now or "none given")
            else:
                para += nodes.Text(f"{was or 'none given'} → ")
                para += nodes.strong("", now or "none given")
            item += para
        para = nodes.paragraph()
        para += nodes.emphasis("", "Sources: ")
        if old.sources != new.sources:
            para.extend(self.sources_of(old, self.before))
            para += nodes.Text(" → ")
        para.extend(self.sources_of(new, self.after))
        item += para
        if old.words != new.words:
            para = nodes.paragraph()
            para += nodes.emphasis("", "Previously worded: ")
            para += nodes.Text(_quoted(old.text))
            item += para
        return item

    def sources(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Sources")]
        if not (c.cited or c.uncited or c.reassessed):
            out.append(nodes.paragraph("", "No source newly cited, withdrawn or reassessed."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-sources"])
        for source in c.cited:
            para = nodes.paragraph()
            para += nodes.strong("", "Newly cited: ")
            para += _source_ref(self.app, self.fromdocname, source)
            grade = _standing(source)
            if grade:
                para += nodes.Text(f" ({grade})")
            items += nodes.list_item("", para, classes=["bb-changes-source-cited"])
        for source in c.uncited:
            para = nodes.paragraph()
            para += nodes.strong("", "No longer cited: ")
            para += nodes.Text(source.label)
            items += nodes.list_item("", para, classes=["bb-changes-source-uncited"])
        for old, new in c.reassessed:
            para = nodes.paragraph()
            para += nodes.strong("", "Reassessed: ")
            para += _source_ref(self.app, self.fromdocname, new)
            para += nodes.Text(": " + "; ".join(_reassessment(old, new)) + ".")
            items += nodes.list_item("", para, classes=["bb-changes-source-reassessed"])
        out.append(items)
        return out


def _standing(source: Source) -> str:
    parts = []
    if source.reliability:
        parts.append(f"reliability {source.reliability}")
    if source.status:
        parts.append(source.status)
    return ", ".join(parts)


def _reassessment(old: Source, new: Source) -> list[str]:
    found = []
    if old.reliability != new.reliability:
        found.append(f"reliability {old.reliability or 'ungraded'} → {new.reliability or 'ungraded'}")
    if old.status != new.status:
        now = new.status or "no longer flagged"
        day = parse_date(new.status_date) if new.status and new.status_date else None
        if day is not None:
            now += f" on {format_date(day)}"
        if new.status and new.status_reason:
            now += f" ({new.status_reason})"
        found.append(f"{old.status or 'sound'} → {now}")
    return found


def first_edition() -> list[nodes.Node]:
    para = nodes.paragraph(classes=["bb-changes-first"])
    para += nodes.Text("This is the first edition compared: there is no previous edition to "
                       "compare it with. To list what changed since an earlier edition, keep "
                       "that edition's ")
    para += nodes.literal("", "briefbook-export.json")
    para += nodes.Text(" (published at the root of its HTML, or made with ")
    para += nodes.literal("", "briefbook export")
    para += nodes.Text(") and set ")
    para += nodes.literal("", CONFIG)
    para += nodes.Text(" in conf.py to its path, relative to the folder of conf.py.")
    return [para]
