"""Which new entities of a batch deserve a stub, under which name and aliases.

A batch of articles names one entity many ways ("UK", "Britain", "United Kingdom";
"Lloyd J. Austin III", "Austin"; "FEMA" and the name it abbreviates). :func:`plan`
groups the batch's candidates into entities (:mod:`.variants`), names each group by its
usual name with the other forms as aliases, and decides which deserve a stub: not an
entity the registry already has (under any of its names or variants), not a name an
editor rejected or a stub an editor deleted (``review.yaml``,
:mod:`briefbook.entities.review_state`), not a family name of someone named in full, not
a word that names no entity on its own (:func:`.candidates.not_an_entity`), and worth an
editor's time (used twice, or vouched for by a rule).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefbook.entities.registry import FILES, Registry, normalise
from briefbook.entities.review_state import ReviewState
from briefbook.ingest import gazetteer, variants
from briefbook.ingest.candidates import not_an_entity
from briefbook.ingest.linker import family_name
from briefbook.ingest.model import BatchArticle, Candidate, Found
from briefbook.ingest.name_patterns import FAMILY_FIRST
from briefbook.ingest.stub_roles import person_roles

#: Cues that make a name worth an editor's time even when the batch names it once: a
#: title or a transcript label before a person, the gazetteer, an organisation word.
STRONG_CUES = frozenset({
    "title", "transcript label", "organisation word", "ship", "government", "institution",
    "national body", "feature word", "dateline", "code list", "acronym defined", "byline",
    "family name",
})
#: Cues that vouch for a one-word person name (a family name alone): the text itself
#: calls them someone ("Secretary Austin", "MR. KIRBY:").
_PERSON_CUES = frozenset({"title", "transcript label", "byline"})


#: Added to the cue of a name no page can link (see ``_verdict``), for the review queue.
QUOTED_ONLY = "quoted only"


def worth_a_stub(candidate: Candidate, mentions_in_batch: int) -> bool:
    """A model's one-off guess ("Patriot", "Humanitarian Aid") would fill the registry
    with hundreds of stubs to delete; a name the batch uses twice, or one a rule vouches
    for, is worth reviewing."""
    return (mentions_in_batch >= 2 or candidate.cue in STRONG_CUES
            or candidate.cue.startswith("gazetteer"))


@dataclass
class Planned:
    """One entity of the batch: its name, every form the batch wrote, and the verdict.

    ``verdict`` is "stub" (write one), "candidate" (recorded for review, no stub: named
    once with no rule vouching for it, or a variant of a registry entry), or why it is
    left out altogether: "registry", "rejected", "short form", "not an entity".
    """

    kind: str
    name: str
    forms: dict[str, int]
    aliases: list[str]
    found: list[Found]
    verdict: str = "stub"
    cue: str = ""
    roles: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(f.candidate.count for f in self.found)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(f.article for f in self.found))


class _RegistryNames:
    """What the registry already has, for telling a variant of an entry from a new one."""

    def __init__(self, registry: Registry) -> None:
        self.names = {normalise(n): e.id for e in registry for n in e.all_names}
        self.keys: dict[str, str] = {}
        self.families: dict[str, set[str]] = {}
        self.people: dict[str, set[str]] = {}  # last word → full names, for short forms
        self.given: set[str] = set()
        for entity in registry:
            for name in entity.all_names:
                self.keys.setdefault(variants.entity_key(name, entity.kind), entity.id)
            if entity.kind == "person":
                surname = family_name(entity)
                if surname:
                    self.families.setdefault(normalise(surname), set()).add(entity.id)
                    self.given.add(normalise(entity.name.split()[0]))
                for name in entity.all_names:
                    if " " in name.strip():
                        for word in (name.split()[0], name.split()[-1]):
                            self.people.setdefault(normalise(word), set()).add(name)

    def short_form(self, text: str) -> bool:
        """Whether ``text`` is how a text names a registry person after the first time."""
        words = normalise(text).split()
        if not words:
            return False
        if len(words) == 1 and words[0] in self.families:
            return True
        return any(variants.is_short_form(text, full)
                   for word in {words[0], words[-1]} for full in self.people.get(word, ()))

    def entry_for(self, forms: Iterable[str], kind: str) -> str:
        """The id of the registry entry ``forms`` belong to, "" when none."""
        for form in forms:
            found = self.names.get(normalise(form)) or self.keys.get(
                variants.entity_key(form, kind))
            if found:
                return found
        return ""


def _rejected_keys(state: ReviewState) -> set[str]:
    keys = set()
    for rejected in state.rejected:
        for kind in ((rejected.kind,) if rejected.kind else tuple(FILES)):
            keys.add(variants.entity_key(rejected.name, kind))
    return keys


def plan(found: Sequence[Found], registry: Registry, state: ReviewState | None = None,
         texts: Sequence[BatchArticle] = ()) -> list[Planned]:
    """Group the batch's candidates into entities and decide each one (see
    :class:`Planned`), in the order the batch first names them. ``texts`` are the
    batch's articles, read for the titles they give a person (:func:`person_roles`)."""
    state = state or ReviewState()
    items = [f for f in found if f.candidate.type in FILES]
    known = _RegistryNames(registry)
    rejected = _rejected_keys(state)
    groups = variants.group_variants([(f.candidate.text, f.candidate.type) for f in items])
    people = {normalise(f.candidate.text) for f in items
              if f.candidate.type == "person" and len(f.candidate.text.split()) > 1}
    out: list[Planned] = []
    for group in groups:
        members = [items[i] for i in group]
        whole = [m for m in members if not variants.is_acronym(m.candidate.text)] or members
        kind = Counter(m.candidate.type for m in whole).most_common(1)[0][0]
        forms: dict[str, int] = {}
        for member in members:
            forms[member.candidate.text] = forms.get(member.candidate.text, 0) \
                + member.candidate.count
            for form in member.candidate.forms:
                forms.setdefault(form, 0)
        spoken = {m.candidate.text: forms[m.candidate.text] for m in members}
        name = variants.usual_name(spoken, kind)
        cues = [m.candidate.cue for m in members]
        cue = next((c for c in cues if c in STRONG_CUES or c.startswith("gazetteer")), cues[0])
        planned = Planned(kind, name, forms, [], members, cue=cue)
        planned.aliases = _aliases(planned, known, people)
        planned.verdict = _verdict(planned, spoken, known, rejected, state, people)
        if planned.verdict == "stub" and kind == "person":
            planned.roles = person_roles(members, texts, [name, *forms])
        out.append(planned)
    return out


def _verdict(planned: Planned, spoken: dict[str, int], known: _RegistryNames,
             rejected: set[str], state: ReviewState, people: set[str]) -> str:
    kind, name = planned.kind, planned.name
    if not_an_entity(name, kind) or all(not_an_entity(t, kind) for t in spoken):
        return "not an entity"
    if any(normalise(t) in known.names for t in spoken):
        return "registry"
    if state.is_rejected(name, kind) or variants.entity_key(name, kind) in rejected or all(
            state.is_rejected(t, kind) or variants.entity_key(t, kind) in rejected
            for t in spoken):
        return "rejected"
    if kind == "person":
        # A family name alone ("Austin", "Le Drian"): the person named in full, in the
        # registry or in the batch (under a name it cannot tell apart), is who it means.
        bare = [variants.without_title(t) for t in spoken]
        if all(known.short_form(t) or any(variants.is_short_form(t, p) for p in people)
               for t in bare):
            return "short form"
        if all(len(t.split()) == 1 for t in bare) and not any(
                m.candidate.cue in _PERSON_CUES for m in planned.found):
            return "candidate"
    entry = known.entry_for([name, *spoken], kind)
    if entry:
        # A variant of a registry entry ("Britain" beside "United Kingdom"): for review
        # to merge, under the name the batch used.
        planned.name = max(spoken, key=lambda t: (spoken[t], len(t)))
        return "candidate"
    count = sum(spoken.values())
    if not any(worth_a_stub(m.candidate, count) for m in planned.found):
        return "candidate"
    if all(m.candidate.linkable == 0 for m in planned.found):
        # Named only in quoted words, the headline or the byline: no page could link
        # an entry for it, so a stub would only ever be reported as mentioned nowhere
        # (BB311). Review still offers it, to accept deliberately.
        planned.cue = f"{planned.cue}; {QUOTED_ONLY}"
        return "candidate"
    return "stub"


def _aliases(planned: Planned, known: _RegistryNames, people: set[str]) -> list[str]:
    """The forms of a group other than its name that may link it: not a title, a bare
    body noun or a case variant; a family name only when it cannot be a common word or
    mean someone else (several words or a hyphen, no other person of the batch or the
    registry has it): the linker links a family name after the full name anyway."""
    out: list[str] = []
    seen = {normalise(planned.name)}
    own = {normalise(f) for f in planned.forms}
    for form in planned.forms:
        text = variants.without_title(form) if planned.kind == "person" else form
        key = normalise(text)
        if not key or key in seen or not_an_entity(text, planned.kind):
            continue
        name_words = normalise(planned.name).split()
        if planned.kind == "person" and len(key.split()) < len(name_words) \
                and set(key.split()) <= set(name_words):
            # A part of the name ("Austin", "Mark", "Ban"): the linker links the family
            # name once the full name has come; an alias would link it everywhere.
            distinctive = (" " in key or "-" in key) and key.split()[0] not in FAMILY_FIRST
            shared = key in known.families or key in known.given or any(
                variants.is_short_form(text, p) for p in people - own)
            if not distinctive or shared or text in gazetteer.places() \
                    or not variants.is_short_form(text, planned.name):
                continue
        seen.add(key)
        out.append(text)
    return out
