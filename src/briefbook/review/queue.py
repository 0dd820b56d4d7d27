"""The review queue: every decision ingest left, one entity at a time, biggest first.

A decision is an entity (every unreviewed stub and every candidate ``review.yaml``
records as left over, with the variants of one entity as one item) or an undated
briefing page.  Each entity comes with what an editor needs to decide without opening
the pages: the sentences it occurs in, the kind ingest proposed and why, the reviewed
entries it may be the same as, and what accepting would fill from offline data.

The pages are read once per queue, as MyST source (see :mod:`.pages`), and every name of
every item is looked for in one pass, so the queue of a thousand-page book builds in
about a second.  The queue is ordered by how much each decision changes the book: the
mentions it would link times the pages it touches; undated pages first, since each one
breaks the order of the navigation until it is dated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefbook.book.briefings import parse_date
from briefbook.check.undated import undated_reason
from briefbook.entities.registry import KINDS, Entity, Registry, normalise
from briefbook.entities.review_state import Proposal, ReviewState
from briefbook.ingest.stubs import org_kind, place_facts
from briefbook.ingest.variants import ends_with_name, entity_key, group_entities, is_acronym
from briefbook.review.book import ReviewBook
from briefbook.review.model import Item, Occurrence
from briefbook.review.pages import Paragraph, page_files, paragraphs, unescape

#: The description ``briefbook ingest --add-candidates`` gives a stub.
PLACEHOLDER_RE = re.compile(r"^Candidate found by briefbook ingest in (?P<origin>.*) \((?P<cue>[^()]*)\)\.?$",
                            re.DOTALL)
#: At most this many sentences per item (the count says how many there are in all).
MAX_OCCURRENCES = 10
MAX_SUGGESTIONS = 5


@dataclass
class Unit:
    """One stub or one left-over candidate, before variants are grouped."""

    name: str
    kind: str
    stub: Entity | None = None
    proposal: Proposal | None = None
    cue: str = ""

    @property
    def forms(self) -> list[str]:
        names = [self.name]
        if self.stub is not None:
            names += [a.name for a in self.stub.aliases]
        if self.proposal is not None:
            names += self.proposal.forms
        return list(dict.fromkeys(n.strip() for n in names if n.strip()))

    @property
    def key(self) -> str:
        return f"stub:{self.stub.id}" if self.stub else f"candidate:{self.kind}:{self.name}"


def collect_units(registry: Registry, state: ReviewState) -> list[Unit]:
    """The registry's unreviewed stubs, then the candidates ingest left (not yet in the
    registry, not rejected), each with the proposal that says why."""
    units: list[Unit] = []
    for entity in registry:
        if not entity.unreviewed:
            continue
        proposal = state.proposal_for(entity.id)
        cue = proposal.cue if proposal and proposal.cue else ""
        placeholder = PLACEHOLDER_RE.match(entity.description)
        if not cue and placeholder:
            cue = placeholder.group("cue")
        units.append(Unit(entity.name, entity.kind, entity, proposal, cue))
    seen: set[tuple[str, str]] = set()
    for proposal in state.proposals:
        key = (normalise(proposal.name), proposal.kind)
        if (proposal.stub_id is not None or proposal.kind not in KINDS or key in seen
                or registry.lookup(proposal.name) is not None
                or state.is_rejected(proposal.name, proposal.kind)):
            continue
        seen.add(key)
        units.append(Unit(proposal.name.strip(), proposal.kind, None, proposal, proposal.cue))
    return units


# --- reasons ---------------------------------------------------------------------------------

_CUE_WORDS = {
    "transcript label": "named as a speaker in a transcript ('MR. PRICE:')",
    "code list": "in a list of country codes",
    "ship": "a ship's name (HMS, USS, …)",
    "feature word": "a place word in the name (Sea, Oblast, Air Base, …)",
    "dateline": "the article's dateline",
    "institution": "an institution named by its house (House of Commons, Kremlin, …)",
    "national body": "a country's forces or institutions by its adjective ('British Army')",
    "government": "a government's name ('UK Government', 'Government of Canada')",
    "organisation word": "an organisation word in the name (Ministry, Agency, Council, …)",
    "family name": "a family name the article uses for a person it names",
    "acronym defined": "an acronym the article defines ('… (NATO)')",
    "byline": "the article's byline",
    "short form": "the short form of a name the article gives in full",
    "quoted only": "named only inside quotations, the headline or the byline, where no page "
                   "links it (accepted, it is mentioned nowhere: BB311)",
}


def reason(cue: str, role: str = "") -> str:
    """Why ingest proposed the name, in words an editor reads without the manual."""
    if "; " in cue:
        return "; ".join(reason(part, role) for part in cue.split("; "))
    if not cue:
        return "unknown"
    if cue == "title":
        return f"a title before the name ('{role}')" if role else "a title before the name"
    if cue.startswith("gazetteer:"):
        return f"in the gazetteer as a {cue.partition(':')[2]}"
    if cue.startswith("spacy:"):
        label = cue.split(":")[1]
        doubt = ", doubtful" if cue.endswith(":doubtful") else ""
        return f"the statistical model's guess ({label}{doubt})"
    return _CUE_WORDS.get(cue, cue)


# --- what accepting fills --------------------------------------------------------------------

def known_facts(kind: str, forms: Sequence[str], proposals: Iterable[Proposal],
                stub: Entity | None = None) -> dict[str, Any]:
    """What accepting as ``kind`` fills from offline data, leaving out what the stub has.

    A place: the gazetteer's coordinates, country (ISO 3166-1 alpha-2) and kind; a
    person: the title an article gave them, as a role starting on the article's date
    (only when the date is known); an organisation: the kind its words say. The facts
    are ingest's own (:func:`briefbook.ingest.stubs.place_facts`, ``org_kind``), so a
    stub and an accepted candidate get the same.
    """
    facts: dict[str, Any] = {}
    if kind == "place":
        facts = dict(place_facts(list(forms)))
        if stub is not None:
            for key, present in (("kind", stub.place_kind), ("country", stub.country),
                                 ("coordinates", stub.coordinates)):
                if present:
                    facts.pop(key, None)
    elif kind == "person":
        for proposal in proposals:
            if proposal.role and proposal.role_date and not (stub and stub.roles):
                facts["role"] = {"title": proposal.role, "start": proposal.role_date}
                break
    elif kind == "organization":
        found = next((k for k in (org_kind(f) for f in forms) if k), "")
        if found and not (stub and stub.org_kind):
            facts["kind"] = found
    return facts


# --- reviewed entries it may be the same as -----------------------------------------------

_SMALL_WORDS = frozenset({"of", "the", "and", "for", "a", "an", "in", "on", "de"})


@dataclass
class SuggestionIndex:
    """Reviewed entries by the keys a queue item may share with them."""

    registry: Registry
    by_key: dict[str, set[str]] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, registry: Registry) -> SuggestionIndex:
        index = cls(registry)
        for entity in registry:
            if entity.unreviewed:
                continue
            for name in entity.all_names:
                index.by_key.setdefault(entity_key(name, entity.kind), set()).add(entity.id)
                for word in normalise(name).split():
                    if word not in _SMALL_WORDS and len(word) >= 3:
                        index.by_word.setdefault(word, set()).add(entity.id)
        return index

    def suggest(self, forms: Sequence[str], kind: str) -> list[str]:
        """Ids best first: the same entity by its key (3), a family name (2), one name
        inside the other (1); the proposed kind first among equals, then by name."""
        scores: dict[str, int] = {}

        def score(entity_id: str, value: int) -> None:
            scores[entity_id] = max(scores.get(entity_id, 0), value)

        for form in forms:
            for other_kind in KINDS:
                for entity_id in self.by_key.get(entity_key(form, other_kind), ()):
                    score(entity_id, 3)
            words = [w for w in normalise(form).split() if w not in _SMALL_WORDS and len(w) >= 3]
            for word in words:
                for entity_id in self.by_word.get(word, ()):
                    entity = self.registry.entities[entity_id]
                    for name in entity.all_names:
                        if kind == "person" == entity.kind and (
                                ends_with_name(name, form) or ends_with_name(form, name)):
                            score(entity_id, 2)
                        elif _contains(name, form) or _contains(form, name):
                            score(entity_id, 1)
        ranked = sorted(scores, key=lambda i: (-scores[i], self.registry.entities[i].kind != kind,
                                               self.registry.entities[i].sort_key))
        return ranked[:MAX_SUGGESTIONS]


def _contains(longer: str, shorter: str) -> bool:
    """``shorter``'s words stand together inside ``longer``'s ("Defence Ministry" in "UK
    Defence Ministry"), and they are more than small words."""
    outer, inner = normalise(longer).split(), normalise(shorter).split()
    if not inner or len(inner) >= len(outer) or all(w in _SMALL_WORDS for w in inner):
        return False
    return any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


# --- finding the names in the pages --------------------------------------------------------


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for many literal strings, longest match first: a character
    trie, so matching costs no more per character for five thousand names than for one."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@dataclass
class Found:
    """Where one item's names occur: how often, in which pages, the first sentences."""

    count: int = 0
    pages: dict[str, None] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    per_form: dict[str, int] = field(default_factory=dict)


def find_names(texts: dict[str, str], owners: dict[str, list[int]], shadows: Iterable[str],
               size: int) -> list[Found]:
    """Every occurrence of the names in ``owners`` (name → items) in the pages ``texts``.

    ``shadows`` are reviewed registry names: a name inside a longer one ("U.S." in "U.S.
    Army") is that one's, not an occurrence of the shorter.
    """
    found = [Found() for _ in range(size)]
    names = [n for n in {*owners, *shadows} if len(n) >= 2]
    if not names or not owners:
        return found
    pattern = re.compile(r"(?<!\w)" + trie_pattern(sorted(names)) + r"(?!\w)")
    for page, text in texts.items():
        for paragraph in paragraphs(text):
            for match in pattern.finditer(paragraph.text):
                for item in owners.get(match.group(), ()):
                    _note(found[item], page, paragraph, match)
    return found


def _note(found: Found, page: str, paragraph: Paragraph, match: re.Match[str]) -> None:
    found.count += 1
    found.pages.setdefault(page, None)
    found.per_form[match.group()] = found.per_form.get(match.group(), 0) + 1
    if len(found.occurrences) < MAX_OCCURRENCES:
        sentence, start, end = paragraph.sentence_at(match.start(), match.end())
        found.occurrences.append(Occurrence(page, paragraph.line_of(match.start()), sentence,
                                            start, end))


# --- the queue ------------------------------------------------------------------------------


def preferred_name(forms: Sequence[str], kind: str, counts: dict[str, int]) -> str:
    """The name an entry would take: not an abbreviation, for a person not a title
    ("John Healey" over "Defence Secretary John Healey" and "Healey"), else the most used,
    then the longest."""
    full = [f for f in forms if not is_acronym(f)] or list(forms)

    def rank(form: str) -> tuple[int, int, int, int, str]:
        words = len(form.split())
        suffix = kind == "person" and words >= 2 and any(ends_with_name(o, form) for o in forms)
        person_words = kind == "person" and 2 <= words <= 4
        return (-int(suffix), -int(person_words), -counts.get(form, 0), -len(form), form)

    return min(full, key=rank)


def entity_items(book: ReviewBook, registry: Registry, state: ReviewState,
                 texts: dict[str, str]) -> list[Item]:
    units = collect_units(registry, state)
    groups = group_entities([[(f, u.kind) for f in u.forms] for u in units])
    owners: dict[str, list[int]] = {}
    group_forms: list[list[str]] = []
    for index, group in enumerate(groups):
        forms = list(dict.fromkeys(f for u in group for f in units[u].forms))
        group_forms.append(forms)
        for form in forms:
            owners.setdefault(form, []).append(index)
    shadows = [n for e in registry if not e.unreviewed for n in e.all_names]
    found = find_names(texts, owners, shadows, len(groups))
    suggestions = SuggestionIndex.build(registry)
    items = []
    for group, forms, where in zip(groups, group_forms, found, strict=True):
        members = [units[u] for u in group]
        kind = members[0].kind
        name = preferred_name(forms, kind, where.per_form)
        lead = next((u for u in members if u.stub and normalise(u.name) == normalise(name)),
                    next((u for u in members if u.stub), members[0]))
        members = [lead, *(u for u in members if u is not lead)]
        proposals = [u.proposal for u in members if u.proposal is not None]
        reasons = list(dict.fromkeys(reason(u.cue, u.proposal.role if u.proposal else "")
                                     for u in members))
        if len(reasons) > 1:
            reasons = [r for r in reasons if r != "unknown"]
        count = where.count or sum(p.count for p in proposals)
        pages = list(where.pages) or list(dict.fromkeys(a for p in proposals for a in p.articles))
        ordered = sorted(forms, key=lambda f: (f != name, -where.per_form.get(f, 0), f))
        items.append(Item(
            key=lead.key, category="entity", kind=kind, name=name, forms=ordered,
            stub_ids=[u.stub.id for u in members if u.stub is not None],
            reason="; ".join(reasons[:3]), count=count, articles=pages,
            occurrences=where.occurrences, suggestions=suggestions.suggest(forms, kind),
            known=known_facts(kind, ordered, proposals, lead.stub),
            impact=max(count, 1) * max(len(pages), 1)))
    return items


def front_matter(text: str) -> dict[str, Any] | None:
    """A page's front matter, or None when it has none (or it is not a YAML mapping)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def undated_items(book: ReviewBook, texts: dict[str, str]) -> list[Item]:
    """Briefing pages ``briefbook check`` reports as undated (BB507), with its reason, so
    the queue and the check never disagree on what needs a date."""
    items = []
    folder = book.rel(book.briefings) + "/"
    for page, text in texts.items():
        if not page.startswith(folder):
            continue
        meta = front_matter(text) or {}
        why = undated_reason(Path(page), meta)
        if why is None:
            continue
        when = parse_date(meta.get("date"))
        title = unescape(str(meta.get("title") or "")) or next(
            (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")),
            Path(page).stem)
        known: dict[str, Any] = {"date": when.isoformat()} if when is not None else {}
        items.append(Item(key=f"undated:{page}", category="undated", kind="", name=title,
                          reason=why, articles=[page], known=known))
    return items


def read_pages(book: ReviewBook) -> dict[str, str]:
    """Every page's text, read once, by its path relative to the book's root."""
    texts = {}
    for path in page_files(book.srcdir):
        try:
            texts[book.rel(path)] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a page review cannot read is briefbook check's to report
    return texts


def build_queue(book: ReviewBook, registry: Registry, state: ReviewState) -> list[Item]:
    """The whole queue, most consequential decision first, ties by name."""
    texts = read_pages(book)
    entities = entity_items(book, registry, state, texts)
    undated = undated_items(book, texts)
    top = max((i.impact for i in entities), default=0) + 1
    for item in undated:
        item.impact = top
    return sorted([*undated, *entities], key=lambda i: (-i.impact, i.name.casefold(), i.key))
