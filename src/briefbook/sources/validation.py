"""Validation of ``sources.bib`` before anything reads it.

sphinxcontrib-bibtex hands a malformed file to pybtex, whose syntax error surfaces as a
crash report with a traceback; a duplicate key is silently merged.  Here each bib file is
checked first, and every problem is reported as ``file:line: BB4nn message`` naming the
entry, so an editor can fix the file; structural problems stop the build, content
problems (missing fields, malformed URLs, unknown grades, malformed dates or hashes of
briefbook's own fields, see :mod:`.fields`) are warnings (errors under ``-W``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from briefbook import __version__
from briefbook.book.atomic import atomic_write
from briefbook.book.problems import Problem
from briefbook.sources import fields as source_fields

_ENTRY_RE = re.compile(r"^\s*@\s*(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^,\s{}()]+)\s*,", re.M)
_SKIP_TYPES = {"comment", "preamble", "string"}
#: Raised whenever a check is added, so reports cached by an older set of rules are
#: made again (2: grades, standing and preserved-copy fields).
RULES = 2
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # Each inner tuple: at least one of these fields.
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "incollection": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "techreport": (("author", "institution"), ("title",), ("institution",), ("year", "date")),
    "misc": (("author", "organization", "publisher"), ("title",), ("year", "date")),
    "online": (("author", "organization", "publisher"), ("title",), ("year", "date")),
}


@dataclass(frozen=True)
class BibReport:
    errors: list[Problem]
    warnings: list[Problem]


@dataclass(frozen=True)
class EntryLocation:
    key: str
    type: str
    line: int


def entry_locations(text: str) -> list[EntryLocation]:
    """Every ``@type{key,`` with its line, in file order."""
    found = []
    for match in _ENTRY_RE.finditer(text):
        kind = match.group("type").lower()
        if kind in _SKIP_TYPES:
            continue
        line = text.count("\n", 0, match.start("type")) + 1
        found.append(EntryLocation(match.group("key"), kind, line))
    return found


def _entry_at(locations: list[EntryLocation], line: int) -> EntryLocation | None:
    before = [loc for loc in locations if loc.line <= line]
    return before[-1] if before else None


def _unbalanced_entry(text: str, locations: list[EntryLocation]) -> EntryLocation | None:
    """The first entry whose braces do not balance before the next entry starts."""
    lines = text.splitlines(keepends=True)
    for i, loc in enumerate(locations):
        end = locations[i + 1].line - 1 if i + 1 < len(locations) else len(lines)
        body = "".join(lines[loc.line - 1 : end])
        body = re.sub(r"\\[{}]", "", body)
        if body.count("{") != body.count("}"):
            return loc
    return None


def drop_duplicates(text: str) -> tuple[str, list[int]]:
    """``text`` without the later entries of a repeated key, and for each kept line
    (0-based) its line number in the original."""
    lines = text.splitlines(keepends=True)
    locations = entry_locations(text)
    drop: set[int] = set()
    seen: set[str] = set()
    for i, loc in enumerate(locations):
        if loc.key.lower() in seen:
            end = locations[i + 1].line - 1 if i + 1 < len(locations) else len(lines)
            drop.update(range(loc.line - 1, end))
        seen.add(loc.key.lower())
    kept = [(n + 1, line) for n, line in enumerate(lines) if n not in drop]
    return "".join(line for _, line in kept), [n for n, _ in kept]


def valid_url(url: str) -> bool:
    if not url or any(c.isspace() for c in url):
        return False
    parsed = urllib.parse.urlsplit(url)
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc) and "." in parsed.netloc


def validate_bibfile(path: Path, display: str | None = None) -> BibReport:
    shown = display or str(path)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        locations = entry_locations(raw[: exc.start].decode("utf-8", errors="replace"))
        entry = _entry_at(locations, line)
        where = f" in entry '{entry.key}'" if entry else ""
        byte = f"0x{raw[exc.start]:02x}"
        errors.append(Problem(shown, line, "BB406",
                              f"not valid UTF-8 (byte {byte}){where}: save the file as UTF-8"))
        return BibReport(errors, warnings)

    locations = entry_locations(text)
    original_lines = text.splitlines()
    seen: dict[str, EntryLocation] = {}
    for loc in locations:
        first = seen.get(loc.key.lower())
        if first is not None:
            errors.append(Problem(shown, loc.line, "BB404",
                                  f"duplicate key '{loc.key}' (first at line {first.line})"))
        else:
            seen[loc.key.lower()] = loc
    # Check the rest as if the later duplicates were gone, so one mistake hides no other.
    text, line_map = drop_duplicates(text)

    try:
        data = Parser(encoding="utf-8").parse_string(text)
    except PybtexSyntaxError as exc:
        line = line_map[exc.lineno - 1] if exc.lineno and exc.lineno <= len(line_map) else 1
        unbalanced = _unbalanced_entry(text, entry_locations(text))
        if unbalanced is not None:  # pybtex only notices at the end of the file
            line = line_map[unbalanced.line - 1]
        entry = _entry_at(locations, line)
        where = f" in entry '{entry.key}' (line {entry.line})" if entry else ""
        message = str(exc).split(": ", 1)[-1]
        errors.append(Problem(shown, line, "BB407", f"BibTeX syntax error{where}: {message}"))
        return BibReport(errors, warnings)
    except Exception as exc:  # pybtex raises plain PybtexError for some malformed input
        errors.append(Problem(shown, 1, "BB407", f"BibTeX error: {exc}"))
        return BibReport(errors, warnings)

    lines = {loc.key: loc.line for loc in locations}
    for key, entry in data.entries.items():
        line = lines.get(key, 1)
        fields = {name.lower() for name in entry.fields} | {r.lower() for r in entry.persons}
        for group in REQUIRED.get(entry.type.lower(), REQUIRED["misc"]):
            if not fields & set(group):
                warnings.append(Problem(shown, line, "BB403",
                                        f"entry '{key}' ({entry.type}) lacks {' or '.join(group)}"))
        url = str(entry.fields.get("url", "")).strip()
        if "url" in {f.lower() for f in entry.fields} and not valid_url(url):
            warnings.append(Problem(shown, line, "BB405", f"entry '{key}' has a malformed URL '{url}'"))
        for problem in source_fields.field_problems(key, entry):
            at = source_fields.field_line(original_lines, line, problem.field)
            warnings.append(Problem(shown, at, problem.code, problem.message))
    return BibReport(errors, warnings)


def validate_bibfile_cached(path: Path, display: str, cache_dir: Path) -> BibReport:
    """:func:`validate_bibfile`, remembered in ``cache_dir`` for as long as the file's
    bytes stay the same.

    Every build checks the bib file before sphinxcontrib-bibtex reads it; for 1,500
    entries that is a second, most of an incremental rebuild's budget. The report is
    keyed on the content's SHA-256 (not the mtime: a checkout or a copy keeps the bytes
    but not the time) and on this module's version, so a new check runs when either
    changes. The cache is written atomically; an unreadable one is ignored.
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    key = f"{__version__}:{RULES}:{display}:{digest}"
    cache = cache_dir / "briefbook-bibcheck.json"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return BibReport([Problem(**p) for p in stored["errors"]],
                             [Problem(**p) for p in stored["warnings"]])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    report = validate_bibfile(path, display)
    data = {"key": key, "errors": [asdict(p) for p in report.errors],
            "warnings": [asdict(p) for p in report.warnings]}
    with contextlib.suppress(OSError):  # a read-only build folder: check again next time
        atomic_write(cache, json.dumps(data))
    return report
