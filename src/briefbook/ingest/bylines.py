"""Bylines: the people (or the organisation) an article is by, with their unit and date.

"By Staff Sgt. Jane Doe, 7th Air Force Public Affairs | Nov. 4, 2024" gives a person
without their rank, an affiliation and a date; a byline that names only a body ("By
Reuters") gives a publisher instead.
"""

from __future__ import annotations

import datetime as dt
import re

from nameparser.config import CONSTANTS

from briefbook.ingest.dates import date_line, find_dates
from briefbook.ingest.publishers import KNOWN_SITES, line_key, org_name
from briefbook.ingest.sentences import ABBREVIATIONS, ends_with_abbreviation

_BYLINE = re.compile(r"^\s*(?:written\s+|posted\s+|story\s+|words\s+)?by\s*[:\s]\s*(?P<rest>\S.*?)\s*$",
                     re.IGNORECASE)


PIPE_SEP = re.compile(r"\s*(?:\||•|·|│)\s*")
_ORG_BYLINE = re.compile(
    r"\b(?:News|Press|Agency|Service|Staff|Desk|Team|Office|Affairs|Bureau|Department|Ministry|"
    r"Reuters|Associated|Wire|Editors?|Correspondents?|Report|Times|Post|Herald|Journal|"
    r"Command|Division|Public|Communications|Media|Network)\b")
_RANK_WORDS = frozenset({
    "class", "airman", "seaman", "ensign", "specialist", "private", "corporal", "sergeant", "lance",
    "tech", "technical", "first", "second", "third", "1st", "2nd", "3rd", "4th", "petty", "officer",
    "chief", "master", "senior", "staff", "command", "warrant", "army", "navy", "air", "force",
    "marine", "marines", "corps", "space", "guard", "coast", "national", "reserve", "retired", "ret"
})
_PARTICLES = frozenset({"de", "da", "del", "della", "der", "den", "van", "von", "la", "le",
                        "bin", "bint", "al", "el", "ibn", "and", "y", "du", "dos", "das", "of"})
_NOT_NAMES = re.compile(r"\b(?:the|our|your|this|that|these|those|then|monday|tuesday|wednesday|thursday|"
                        r"friday|saturday|sunday|now|contrast|comparison|law|way)\b", re.IGNORECASE)


def _strip_rank(name: str) -> str:
    """``Staff Sgt. Jane Doe`` → ``Jane Doe``: leading ranks and honorifics dropped."""
    tokens = name.split()
    while len(tokens) > 2:
        bare = tokens[0].lower().rstrip(".,")
        if bare in _RANK_WORDS or bare in CONSTANTS.titles or bare in ABBREVIATIONS:
            tokens.pop(0)
        else:
            break
    if len(tokens) == 2 and tokens[0].lower().rstrip(".") in {"mr", "mrs", "ms", "dr", "prof"}:
        tokens.pop(0)
    return " ".join(tokens)


def _person_part(text: str) -> str:
    """People named by one comma-separated part of a byline ("Jane Doe and John Roe"), or ''."""
    people = []
    for part in re.split(r"\s*(?:&|\band\b)\s*", text):
        name = _strip_rank(part.strip(" ."))
        words = name.split()
        if not 2 <= len(words) <= 5 or _NOT_NAMES.search(name) or _ORG_BYLINE.search(name):
            return ""
        if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
            return ""
        people.append(name)
    return " and ".join(people)


def parse_byline(line: str) -> tuple[str, str, dt.date | None] | None:
    """A byline ("By Staff Sgt. Jane Doe, 7th Air Force Public Affairs | Nov. 4, 2024") as
    (person or people, affiliation, date), or None when the line is not a byline."""
    line = " ".join(line.split())
    match = _BYLINE.match(line)
    if not match:
        return None
    rest = match["rest"]
    words = rest.split()
    if len(words) > 16 or re.search(r"[!?“”\"]", rest) or (
            rest.endswith(".") and len(words) > 4 and not ends_with_abbreviation(rest)):
        return None
    date: dt.date | None = None
    dates = find_dates(rest)
    if dates:
        date = dates[0][2]
        for start, end, _ in reversed(dates):
            rest = (rest[:start] + " " + rest[end:]).strip(" ,|")
    name_parts = []
    for part in PIPE_SEP.split(rest):
        is_date, found = date_line(part)
        if is_date:
            date = date or found
        elif part.strip():
            name_parts.append(part.strip())
    if not name_parts:
        return None
    pieces = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+[-–—]\s+", name_parts[0]) if p.strip()]
    people: list[str] = []
    affiliation = ""
    for index, piece in enumerate(pieces):
        person = _person_part(piece)
        if not person and index == 0:
            # "Terri Moon Cronk DoD News": the name runs into the unit without a comma.
            words = piece.split()
            cut = next((i for i, w in enumerate(words) if _ORG_BYLINE.search(w)
                        or re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", w)), len(words))
            if 2 <= cut < len(words):
                person = _person_part(" ".join(words[:cut]))
                if person:
                    people.append(person)
                    affiliation = ", ".join([" ".join(words[cut:]), *pieces[1:]])
                    break
        if not person:
            affiliation = ", ".join(pieces[index:])
            break
        people.append(person)
    if not people:
        if affiliation and (_ORG_BYLINE.search(affiliation) or org_name(affiliation)
                            or line_key(affiliation) in KNOWN_SITES):
            return "", affiliation, date
        return None
    if affiliation and date_line(affiliation)[0]:
        date = date or date_line(affiliation)[1]
    names = [p for person in people for p in person.split(" and ")]
    person = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return person, affiliation, date


def looks_like_org(name: str) -> bool:
    return bool(_ORG_BYLINE.search(name) or org_name(name)) and len(name.split()) <= 10
