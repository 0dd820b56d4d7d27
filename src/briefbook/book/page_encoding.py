"""Pages that are not UTF-8 text: one error naming the file and line, never a traceback.

Sphinx reads each page with ``Path.read_text`` before any extension sees it, so a page
saved as Latin-1, UTF-16 or a binary file given a ``.md`` name stops the build (and
``briefbook check``) with a ``UnicodeDecodeError`` traceback that names neither the file
nor the line.  Here the builder's read of one page is wrapped: when the page does not
decode, BB508 says which file, at which line and column, and what it looks like; the
page is then read once more with undecodable bytes replaced (U+FFFD), so the rest of
the book is still read and every other problem is still reported.  A strict build
(``briefbook build``, ``make html``) fails on the warning, as ``check`` does.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The codec a page that failed to decode is read again with: UTF-8 (a leading BOM
#: dropped) with undecodable bytes replaced.  Used for that one read only.
LENIENT = "briefbook_utf_8_sig_replace"


class _ReplacingDecoder(encodings.utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _lenient(name: str) -> codecs.CodecInfo | None:
    if name != LENIENT:
        return None
    return codecs.CodecInfo(
        name=LENIENT,
        encode=codecs.getencoder("utf-8-sig"),
        decode=lambda data, errors="strict": encodings.utf_8_sig.decode(data, "replace"),
        incrementalencoder=encodings.utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_ReplacingDecoder,
        streamreader=encodings.utf_8_sig.StreamReader,
        streamwriter=encodings.utf_8_sig.StreamWriter)


codecs.register(_lenient)


def undecodable(path: Path) -> tuple[int, str] | None:
    """``(line, why)`` when ``path`` is not UTF-8 text, else None (also when unreadable:
    Sphinx reports that itself)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return 1, "it starts with a UTF-16 byte-order mark: it was saved as UTF-16"
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        where = f"byte 0x{body[exc.start]:02x} at line {line}, column {column}"
        if b"\x00" in body[:8192]:
            return line, f"{where}; it holds NUL bytes: a binary file, not a page?"
        return line, f"{where}; saved as Latin-1 or Windows-1252?"
    return None


def report_undecodable_pages(app: Sphinx) -> None:
    """Wrap the builder's read of a page (see the module's docstring)."""
    builder: Any = app.builder
    original = builder.read_doc

    def read_doc(docname: str, *args: Any, **kwargs: Any) -> None:
        try:
            original(docname, *args, **kwargs)
            return
        except UnicodeDecodeError:
            path = Path(builder.env.doc2path(docname))
            found = undecodable(path)
            if found is None:
                raise  # not the page's own bytes: not ours to explain
        line, why = found
        logger.warning("BB508 page is not UTF-8 text (%s)", why, location=(docname, line),
                       type="briefbook", subtype="encoding")
        settings = builder.env.settings
        encoding = settings["input_encoding"]
        settings["input_encoding"] = LENIENT
        try:
            original(docname, *args, **kwargs)
        finally:
            settings["input_encoding"] = encoding

    setattr(builder, "read_doc", read_doc)  # noqa: B010 (a method of this builder only)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", report_undecodable_pages)
