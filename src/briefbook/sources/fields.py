"""What briefbook reads from a ``sources.bib`` entry beyond the citation itself: the
source's grade, its standing (retracted, discredited, disputed) and its preserved copy.

They are fields of the entry, not a separate registry file, so that a source and what is
known about it travel together: renaming or deleting an entry cannot leave a grade or a
retraction behind for a key that no longer exists, ``briefbook check`` already reports an
entry's problems at its file and line, and other BibTeX tools ignore fields they do not
know. The fields::

    reliability    = {B},                   % the source: A (completely reliable) .. F
    credibility    = {2},                   % its information, unless a use says otherwise: 1 .. 6
    status         = {retracted},           % or discredited, disputed
    status-date    = {2025-01-10},
    status-reason  = {The agency withdrew the report},
    archive        = {archive/key-20261130T120000Z.warc.gz},  % relative to the .bib file
    archive-date   = {2026-11-30T12:00:00Z},
    archive-sha256 = {<64 hex digits: SHA-256 of the WARC file>},

The grading is the Admiralty (NATO AJP-2.1) system: reliability judges the source from
its record, credibility judges one piece of information, so a claim or quotation may
grade its own use of a source (``:credibility:`` / ``credibility=``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

RELIABILITY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY: dict[str, str] = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}
STATUSES: dict[str, str] = {
    "retracted": "withdrawn by its publisher",
    "discredited": "shown to be false or unreliable",
    "disputed": "contested by other sources",
}
#: A judgement resting on a source in one of these states has lost that source; a
#: disputed source still stands, flagged.
LOST = frozenset({"retracted", "discredited"})

RELIABILITY_FIELD = "reliability"
CREDIBILITY_FIELD = "credibility"
STATUS_FIELD = "status"
STATUS_DATE_FIELD = "status-date"
STATUS_REASON_FIELD = "status-reason"
ARCHIVE_FIELD = "archive"
ARCHIVE_DATE_FIELD = "archive-date"
ARCHIVE_SHA256_FIELD = "archive-sha256"
ARCHIVE_FIELDS = (ARCHIVE_FIELD, ARCHIVE_DATE_FIELD, ARCHIVE_SHA256_FIELD)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_BRACES = re.compile(r"[{}]")


@dataclass(frozen=True)
class Grade:
    """An Admiralty grade: ``B2``, or ``B`` alone when the information is not graded."""

    reliability: str = ""
    credibility: str = ""

    def __bool__(self) -> bool:
        return bool(self.reliability or self.credibility)

    @property
    def code(self) -> str:
        return f"{self.reliability or '–'}{self.credibility}"

    def explanation(self) -> str:
        """``B: usually reliable; 2: probably true`` (Admiralty grading)."""
        parts = []
        if self.reliability:
            parts.append(f"source {self.reliability}: {RELIABILITY[self.reliability]}")
        if self.credibility:
            parts.append(f"information {self.credibility}: {CREDIBILITY[self.credibility]}")
        return "; ".join(parts)

    def using(self, credibility: str) -> Grade:
        """This source's grade for one use that grades its information ``credibility``."""
        return Grade(self.reliability, credibility or self.credibility)


@dataclass(frozen=True)
class Standing:
    """Retracted, discredited or disputed, since when and why; ``status`` empty: sound."""

    status: str = ""
    date: str = ""
    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.status)

    @property
    def lost(self) -> bool:
        return self.status in LOST

    def describe(self) -> str:
        """``Retracted on 10 January 2025: the agency withdrew the report``."""
        text = self.status.capitalize()
        if self.date:
            text += f" on {format_day(self.date)}"
        if self.reason:
            text += f": {self.reason}"
        return text


@dataclass(frozen=True)
class Preserved:
    """A preserved copy: the WARC file (relative to the bib file), when, its SHA-256."""

    file: str = ""
    date: str = ""
    sha256: str = ""

    def __bool__(self) -> bool:
        return bool(self.file)


@dataclass(frozen=True)
class SourceFacts:
    key: str
    grade: Grade
    standing: Standing
    preserved: Preserved


def statuses_text(statuses: set[str] | list[str]) -> str:
    """``{"disputed", "retracted"}`` → ``retracted or disputed``: gravest first."""
    ordered = [s for s in STATUSES if s in statuses]
    if len(ordered) < 2:
        return "".join(ordered)
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


def plain(value: Any) -> str:
    """A field's text without BibTeX braces or surrounding space."""
    return " ".join(_BRACES.sub("", str(value or "")).split())


def field(entry: Any, name: str) -> str:
    """The field ``name`` of a pybtex entry (case-insensitively), as plain text."""
    fields = entry.fields
    if name in fields:
        return plain(fields[name])
    lowered = name.lower()
    for key, value in fields.items():
        if key.lower() == lowered:
            return plain(value)
    return ""


def reliability(value: str) -> str | None:
    """``b`` → ``B``; ``None`` when not one of A–F."""
    value = value.strip().upper()
    return value if value in RELIABILITY else None


def credibility(value: str) -> str | None:
    value = value.strip()
    return value if value in CREDIBILITY else None


def status(value: str) -> str | None:
    value = value.strip().lower()
    return value if value in STATUSES else None


def parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_moment(value: str) -> dt.datetime | None:
    """``2026-11-30T12:00:00Z`` (or a bare date): when a copy was captured."""
    text = value.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_day(value: str) -> str:
    day = parse_day(value[:10])
    return f"{day.day} {day:%B %Y}" if day else value


def valid_sha256(value: str) -> bool:
    return bool(_SHA256.fullmatch(value.strip()))


def facts(key: str, entry: Any) -> SourceFacts:
    """Everything graded, flagged or preserved about one entry.

    Lenient: a value that does not parse is left out here (``briefbook check`` and the
    build report it at its line, see :func:`field_problems`), so one typo never hides
    the rest of the bibliography.
    """
    grade = Grade(reliability(field(entry, RELIABILITY_FIELD)) or "",
                  credibility(field(entry, CREDIBILITY_FIELD)) or "")
    state = status(field(entry, STATUS_FIELD)) or ""
    date = field(entry, STATUS_DATE_FIELD)
    standing = Standing(state, date if parse_day(date) else "",
                        field(entry, STATUS_REASON_FIELD)) if state else Standing()
    sha = field(entry, ARCHIVE_SHA256_FIELD).lower()
    preserved = Preserved(field(entry, ARCHIVE_FIELD),
                          field(entry, ARCHIVE_DATE_FIELD) if parse_moment(
                              field(entry, ARCHIVE_DATE_FIELD)) else "",
                          sha if valid_sha256(sha) else "")
    return SourceFacts(key, grade, standing, preserved)


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the field the problem is in (its line is the one to report)
    code: str
    message: str
    severity: str = "error"


def field_problems(key: str, entry: Any) -> list[FieldProblem]:
    """Every malformed briefbook field of one entry, with the code ``check`` uses."""
    found: list[FieldProblem] = []

    def present(name: str) -> bool:
        return any(k.lower() == name for k in entry.fields)

    value = field(entry, RELIABILITY_FIELD)
    if present(RELIABILITY_FIELD) and reliability(value) is None:
        found.append(FieldProblem(RELIABILITY_FIELD, "BB408",
                                  f"entry '{key}' has an unknown reliability grade '{value}' "
                                  f"(A–F: {_scale(RELIABILITY)})"))
    value = field(entry, CREDIBILITY_FIELD)
    if present(CREDIBILITY_FIELD) and credibility(value) is None:
        found.append(FieldProblem(CREDIBILITY_FIELD, "BB408",
                                  f"entry '{key}' has an unknown credibility grade '{value}' "
                                  f"(1–6: {_scale(CREDIBILITY)})"))
    value = field(entry, STATUS_FIELD)
    if present(STATUS_FIELD):
        if status(value) is None:
            found.append(FieldProblem(STATUS_FIELD, "BB409",
                                      f"entry '{key}' has an unknown status '{value}' "
                                      f"(retracted, discredited or disputed)"))
        else:
            if not present(STATUS_DATE_FIELD):
                found.append(FieldProblem(STATUS_FIELD, "BB410",
                                          f"entry '{key}' is {value.lower()} but gives no "
                                          f"{STATUS_DATE_FIELD} (YYYY-MM-DD)"))
            if not field(entry, STATUS_REASON_FIELD):
                found.append(FieldProblem(STATUS_FIELD, "BB409",
                                          f"entry '{key}' is {value.lower()} but gives no "
                                          f"{STATUS_REASON_FIELD}"))
    elif present(STATUS_DATE_FIELD) or present(STATUS_REASON_FIELD):
        name = STATUS_DATE_FIELD if present(STATUS_DATE_FIELD) else STATUS_REASON_FIELD
        found.append(FieldProblem(name, "BB409",
                                  f"entry '{key}' has {name} but no {STATUS_FIELD}"))
    value = field(entry, STATUS_DATE_FIELD)
    if present(STATUS_DATE_FIELD) and parse_day(value) is None:
        found.append(FieldProblem(STATUS_DATE_FIELD, "BB410",
                                  f"entry '{key}' has a malformed {STATUS_DATE_FIELD} "
                                  f"'{value}' (YYYY-MM-DD)"))
    value = field(entry, ARCHIVE_DATE_FIELD)
    if present(ARCHIVE_DATE_FIELD) and parse_moment(value) is None:
        found.append(FieldProblem(ARCHIVE_DATE_FIELD, "BB410",
                                  f"entry '{key}' has a malformed {ARCHIVE_DATE_FIELD} "
                                  f"'{value}' (YYYY-MM-DDTHH:MM:SSZ)"))
    value = field(entry, ARCHIVE_SHA256_FIELD)
    if present(ARCHIVE_SHA256_FIELD) and not valid_sha256(value.lower()):
        found.append(FieldProblem(ARCHIVE_SHA256_FIELD, "BB411",
                                  f"entry '{key}' has a malformed {ARCHIVE_SHA256_FIELD} "
                                  f"(64 hexadecimal digits expected, got '{value[:80]}')"))
    if present(ARCHIVE_FIELD):
        missing = [n for n in (ARCHIVE_DATE_FIELD, ARCHIVE_SHA256_FIELD) if not present(n)]
        if missing:
            found.append(FieldProblem(ARCHIVE_FIELD, "BB411",
                                      f"entry '{key}' has a preserved copy but no "
                                      f"{' or '.join(missing)}"))
    elif present(ARCHIVE_DATE_FIELD) or present(ARCHIVE_SHA256_FIELD):
        name = ARCHIVE_DATE_FIELD if present(ARCHIVE_DATE_FIELD) else ARCHIVE_SHA256_FIELD
        found.append(FieldProblem(name, "BB411",
                                  f"entry '{key}' has {name} but no {ARCHIVE_FIELD} file"))
    return found


def _scale(scale: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in scale.items())


def field_line(lines: list[str], entry_line: int, name: str) -> int:
    """The line (1-based) of ``name = …`` in the entry starting at ``entry_line``, or
    the entry's own line when the field is not found before the next entry."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=", re.IGNORECASE)
    for number in range(entry_line, len(lines) + 1):
        text = lines[number - 1]
        if number > entry_line and text.lstrip().startswith("@"):
            break
        if pattern.match(text) or (number == entry_line and re.search(
                rf"[,{{]\s*{re.escape(name)}\s*=", text, re.IGNORECASE)):
            return number
    return entry_line


def credibility_per_key(value: str, keys: list[str]) -> tuple[dict[str, str], list[str]]:
    """A use's ``:credibility:``: one grade for every source (``2``) or one per source
    (``yonhap2024nis=1, lee2024remarks=3``). Returns the grades by key and the problems
    found (unknown grades, keys the use does not cite), as messages."""
    grades: dict[str, str] = {}
    problems: list[str] = []
    text = value.strip()
    if not text:
        return grades, problems
    if "=" not in text and ":" not in text:
        grade = credibility(text)
        if grade is None:
            problems.append(f"unknown credibility grade '{text}' (1–6: {_scale(CREDIBILITY)})")
        else:
            grades = dict.fromkeys(keys, grade)
        return grades, problems
    for part in re.split(r"[,;]\s*|\s+(?=[^\s=:]+\s*[=:])", text):
        if not part.strip():
            continue
        pieces = re.split(r"\s*[=:]\s*", part.strip(), maxsplit=1)
        key, raw = pieces[0], pieces[1] if len(pieces) > 1 else ""
        grade = credibility(raw)
        if key not in keys:
            problems.append(f"credibility given for '{key}', which this use does not cite")
        elif grade is None:
            problems.append(f"unknown credibility grade '{raw}' for '{key}' "
                            f"(1–6: {_scale(CREDIBILITY)})")
        else:
            grades[key] = grade
    return grades, problems


def encode_grades(grades: dict[str, str]) -> str:
    """``{"a": "2"}`` → ``"a=2"``: how a use's grades ride on a node and a record."""
    return ",".join(f"{key}={grade}" for key, grade in sorted(grades.items()))


def decode_grades(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in text.split(","):
        key, _, grade = part.partition("=")
        if key and grade:
            found[key] = grade
    return found
