"""Every form in which an output file's words can be read: what the release gate searches.

A word a release must not hold can sit in an output in more shapes than its text: escaped
as HTML character references or JSON ``\\u`` escapes, split by markup, stemmed in the
search index, compressed in ``objects.inv``, a PNG chunk or a gzip body, drawn as a PDF's
page text or kept in its metadata and bookmarks, or in a file's very name.
:func:`file_forms` gives every one of them as text, for :mod:`.gate` to search; a file that
claims a format it does not have (a PDF that does not parse, an inventory that is not
zlib) raises ValueError, so that the gate fails closed rather than skip it.
"""

from __future__ import annotations

import base64
import gzip
import html
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

#: A word as the gate compares words (in text :func:`normalise` gave).
WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z@]+")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PRINTABLE = re.compile(rb"[\x20-\x7e\t\r\n]{4,}")


@dataclass
class Form:
    """One way of reading an output file: its name, its text, or its stemmed terms."""

    name: str
    text: str
    stems: bool = False


_MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".svg", ".fjson", ".opf", ".ncx")
_LATEX_SUFFIXES = (".tex", ".sty", ".cls", ".aux", ".toc", ".out", ".log", ".idx", ".ind",
                   ".ilg", ".lof", ".lot", ".bbl")


def _unescape(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "\\u" in text:
        text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def normalise(text: str) -> str:
    """Text as words are compared: compatibility forms folded (a PDF's "ﬁ" ligature is
    "fi"), invisible characters that split a word without showing (soft hyphens,
    zero-width spaces) removed, lower case."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return text.lower()


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_DATA_URI = re.compile(r"data:[\w/+.-]*(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=]+)")


def _printable(data: bytes) -> str:
    return "\n".join(run.decode("ascii", "replace") for run in _PRINTABLE.findall(data))


def file_forms(name: str, data: bytes) -> Iterator[Form]:
    """Every form of an output file the gate searches (see the module's docstring);
    raises ValueError when a file that claims a format cannot be read as it."""
    yield Form("file name", name.replace("/", " "))
    if data.startswith(b"%PDF"):
        yield from _pdf_forms(data)
        return
    if data.startswith(b"# Sphinx inventory"):
        end = 0
        for _ in range(4):
            end = data.index(b"\n", end) + 1
        try:
            body = zlib.decompress(data[end:])
        except zlib.error as exc:
            raise ValueError(f"objects.inv body is not zlib: {exc}") from exc
        yield Form("inventory", _unescape((data[:end] + body).decode("utf-8", "replace")))
        return
    if data.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(f"not gzip: {exc}") from exc
        for form in file_forms(name.removesuffix(".gz"), inner):
            if form.name != "file name":
                yield Form(f"gzip {form.name}", form.text, form.stems)
        return
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        yield Form("PNG text chunks", _png_text(data))
        yield Form("bytes", _printable(data))
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Form("bytes", _printable(data))
        return
    plain = _unescape(text)
    yield Form("text", plain)
    if "%" in plain and _PERCENT.search(plain):
        yield Form("text, percent-decoded", unquote(plain))
    for found in _DATA_URI.finditer(text):
        try:
            inner = base64.b64decode(found.group(1))
        except ValueError as exc:
            raise ValueError(f"a data: URI is not base64: {exc}") from exc
        for form in file_forms(name, inner):
            if form.name != "file name":
                yield Form(f"data: URI {form.name}", form.text, form.stems)
    lower = name.lower()
    if lower.endswith(_MARKUP_SUFFIXES) or text.lstrip().startswith("<"):
        yield Form("text without markup", _unescape(_TAG.sub(" ", text)))
    if lower.endswith(_LATEX_SUFFIXES):
        yield Form("text without LaTeX commands", _LATEX_COMMAND.sub(" ", plain))
    if text.startswith("Search.setIndex("):
        yield Form("search index terms", " ".join(_search_terms(text)), stems=True)


def _search_terms(text: str) -> list[str]:
    """The stemmed terms of Sphinx's ``searchindex.js``."""
    body = text[len("Search.setIndex("):].rstrip().rstrip(";").rstrip(")")
    try:
        index = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"search index is not JSON: {exc}") from exc
    terms: list[str] = []
    for key in ("terms", "titleterms"):
        value = index.get(key) or {}
        terms.extend(str(term) for term in value)
    return terms


def _png_text(data: bytes) -> str:
    """The text chunks of a PNG (``tEXt``; ``zTXt`` and ``iTXt`` decompressed)."""
    parts: list[str] = []
    at = 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        at += 12 + length
        try:
            if kind == b"tEXt":
                parts.append(body.replace(b"\0", b" ").decode("latin-1"))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                parts.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"))
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                compressed, rest = rest[0], rest[2:]
                language, _, rest = rest.partition(b"\0")
                translated, _, value = rest.partition(b"\0")
                if compressed:
                    value = zlib.decompress(value)
                parts.append(" ".join(x.decode("utf-8", "replace")
                                      for x in (key, language, translated, value)))
        except (zlib.error, IndexError) as exc:
            raise ValueError(f"PNG {kind.decode('latin-1')} chunk cannot be read: {exc}") from exc
        if kind == b"IEND":
            break
    return "\n".join(parts)


def _pdf_forms(data: bytes) -> Iterator[Form]:
    """A PDF's text, and every string in its objects (metadata, bookmarks, links, named
    destinations, XMP), with its streams decompressed."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        strings = _pdf_strings(reader)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"PDF cannot be read: {exc}") from exc
    yield Form("PDF text", _dehyphenate(_pdf_text(data, reader)))
    yield Form("PDF metadata, bookmarks and strings", _unescape(strings))


def _dehyphenate(text: str) -> str:
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text) + "\n" + text


def _pdf_text(data: bytes, reader: Any) -> str:
    if shutil.which("pdftotext"):
        proc = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, check=False, timeout=300)
        if proc.returncode == 0:
            return proc.stdout.decode("utf-8", "replace")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _pdf_strings(reader: Any) -> str:
    """Every string object of the PDF (Info, outlines, annotations, names) and every
    stream that is not a page's drawing or a font (XMP metadata, embedded files)."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        TextStringObject,
    )

    parts: list[str] = []
    seen: set[tuple[int, int]] = set()
    contents: set[tuple[int, int]] = set()
    for page in reader.pages:
        value = page.get("/Contents")
        refs = value if isinstance(value, ArrayObject) else [value]
        contents.update((r.idnum, r.generation) for r in refs if isinstance(r, IndirectObject))
    stack: list[Any] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            resolved = item.get_object()
            if isinstance(resolved, StreamObject) and key not in contents:
                kind = str(resolved.get("/Type", "")) + str(resolved.get("/Subtype", ""))
                if not any(k in kind for k in ("Font", "Image", "Type1C", "OpenType", "CIDFont")) \
                        and "/Length1" not in resolved and "/Length2" not in resolved:
                    try:
                        parts.append(_printable(resolved.get_data()))
                    except Exception:  # a filter pypdf cannot undo: its raw bytes
                        parts.append(_printable(resolved._data))
            stack.append(resolved)
        elif isinstance(item, TextStringObject):
            parts.append(str(item))
        elif isinstance(item, ByteStringObject):
            parts.append(bytes(item).decode("latin-1"))
        elif isinstance(item, DictionaryObject):
            stack.extend(v for k, v in item.items() if k not in ("/Parent", "/P"))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return "\n".join(parts)


def output_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` (hidden ones too, and those of a linked folder, each
    folder once), in a fixed order."""
    seen: set[str] = set()
    for current, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(current)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        for name in sorted(names):
            yield Path(current) / name
