"""One synthetic article, written in both formats side by side from one stream of draws.

Both books must carry the same words, so each piece of an article (a sentence with a
mention, a quotation, a key judgement, a dated event, a citation) is made once and
written twice: as briefbook markup (``{person}``, ``{quote}``, ``{claim}``,
``{event}``) and as the anchor's plain Sphinx (``{term}`` references, plain text).
:func:`write_article` lays out one ~1,000-word article; :func:`count_words` counts what
a reader reads, for the manifest.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence

from briefbook.benchmark.model import ROLE_FOR_KIND, START, Article, Counts, Source, SynthEntity, slug
from briefbook.benchmark.vocabulary import (
    ADJECTIVES,
    AUTHORS,
    CONFIDENCE,
    CONNECTIVES,
    DETERMINERS,
    LIKELIHOODS,
    NOUNS,
    PREPOSITIONS,
    VERBS,
)

PARAGRAPHS = 10  # ~90 words each, plus judgements, quotes and the event: ~1,000 words


class _Writer:
    """Builds one article's text in both formats, side by side."""

    def __init__(self, rng: random.Random, entities: dict[str, SynthEntity], cast: list[str],
                 pool: list[Source]) -> None:
        self.rng = rng
        self.entities = entities
        self.cast = cast
        self.pool = pool
        self.bb: list[str] = []
        self.anchor: list[str] = []
        self.named: set[str] = set()
        self.counts = Counts()

    # -- pieces, each as (briefbook markup, anchor markup) ------------------------------------

    def mention(self, entity_id: str | None = None) -> tuple[str, str]:
        entity = self.entities[entity_id or self.rng.choice(self.cast)]
        role = ROLE_FOR_KIND[entity.kind]
        form = self.rng.random()
        if entity.short and form < 0.25:
            if entity.kind == "person":  # "Surname <id>": the explicit form
                bb = f"{{{role}}}`{entity.short} <{entity.id}>`"
            else:  # the acronym, a registered alias
                bb = f"{{{role}}}`{entity.short}`"
            anchor = f"{{term}}`{entity.short} <{entity.name}>`"
        else:
            bb = f"{{{role}}}`{entity.name}`"
            anchor = f"{{term}}`{entity.name}`"
        self.named.add(entity.id)
        self.counts.mentions += 1
        return bb, anchor

    def cite(self, keys: Sequence[str]) -> tuple[str, str]:
        self.counts.citations += 1
        text = f"{{cite:p}}`{','.join(keys)}`"
        return text, text

    def words_phrase(self, count: int) -> str:
        out: list[str] = []
        while len(out) < count:
            out += [self.rng.choice(DETERMINERS), self.rng.choice(ADJECTIVES),
                    self.rng.choice(NOUNS), self.rng.choice(VERBS)]
        return " ".join(out[:count])

    def sentence(self, mention: bool) -> tuple[str, str]:
        rng = self.rng
        lead = f"{rng.choice(CONNECTIVES)} " if rng.random() < 0.25 else ""
        subject = f"{rng.choice(DETERMINERS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        middle = f"{rng.choice(VERBS)} {rng.choice(DETERMINERS)} {rng.choice(NOUNS)}"
        head = f"{lead}{subject} {middle}".strip()
        head = head[0].upper() + head[1:]
        tail_bb = tail_anchor = ""
        if mention:
            bb, anchor = self.mention()
            prep = rng.choice(PREPOSITIONS)
            tail_bb, tail_anchor = f" {prep} {bb}", f" {prep} {anchor}"
        extra = f" {rng.choice(PREPOSITIONS)} {self.words_phrase(rng.randint(3, 6))}"
        return f"{head}{tail_bb}{extra}.", f"{head}{tail_anchor}{extra}."

    def paragraph(self, extra_bb: str = "", extra_anchor: str = "",
                  cite_keys: Sequence[str] = ()) -> None:
        mentions = self.rng.randint(2, 4)
        sentences = 7
        where = set(self.rng.sample(range(sentences), mentions))
        bb_parts, anchor_parts = [], []
        for i in range(sentences):
            bb, anchor = self.sentence(i in where)
            bb_parts.append(bb)
            anchor_parts.append(anchor)
        if cite_keys:
            bb_cite, anchor_cite = self.cite(cite_keys)
            bb_parts[-1] = bb_parts[-1][:-1] + f" {bb_cite}."
            anchor_parts[-1] = anchor_parts[-1][:-1] + f" {anchor_cite}."
        if extra_bb:
            bb_parts.insert(len(bb_parts) // 2, extra_bb)
            anchor_parts.insert(len(anchor_parts) // 2, extra_anchor)
        self.bb.append(" ".join(bb_parts))
        self.anchor.append(" ".join(anchor_parts))

    def quote(self, when: dt.date) -> tuple[str, str]:
        speakers = [e for e in self.cast if self.entities[e].kind != "place"]
        speaker = self.entities[self.rng.choice(speakers)] if speakers else None
        source = self.rng.choice(self.pool).key
        words = self.words_phrase(self.rng.randint(8, 16))
        said = (when - dt.timedelta(days=self.rng.randint(1, 6))).isoformat()
        self.counts.quotes += 1
        self.counts.citations += 1
        if speaker is None:
            bb_attr = f"unnamed=officials familiar with the matter; source={source}; said={said}"
            who = "officials familiar with the matter"
        else:
            bb_attr = f"speaker={speaker.id}; source={source}; said={said}"
            who = speaker.name
            self.named.add(speaker.id)
        bb = f"As one account put it, “{{quote}}`{words} <{bb_attr}>`”."
        anchor = f"As one account put it, “{words}” ({who}, {said}, {{cite:p}}`{source}`)."
        return bb, anchor

    def claim(self, key_keys: Sequence[str], in_box: bool) -> None:
        likelihood = self.rng.choice(LIKELIHOODS)
        confidence = self.rng.choice(CONFIDENCE)
        m1_bb, m1_anchor = self.mention()
        m2_bb, m2_anchor = self.mention()
        body = self.words_phrase(10).capitalize()
        tail = self.words_phrase(6)
        text_bb = f"{body} in {m1_bb}, with {m2_bb} {tail}."
        text_anchor = f"{body} in {m1_anchor}, with {m2_anchor} {tail}."
        self.counts.claims += 1
        self.counts.citations += 1
        keys = ", ".join(key_keys)
        fence = "```"
        block = (f"{fence}{{claim}}\n:likelihood: {likelihood}\n:confidence: {confidence}\n"
                 f":sources: {keys}\n\n{text_bb}\n{fence}")
        if in_box:
            block = f"````{{key-judgements}}\n{block}\n````"
        self.bb.append(block)
        label = "Key judgement" if in_box else "Judgement"
        self.anchor.append(f"**{label}** ({likelihood.capitalize()}; {confidence} confidence): "
                           f"{text_anchor} Sources: {{cite:p}}`{','.join(key_keys)}`")

    def event(self, when: dt.date) -> None:
        date = (when - dt.timedelta(days=self.rng.randint(2, 20))).isoformat()
        ids = self.rng.sample(self.cast, min(len(self.cast), self.rng.randint(2, 3)))
        for entity_id in ids:
            self.named.add(entity_id)
        source = self.rng.choice(self.pool).key
        places = [e for e in self.cast if self.entities[e].kind == "place"] or self.cast
        bb_m, anchor_m = self.mention(self.rng.choice(places))
        what = self.words_phrase(7)
        self.counts.events += 1
        self.counts.citations += 1
        self.bb.append(f"```{{event}} {date}\n:entities: {', '.join(ids)}\n:sources: {source}\n\n"
                       f"{what.capitalize()} in {bb_m}.\n```")
        day = dt.date.fromisoformat(date)
        self.anchor.append(f"**{day.day} {day:%B %Y}** — {what.capitalize()} in {anchor_m}. "
                           f"{{cite:p}}`{source}`")

    def pull_quote(self) -> None:
        words = self.words_phrase(9)
        self.bb.append(f"```{{pull-quote}}\n{words}\n```")
        self.anchor.append(f"> {words}")

    def heading(self, text: str) -> None:
        self.bb.append(f"## {text}")
        self.anchor.append(f"## {text}")


def write_article(index: int, n: int, seed: str, entities: list[SynthEntity], pool: list[Source],
             weights: list[float], span_days: int) -> tuple[Article, Counts]:
    """Article ``index`` of a book of ``n``, with what it adds to the book's counts.

    Its own generator is seeded with the book's seed, ``n`` and ``index``, so an article
    is the same whichever others are written with it."""
    rng = random.Random(f"{seed}:article:{n}:{index}")
    by_id = {e.id: e for e in entities}
    date = START + dt.timedelta(days=(index * span_days) // max(1, n))
    author = AUTHORS[rng.randrange(len(AUTHORS))]
    cast_size = rng.randint(6, 10)
    cast: list[str] = []
    while len(cast) < min(cast_size, len(entities)):
        pick = rng.choices(entities, weights=weights)[0].id
        if pick not in cast:
            cast.append(pick)
    places = [by_id[e].name for e in cast if by_id[e].kind == "place"]
    lead_place = rng.choice(places) if places else "the region"
    title = (f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} "
             f"{rng.choice(VERBS)} near {lead_place}")
    key = f"art{index:05d}"
    docname = f"briefings/{date.isoformat()}-{slug(title)}-{index:05d}"
    article = Article(index, docname, date, author, title, key)
    writer = _Writer(rng, by_id, cast, pool)
    # Every pool source is cited at least once: article i cites source i mod |pool|.
    own = pool[index % len(pool)].key
    others = [s.key for s in rng.sample(pool, min(2, len(pool)))]

    writer.claim(sorted({own, others[0]}), in_box=True)
    writer.paragraph(cite_keys=[own])
    writer.paragraph()
    writer.pull_quote()
    q_bb, q_anchor = writer.quote(date)
    writer.paragraph(extra_bb=q_bb, extra_anchor=q_anchor, cite_keys=others[:1])
    writer.heading("Background")
    writer.paragraph()
    writer.event(date)
    writer.paragraph(cite_keys=sorted(set(others)))
    writer.paragraph()
    writer.heading("Outlook")
    writer.paragraph()
    if rng.random() < 0.5:
        q_bb, q_anchor = writer.quote(date)
        writer.paragraph(extra_bb=q_bb, extra_anchor=q_anchor)
    else:
        writer.paragraph()
    writer.claim(sorted(set(others)), in_box=False)
    for _ in range(PARAGRAPHS - 8):
        writer.paragraph()

    front = (f"---\ndate: {date.isoformat()}\nauthor: {author}\nsource: {key}\n---\n\n"
             f"# {title}\n\n")
    article.briefbook = front + "\n\n".join(writer.bb) + "\n"
    anchor_front = f"---\ndate: {date.isoformat()}\nauthor: {author}\n---\n\n# {title}\n\n"
    byline = f"By {author} · {date.day} {date:%B %Y} · Source: {{cite:p}}`{key}`"
    article.anchor = anchor_front + byline + "\n\n" + "\n\n".join(writer.anchor) + "\n"
    article.entities = writer.named
    article.words = count_words(article.anchor)
    writer.counts.citations += 1  # the byline cites the article itself
    return article, writer.counts


_CITE = re.compile(r"\{cite:p\}`[^`]*`")
_ROLE = re.compile(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")


def count_words(markdown: str) -> int:
    """Words a reader reads in a page (roles by their shown text, no citation keys)."""
    body = markdown.split("\n---\n", 1)[-1]
    body = _ROLE.sub(r"\1", _CITE.sub("", body))
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", body))

