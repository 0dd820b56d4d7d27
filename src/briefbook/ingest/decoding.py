"""Bytes to text: the encodings, sizes and characters an article file may have.

An article file is refused here, with a message naming the file and line, when it
cannot be read faithfully (invalid UTF-8 or UTF-16, NUL bytes, absurd sizes), because a
traceback tells an analyst nothing about which of 300 files to fix; control characters
that would corrupt HTML and LaTeX are replaced, with a warning saying where.
"""

from __future__ import annotations

import re
import unicodedata

from briefbook.ingest.model import IngestError

#: Longest paragraph accepted.  A real paragraph is a few thousand characters; a
#: multi-megabyte line is a data file or a broken export, and rendering it would make
#: a page no one can read, so it gets a clear error instead.
MAX_PARAGRAPH = 200_000
#: Largest input file accepted (bytes).
MAX_FILE = 20_000_000


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def decode(raw: bytes, path: str) -> str:
    """Decode an article file to text with ``\\n`` line ends, or raise IngestError."""
    if len(raw) > MAX_FILE:
        raise IngestError(path, f"file is {len(raw):,} bytes; articles over {MAX_FILE:,} "
                          "bytes are refused (is this really an article?)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"starts with a UTF-16 mark but is not valid UTF-16: {exc}") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            bad = raw[exc.start: exc.start + 4].hex(" ")
            raise IngestError(path, f"not valid UTF-8 (byte {exc.start}: {bad}); re-save the "
                              "file as UTF-8", line) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise IngestError(path, "contains a NUL byte (a binary or UTF-16 file?); "
                          "save the article as plain UTF-8 text", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def clean_controls(text: str, path: str, warnings: list[str]) -> str:
    """Replace control characters (they corrupt HTML and LaTeX) with spaces, saying where."""
    match = _CONTROL.search(text.replace("\t", " "))
    if match is None:
        return text
    line = text.count("\n", 0, match.start()) + 1
    warnings.append(f"{path}:{line}: control characters replaced with spaces")
    return _CONTROL.sub(" ", text)
