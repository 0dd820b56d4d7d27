"""Blocks of lines into paragraphs: transcript turns, bullets, unwrapped lines, pull quotes.

Articles arrive one paragraph per blank-line block, one paragraph per line, or as
transcripts with ``MR. KIRBY:`` turns; this module decides where each paragraph starts
and which stand-alone lines are pull quotes repeating words of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from briefbook.ingest.gazetteer import places

BULLET = re.compile(r"^\s*(?:[-*•▪◦]\s+|\d{1,3}[.)]\s+)")


#: A transcript turn: an upper-case speaker label and a colon at the start of a paragraph
#: ("MR. KIRBY: ...", "SECRETARY AUSTIN: ...", "Q: ...").
TURN_LABEL = re.compile(
    r"^(?P<label>(?:[A-Z][A-Z'’\-]*\.?)(?:\s+[A-Z][A-Z'’\-]*\.?){0,6}"
    r"(?:\s*\((?:THROUGH|VIA|IN|AS)\s+[A-Z ]{3,30}\))?)\s*:\s+(?=\S)"
)
_NAMED_TURN = re.compile(r"^(?P<label>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3},\s+"
                         r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})\s*:\s+(?=\S)")
_MIXED_TURN = re.compile(r"^(?P<label>[A-Z][\w'’\-]*\.?(?:\s+[A-Z][\w'’\-]*\.?){0,2})\s*:\s+(?=\S)")
_NOT_SPEAKERS = frozenset({
    "NOTE", "UPDATE", "UPDATED", "EDITOR'S NOTE", "EDITOR’S NOTE", "BREAKING", "WARNING",
    "CORRECTION", "SOURCE", "SOURCES", "PHOTO", "WATCH", "READ MORE", "RELATED", "TITLE",
    "DATE", "BY", "AUTHOR", "SUMMARY", "BACKGROUND", "ANALYSIS", "KEY POINTS", "TL;DR",
    "CAPTION", "FILE", "ADVERTISEMENT", "DISCLAIMER", "TAGS", "TOPICS",
})
_GENERIC_SPEAKERS = frozenset({"Interviewer", "Moderator", "Host", "Question", "Answer",
                               "Reporter", "Q", "A"})


@dataclass
class RawBlock:
    lines: list[str]
    line: int


def split_blocks(text: str) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(RawBlock(current, start))
            current = []
    if current:
        blocks.append(RawBlock(current, start))
    return blocks


def turn_label(line: str, mixed_ok: set[str]) -> str:
    """The speaker label starting ``line`` ("MR. KIRBY:"), or ''.  A place is never a
    speaker label: "Iraq: Post-Saddam Governance" is a heading."""
    match = TURN_LABEL.match(line)
    if match and match["label"].rstrip(".") not in _NOT_SPEAKERS and any(
            c.isalpha() for c in match["label"]) and not _is_place(match["label"]):
        return match.group(0)
    match = _MIXED_TURN.match(line)
    if match and (match["label"] in _GENERIC_SPEAKERS or match["label"] in mixed_ok) \
            and not _is_place(match["label"]):
        return match.group(0)
    # In a transcript, a speaker introduced once in full: "Penny Wong, Foreign Minister:".
    match = _NAMED_TURN.match(line) if mixed_ok else None
    if match and not _is_place(match["label"].split(",")[0]):
        return match.group(0)
    return ""


def _is_place(label: str) -> bool:
    return label.strip().title() in places() or label.strip() in places()


def repeated_mixed_labels(blocks: list[RawBlock]) -> set[str]:
    """Mixed-case labels ("John Kirby:") that start two or more lines: a transcript."""
    counts: dict[str, int] = {}
    for block in blocks:
        for line in block.lines:
            match = _MIXED_TURN.match(line.strip())
            if match:
                counts[match["label"]] = counts.get(match["label"], 0) + 1
    return {label for label, n in counts.items() if n >= 2}


def paragraphs_of(block: RawBlock, mixed_ok: set[str]) -> list[tuple[str, int]]:
    """Split a block into paragraphs: joined lines, or one per line for turns, bullets
    and unwrapped one-paragraph-per-line text."""
    lines = [line.strip() for line in block.lines]
    if len(lines) == 1:
        return [(lines[0], block.line)]
    per_line = (
        sum(1 for line in lines if turn_label(line, mixed_ok)) >= 1
        or sum(1 for line in lines if BULLET.match(line)) >= 2
        or max(len(line) for line in lines) > 150
    )
    if not per_line:
        return [(" ".join(lines), block.line)]
    out: list[tuple[str, int]] = []
    for offset, line in enumerate(lines):
        # An unwrapped paragraph per line, except a line that carries on the sentence
        # before it ("…another,"\nsaid Capt. Anthony Felix …").
        carries_on = bool(out) and (line[:1].islower() or out[-1][0].endswith(","))
        starts_new = bool(turn_label(line, mixed_ok) or BULLET.match(line)) or not out or (
            max(len(x) for x in lines) > 150 and not carries_on)
        if starts_new:
            out.append((line, block.line + offset))
        else:
            text, number = out[-1]
            out[-1] = (f"{text} {line}", number)
    return out


def core_text(text: str) -> str:
    """A line reduced for pull-quote comparison: no quote marks, case or extra spaces."""
    text = re.sub(r"[\"“”‘’'«»„]", "", text).casefold()
    return " ".join(text.split()).strip(" .,;:!?…")


def pull_quotes(pieces: list[str], mixed_ok: set[str]) -> list[bool]:
    """Which pieces are pull quotes: short stand-alone lines whose words stand in a longer
    paragraph.  Every short line is looked for in every paragraph at once (one
    Aho-Corasick pass over the text), so the cost grows with the text, not with the
    number of lines times the number of paragraphs."""
    cores = [core_text(piece) for piece in pieces]
    short = {i for i, piece in enumerate(pieces)
             if len(piece) <= 300 and len(cores[i]) >= 8 and not turn_label(piece, mixed_ok)}
    if not short:
        return [False] * len(pieces)
    automaton = ahocorasick.Automaton()
    for i in short:
        automaton.add_word(cores[i], cores[i])
    automaton.make_automaton()
    repeated: set[str] = set()
    for core in cores:
        for _, found in automaton.iter(core):
            if len(core) > len(found):
                repeated.add(found)
    return [i in short and cores[i] in repeated for i in range(len(pieces))]
