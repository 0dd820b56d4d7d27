"""What a batch's flags say about its articles: ``--date``, ``--author``, ``--publisher``,
``--url``.

Saved texts often lose their date line and byline (9 of 10 pages of one real batch came
out undated), while the analyst knows them for the whole batch.  The flags *fill what the
article does not state*; they never override it: an article's own date line is evidence,
the flag a default for the batch, and a folder of one week's articles has articles of
several days.  Where an article states a value that differs from the flag, the article's
is kept and ingest says so, so a wrong guess in either is seen.  The filled values feed the
page's front matter, its file name (``<date>-<slug>.md`` instead of ``undated-…``) and the
bibliography entry (key, author, year), exactly as if the article had stated them.

Values are checked when the command line is read (a usage error, exit code 2), before
anything is read or written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from briefbook.ingest.model import Article

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s{}\\<>\"]+$", re.IGNORECASE)
MAX_NAME = 300


def parse_date(text: str) -> dt.date:
    """``--date``: a real calendar date written YYYY-MM-DD (ValueError says why not)."""
    text = text.strip()
    if not _ISO_DATE.match(text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD (e.g. 2024-10-21)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None


def parse_name(text: str, what: str) -> str:
    """``--author`` / ``--publisher``: one line of text, spaces collapsed."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        raise ValueError(f"the {what} is empty")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]
    if bad:
        raise ValueError(f"the {what} contains the control character U+{ord(bad[0]):04X}")
    if len(text) > MAX_NAME:
        raise ValueError(f"the {what} is {len(text)} characters long (at most {MAX_NAME})")
    return text


def parse_url(text: str) -> str:
    """``--url``: a full http(s) address, as the bibliography's ``url`` field takes it."""
    text = text.strip()
    if not _URL.match(text):
        raise ValueError(f"{text!r} is not a full http:// or https:// address "
                         "(no spaces, braces, quotes or backslashes)")
    return text


@dataclass(frozen=True)
class BatchMetadata:
    """The flags' values; empty ones fill nothing."""

    date: dt.date | None = None
    author: str = ""
    publisher: str = ""
    url: str = ""

    def fill(self, article: Article) -> None:
        """Fill what ``article`` does not state; note where it states something else."""
        given = (("date", "--date", self.date), ("author", "--author", self.author),
                 ("publisher", "--publisher", self.publisher), ("url", "--url", self.url))
        for attribute, flag, value in given:
            if not value:
                continue
            own = getattr(article, attribute)
            if not own:
                setattr(article, attribute, value)
            elif own != value:
                shown = own.isoformat() if isinstance(own, dt.date) else own
                flagged = value.isoformat() if isinstance(value, dt.date) else value
                article.warnings.append(
                    f"{article.path}: {flag} {flagged} not used: the article gives its own "
                    f"{attribute}, {shown}")
