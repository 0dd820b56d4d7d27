"""``briefbook sources links``: status, redirects and changes since capture, from 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from briefbook.cli import main
from loopback import Site, serve, write_book


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def bib_for(site: Site, paths: dict[str, str]) -> str:
    return "".join(f"@online{{{key},\n  title = {{T}},\n  year = {{2026}},\n  url = {{{url}}}\n}}\n\n"
                   for key, url in paths.items())


@pytest.fixture(scope="module")
def book(site, tmp_path_factory):
    """A book whose /page and /changing have preserved copies; /changing then changes."""
    root = tmp_path_factory.mktemp("links") / "book"
    write_book(root, bib_for(site, {
        "page": site.url("/page"), "changing": site.url("/changing"),
        "moved": site.url("/redirect"), "gone": site.url("/missing"), "slow": site.url("/hang"),
        "nocopy": site.url("/page?nocopy"), "down": site.refused_url,
        "typo": "example.org/no-scheme"}))
    assert main(["sources", "archive", str(root), "--only", "page", "changing"]) == 0
    site.version += 1
    return root


def test_json_report(book, site, capsys) -> None:
    capsys.readouterr()
    started = time.monotonic()
    assert main(["sources", "links", str(book), "--timeout", "0.5", "--format", "json"]) == 1
    assert time.monotonic() - started < 2.5  # the hanging server answers after 3 s
    out, err = capsys.readouterr()
    reports = {r["key"]: r for r in json.loads(out)}
    assert [r["key"] for r in json.loads(out)] == sorted(reports)
    assert set(reports["page"]) == {"key", "url", "file", "line", "status", "redirect",
                                    "final_status", "changed", "error", "broken"}
    summary = {key: (r["status"], r["redirect"], r["final_status"], r["changed"], r["error"],
                     r["broken"]) for key, r in reports.items()}
    assert summary == {
        "page": (200, None, 200, "unchanged", None, False),
        "changing": (200, None, 200, "changed", None, False),
        "moved": (301, site.url("/page"), 200, "no copy", None, False),
        "gone": (404, None, 404, None, "HTTP 404 Not Found", True),
        "slow": (None, None, None, None, "timed out after 0.5 s", True),
        "nocopy": (200, None, 200, "no copy", None, False),
        "down": (None, None, None, None, "connection refused", True),
        "typo": (None, None, None, None, "malformed URL (a full http(s) address is expected)", True),
    }
    text = (book / "sources.bib").read_text(encoding="utf-8")
    line = text[: text.index("@online{gone")].count("\n") + 1
    assert (reports["gone"]["file"], reports["gone"]["line"]) == ("sources.bib", line)
    assert "Checking links" in err and "Checking" not in out


def test_human_report(book, site, capsys) -> None:
    capsys.readouterr()
    assert main(["sources", "links", str(book), "--timeout", "0.5"]) == 1
    out, err = capsys.readouterr()
    rows = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    assert rows["moved"].split("│")[1:3] == [" 301    ", f" {site.url('/page')} (200) "]
    assert "│ changed " in rows["changing"] and "│ unchanged " in rows["page"]
    assert "HTTP 404 Not Found" in rows["gone"] and "timed out after 0.5 s" in rows["slow"]
    assert "connection refused" in rows["down"]
    assert list(rows)[:-1] == sorted(list(rows)[:-1])  # by key, then the summary
    assert out.splitlines()[-1] == "8 link(s) checked: 4 answering, 4 broken, 1 changed since capture"
    assert "Checking links" in err


def test_all_links_answering_exit_0(site, tmp_path, capsys) -> None:
    book = write_book(tmp_path / "book", bib_for(site, {"page": site.url("/page"),
                                                        "moved": site.url("/redirect")}))
    assert main(["sources", "links", str(book), "--format", "json", "--jobs", "1"]) == 0
    assert [r["broken"] for r in json.loads(capsys.readouterr().out)] == [False, False]
