"""One article's ingest result against its gold: names found and missed, wrong links,
quotes and speakers, misattributions, title, date and publisher.

A wrong link (a registry link on text naming someone else) and a misattribution (a
quote credited to a named speaker who did not say it) each put a false statement on a
page, so each is listed, not only counted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefbook.entities.registry import Entity, Registry
from briefbook.evaluation.gold import TYPES, GoldArticle, GoldEntity, GoldQuote
from briefbook.evaluation.names import (
    POSSESSIVE,
    name_keys,
    names_someone,
    normalise_name,
    publisher_key,
    quote_key,
    slug,
    title_key,
    title_prefix,
)
from briefbook.evaluation.pages import score_page


@dataclass
class Ratio:
    """hits / total, kept as counts so that articles can be micro-averaged."""

    hits: int = 0
    total: int = 0

    def add(self, other: Ratio) -> None:
        self.hits += other.hits
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class ArticleScore:
    """What one article contributed to every metric, with the cases behind each number."""

    stem: str
    failure: str | None = None
    precision: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    recall: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    false_positives: list[dict[str, str]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong_links: list[dict[str, Any]] = field(default_factory=list)
    quotes: Ratio = field(default_factory=Ratio)
    missed_quotes: list[dict[str, Any]] = field(default_factory=list)
    extra_quotes: list[str] = field(default_factory=list)
    speakers: Ratio = field(default_factory=Ratio)
    speaker_errors: list[dict[str, Any]] = field(default_factory=list)
    misattributions: list[dict[str, Any]] = field(default_factory=list)
    title: tuple[bool, str, str] = (False, "", "")
    date: tuple[bool, str, str] = (False, "", "")
    publisher: tuple[bool, str, str] = (False, "", "")
    #: Web pages (None where the gold does not annotate the field): the people who
    #: wrote it, the first and last paragraph, and the furniture strings kept.
    authors: tuple[bool, str, str] | None = None
    first_paragraph: tuple[bool, str, str] | None = None
    last_paragraph: tuple[bool, str, str] | None = None
    boilerplate: list[str] | None = None
    #: Whether entities and quotes were scored (not for a ``scope: metadata`` gold).
    full: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "stem": self.stem, "failure": self.failure,
            "precision": {t: [r.hits, r.total] for t, r in self.precision.items()},
            "recall": {t: [r.hits, r.total] for t, r in self.recall.items()},
            "false_positives": self.false_positives, "misses": self.misses,
            "wrong_links": self.wrong_links, "quotes": [self.quotes.hits, self.quotes.total],
            "missed_quotes": self.missed_quotes, "extra_quotes": self.extra_quotes,
            "speakers": [self.speakers.hits, self.speakers.total],
            "speaker_errors": self.speaker_errors, "misattributions": self.misattributions,
            "title": {"ok": self.title[0], "gold": self.title[1], "system": self.title[2]},
            "date": {"ok": self.date[0], "gold": self.date[1], "system": self.date[2]},
            "publisher": {"ok": self.publisher[0], "gold": self.publisher[1],
                          "system": self.publisher[2]},
            **{name: None if value is None else {"ok": value[0], "gold": value[1],
                                                  "system": value[2]}
               for name, value in (("authors", self.authors),
                                   ("first_paragraph", self.first_paragraph),
                                   ("last_paragraph", self.last_paragraph))},
            "boilerplate": self.boilerplate, "full": self.full,
        }


@dataclass(frozen=True)
class _Occurrence:
    start: int
    end: int
    entity: GoldEntity
    form: str


def _occurrences(paragraph: str, entities: Sequence[GoldEntity]) -> list[_Occurrence]:
    """Every word-bounded occurrence of every gold form in a paragraph."""
    found = []
    for entity in entities:
        for form in entity.forms:
            pattern = r"\s+".join(re.escape(w) for w in form.split())
            for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", paragraph):
                found.append(_Occurrence(match.start(), match.end(), entity, form))
    return found


def _entity_keys(entity: Entity | None, fallback: str) -> set[str]:
    if entity is None:
        return name_keys([fallback])
    return name_keys(entity.all_names, entity.kind == "person")


def _same(entity_id: str, keys: set[str], gold: GoldEntity) -> bool:
    """Whether a registry entity (its id and name keys) is the gold entity."""
    return bool(keys & gold.keys) or entity_id == slug(gold.name)


def _core_span(text: str, start: int) -> tuple[int, int]:
    """The span of a mention without a leading title or trailing possessive."""
    offset = title_prefix(text)
    core = POSSESSIVE.sub("", text[offset:].rstrip())
    return start + offset, start + offset + len(core)


def _locate(mention: Mapping[str, Any], paragraphs: Sequence[str]) -> tuple[int, int, int] | None:
    """(paragraph, start, end) of a mention, trusting offsets when they agree with the text."""
    number = mention.get("paragraph")
    if not isinstance(number, int) or not 0 <= number < len(paragraphs):
        return None
    text = str(mention.get("text", ""))
    start, end = mention.get("start"), mention.get("end")
    paragraph = paragraphs[number]
    if isinstance(start, int) and isinstance(end, int) and paragraph[start:end] == text:
        return number, start, end
    found = paragraph.find(text)
    return (number, found, found + len(text)) if found >= 0 and text else None


def _wrong_link(mention: Mapping[str, Any], paragraphs: Sequence[str],
                occurrences: Sequence[Sequence[_Occurrence]], registry: Registry) -> str | None:
    """Why a linked mention is wrong, or None when the gold agrees with the link."""
    place = _locate(mention, paragraphs)
    if place is None:
        return "mention offsets do not match the paragraph text"
    number, start, end = place
    core_start, core_end = _core_span(paragraphs[number][start:end], start)
    if core_end <= core_start:
        core_start, core_end = start, end
    entity_id = str(mention.get("id"))
    entity = registry.get(entity_id)
    keys = _entity_keys(entity, str(mention.get("text", "")))
    covering = [o for o in occurrences[number] if o.start <= core_start and o.end >= core_end]
    if not covering:
        overlapping = [o for o in occurrences[number] if o.start < end and start < o.end]
        if overlapping:
            best = max(overlapping, key=lambda o: o.end - o.start)
            return (f"span does not match a gold form (overlaps {best.form!r} of "
                    f"{best.entity.name!r})")
        return "no gold entity is named here"
    longest = max(o.end - o.start for o in covering)
    best_ones = [o for o in covering if o.end - o.start == longest]
    matching = [o for o in best_ones if _same(entity_id, keys, o.entity)]
    if not matching:
        best = best_ones[0]
        if best.end - best.start > core_end - core_start:
            return f"inside {best.form!r}, a name of {best.entity.name!r}"
        return f"the text names {best.entity.name!r}"
    gold = matching[0].entity
    if mention.get("type") != gold.type:
        return f"typed {mention.get('type')}, but {gold.name!r} is a {gold.type}"
    return None


def _system_names(system: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Distinct normalised names per type: mentions (linked) and candidates, with one
    surface form and its origin kept for reports."""
    names: dict[str, dict[str, str]] = {t: {} for t in TYPES}
    for mention in system.get("mentions") or []:
        kind, text = mention.get("type"), str(mention.get("text") or "")
        key = normalise_name(text)
        if kind in names and key:
            names[kind].setdefault(key, f"{text} (linked: {mention.get('id')})")
    for candidate in system.get("candidates") or []:
        kind, text = candidate.get("type"), str(candidate.get("text") or "")
        key = normalise_name(text)
        if kind in names and key:
            names[kind].setdefault(key, f"{text} (candidate)")
    return names


def _speaker_verdict(gold: GoldArticle, quote: GoldQuote, speaker: Mapping[str, Any],
                     registry: Registry) -> tuple[bool, bool, str]:
    """(correct, misattributed, what the system said) for one found quote."""
    speaker_id = speaker.get("id") or None
    speaker_text = speaker.get("text") or None
    shown = " / ".join(str(s) for s in (speaker_id, speaker_text) if s) or "(none)"
    named = bool(speaker_id) or names_someone(speaker_text)
    if quote.speaker is None:
        if not named:
            return False, False, shown
        description = publisher_key(quote.description or "")
        said = publisher_key(str(speaker_text or ""))
        matches = bool(description and said and (description in said or said in description))
        return False, not matches, shown
    entity = gold.entity(quote.speaker)
    assert entity is not None  # load_gold checks every speaker is an entity
    if speaker_id:
        correct = _same(str(speaker_id), _entity_keys(registry.get(str(speaker_id)),
                                                      str(speaker_id)), entity)
    else:
        said = normalise_name(str(speaker_text or ""))
        # The article's words may wrap the name in a description ("UK Prime Minister
        # Gordon Brown"): the name (or a form of it) ending the phrase is a match.
        correct = bool(said) and any(said == key or said.endswith(" " + key)
                                     for key in entity.keys)
        if not correct and any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", said)
                               for key in entity.keys if key):
            # "NASA and ESA": a joint source that includes the speaker names no one else.
            return False, False, shown
    return correct, named and not correct, shown


def _article_text(gold: GoldArticle) -> str:
    """The article file's text (for HTML, its markup with character references decoded:
    a headline is in it all the same, in the <h1>, the <title> or og:title, and
    "Trump&#x2019;s" there is "Trump’s" on the page)."""
    try:
        text = gold.article_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return html.unescape(text) if gold.article_path.suffix.lower() in (".html", ".htm") else text


def _value(text: Any) -> str:
    return "" if text is None else str(text)


def score_article(gold: GoldArticle, system: Mapping[str, Any] | None, registry: Registry,
                  failure: str | None = None) -> ArticleScore:
    """Score one article's JSON (the ingest contract) against its gold annotation.

    ``system`` None (with ``failure`` saying why) scores an article ingest refused:
    every gold item is a miss, so a crash can never raise a score.
    """
    score = ArticleScore(gold.stem, failure, full=not gold.metadata_only)
    system = system or {}
    meta = system.get("meta") or {}
    paragraphs = [str(p) for p in system.get("paragraphs") or []]
    _score_metadata(score, gold, meta, paragraphs)
    if gold.metadata_only:
        return score

    # Recognition.
    found = _system_names(system)
    gold_keys: dict[str, set[str]] = {t: set() for t in TYPES}
    for entity in gold.entities:
        gold_keys[entity.type] |= {normalise_name(f) for f in entity.forms}
    for kind in TYPES:
        for key, shown in sorted(found[kind].items()):
            hit = key in gold_keys[kind]
            score.precision[kind].hits += hit
            score.precision[kind].total += 1
            if not hit:
                other = [e for e in gold.entities if key in {normalise_name(f) for f in e.forms}]
                note = f"gold has it as a {other[0].type}" if other else "not in the gold"
                score.false_positives.append({"type": kind, "name": shown, "why": note})
    for entity in gold.entities:
        forms = {normalise_name(f) for f in entity.forms}
        hit = bool(forms & found[entity.type].keys())
        score.recall[entity.type].hits += hit
        score.recall[entity.type].total += 1
        if not hit:
            typed = [t for t in TYPES if forms & found[t].keys()]
            score.misses.append({"type": entity.type, "name": entity.name,
                                 "forms": list(entity.forms),
                                 "why": f"found as a {typed[0]}" if typed else "not found"})

    # Wrong links.
    occurrences = [_occurrences(p, gold.entities) for p in paragraphs]
    for mention in system.get("mentions") or []:
        if not mention.get("id"):
            continue
        why = _wrong_link(mention, paragraphs, occurrences, registry)
        if why:
            score.wrong_links.append({"text": mention.get("text"), "id": mention.get("id"),
                                      "paragraph": mention.get("paragraph"),
                                      "start": mention.get("start"), "why": why})

    # Quotes and speakers.
    system_quotes = list(system.get("quotes") or [])
    used: set[int] = set()
    for quote in gold.quotes:
        key = quote_key(quote.text)
        match = next((i for i, q in enumerate(system_quotes)
                      if key in quote_key(str(q.get("text") or ""))), None)
        score.quotes.total += 1
        if match is None:
            score.missed_quotes.append({"text": quote.text, "speaker": quote.speaker})
            continue
        used.add(match)
        score.quotes.hits += 1
        speaker = system_quotes[match].get("speaker") or {}
        correct, wrong, shown = _speaker_verdict(gold, quote, speaker, registry)
        if quote.speaker is not None:
            score.speakers.total += 1
            score.speakers.hits += correct
            if not correct:
                score.speaker_errors.append({"text": quote.text, "gold": quote.speaker,
                                             "system": shown})
        if wrong:
            score.misattributions.append({
                "text": quote.text, "system": shown,
                "gold": quote.speaker or f"(no one named: {quote.description or 'no description'})"})
    score.extra_quotes = [str(q.get("text") or "")[:80] for i, q in enumerate(system_quotes)
                          if i not in used]
    return score


def _score_metadata(score: ArticleScore, gold: GoldArticle, meta: Mapping[str, Any],
                    paragraphs: list[str]) -> None:
    """Title, date and publisher; for pages also authors, text bounds and furniture."""
    title = _value(meta.get("title"))
    if title_key(gold.title) in title_key(_article_text(gold)):
        score.title = (bool(title) and title_key(title) == title_key(gold.title), gold.title,
                       title)
    else:
        # The saved text never states the headline (it came from the page's URL or
        # <title>): the right answer is a title ingest marks as its own, for review.
        supplied = bool(meta.get("title_supplied"))
        score.title = (supplied, f"{gold.title} (not in the text: a supplied title)",
                       title + ("" if supplied else " (given as the article's own)"))
    date = _value(meta.get("date"))
    gold_date = gold.date.isoformat() if gold.date else ""
    score.date = (date == gold_date, gold_date or "null", date or "null")
    publisher = _value(meta.get("publisher") or meta.get("author"))
    score.publisher = (bool(publisher) and publisher_key(publisher) == publisher_key(gold.publisher),
                       gold.publisher, publisher)
    page = score_page(gold, dict(meta), paragraphs)
    score.authors = page["authors"]
    score.first_paragraph = page["first_paragraph"]
    score.last_paragraph = page["last_paragraph"]
    score.boilerplate = page["boilerplate"]
