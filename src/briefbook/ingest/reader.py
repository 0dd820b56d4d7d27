"""An article file to an :class:`~.model.Article`, whether it holds text or a saved web page.

The one entry point for a file on disk: a saved page (by its name or its first bytes)
goes to :mod:`.web`, anything else is decoded (:mod:`.decoding`) and parsed as text
(:mod:`.parsing`).
"""

from __future__ import annotations

from pathlib import Path

from briefbook.ingest.decoding import MAX_FILE, decode
from briefbook.ingest.model import Article, IngestError
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.web import article_from_html


def read_article(path: str | Path, display: str | None = None) -> Article:
    """Read and parse one article file (a saved web page is read with :mod:`.web`)."""
    path = Path(path)
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IngestError(shown, "is a folder, not an article file") from None
    except OSError as exc:
        raise IngestError(shown, f"cannot be read: {exc.strerror or exc}") from None
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or (raw[:1] in (b"<", b" ", b"\n", b"\xef")
                                                             and _looks_like_html(raw)):
        if len(raw) > MAX_FILE:
            raise IngestError(shown, f"file is {len(raw):,} bytes; pages over {MAX_FILE:,} "
                              "bytes are refused")
        if not raw.strip():
            raise IngestError(shown, "is empty (no text to ingest)")
        return article_from_html(raw, shown)
    return parse_article(decode(raw, shown), shown)


def _looks_like_html(raw: bytes) -> bool:
    """A saved web page, whatever its name: it starts with a doctype or an html tag."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in raw[:65536].lower()
