"""``briefbook sources archive`` and ``verify``: captures from a server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pybtex.database.input.bibtex import Parser
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from briefbook.cli import main
from briefbook.sources.archive import (
    Capture,
    archived_payload_sha256,
    capture,
    record_copy,
    verify,
    write_warc,
)
from briefbook.sources.fetch import CaptureError, Hop, abort_fetches
from briefbook.sources.fields import parse_moment
from loopback import PAGE, Site, serve, write_book

SHA_PAGE = hashlib.sha256(PAGE).hexdigest()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def records(path: Path) -> list[tuple[str, str, int | None, bytes]]:
    """(type, target URI, HTTP status, decoded body) of each record of a WARC file."""
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            status = int(record.http_headers.get_statuscode()) if (
                record.rec_type == "response") else None
            found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                          status, record.content_stream().read()))
    return found


def fields_of(bib: Path, key: str) -> dict[str, str]:
    entry = Parser(encoding="utf-8").parse_file(str(bib)).entries[key]
    return {k.lower(): str(v) for k, v in entry.fields.items()}


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- archive -------------------------------------------------------------------------------


def test_archive_preserves_the_page_and_records_it(site, tmp_path, capsys) -> None:
    url = site.url("/page")
    original = f"""% Sources of the test book: this comment stays.
@string{{agency = "Ministry"}}

@online{{page,
  author = {{Ministry}},
  title  = {{Statement}},
  year   = {{2026}},
  url    = {{{url}}}
}}

@online{{nourl,
  author = {{Someone}},
  title = {{No address}},
  year = {{2026}},
}}
"""
    book = write_book(tmp_path / "book", original)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert main(["sources", "archive", str(book), "--timeout", "2"]) == 0
    out, err = capsys.readouterr()
    assert out == "1 captured, 0 failed, 1 without a URL\n"
    assert "Preserving sources" in err and "Preserving" not in out

    (warc,) = (book / "archive").iterdir()
    assert re.fullmatch(r"page-\d{8}T\d{6}Z\.warc\.gz", warc.name)
    found = records(warc)
    assert [r[0] for r in found] == ["warcinfo", "response", "request"]
    assert found[1][1:] == (url, 200, PAGE)
    with warc.open("rb") as handle:
        request = next(r for r in ArchiveIterator(handle) if r.rec_type == "request")
        assert request.http_headers.get_header("User-Agent") == "briefbook/0.1.0 (+preservation)"

    recorded = fields_of(book / "sources.bib", "page")
    assert recorded["archive"] == f"archive/{warc.name}"
    assert recorded["archive-sha256"] == hashlib.sha256(warc.read_bytes()).hexdigest()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", recorded["archive-date"])
    moment = parse_moment(recorded["archive-date"])
    assert moment is not None and before <= moment <= before + dt.timedelta(seconds=30)
    assert warc.name == f"page-{moment:%Y%m%dT%H%M%SZ}.warc.gz"
    # Every other byte of the file as it was: only the three lines were added.
    assert (book / "sources.bib").read_text(encoding="utf-8") == original.replace(
        f"{{{url}}}\n}}",
        f"{{{url}}},\n  archive = {{{recorded['archive']}}},\n"
        f"  archive-date = {{{recorded['archive-date']}}},\n"
        f"  archive-sha256 = {{{recorded['archive-sha256']}}},\n}}")

    assert main(["sources", "verify", str(book)]) == 0
    assert capsys.readouterr().out == "1 preserved copy verified, 0 problems\n"


def test_redirects_chunked_and_compressed_answers_are_kept_as_received(site, tmp_path, capsys) -> None:
    book = write_book(tmp_path / "book", "".join(
        f"@online{{{key}, title = {{T}}, year = {{2026}}, url = {{{site.url('/' + key)}}}}}\n"
        for key in ("redirect", "chunked", "gzip")))
    assert main(["sources", "archive", str(book), "--timeout", "2", "--jobs", "3"]) == 0
    assert capsys.readouterr().out == "3 captured, 0 failed\n"
    copies = {path.name.split("-")[0]: path for path in (book / "archive").iterdir()}

    found = records(copies["redirect"])
    assert [(r[0], r[1], r[2]) for r in found] == [
        ("warcinfo", "", None),
        ("response", site.url("/redirect"), 301), ("request", site.url("/redirect"), None),
        ("response", site.url("/page"), 200), ("request", site.url("/page"), None)]
    assert found[3][3] == PAGE
    assert records(copies["chunked"])[1][3] == PAGE
    with copies["gzip"].open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                assert record.http_headers.get_header("Content-Encoding") == "gzip"
                assert gzip.decompress(record.raw_stream.read()) == PAGE  # stored compressed
                break
        else:
            pytest.fail("no response record")
    # The body the link check compares with: the final page, decoded.
    assert {archived_payload_sha256(p) for p in copies.values()} == {SHA_PAGE}


def test_failed_captures_leave_no_file_and_no_edit(site, tmp_path, capsys) -> None:
    entries = {"missing": site.url("/missing"), "hang": site.url("/hang"),
               "refused": site.refused_url, "loop": site.url("/loop")}
    original = "% Nothing here may change.\n" + "".join(
        f"\n@online{{{key},\n  title = {{T}},\n  year = {{2026}},\n  url = {{{url}}}\n}}\n"
        for key, url in entries.items())
    book = write_book(tmp_path / "book", original)
    started = time.monotonic()
    assert main(["sources", "archive", str(book), "--timeout", "0.5"]) == 1
    assert time.monotonic() - started < 2.5  # the hanging server answers after 3 s
    out = capsys.readouterr().out.splitlines()
    assert (book / "sources.bib").read_text(encoding="utf-8") == original
    assert not (book / "archive").exists()
    line = {key: line_of(original, "{" + key) for key in entries}
    assert out == [
        f"sources.bib:{line['missing']}: missing: HTTP 404 Not Found",
        f"sources.bib:{line['hang']}: hang: timed out after 0.5 s",
        f"sources.bib:{line['refused']}: refused: connection refused",
        f"sources.bib:{line['loop']}: loop: more than 5 redirects",
        "0 captured, 4 failed",
    ]


def test_an_unwritable_archive_folder_fails_cleanly(site, tmp_path, capsys) -> None:
    original = f"@online{{page, title = {{T}}, year = {{2026}}, url = {{{site.url('/page')}}}}}\n"
    book = write_book(tmp_path / "book", original)
    (book / "blocked").write_text("a file where the folder should be")
    assert main(["sources", "archive", str(book), "--into", str(book / "blocked")]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"sources.bib:1: page: cannot write in {book / 'blocked'}")
    assert (book / "sources.bib").read_text(encoding="utf-8") == original


def test_a_failed_bib_edit_removes_the_new_copy(site, tmp_path) -> None:
    bib = tmp_path / "sources.bib"
    bib.write_text("@misc{other, title = {T}}\n", encoding="utf-8")
    result = capture(site.url("/page"), timeout=2)
    warc = write_warc(result, tmp_path / "archive", "absent", bib)
    assert warc.is_file()
    with pytest.raises(CaptureError, match=r"not recorded: .*sources\.bib: no entry with key 'absent'"):
        record_copy(bib, "absent", warc, result.moment)
    assert list((tmp_path / "archive").iterdir()) == []
    assert bib.read_text(encoding="utf-8") == "@misc{other, title = {T}}\n"


def test_an_existing_copy_is_kept_unless_forced(site, tmp_path, capsys) -> None:
    url = site.url("/page?existing")
    book = write_book(tmp_path / "book",
                      f"@online{{page, title = {{T}}, year = {{2026}}, url = {{{url}}}}}\n")
    assert main(["sources", "archive", str(book)]) == 0
    first = (book / "sources.bib").read_bytes()
    (copy,) = (book / "archive").iterdir()
    capsys.readouterr()

    assert main(["sources", "archive", str(book)]) == 0
    assert capsys.readouterr().out == "0 captured, 0 failed, 1 already preserved (--force captures again)\n"
    assert (book / "sources.bib").read_bytes() == first
    assert site.requests.count("/page?existing") == 1

    assert main(["sources", "archive", str(book), "--force"]) == 0
    assert capsys.readouterr().out == "1 captured, 0 failed\n"
    copies = sorted((book / "archive").iterdir())
    assert len(copies) == 2 and copy in copies  # the old copy is kept
    (new,) = [p for p in copies if p != copy]
    assert fields_of(book / "sources.bib", "page")["archive"] == f"archive/{new.name}"
    assert (book / "sources.bib").read_text(encoding="utf-8").count("archive-sha256") == 1


def test_only_the_keys_asked_for(site, tmp_path, capsys) -> None:
    book = write_book(tmp_path / "book", "".join(
        f"@online{{{key}, title = {{T}}, year = {{2026}}, url = {{{site.url('/page?' + key)}}}}}\n"
        for key in ("one", "two", "three")))
    into = tmp_path / "elsewhere"
    assert main(["sources", "archive", str(book), "--only", "two", "--only", "THREE",
                 "--into", str(into)]) == 0
    assert capsys.readouterr().out == "2 captured, 0 failed\n"
    assert sorted(p.name.split("-")[0] for p in into.iterdir()) == ["three", "two"]
    assert "archive" not in fields_of(book / "sources.bib", "one")
    assert fields_of(book / "sources.bib", "two")["archive"].startswith("../elsewhere/two-")

    assert main(["sources", "archive", str(book), "--only", "nosuch"]) == 2
    assert "no entry with key 'nosuch' in sources.bib" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys) -> None:
    assert main(["sources", "archive", str(tmp_path)]) == 2
    assert "no conf/conf.py under" in capsys.readouterr().err
    book = write_book(tmp_path / "book", "")
    (book / "conf" / "conf.py").write_text("project = 'no bibliography'\n")
    assert main(["sources", "verify", str(book)]) == 2
    assert "no bib file" in capsys.readouterr().err
    (book / "conf" / "conf.py").write_text("bibtex_bibfiles = ['../sources.bib']\n")
    (book / "sources.bib").write_text("@misc{a, title = {unclosed}\n@misc{b, title = {B}}\n")
    assert main(["sources", "links", str(book)]) == 2
    err = capsys.readouterr().err
    assert "sources.bib cannot be read" in err and "BB407" in err
    assert main(["sources"]) == 2


def test_size_cap_and_deadline(site) -> None:
    with pytest.raises(CaptureError, match=r"^larger than 1,000 bytes$"):
        capture(site.url("/big"), timeout=2, max_bytes=1000)
    started = time.monotonic()
    with pytest.raises(CaptureError, match=r"^no complete answer within 0\.6 s$"):
        capture(site.url("/trickle"), timeout=0.5, deadline=0.6)  # each read is quick
    assert time.monotonic() - started < 1.5


def test_an_interruption_ends_the_fetches_under_way(site) -> None:
    failures: list[str] = []

    def slow() -> None:
        try:
            capture(site.url("/hang?interrupted"), timeout=10)
        except CaptureError as error:
            failures.append(error.reason)

    worker = threading.Thread(target=slow)
    started = time.monotonic()
    worker.start()
    deadline = started + 2
    while "/hang?interrupted" not in site.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    abort_fetches()
    worker.join(timeout=2)
    assert failures == ["interrupted"]
    assert time.monotonic() - started < 1.5


# --- verify --------------------------------------------------------------------------------


def fabricated(url: str = "https://example.org/statement") -> Capture:
    """A capture made without a network, for copies on disk."""
    hop = Hop(url, 200, "OK", "HTTP/1.1",
              (("Content-Type", "text/html"), ("Content-Length", str(len(PAGE)))),
              b"GET /statement HTTP/1.1\r\nHost: example.org\r\n\r\n", PAGE, True, "192.0.2.1")
    return Capture(url, (hop,), dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC))


def test_verify_reports_each_problem_at_its_line(tmp_path, capsys) -> None:
    book = tmp_path / "book"
    archive = book / "archive"
    good = write_warc(fabricated(), archive, "good")
    sha = hashlib.sha256(good.read_bytes()).hexdigest()
    changed = bytearray(good.read_bytes())
    changed[len(changed) // 2] ^= 0x01
    (archive / "changed.warc.gz").write_bytes(bytes(changed))
    (archive / "garbage.warc.gz").write_bytes(b"not a WARC file\n")
    with (archive / "empty.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record("empty.warc.gz", {"software": "test"}))

    def entry(key: str, file: str | None, date: str | None = "2026-11-30T12:00:00Z",
              digest: str | None = None) -> str:
        lines = [f"@online{{{key},", "  title = {T},", "  year = {2026},",
                 "  url = {https://example.org/statement},"]
        if file is not None:
            lines.append(f"  archive = {{{file}}},")
        if date is not None:
            lines.append(f"  archive-date = {{{date}}},")
        if digest is not None:
            lines.append(f"  archive-sha256 = {{{digest}}},")
        return "\n".join([*lines, "}", ""])

    def digest_of(name: str) -> str:
        return hashlib.sha256((archive / name).read_bytes()).hexdigest()

    bib = "\n".join([
        entry("good", f"archive/{good.name}", digest=sha),
        entry("changed", "archive/changed.warc.gz", digest=sha),
        entry("gone", "archive/none.warc.gz", digest=sha),
        entry("nofolder", "elsewhere/copy.warc.gz", digest=sha),
        entry("garbage", "archive/garbage.warc.gz", digest=digest_of("garbage.warc.gz")),
        entry("empty", "archive/empty.warc.gz", digest=digest_of("empty.warc.gz")),
        entry("badhash", f"archive/{good.name}", digest="xyz"),
        entry("baddate", f"archive/{good.name}", date="yesterday", digest=sha),
        entry("nohash", f"archive/{good.name}"),
        "@online{plain, title = {No copy}, year = {2026}}\n",
    ])
    write_book(book, bib)

    def at(key: str, name: str) -> int:
        return bib[: bib.index(name, bib.index("{" + key + ","))].count("\n") + 1

    expected = {
        (at("changed", "archive-sha256"), "BB414"),
        (at("gone", "archive ="), "BB412"),
        (at("nofolder", "archive ="), "BB412"),
        (at("garbage", "archive ="), "BB413"),
        (at("empty", "archive ="), "BB413"),
        (at("badhash", "archive-sha256"), "BB411"),
        (at("baddate", "archive-date"), "BB410"),
        (at("nohash", "archive ="), "BB411"),
    }
    problems = verify(book / "sources.bib", "sources.bib")
    found = {(p.line, p.code) for p in problems}
    # A flipped byte may also make the gzip stream unreadable: that is BB413 as well.
    assert found - {(at("changed", "archive ="), "BB413")} == expected
    assert all(p.path == "sources.bib" for p in problems)
    messages = {p.code + " " + p.message for p in problems}
    assert "BB412 entry 'nofolder': the archive folder 'elsewhere' does not exist " \
           "(it should hold the preserved copy elsewhere/copy.warc.gz)" in messages
    assert "BB412 entry 'gone': the preserved copy archive/none.warc.gz is missing" in messages
    assert "BB413 entry 'empty': the preserved copy archive/empty.warc.gz holds no response " \
           "record" in messages
    assert any(m.startswith("BB413 entry 'garbage': the preserved copy archive/garbage.warc.gz "
                            "is not a readable WARC file (ArchiveLoadFailed: ") for m in messages)
    assert any(m.startswith("BB414 entry 'changed': the preserved copy archive/changed.warc.gz "
                            "changed since capture") for m in messages)

    assert main(["sources", "verify", str(book)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"sources.bib:{at('changed', 'archive-sha256')}: BB414 entry 'changed': the preserved " \
           "copy archive/changed.warc.gz changed since capture" in "\n".join(out)
    assert out[-1] == f"9 preserved copies verified, {len(problems)} problems"


def test_verify_of_an_unreadable_bib_file_is_a_problem_not_a_traceback(tmp_path) -> None:
    bib = tmp_path / "sources.bib"
    bib.write_text("@misc{a, title = {x}}\n@misc{b, title = {unclosed}\n", encoding="utf-8")
    (problem,) = verify(bib)
    assert (problem.path, problem.code) == (str(bib), "BB407")
    bib.write_bytes(b"@misc{a, title = {caf\xe9}}\n")
    assert [p.code for p in verify(bib)] == ["BB406"]
