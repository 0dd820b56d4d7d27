"""Dates in article text: a metadata value, every full date in a line, and date-only lines.

Pages print dates in every form ("Nov. 4, 2024", "2024-11-04T15:30:00Z", "04.11.2024",
"Monday, November 4, 2024, 2:05 p.m. EDT"); the header scan, the byline and the
metadata lines all ask the same questions of them here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y",
                 "%B %d %Y", "%d.%m.%Y")


def parse_date(value: str) -> dt.date | None:
    """A date in any of the usual article forms, or None."""
    value = value.strip().rstrip(",.")
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    # "Nov. 4, 2024", "Monday, November 4, 2024, 2:05 p.m. EDT", "2024-11-04T15:30:00Z".
    is_date, date = date_line(value)
    return date if is_date else None


def date_in_name(path: str) -> dt.date | None:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", Path(path).name)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


# --- Dates anywhere in a line ------------------------------------------------------------

_MONTH_NAMES = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATES_IN_TEXT = (
    re.compile(rf"\b(?P<month>{_MONTH_NAMES})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
               r"(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_NAMES}),?\s+"
               r"(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?!\d)"),
    # 09/12/2019: day first (as European sites write it) unless only month-first can be right.
    re.compile(r"(?<![\d/])(?P<day>\d{1,2})/(?P<mnum>\d{1,2})/(?P<year>(?:19|20)\d\d)(?!\d)"),
    # 27-NOV-01, 27-Nov-2001: report databases' day-month-year with the month in letters.
    re.compile(rf"(?<![\w-])(?P<day>\d{{1,2}})-(?P<month>{_MONTH_NAMES})-(?P<year>(?:19|20)?\d\d)"
               r"(?![\w-])", re.IGNORECASE),
)
_CLOCK = re.compile(
    r"(?<![\w:])\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?\s?m\b\.?)?|(?<![\w:])\d{1,2}\s*[ap]\.?m\b\.?"
    r"|T\d{2}:\d{2}\S*", re.IGNORECASE)
_ZONE = re.compile(r"\b(?:[ECMP][SD]?T|UTC|GMT|KST|JST|CET|CEST|BST|MSK|AEST|AEDT|IST|Z)\b")
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?",
                      re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(?:last\s+)?(?:updated|update|published|posted|modified|released?|first|last|date[ds]?|"
    r"on|at|as\s+of|and|time|reviewed|\d+\s*min(?:ute)?s?\s+read|\d+\s+(?:seconds?|minutes?|"
    r"hours?|days?|weeks?)\s+ago|ago)\b", re.IGNORECASE)


def _month_number(token: str) -> int:
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
            "dec").index(token[:3].lower()) + 1


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Every full date (day, month and year) in ``text``, in order, as (start, end, date)."""
    found: list[tuple[int, int, dt.date]] = []
    for pattern in _DATES_IN_TEXT:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            month = (_month_number(match["month"]) if "month" in pattern.groupindex
                     else int(match["mnum"]))
            day = int(match["day"])
            if "/" in match.group(0) and month > 12 >= day and "mnum" in pattern.groupindex \
                    and match.group(0).index("/") <= 2:
                day, month = month, day  # 11/24/2024: month first after all
            year = int(match["year"])
            if year < 100:
                year += 1900 if year >= 50 else 2000  # "27-NOV-01": two-digit years pivot at 1950
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            found.append((match.start(), match.end(), date))
    return sorted(found, key=lambda item: item[0])


def date_line(line: str) -> tuple[bool, dt.date | None]:
    """Whether ``line`` holds nothing but dates, times and words like "Updated", and the
    first date in it."""
    dates = find_dates(line)
    rest = line
    for start, end, _ in reversed(dates):
        rest = rest[:start] + " " + rest[end:]
    times = _CLOCK.findall(rest)
    rest = _DATE_WORDS.sub(" ", _WEEKDAY.sub(" ", _ZONE.sub(" ", _CLOCK.sub(" ", rest))))
    rest = re.sub(r"[\s|,.;:()\[\]·•/–—\-_]+", "", rest)
    if rest or not (dates or times):
        return False, None
    return True, dates[0][2] if dates else None


#: A place named after a date: "…, Sochi", "… 6:34 p.m. Munich, Germany" (capitalised words,
#: with one optional ", Country").
_PLACE_WORDS = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}"
_PLACE_AFTER = re.compile(rf"{_PLACE_WORDS}(?:,\s*{_PLACE_WORDS})?")


def placed_date(line: str) -> dt.date | None:
    """The date of a place-and-date line ("Brussels, 21 February 2014"), or of a date-and-place
    line ("October 22, 2019, Sochi"; "Saturday, February 15, 2025, 6:34 p.m. Munich, Germany"),
    else None."""
    dates = find_dates(line)
    if len(dates) != 1 or len(line) > 80:
        return None
    start, end, date = dates[0]
    before, after = line[:start], line[end:]
    if before.strip() and not re.fullmatch(r"\s*[A-Z][\w.'’ -]{1,40}?,?\s*(?:\(?\s*)?", before):
        return None
    rest = after.strip(" )—–-,")
    if not before.strip() and not rest:
        return None  # a date alone: date_line's business
    if rest and not date_line(rest)[0]:
        # A place after the date (and its time): only capitalised words remain.
        place = _ZONE.sub(" ", _CLOCK.sub(" ", rest)).strip(" ,;—–-")
        weekday_only = not before.strip() or _WEEKDAY.fullmatch(before.strip(" ,"))
        set_off = after.lstrip().startswith(",") or _CLOCK.search(rest)  # not a heading run on
        if not weekday_only or not set_off or not _PLACE_AFTER.fullmatch(place):
            return None
    return date
