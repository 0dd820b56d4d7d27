"""Entity linking: every registry name, alias and variant in one Aho-Corasick automaton.

One pass over a paragraph finds every occurrence of every name at once, so the cost
grows with the text, not with the registry (see :mod:`.bench`).  Matching runs on a
length-preserving case fold of the text so offsets map back one to one; each hit is
then checked against the original text:

* never inside another word ("Korean" does not contain a mention of "Korea");
* case-aware: acronyms and short aliases ("US", "BBC", "Xi") must match exactly,
  other names must at least start with a capital ("china" is porcelain);
* the longest match wins where names overlap ("South Korea" over "Korea");
* person short forms (family name: "Austin" after "Lloyd Austin", "Lee" after
  "Lee Seong-kweun") link only after the full name has appeared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from briefbook.entities.registry import Entity, Registry
from briefbook.ingest import gazetteer
from briefbook.ingest.model import Mention, Name
from briefbook.ingest.name_patterns import FAMILY_FIRST, is_headline
from briefbook.ingest.wordlists import words


def fold(text: str) -> str:
    """Lower-case ``text`` one character at a time, keeping its length (and offsets)."""
    out = []
    for char in text:
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out)


def _is_word_char(char: str) -> bool:
    """Letters, digits and combining marks continue a word ("Korea" is not in "Korean")."""
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def family_name(entity: Entity) -> str:
    """The short form a later sentence uses for a person: usually the family name."""
    if "," in entity.sort_name:
        return entity.sort_name.split(",")[0].strip()
    tokens = entity.name.split()
    if len(tokens) < 2:
        return ""
    first, last = tokens[0], tokens[-1]
    if first.casefold() in FAMILY_FIRST or ("-" in last and last.split("-")[1][:1].islower()):
        return first
    if last.rstrip(".").upper() in {"JR", "SR", "II", "III", "IV"} and len(tokens) > 2:
        return tokens[-2]
    return last


def _linkable_names(entity: Entity) -> list[str]:
    return [name for name in dict.fromkeys(entity.all_names) if name.strip()]


def _narrowers(names_of: dict[str, list[str]]) -> dict[str, set[str]]:
    """Each name that other names narrow with one or two leading modifiers ("Korea" in
    "North Korea", "South Korea") → the entities with those longer names.  Such a name
    alone could mean any of them.  A name that is only the complement of a longer one
    ("the National Assembly" in "Intelligence Committee of the National Assembly") is not
    ambiguous: the longest match already handles it.  One pass over all names, so a
    registry of 100,000 aliases builds as fast as one of 100."""
    narrowed: dict[str, set[str]] = {}
    for entity_id, names in names_of.items():
        for name in names:
            tokens = name.split()
            for cut in (1, 2):
                if len(tokens) > cut and all(t[:1].isupper() for t in tokens[:cut]):
                    narrowed.setdefault(" ".join(tokens[cut:]), set()).add(entity_id)
    return narrowed


@dataclass(frozen=True)
class _Key:
    name: str
    entity_id: str
    kind: str
    exact: bool  # acronyms and short names must match case exactly
    rivals: tuple[str, ...] = ()  # entities a short form could also mean ("North Korea")


def _needs_exact(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 3 or (len(letters) > 1 and all(c.isupper() for c in letters))


def _case_ok(found: str, key: _Key) -> bool:
    if found == key.name:
        return True
    if key.exact:
        return False
    # Same words, different case: accept when each word keeps its leading capital
    # ("Lee Seong-Kweun" for "Lee Seong-kweun", "SOUTH KOREA" in a headline).
    for got, want in zip(found.split(), key.name.split(), strict=False):
        if want[:1].isupper() and not got[:1].isupper():
            return False
    return True


def _swallowed(start: int, end: int, key: _Key, names: Sequence[Name]) -> bool:
    """A hit strictly inside a longer recognised name of something else.  A person's
    name inside a longer person's name ("Lloyd Austin" in "Lloyd Austin III") stays."""
    for name in names:
        if name.start <= start and end <= name.end and (name.end - name.start) > (end - start):
            if key.kind == "person" and name.type == "person" and name.start == start:
                continue  # "Lloyd Austin" in "Lloyd Austin III"; but "Xi" in "Wu Xi" is not Xi
            return True
    return False


#: Capitalised words that may stand next to a name without making a longer name of it:
#: sentence openers, titles, days and months ("When Putin …", "President Putin",
#: "Russia Monday"), generational suffixes.
_NEIGHBOURS = frozenset(words("""
the a an in on at by for from to of with as and but or nor so yet when while if after
before since during under over between both either neither that this these those why how
what where who whom whose which meanwhile also then now today yesterday tomorrow last next
earlier later however although though despite unlike like only even still once because
thus hence such here there it its his her their our my your we they he she i
mr mrs ms dr sir dame lord lady president vice prime minister secretary chancellor senator
representative governor mayor ambassador spokesperson spokesman spokeswoman director
chairman chairwoman chair commander general admiral colonel lieutenant major captain
sergeant king queen prince princess pope judge justice professor premier envoy deputy
foreign defense defence state leader chief former acting gen adm sgt col lt capt maj sen rep
gov amb jr sr ii iii iv monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december
"""))


def in_longer_run(text: str, start: int, end: int) -> bool:
    """A registry name that is one part of a longer capitalised name the recogniser did
    not catch: "America" in "Good Morning America", "U.S." in "U.S. Army North",
    "Xi" in "Wu Xi".  Its capitalised neighbours (no punctuation between) are the sign."""
    before = re.search(r"(?<![\w’'.-])([A-Z][\w’'.\-]*)\s+$", text[max(0, start - 40):start])
    after = re.match(r"\s+([A-Z][\w’'\-]*)", text[end:end + 40])
    if before is not None:
        word = before.group(1)
        ends_sentence = word.endswith(("!", "?")) or (word.endswith(".") and len(word) > 2
                                                       and not word.isupper())
        if not (ends_sentence or word.endswith(("’s", "'s"))  # "Korea's National Assembly"
                or word.rstrip(".").casefold() in _NEIGHBOURS
                or _opens_sentence(text, start - len(before.group(0)))):
            return True
    return after is not None and after.group(1).casefold() not in _NEIGHBOURS


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word starting near ``at`` opens a sentence (its capital says nothing)."""
    head = text[:max(0, at)].rstrip()
    return not head or head.endswith((".", "!", "?", ":", "“", '"', "—", "(", "‘"))


class Linker:
    """Finds registry entities in text; build once per registry, reuse for every article."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._full = ahocorasick.Automaton()
        self._short = ahocorasick.Automaton()
        full: dict[str, list[_Key]] = {}
        short: dict[str, list[_Key]] = {}
        self.kinds: dict[str, str] = {}
        entities = list(entities)
        names_of = {entity.id: _linkable_names(entity) for entity in entities}
        claimed = {fold(n) for names in names_of.values() for n in names}
        narrowers = _narrowers(names_of)
        for entity in entities:
            self.kinds[entity.id] = entity.kind
            own = names_of[entity.id]
            for name in own:
                rivals = () if name == entity.name else tuple(
                    sorted(narrowers.get(" ".join(name.split()), set()) - {entity.id}))
                if entity.kind == "person" and name != entity.name and " " not in name.strip() \
                        and name.casefold() in FAMILY_FIRST:
                    # "Xi" for Xi Jinping, "Kim", "Lee": family names shared by millions, so
                    # a short form, linked once the full name has come.
                    short.setdefault(fold(name), []).append(
                        _Key(name, entity.id, entity.kind, True))
                    continue
                if rivals:
                    # "Korea" when the registry has North and South Korea: a short form,
                    # linked only once the article has named which one it means.
                    short.setdefault(fold(name), []).append(
                        _Key(name, entity.id, entity.kind, True, rivals))
                    continue
                full.setdefault(fold(name), []).append(
                    _Key(name, entity.id, entity.kind, _needs_exact(name)))
            if entity.kind == "place" and entity.place_kind == "country" and entity.country:
                for name in gazetteer.names_of_country(entity.country):
                    if fold(name) not in claimed and len(name) > 3:
                        full.setdefault(fold(name), []).append(
                            _Key(name, entity.id, entity.kind, _needs_exact(name)))
            if entity.kind == "person":
                surname = family_name(entity)
                if surname and len(surname) >= 2 and fold(surname) not in claimed:
                    short.setdefault(fold(surname), []).append(
                        _Key(surname, entity.id, entity.kind, True))
        for key, values in full.items():
            self._full.add_word(key, (len(key), tuple(values)))
        for key, values in short.items():
            self._short.add_word(key, (len(key), tuple(values)))
        self._has_full = bool(full)
        self._has_short = bool(short)
        if full:
            self._full.make_automaton()
        if short:
            self._short.make_automaton()

    @classmethod
    def from_registry(cls, registry: Registry) -> Linker:
        return cls(registry)

    @staticmethod
    def _bounded(text: str, start: int, end: int) -> bool:
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if after == "$":
            return False  # "US$49 million", "HK$": a currency, not the country
        return not _is_word_char(before) and not _is_word_char(after)

    def _hits(self, automaton: object, text: str, folded: str) -> list[tuple[int, int, _Key]]:
        hits = []
        for end_index, (length, keys) in automaton.iter(folded):  # type: ignore[attr-defined]
            end = end_index + 1
            start = end - length
            if not self._bounded(text, start, end):
                continue
            found = text[start:end]
            for key in keys:
                if _case_ok(found, key):
                    hits.append((start, end, key))
                    break
        return hits

    def link(self, paragraphs: Sequence[str],
             names: Sequence[Name] = ()) -> list[Mention]:
        """All mentions in ``paragraphs`` (in order), offsets per paragraph.

        ``names`` are the recogniser's names: a registry name strictly inside a longer
        recognised name ("Republic of Korea" in "Democratic People's Republic of
        Korea") belongs to that longer name and is not linked.
        """
        mentions: list[Mention] = []
        first_seen: dict[str, tuple[int, int]] = {}
        by_paragraph: dict[int, list[Name]] = {}
        for name in names:
            by_paragraph.setdefault(name.paragraph, []).append(name)
        for number, text in enumerate(paragraphs):
            folded = fold(text)
            chosen: list[tuple[int, int, _Key, bool]] = []
            longer = by_paragraph.get(number, [])
            headline = is_headline(text)
            if self._has_full:
                hits = sorted(self._hits(self._full, text, folded), key=lambda h: (h[0], -h[1]))
                last_end = -1
                for start, end, key in hits:
                    if _swallowed(start, end, key, longer) or (
                            not headline and in_longer_run(text, start, end)):
                        continue
                    if start >= last_end:
                        chosen.append((start, end, key, False))
                        last_end = end
                        first_seen.setdefault(key.entity_id, (number, start))
            if self._has_short:
                taken = [(s, e) for s, e, _, _ in chosen]
                for start, end, key in self._short_hits(text, folded, first_seen, number):
                    if _swallowed(start, end, key, longer) or (
                            not headline and in_longer_run(text, start, end)):
                        continue
                    if all(end <= s or start >= e for s, e in taken):
                        chosen.append((start, end, key, True))
                        taken.append((start, end))
            for start, end, key, is_short in sorted(chosen, key=lambda c: c[0]):
                mentions.append(Mention(text[start:end], key.entity_id, key.kind, number,
                                        start, end, short_form=is_short))
        return mentions

    def _short_hits(self, text: str, folded: str, first_seen: dict[str, tuple[int, int]],
                    number: int) -> list[tuple[int, int, _Key]]:
        out = []
        for end_index, (length, keys) in self._short.iter(folded):
            end = end_index + 1
            start = end - length
            if not self._bounded(text, start, end) or text[start:end] != keys[0].name:
                continue
            # Linked only when exactly one entity with this short form has been named
            # in full before: with two Kims named, "Kim" alone could be either.
            before = {e for e, at in first_seen.items() if at < (number, start)}
            seen = {k.entity_id: k for k in keys if k.entity_id in before}
            rivals = {r for k in keys for r in k.rivals if r in before}
            if len(seen) == 1 and not rivals - set(seen):
                out.append((start, end, next(iter(seen.values()))))
        return out
