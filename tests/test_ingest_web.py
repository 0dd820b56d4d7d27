"""Web pages as input: saved HTML files and http(s) addresses (served from 127.0.0.1).

The fixtures are small pages written for these tests in the shape of a U.S. government
news release and a wiki article (banner, navigation, breadcrumbs, share buttons, footer).
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from briefbook.cli import main
from briefbook.ingest.bibtex import entry_text, make_key
from briefbook.ingest.inputs import expand
from briefbook.ingest.model import Analysis, IngestError
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.publishers import publisher_for_url
from briefbook.ingest.reader import read_article
from briefbook.ingest.web import WebAddress, read_url
from briefbook.ingest.writer import front_matter
from test_ingest_support import ARTICLES, TEST_REGISTRY

RELEASE = ARTICLES / "gov_release.html"
WIKI = ARTICLES / "wiki_page.html"
FURNITURE = ("official website", "Here's how you know", "Skip to", "Share", "Print", "Home",
             "Contact us", "Related", "Search", "RELEASE |", "Jump to content", "From Wikipedia",
             "Retrieved from", "last edited", "[edit]", "Navigation menu")


def _no_furniture(paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        for junk in FURNITURE:
            assert not paragraph.startswith(junk), paragraph


def test_saved_government_release() -> None:
    article = read_article(RELEASE)
    assert article.title == "Austin Hosts South Korean Counterpart for Alliance Talks"
    assert not article.title_supplied
    assert str(article.date) == "2024-11-04"
    assert article.publisher == "U.S. Department of Defense"
    assert article.url.startswith("https://www.defense.gov/News/Releases/")
    assert article.author == ""
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("WASHINGTON — Secretary of Defense Lloyd J. Austin III")
    assert article.pull_quotes == ["Our alliance with the Republic of Korea is ironclad."]
    _no_furniture(article.paragraphs)


def test_saved_wiki_page() -> None:
    article = read_article(WIKI)
    assert article.title == "Kazan Kremlin"
    assert article.publisher == "Wikipedia"
    assert article.url == "https://en.wikipedia.org/wiki/Kazan_Kremlin"
    assert article.paragraphs[0].startswith("The Kazan Kremlin is the chief historic citadel")
    assert "History" in article.paragraphs  # a section heading, without its "[edit]" link
    _no_furniture(article.paragraphs)


def test_html_content_in_a_txt_file_is_read_as_a_page(tmp_path: Path) -> None:
    saved = tmp_path / "saved.txt"
    saved.write_bytes(RELEASE.read_bytes())
    assert read_article(saved).title == "Austin Hosts South Korean Counterpart for Alliance Talks"


def test_page_without_text(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><nav>Home</nav>"
                     "</body></html>")
    with pytest.raises(IngestError, match=r"empty\.html: no article text"):
        read_article(empty)


def test_publisher_from_the_address() -> None:
    assert publisher_for_url("https://www.defense.gov/News/") == "U.S. Department of Defense"
    assert publisher_for_url("https://en.wikipedia.org/wiki/Kazan") == "Wikipedia"
    assert publisher_for_url("https://www.gov.uk/government/news/x") == "GOV.UK"
    assert publisher_for_url("https://blog.example.com/post") == "example.com"


# --- A local web server ----------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        status, kind, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    big = b"<html><body>" + b"<p>word word word.</p>" * 5000 + b"</body></html>"
    _Handler.pages = {
        "/news/release.html": (200, "text/html; charset=utf-8", RELEASE.read_bytes()),
        "/wiki/Kazan_Kremlin": (200, "text/html; charset=utf-8", WIKI.read_bytes()),
        "/plain.txt": (200, "text/plain; charset=utf-8",
                       b"Allies agree new package\n\nBy Jane Roe\n\nThe allies agreed today."),
        "/big.html": (200, "text/html", big),
        "/image.png": (200, "image/png", b"\x89PNG\r\n"),
        "/gone.html": (410, "text/html", b"<html><body>gone</body></html>"),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_url_is_fetched_and_recorded(server: str) -> None:
    url = f"{server}/news/release.html"
    article = read_url(url)
    assert article.path == url
    assert article.url == url  # the address it was read from, not the page's canonical one
    assert article.retrieved == dt.date.today()
    assert article.title == "Austin Hosts South Korean Counterpart for Alliance Talks"
    assert article.publisher == "U.S. Department of Defense"  # the page's site name
    assert str(article.date) == "2024-11-04"


def test_plain_text_url(server: str) -> None:
    article = read_url(f"{server}/plain.txt")
    assert (article.title, article.author) == ("Allies agree new package", "Jane Roe")
    assert article.paragraphs == ["The allies agreed today."]
    assert article.publisher == "127.0.0.1"


@pytest.mark.parametrize(("path", "message"), [
    ("/missing.html", "HTTP 404"), ("/gone.html", "HTTP 410"),
    ("/image.png", "not a web page or text"),
])
def test_url_errors_name_the_address(server: str, path: str, message: str) -> None:
    with pytest.raises(IngestError) as info:
        read_url(server + path)
    assert str(info.value).startswith(server + path + ": ")
    assert message in str(info.value)


def test_size_cap(server: str) -> None:
    with pytest.raises(IngestError, match=r"big\.html: page is (?:larger than|[\d,]+ bytes)"):
        read_url(f"{server}/big.html", max_bytes=10_000)


def test_only_http_and_https() -> None:
    with pytest.raises(IngestError, match=r"^file:///etc/passwd: only http:// and https://"):
        read_url("file:///etc/passwd")


def test_refused_connection_and_time_out() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(IngestError, match=rf"^http://127\.0\.0\.1:{port}/x: could not be fetched"):
        read_url(f"http://127.0.0.1:{port}/x", timeout=2)
    # A server that accepts the connection and never answers: the time-out ends the wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        with pytest.raises(IngestError, match=r"no answer within 0\.3 s|timed out"):
            read_url(url, timeout=0.3)


def test_expand_passes_addresses_through(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.")
    (tmp_path / "b.html").write_bytes(RELEASE.read_bytes())
    (tmp_path / "c.htm").write_bytes(WIKI.read_bytes())
    (tmp_path / "d.pdf").write_bytes(b"%PDF")
    files, problems = expand([str(tmp_path), "https://example.org/news/story.html?x=1",
                              "ftp://example.org/a.txt"])
    assert [p.name for p in files[:3]] == ["a.txt", "b.html", "c.htm"]
    address = files[3]
    assert isinstance(address, WebAddress)
    assert str(address) == "https://example.org/news/story.html?x=1"
    assert (address.name, address.stem) == ("story.html", "story")
    assert problems == ["ftp://example.org/a.txt: only http:// and https:// addresses can be ingested"]


# --- The command, the bibliography and the page -------------------------------------------------

@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(TEST_REGISTRY, tmp_path / "conf" / "entities")
    (tmp_path / "sources.bib").write_text("@misc{existing2024,\n  title = {X},\n}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_json_for_a_url(book: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{server}/news/release.html"
    assert main(["ingest", url, str(WIKI), "--dry-run", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    meta = lines[0]["meta"]
    assert meta["url"] == url and meta["file"] == url
    assert meta["publisher"] == "U.S. Department of Defense"
    assert meta["title"] == "Austin Hosts South Korean Counterpart for Alliance Talks"
    assert {m["id"] for m in lines[0]["mentions"]} >= {"lloyd-austin", "north-korea", "russia"}
    assert lines[1]["meta"]["publisher"] == "Wikipedia"
    assert lines[1]["meta"]["author"] is None


def test_cli_writes_page_and_entry_for_a_url(book: Path, server: str) -> None:
    url = f"{server}/news/release.html"
    assert main(["ingest", url, "--out", "out"]) == 0
    page = next((book / "out").glob("2024-11-04-*.md")).read_text()
    assert "author: U.S. Department of Defense" in page
    assert "Unknown author" not in page
    bib = (book / "sources.bib").read_text()
    entry = bib[bib.index("@misc{usdepartment2024"):]
    assert "author       = {{U.S. Department of Defense}}" in entry
    assert f"url          = {{{url}}}" in entry
    assert f"urldate      = {{{dt.date.today().isoformat()}}}" in entry


def test_cli_url_failure_is_reported_not_raised(book: Path, server: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", f"{server}/missing.html", "ftp://example.org/x", str(RELEASE),
                 "--out", "out"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{server}/missing.html: could not be fetched: HTTP 404" in err
    assert "ftp://example.org/x: only http:// and https://" in err
    assert "Traceback" not in err
    assert len(list((book / "out").glob("*.md"))) == 1


def test_bibliography_and_byline_credit_the_publisher_without_an_author() -> None:
    article = parse_article("From Wikipedia, the free encyclopedia\n\nKazan\n\nKazan is a city.",
                            "kazan.txt")
    assert (article.author, article.publisher) == ("", "Wikipedia")
    key = make_key(article, set())
    assert key == "wikipediand"
    entry = entry_text(article, key)
    assert "author       = {{Wikipedia}}" in entry and "Anonymous" not in entry
    assert "url" not in entry
    matter = front_matter(Analysis(article, [], [], [], key))
    assert "author: Wikipedia" in matter and "Unknown author" not in matter


def test_bibliography_keeps_a_person_and_adds_the_publisher() -> None:
    article = parse_article("Talks end\n\nBy Jim Garamone, DOD News\n\nThe talks ended.", "x.txt")
    article.publisher, article.url = "U.S. Department of Defense", "https://www.defense.gov/x"
    article.date = dt.date(2024, 11, 4)
    entry = entry_text(article, make_key(article, set()))
    assert entry.startswith("@misc{garamone2024,")
    assert "author       = {Garamone, Jim}" in entry
    assert "publisher    = {U.S. Department of Defense}" in entry
    assert "url          = {https://www.defense.gov/x}" in entry
    assert "urldate" not in entry  # not fetched here: no retrieval date to record
