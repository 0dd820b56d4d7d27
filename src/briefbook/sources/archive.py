"""Preserved copies of sources: fetched once, stored as WARC files, verified since.

A briefing cites web pages, and web pages change or vanish.  Following the Berkeley
Protocol on digital open source investigations, each source's address is captured once,
as received (status line, headers, body), into a WARC file (ISO 28500, the web
archives' format, readable by any replay tool); its SHA-256 is written into the entry
(``archive``, ``archive-date``, ``archive-sha256``, see :mod:`.fields`), so that any
later change to the stored copy shows.  The build never touches the network; only
``briefbook sources archive`` and ``briefbook sources links`` do, and ``verify`` (also
run by ``briefbook check``) reads the copies on disk.

This module holds the capture (one :func:`~.fetch.fetch` whose final answer must be a
complete 2xx) and its WARC file, what a bib file says about its copies, the checks of a
copy, and the hashing of a body that lets ``links`` compare a live page with its copy.
A failure is a :class:`CaptureError` with a one-line reason, never a traceback, and
never a half-written WARC: the file is written under a temporary name and renamed.  A
run killed while writing one leaves that temporary file; the next ``sources archive``
removes it and says so (:func:`remove_interrupted`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import tempfile
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from briefbook import __version__
from briefbook.book.atomic import TEMPORARY, remove_temporaries
from briefbook.book.problems import Problem
from briefbook.sources import fields
from briefbook.sources.bibedit import BibEditError, set_fields
from briefbook.sources.fetch import (  # CaptureError: also raised here, and imported from here
    DEFAULT_TIMEOUT,
    MAX_BYTES,
    USER_AGENT,
    CaptureError,
    Hop,
    describe_size,
    fetch,
)
from briefbook.sources.validation import drop_duplicates, entry_locations, validate_bibfile

#: Bytes read at a time when hashing a file or a body.
_BLOCK = 1 << 20
#: Longest WARC header line read when walking the records of a copy.
_LINE = 64 * 1024
_NAMING = threading.Lock()


class CopyError(Exception):
    """A preserved copy that cannot be read."""


@dataclass(frozen=True)
class Capture:
    """A successful fetch of ``url``: its answers in order, the last one a 2xx."""

    url: str
    hops: tuple[Hop, ...]
    moment: dt.datetime  # when the fetch started, UTC, whole seconds

    @property
    def final(self) -> Hop:
        return self.hops[-1]


# --- the capture and its WARC file ---------------------------------------------------------


def capture(url: str, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None,
            max_bytes: int = MAX_BYTES) -> Capture:
    """Fetch ``url`` once for preservation; a :class:`CaptureError` unless the final
    answer is a 2xx whose whole body arrived within the limits."""
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
    hops = fetch(url, timeout=timeout, deadline=deadline, max_bytes=max_bytes)
    final = hops[-1]
    after = f" (after a redirect to {final.url})" if len(hops) > 1 else ""
    if not 200 <= final.status < 300:
        raise CaptureError(f"HTTP {final.status} {final.reason}".strip() + after, hops)
    for hop in hops:
        if not hop.complete:
            raise CaptureError(f"larger than {describe_size(max_bytes)}{after}", hops)
    return Capture(url, tuple(hops), moment)


def default_folder(bib: Path) -> Path:
    """Where the copies of ``bib``'s entries go unless told otherwise: ``archive/`` next
    to the bib file."""
    return bib.parent / "archive"


def warc_name(key: str, moment: dt.datetime) -> str:
    """``<key>-<YYYYMMDDTHHMMSSZ>.warc.gz``, the key made safe for any file system."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in key)
    return f"{safe.strip('.') or 'source'}-{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.warc.gz"


def iso_moment(moment: dt.datetime) -> str:
    """``2026-11-30T12:00:00Z``: the form of ``archive-date``."""
    return f"{moment.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"


def write_warc(result: Capture, folder: Path, key: str, bib: Path | None = None) -> Path:
    """Write ``result`` as a gzip WARC 1.1 file in ``folder``; its path.

    One warcinfo record, then for each answer (redirects first) its response and request
    records.  Written under a temporary name in the same folder and renamed when
    complete, so a failure leaves no WARC behind.  A name already taken (two captures in
    one second) gets ``-2``, ``-3``…: an existing copy is never overwritten.
    """
    from warcio.warcwriter import WARCWriter

    name = warc_name(key, result.moment)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CaptureError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            writer = WARCWriter(handle, gzip=True, warc_version="1.1")
            about = f"the entry '{key}'" + (f" of {bib.name}" if bib is not None else "")
            writer.write_record(writer.create_warcinfo_record(name, {
                "software": f"briefbook/{__version__} (warcio {_warcio_version()})",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                              "warc-format/warc-1.1/",
                "http-header-user-agent": USER_AGENT,
                "description": f"Preserved copy of {result.url} for {about}",
            }))
            for hop in result.hops:
                _write_exchange(writer, hop, result.moment)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)
        with _NAMING:  # two threads may store copies with one name in one second
            target = folder / name
            number = 2
            while target.exists():
                target = folder / name.replace(".warc.gz", f"-{number}.warc.gz")
                number += 1
            Path(temporary).replace(target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CaptureError(f"cannot write the WARC file in {folder}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def remove_interrupted(folder: Path, before: float) -> list[Path]:
    """Remove the temporary WARC files (``.<key>-<time>.warc.gz.<8 characters>.tmp``)
    that a run killed while writing them left in ``folder``, if last written before
    ``before`` (a time: the start of the run that holds the book's lock).  Nothing else
    is touched: not a finished copy, not a user's file.  The files removed."""

    def a_warc(path: Path) -> bool:
        match = TEMPORARY.match(path.name)
        return match is not None and match.group("name").endswith(".warc.gz")

    return remove_temporaries([folder], before, a_warc)


def _warcio_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("warcio")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _write_exchange(writer: Any, hop: Hop, moment: dt.datetime) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    body = hop.body
    if hop.header("Transfer-Encoding").strip().lower() == "chunked":
        # http.client removed the chunk framing; framed again as one chunk, the body
        # matches the headers as received, and every WARC reader can decode it.
        body = (f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    date = iso_moment(moment)
    warc_headers = {"WARC-Date": date}
    if hop.peer:
        warc_headers["WARC-IP-Address"] = hop.peer
    http_headers = StatusAndHeaders(f"{hop.status} {hop.reason}".strip(), list(hop.headers),
                                    protocol=hop.protocol)
    response = writer.create_warc_record(hop.url, "response", payload=io.BytesIO(body),
                                         length=len(body), http_headers=http_headers,
                                         warc_headers_dict=warc_headers)
    request = writer.create_warc_record(hop.url, "request", payload=io.BytesIO(hop.request),
                                        length=len(hop.request),
                                        warc_headers_dict={"WARC-Date": date})
    writer.write_request_response_pair(request, response)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_value(warc: Path, bib: Path) -> str:
    """The ``archive`` field for ``warc``: relative to the bib file's folder, with
    forward slashes whatever the system, so the book moves as one folder."""
    try:
        relative = os.path.relpath(warc.resolve(), bib.resolve().parent)
    except ValueError:  # another drive (Windows)
        return warc.resolve().as_posix()
    return Path(relative).as_posix()


def record_copy(bib: Path, key: str, warc: Path, moment: dt.datetime) -> dict[str, str]:
    """Write the copy's fields into the entry ``key`` of ``bib`` (atomically); the
    fields written.  On failure the WARC file is removed, so no copy is left that no
    entry names, and a :class:`CaptureError` says why."""
    try:
        values = {fields.ARCHIVE_FIELD: archive_value(warc, bib),
                  fields.ARCHIVE_DATE_FIELD: iso_moment(moment),
                  fields.ARCHIVE_SHA256_FIELD: file_sha256(warc)}
        set_fields(bib, key, values)
    except (BibEditError, OSError) as exc:
        warc.unlink(missing_ok=True)
        reason = str(exc) if isinstance(exc, BibEditError) else (exc.strerror or str(exc))
        raise CaptureError(f"the copy was not recorded: {reason}") from None
    return values


def preserve(bib: Path, key: str, url: str, folder: Path | None = None,
             timeout: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """Capture ``url``, store it in ``folder`` (default: ``archive/`` next to ``bib``)
    and record it in the entry ``key``: the whole of ``briefbook sources archive`` for
    one entry.  The fields written; :class:`CaptureError` when anything fails, in which
    case neither a WARC file nor an edit is left behind."""
    result = capture(url, timeout)
    warc = write_warc(result, folder or default_folder(bib), key, bib)
    return record_copy(bib, key, warc, result.moment)


# --- what a bib file says about its copies --------------------------------------------------


class BibReadError(Exception):
    """A bib file that cannot be read; ``problems`` say where (BB406/BB407)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceEntry:
    """One entry of a bib file: its key, line, address and preserved copy."""

    bib: Path
    key: str
    line: int
    url: str
    entry: Any = field(repr=False, compare=False)  # the pybtex entry
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    present: frozenset[str] = frozenset()  # field names in lower case

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    @property
    def archive(self) -> str:
        return fields.field(self.entry, fields.ARCHIVE_FIELD)

    @property
    def archive_sha256(self) -> str:
        value = fields.field(self.entry, fields.ARCHIVE_SHA256_FIELD).lower()
        return value if fields.valid_sha256(value) else ""

    @property
    def has_archive_fields(self) -> bool:
        return any(name in self.present for name in fields.ARCHIVE_FIELDS)

    def copy_path(self) -> Path | None:
        """The preserved copy's file (absolute), when the entry names one."""
        value = self.archive
        if not value:
            return None
        path = Path(value)
        return path if path.is_absolute() else self.bib.parent / path


def read_entries(bib: Path) -> list[SourceEntry]:
    """Every entry of ``bib`` in file order (a repeated key: its first entry).

    Raises :class:`BibReadError` with the problems ``briefbook check`` reports when the
    file is unreadable, not UTF-8 or not BibTeX.
    """
    from pybtex.database.input.bibtex import Parser

    try:
        text = bib.read_bytes().decode("utf-8-sig")
        kept, _ = drop_duplicates(text)
        data = Parser(encoding="utf-8").parse_string(kept)
    except OSError as exc:
        raise BibReadError([Problem(str(bib), 1, "BB407",
                                    f"cannot read the file: {exc.strerror or exc}")]) from None
    except Exception:  # not UTF-8, or pybtex's syntax errors: reported with their lines
        report = validate_bibfile(bib)
        problems = report.errors or [Problem(str(bib), 1, "BB407", "BibTeX error")]
        raise BibReadError(problems) from None
    lines = text.splitlines()
    first: dict[str, int] = {}
    for location in entry_locations(text):
        first.setdefault(location.key.lower(), location.line)
    found = []
    for key, entry in data.entries.items():
        line = first.get(key.lower(), 1)
        present = frozenset(name.lower() for name in entry.fields)
        field_lines = {name: fields.field_line(lines, line, name)
                       for name in ("url", *fields.ARCHIVE_FIELDS) if name in present}
        found.append(SourceEntry(bib, key, line, fields.field(entry, "url"), entry,
                                 field_lines, present))
    return sorted(found, key=lambda e: e.line)


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    copies: int  # entries naming a preserved copy
    problems: list[Problem]


def verify(bib_path: Path, display: str | None = None) -> list[Problem]:
    """Every problem with the preserved copies named in ``bib_path``, at its line.

    BB410 a malformed ``archive-date``; BB411 a malformed or missing hash or file field;
    BB412 the archive folder or the file missing; BB413 a file that is not a readable
    WARC or holds no response; BB414 a file whose SHA-256 is not the one recorded at
    capture.  ``display`` is the path to report (default: ``bib_path`` as given).
    """
    return verify_file(bib_path, display).problems


def verify_file(bib_path: Path, display: str | None = None) -> Verification:
    """:func:`verify`, with the number of copies checked."""
    shown = display or str(bib_path)
    try:
        entries = read_entries(bib_path)
    except BibReadError as error:
        return Verification(0, [Problem(shown, p.line, p.code, p.message) for p in error.problems])
    problems: list[Problem] = []
    copies = 0
    for entry in entries:
        if not entry.has_archive_fields:
            continue
        for problem in fields.field_problems(entry.key, entry.entry):
            if problem.field in fields.ARCHIVE_FIELDS:
                problems.append(Problem(shown, entry.line_of(problem.field), problem.code,
                                        problem.message))
        if fields.ARCHIVE_FIELD in entry.present:
            copies += 1
            problems.extend(_copy_problems(entry, shown))
    return Verification(copies, problems)


def _copy_problems(entry: SourceEntry, shown: str) -> list[Problem]:
    line = entry.line_of(fields.ARCHIVE_FIELD)
    name = entry.archive
    path = entry.copy_path()
    if path is None:
        return [Problem(shown, line, "BB411", f"entry '{entry.key}' has an empty "
                                              f"{fields.ARCHIVE_FIELD} field")]
    if not path.parent.is_dir():
        folder = Path(name).parent.as_posix()
        return [Problem(shown, line, "BB412",
                        f"entry '{entry.key}': the archive folder '{folder}' does not exist "
                        f"(it should hold the preserved copy {name})")]
    if not path.is_file():
        return [Problem(shown, line, "BB412",
                        f"entry '{entry.key}': the preserved copy {name} is missing")]
    found: list[Problem] = []
    try:
        digest = file_sha256(path)
    except OSError as exc:
        return [Problem(shown, line, "BB412", f"entry '{entry.key}': the preserved copy {name} "
                                              f"cannot be read: {exc.strerror or exc}")]
    recorded = entry.archive_sha256
    if recorded and digest != recorded:
        found.append(Problem(shown, entry.line_of(fields.ARCHIVE_SHA256_FIELD), "BB414",
                             changed_since_capture(entry.key, name, digest, recorded)))
    reason = warc_problem(path)
    if reason:
        found.append(Problem(shown, line, "BB413",
                             f"entry '{entry.key}': the preserved copy {name} {reason}"))
    return found


def changed_since_capture(key: str, name: str, digest: str, recorded: str) -> str:
    """BB414's text, the same in ``verify``, ``check`` and the build."""
    return (f"entry '{key}': the preserved copy {name} changed since capture (its SHA-256 "
            f"is {digest[:12]}…, {recorded[:12]}… was recorded)")


def warc_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable WARC file (``"is not …"``), or None when it is one
    holding at least one response record whose digests match its content."""
    cut = truncation(path)
    if cut:
        return cut
    try:
        with path.open("rb") as handle:
            responses = sum(1 for _ in _responses(handle, check=True))
    except Exception as exc:  # warcio raises many kinds for damaged input
        return f"is not a readable WARC file ({_warc_reason(exc)})"
    if not responses:
        return "holds no response record"
    return None


def truncation(path: Path) -> str | None:
    """Why ``path`` ends before its last record does (``"is truncated …"``), or None.

    warcio reads a WARC cut short without complaint: a gzip member cut off ends its
    record early, and a record shorter than its ``Content-Length`` is read as far as it
    goes.  A copy that lost its end would then pass for a smaller capture (and make
    ``links`` report the live page as changed), so every gzip member must end with its
    trailer and every record must hold the bytes its header announces.  Other damage
    (not a WARC at all, a bad digest) is left to warcio's reading.
    """
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            if compressed:
                with gzip.GzipFile(fileobj=raw) as unpacked:
                    return _short_record(unpacked)
            return _short_record(raw)
    except EOFError:
        return "is truncated (its gzip stream ends before its end marker)"
    except (gzip.BadGzipFile, zlib.error) as exc:
        return f"is damaged (gzip: {_one_line(str(exc))})"


def _short_record(stream: io.BufferedIOBase) -> str | None:
    """Walk the records by their ``Content-Length``: the first one cut short, if any."""
    number = 0
    while True:
        line = stream.readline(_LINE)
        if not line:
            return None  # the end falls between records
        if not line.strip():
            continue
        if not line.startswith(b"WARC/"):
            return None  # not a WARC record: warcio's reading says so
        number += 1
        length = -1
        while True:
            header = stream.readline(_LINE)
            if not header:
                return f"is truncated (record {number} ends inside its headers)"
            if not header.strip():
                break
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        if length < 0:
            return None  # malformed: warcio's reading says so
        got = 0
        while got < length:
            block = stream.read(min(_BLOCK, length - got))
            if not block:
                return (f"is truncated (record {number} announces {length:,} bytes, "
                        f"{got:,} are there)")
            got += len(block)
        closing = stream.read(4)  # every record ends with an empty line (CRLF CRLF)
        if len(closing) < 4 and b"\r\n\r\n".startswith(closing):
            return f"is truncated (record {number} lacks its closing empty line)"
        if closing != b"\r\n\r\n":
            return None  # malformed: warcio's reading says so


def _one_line(text: str) -> str:
    return " ".join(text.split())[:100]


def _warc_reason(exc: BaseException) -> str:
    """The first line of warcio's message, without the damaged bytes it may quote."""
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    text = "".join(c if c.isprintable() and c.isascii() else "?" for c in text)
    text = text if len(text) <= 100 else text[:99] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _responses(handle: IO[bytes], check: bool = False) -> Any:
    """The response records of a WARC file, each with its whole payload read: digests
    are checked and gzip members decompressed to their end, so damage anywhere shows."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(handle, check_digests="raise" if check else False):
        # warcio also reads the older ARC format, and reads almost any line of text as
        # an ARC header: only WARC records count as a preserved copy.
        if not str(record.format).startswith("warc"):
            raise ValueError("not a WARC record (no 'WARC/' header)")
        if record.rec_type != "response":
            continue
        yield record, _payload_sha256(record.raw_stream, record.http_headers)


def archived_payload_sha256(path: Path) -> str:
    """SHA-256 of the body of the final answer preserved in ``path`` (the last 2xx
    response), decoded of chunked and content encoding, like :func:`payload_sha256` of
    the live body.  Raises :class:`CopyError` when the file is unreadable or holds none."""
    found: list[tuple[int, str]] = []
    cut = truncation(path)
    if cut:
        raise CopyError(f"{path} {cut}")
    try:
        with path.open("rb") as handle:
            for record, digest in _responses(handle):
                headers = record.http_headers
                status = int(headers.get_statuscode() or 0) if headers else 0
                found.append((status, digest))
    except OSError as exc:
        raise CopyError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:
        raise CopyError(f"{path} is not a readable WARC file ({_warc_reason(exc)})") from None
    good = [digest for status, digest in found if 200 <= status < 300]
    if not good:
        raise CopyError(f"{path} holds no successful response")
    return good[-1]


def payload_sha256(body: bytes, headers: Sequence[tuple[str, str]]) -> str:
    """SHA-256 of a live body as :func:`fetch` returns it (already de-chunked)."""
    plain = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
    return _payload_sha256(io.BytesIO(body), plain)


def _payload_sha256(stream: IO[bytes], headers: Any) -> str:
    """Decode ``stream`` as warcio's readers do (chunked framing, then gzip, deflate or
    br content encoding) and hash it; an encoding warcio cannot decode is hashed as is."""
    from warcio.bufferedreaders import BufferedReader, ChunkedDataReader

    def header(name: str) -> str:
        if headers is None:
            return ""
        if hasattr(headers, "get_header"):
            return str(headers.get_header(name) or "")
        return next((v for k, v in headers if k.lower() == name), "")

    encoding: str | None = header("content-encoding").strip().lower() or None
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    reader: Any = stream
    if header("transfer-encoding").strip().lower() == "chunked":
        reader = ChunkedDataReader(stream, decomp_type=encoding)
    elif encoding:
        reader = BufferedReader(stream, decomp_type=encoding)
    digest = hashlib.sha256()
    for block in iter(lambda: reader.read(_BLOCK), b""):
        digest.update(block)
    return digest.hexdigest()
