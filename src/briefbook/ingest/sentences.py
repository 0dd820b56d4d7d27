"""Sentences, and a provisional title made from an article's first one.

Initials and abbreviations ("John F.", "U.S.", "Gen.") never end a sentence; an article
without a headline gets one derived from its first sentence (pages mark it for review).
"""

from __future__ import annotations

import re

#: Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "messrs", "dr", "prof", "rev", "hon", "st", "mt", "ft", "jr", "sr", "sen", "rep",
    "gov", "pres", "sec", "amb", "atty", "gen", "gens", "lt", "col", "maj", "capt", "cpt", "sgt",
    "ssgt", "msgt", "tsgt", "smsgt", "cmsgt", "spc", "pfc", "pvt", "cpl", "lcpl", "adm", "cmdr", "cdr",
    "brig", "ens", "po", "insp", "supt", "det", "cmdt", "no", "nos", "vs", "etc", "inc", "ltd", "co",
    "corp", "dept", "univ", "est", "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "sun", "al", "ave", "blvd", "rd", "vol", "op", "ph"
})
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def ends_with_abbreviation(text: str) -> bool:
    """Whether ``text`` (up to a full stop) ends with an initial or abbreviation."""
    word = re.split(r"[\s(\"“‘]+", text.rstrip())[-1] if text.strip() else ""
    if not word.endswith("."):
        return False
    bare = word.rstrip(".")
    if re.fullmatch(r"[A-Za-z]", bare) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", bare):
        return True  # an initial ("F."), or a dotted abbreviation ("U.S.", "D.C.")
    return bare.lower().lstrip("(") in ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; initials and abbreviations ("John F.", "U.S.", "Gen.",
    "Jan.") never end one."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.end()]
        if match.group(0).lstrip().startswith(".") and ends_with_abbreviation(
                text[start:match.start() + 1]):
            continue
        sentences.append(piece.strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def _strip_dateline(text: str) -> str:
    """A first sentence without its dateline ("WASHINGTON — ")."""
    match = re.match(r"^[A-Z][A-Z .,'’()/-]{1,40}(?:,\s*[\w. ,]{1,30})?\s*(?:—|–|--)\s*", text)
    if match and sum(c.isupper() for c in match.group(0)) >= 3:
        return text[match.end():]
    return text


_WEAK_ENDINGS = frozenset({"of", "the", "a", "an", "and", "or", "to", "in", "for", "on", "with",
                           "by", "at", "from", "as", "that", "its", "his", "her", "their", "is",
                           "was", "were", "are", "be", "has", "have", "had", "who", "which"})


def derive_title(paragraphs: list[str]) -> str:
    """A provisional title from the first sentence (pages mark it for review)."""
    for number, text in enumerate(paragraphs):
        if text.rstrip().endswith(":") and number + 1 < len(paragraphs):
            continue  # "The below is attributable to Spokesperson Ned Price:"
        sentences = split_sentences(_strip_dateline(text[:2000]))
        if not sentences:
            continue
        sentence = sentences[0].strip()
        sentence = re.sub(r"(?<![A-Z])\.$", "", sentence) if not ends_with_abbreviation(
            sentence) else sentence
        words = sentence.split()
        if not words:
            continue
        if len(words) > 14:
            # Prefer the main clause after a reporting frame ("It has been confirmed ... that X").
            that = re.search(r"\bthat\s+(.+)$", sentence)
            if that and 4 <= len(that.group(1).split()) <= 14:
                words = that.group(1).split()
            else:
                cut = words[:12]
                # Never stop inside a name ("John F." → "John F. Smith") …
                while len(cut) < min(len(words), 16) and ends_with_abbreviation(cut[-1]):
                    cut.append(words[len(cut)])
                # … nor on a word that needs the next ("of", "the").
                while len(cut) > 6 and cut[-1].lower().strip(",;:") in _WEAK_ENDINGS:
                    cut.pop()
                cut[-1] = cut[-1].rstrip(",;:")
                words = [*cut, "…"]
        title = " ".join(words).rstrip(",;:")
        if title:
            return title[0].upper() + title[1:]
    return "Untitled article"
