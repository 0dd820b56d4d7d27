"""Faults from outside: servers that cut their answers short or trickle them, preserved
copies tampered with or truncated, pages that are not UTF-8, readers that close the pipe,
articles and page lines far longer than usual.

What a user must see in each case: a clear error naming the file (or address) and, where
it applies, the entry and the line; nothing written or published from the bad input; the
build and ``briefbook check`` saying the same thing; no traceback anywhere.  Every server
is started here, on 127.0.0.1, and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

import briefbook
from briefbook.check.run import run_check
from briefbook.cli import main as briefbook_main
from conftest import ROOTS
from loopback import Site, serve

SOURCE_PATH = str(Path(briefbook.__file__).resolve().parents[1])


# --- servers on 127.0.0.1 ----------------------------------------------------------------------


@contextlib.contextmanager
def raw_server(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A server that reads a request and runs ``answer`` on the connection (then closes
    it): for answers no HTTP library would send.  Yields the address of ``/article``."""
    stopping = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    workers: list[threading.Thread] = []

    def serve_one(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(5)
            conn.recv(65536)
            answer(conn, stopping)

    def accept() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=serve_one, args=(conn,), daemon=True)
            worker.start()
            workers.append(worker)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/article"
    finally:
        stopping.set()
        acceptor.join(timeout=5)
        listener.close()
        for worker in workers:
            worker.join(timeout=5)


ARTICLE = b"Allies agree new package\n\nBy Jane Roe\n\nThe allies agreed today on more aid."


def cut_short(conn: socket.socket, stopping: threading.Event) -> None:
    """Content-Length 5000, 24 bytes, then the connection closes."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 b"Content-Length: 5000\r\n\r\n" + ARTICLE[:24])


def chunk_cut(conn: socket.socket, stopping: threading.Event) -> None:
    """A chunked body whose second chunk announces 256 bytes and sends 3."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n"
                 + f"{len(ARTICLE):x}\r\n".encode() + ARTICLE + b"\r\n100\r\nabc")


def trickle(conn: socket.socket, stopping: threading.Event) -> None:
    """A whole article, one byte every 0.25 s: every read is quick, the whole is not.
    Bounded (the server gives up after 15 s), so that a client without a deadline fails
    its test instead of hanging it."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 + f"Content-Length: {len(ARTICLE)}\r\n\r\n".encode())
    for byte in ARTICLE[:60]:
        if stopping.wait(0.25):
            return
        conn.sendall(bytes([byte]))


# --- books ----------------------------------------------------------------------------------------


def small_book(dest: Path) -> Path:
    """A copy of ``tests/roots/test-incremental`` (conf.py at its root, refs.bib)."""
    shutil.copytree(ROOTS / "test-incremental", dest)
    return dest


def cite_preserved_source(book: Path, url: str) -> None:
    """Add an entry for ``url`` to the book's bibliography, cited on a page."""
    with (book / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{statement2025,\n  author = {{Example Ministry}},\n"
                  "  title = {Statement on the talks},\n  year = {2025},\n"
                  f"  url = {{{url}}},\n}}\n")
    page = book / "a1.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nThe ministry spoke too {cite:p}`statement2025`.\n", encoding="utf-8")


def bib_field(book: Path, name: str) -> str:
    match = re.search(rf"^\s*{name}\s*=\s*\{{(.*)\}},?\s*$", (book / "refs.bib").read_text(),
                      re.MULTILINE)
    return match.group(1) if match else ""


def build(book: Path) -> subprocess.CompletedProcess[str]:
    """``briefbook build --format html`` as an editor runs it (strict; publishes on
    success), in a process of its own."""
    return run_briefbook("build", "--format", "html", str(book))


def run_briefbook(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SOURCE_PATH + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-c", "import sys; from briefbook.cli import main; "
                           "sys.exit(main())", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False, input=stdin)


def no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output
        assert "Exception ignored" not in output, output


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


# --- 2. an answer cut short --------------------------------------------------------------------


@pytest.mark.parametrize("answer", [cut_short, chunk_cut], ids=["content-length", "chunked"])
def test_ingest_refuses_an_answer_cut_short(tmp_path: Path, answer: Callable[..., None],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOTS / "test-incremental" / "entities", tmp_path / "entities")
    (tmp_path / "sources.bib").write_text("", encoding="utf-8")
    with raw_server(answer) as url:
        code = briefbook_main(["ingest", url, "--out", str(tmp_path / "out"), "--registry",
                               str(tmp_path / "entities"), "--bib", str(tmp_path / "sources.bib"),
                               "--recogniser", "rules"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{url}: could not be fetched: the server closed the connection" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert (tmp_path / "sources.bib").read_text(encoding="utf-8") == ""
    no_traceback(err)


@pytest.mark.parametrize("answer", [cut_short, chunk_cut], ids=["content-length", "chunked"])
def test_archive_refuses_an_answer_cut_short(tmp_path: Path, answer: Callable[..., None],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    book = small_book(tmp_path / "book")
    with raw_server(answer) as url:
        cite_preserved_source(book, url)
        before = (book / "refs.bib").read_bytes()
        code = briefbook_main(["sources", "archive", str(book)])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"refs\.bib:\d+: statement2025: the server closed the connection", out), out
    assert "0 captured, 1 failed" in out
    assert (book / "refs.bib").read_bytes() == before  # nothing recorded
    assert not list(book.glob("archive/*"))  # no preserved copy, no temporary file
    no_traceback(out)


# --- 3. deadlines -------------------------------------------------------------------------------


def test_ingest_gives_up_on_a_trickling_server_at_its_deadline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefbook.ingest import web

    assert web.DEADLINE == 30.0  # the default a trickle meets without --fetch-deadline
    with raw_server(trickle) as url:
        started = time.monotonic()
        code = briefbook_main(["ingest", url, "--out", str(tmp_path / "out"), "--dry-run",
                               "--registry", str(ROOTS / "test-incremental" / "entities"),
                               "--recogniser", "rules", "--fetch-deadline", "1"])
        elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 1
    assert f"{url}: could not be fetched: no complete answer within 1.0 s" in err
    assert elapsed < 8, elapsed  # the trickle alone would take 15 s
    no_traceback(err)


def test_archive_deadline_is_for_the_whole_answer(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    book = small_book(tmp_path / "book")
    with raw_server(trickle) as url:
        cite_preserved_source(book, url)
        started = time.monotonic()
        # Each read comes well within the 5 s time-out; the whole does not within 1 s.
        code = briefbook_main(["sources", "archive", str(book), "--timeout", "5",
                               "--deadline", "1"])
        elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert code == 1
    assert "statement2025: no complete answer within 1.0 s" in out
    assert elapsed < 8, elapsed
    assert not list(book.glob("archive/*"))


# --- 1. preserved copies and the site --------------------------------------------------------------


@pytest.fixture
def archived_book(tmp_path: Path, site: Site) -> tuple[Path, Path]:
    """A book whose cited source is preserved (captured from the loopback site) and
    published once; the book and its preserved copy."""
    book = small_book(tmp_path / "book")
    cite_preserved_source(book, site.url("/page"))
    assert briefbook_main(["sources", "archive", str(book)]) == 0
    copy = book / bib_field(book, "archive")
    assert copy.is_file()
    result = build(book)
    assert result.returncode == 0, result.stderr
    assert (book / "_build" / "html" / "_archive" / copy.name).read_bytes() == copy.read_bytes()
    return book, copy


def test_build_never_publishes_a_tampered_copy(archived_book: tuple[Path, Path]) -> None:
    book, copy = archived_book
    good = copy.read_bytes()
    published = book / "_build" / "html" / "_archive" / copy.name
    staged = book / "_build" / ".staging" / "html" / "_archive" / copy.name
    captured_at = copy.stat().st_mtime_ns
    # One byte changed, the size and the time kept: nothing but the content differs.
    tampered = bytearray(good)
    tampered[len(tampered) // 2] ^= 0xFF
    copy.write_bytes(bytes(tampered))
    os.utime(copy, ns=(captured_at, captured_at))

    result = build(book)
    assert result.returncode == 1
    warning = next(line for line in result.stderr.splitlines() if "BB414" in line)
    assert "refs.bib:" in warning and "entry 'statement2025'" in warning
    assert copy.name in warning and "changed since capture" in warning
    assert published.read_bytes() == good  # the site stays the last good build
    assert not staged.exists()  # and the failed build did not copy the tampered file
    no_traceback(result.stderr)

    # Restored with its old time, the good copy is published again (by content).
    copy.write_bytes(good)
    os.utime(copy, ns=(captured_at, captured_at))
    result = build(book)
    assert result.returncode == 0, result.stderr
    assert published.read_bytes() == good
    assert hashlib.sha256(published.read_bytes()).hexdigest() == bib_field(book, "archive-sha256")


def test_a_truncated_copy_is_an_error_everywhere_and_no_change_of_the_page(
        archived_book: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    book, copy = archived_book
    copy.write_bytes(copy.read_bytes()[:-40])  # the end of the last record lost

    assert briefbook_main(["sources", "verify", str(book)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"refs\.bib:\d+: BB413 entry 'statement2025': the preserved copy "
                     rf"archive/{re.escape(copy.name)} is truncated", out), out

    codes = {(f.code, f.severity) for f in run_check(book) if f.path == "refs.bib"}
    assert {("BB413", "error"), ("BB414", "error")} <= codes

    # The live page is the one captured: a damaged copy is not a change of the page.
    assert briefbook_main(["sources", "links", str(book), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    entry = next(r for r in report if r["key"] == "statement2025")
    assert entry["changed"] != "changed"
    assert "BB414" in entry["changed"]

    result = build(book)
    assert result.returncode == 1
    assert "BB414" in result.stderr and "statement2025" in result.stderr
    no_traceback(result.stderr)


# --- 9. BB412's advice works --------------------------------------------------------------------------


def test_archive_captures_again_an_entry_whose_copy_is_missing(
        archived_book: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    book, copy = archived_book
    copy.unlink()
    capsys.readouterr()
    assert briefbook_main(["sources", "verify", str(book)]) == 1
    assert "BB412" in capsys.readouterr().out
    # What BB412 advises, as it says it:
    assert briefbook_main(["sources", "archive", str(book)]) == 0
    assert "1 captured" in capsys.readouterr().out
    assert (book / bib_field(book, "archive")).is_file()
    assert briefbook_main(["sources", "verify", str(book)]) == 0


# --- 6. a reader that leaves ------------------------------------------------------------------------


def closed_pipe(*args: str) -> tuple[int, str]:
    """Run ``briefbook ARGS`` with its stdout closed at the reading end before it writes
    (``| head -1`` that has already read its line); exit code and stderr."""
    env = {**os.environ, "PYTHONPATH": SOURCE_PATH + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from briefbook.cli import main; "
                             "sys.exit(main())", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    try:
        err = proc.stderr.read().decode("utf-8", "replace")
        return proc.wait(timeout=120), err
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def pipe_book(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Path:
    book = small_book(tmp_path_factory.mktemp("pipe") / "book")
    cite_preserved_source(book, site.url("/page"))
    people = book / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "- id: charles-babbage\n", "- id: charles-babbage\n  unreviewed: true\n"), encoding="utf-8")
    (book / "article.txt").write_bytes(ARTICLE)
    return book


@pytest.mark.parametrize("command", [
    ("sources", "links", "{book}", "--format", "json"),
    ("check", "--format", "json", "{book}"),
    ("review", "--list", "--json", "{book}"),
    ("ingest", "--dry-run", "--json", "--recogniser", "rules", "--registry", "{book}/entities",
     "{book}/article.txt"),
], ids=["links", "check", "review", "ingest"])
def test_a_closed_pipe_ends_the_command_quietly(pipe_book: Path, command: tuple[str, ...]) -> None:
    code, err = closed_pipe(*(part.format(book=pipe_book) for part in command))
    assert code == 141, err
    assert "BrokenPipeError" not in err
    no_traceback(err)


# --- 8. the incremental search index ---------------------------------------------------------------------


def sphinx_build(src: Path, out: Path, fresh: bool) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=src, builddir=out, freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_an_incremental_build_indexes_every_page_as_a_fresh_one(tmp_path: Path) -> None:
    book = small_book(tmp_path / "book")
    page = book / "a2.md"
    # An index entry the glossary has too: its pages must come in one order, whichever
    # of them is written again.
    page.write_text(page.read_text(encoding="utf-8") + "\n```{index} Ada Lovelace\n```\n",
                    encoding="utf-8")
    first = sphinx_build(book, tmp_path / "build", fresh=True)
    index = first.outdir / "searchindex.js"
    assert '"indexentries":{}' not in index.read_text(encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence about gears.\n",
                    encoding="utf-8")
    again = sphinx_build(book, tmp_path / "build", fresh=False)
    fresh = sphinx_build(book, tmp_path / "fresh", fresh=True)
    assert (again.outdir / "searchindex.js").read_text(encoding="utf-8") == \
        (fresh.outdir / "searchindex.js").read_text(encoding="utf-8")


# --- 5. pages that are not UTF-8 ---------------------------------------------------------------------------


UNDECODABLE = {
    "latin-1": ("# Café\n\nLe café est servi.\n".encode("latin-1"), 1, "byte 0xe9 at line 1"),
    "utf-16": ("# Page\n\nText.\n".encode("utf-16"), 1, "UTF-16"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)), 1,
               "binary file"),
}


@pytest.mark.parametrize("kind", sorted(UNDECODABLE))
def test_a_page_that_is_not_utf8_is_named_by_the_build_and_check(tmp_path: Path, kind: str) -> None:
    data, line, why = UNDECODABLE[kind]
    book = small_book(tmp_path / "book")
    (book / "foreign.md").write_bytes(data)
    app = sphinx_build(book, tmp_path / "build", fresh=True)  # raised UnicodeDecodeError before
    warnings = app.warning.getvalue()
    assert re.search(rf"foreign\.md:{line}: WARNING: BB508 page is not UTF-8 text \([^)]*{why}",
                     warnings), warnings
    found = [f for f in run_check(book) if f.code == "BB508"]
    assert [(f.path, f.line, f.severity) for f in found] == [("foreign.md", line, "error")]
    assert why in found[0].message


def test_strict_build_of_an_undecodable_page_fails_without_a_traceback(tmp_path: Path) -> None:
    book = small_book(tmp_path / "book")
    (book / "foreign.md").write_bytes(UNDECODABLE["latin-1"][0])
    result = build(book)
    assert result.returncode == 1
    assert "foreign.md:1: WARNING: BB508 page is not UTF-8 text" in result.stderr
    no_traceback(result.stdout, result.stderr)


# --- 7. check and the build agree ------------------------------------------------------------------------


def retracted_under_a_claim(dest: Path) -> Path:
    """A book with a claim resting on a retracted source and one that stands (BB417)."""
    book = small_book(dest)
    with (book / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{wire2025,\n  author = {{Example Wire}},\n  title = {Convoy},\n"
                  "  year = {2025},\n  reliability = {B},\n}\n"
                  "\n@misc{tabloid2025,\n  author = {{Daily Example}},\n  title = {Convoy seen},\n"
                  "  year = {2025},\n  reliability = {E},\n  status = {retracted},\n"
                  "  status-date = {2025-03-02},\n  status-reason = {The story was withdrawn},\n}\n")
    page = book / "a1.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n```{claim}\n:likelihood: likely\n"
                    ":confidence: low\n:sources: wire2025, tabloid2025\n\nTroops moved.\n```\n",
                    encoding="utf-8")
    # What only check reports (an entity nobody mentions) is not the point here.
    with (book / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('briefbook_check_ignore = ["BB311"]\n')
    return book


def codes_in(stderr: str) -> set[str]:
    return set(re.findall(r"WARNING: (BB\d{3}) ", stderr))


def test_check_fails_where_the_build_fails(tmp_path: Path) -> None:
    book = retracted_under_a_claim(tmp_path / "book")
    result = build(book)
    assert result.returncode == 1
    assert codes_in(result.stderr) == {"BB417"}
    findings = run_check(book)
    assert {(f.code, f.severity) for f in findings} == {("BB417", "error")}
    assert briefbook_main(["check", str(book)]) == 1


@pytest.mark.parametrize("silence", ["comment", "config"])
def test_silencing_a_code_silences_it_in_check_and_build(tmp_path: Path, silence: str) -> None:
    book = retracted_under_a_claim(tmp_path / "book")
    if silence == "comment":
        page = book / "a1.md"
        page.write_text(page.read_text(encoding="utf-8").replace(
            "\n```{claim}\n", "\n% briefbook-ignore: BB417\n```{claim}\n"), encoding="utf-8")
    else:
        conf = book / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8").replace(
            '["BB311"]', '["BB311", "BB417"]'), encoding="utf-8")
    assert run_check(book) == []
    result = build(book)
    assert result.returncode == 0, result.stderr
    assert "BB417" not in result.stderr


def test_every_code_the_build_reports_is_an_error_for_check(tmp_path: Path) -> None:
    """The sources test book stops a strict build on BB415–BB418: check must fail on
    each of them too, not only list some as warnings."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-sources", book)
    (book / "refs.bib").write_text((book / "refs.bib").read_text(encoding="utf-8").replace(
        "  archive       = {archive/archived2025.warc.gz},\n"
        "  archive-date  = {2025-03-01T09:30:00Z},\n  archive-sha256 = {SHA256},\n", ""),
        encoding="utf-8")
    result = build(book)
    built = codes_in(result.stderr)
    assert result.returncode == 1 and built >= {"BB415", "BB416", "BB417", "BB418"}
    checked = {f.code: f.severity for f in run_check(book)}
    assert {code: checked.get(code) for code in built} == dict.fromkeys(built, "error")


# --- 4. bounded work ----------------------------------------------------------------------------------------


def corpus_text(size: int, one_line: bool = False) -> str:
    """An article of about ``size`` characters: the corpus articles' paragraphs, again and
    again (or all on one line)."""
    pieces = []
    for path in sorted((ROOTS.parent / "corpus").glob("*.txt")):
        pieces.extend(p for p in path.read_text(encoding="utf-8").split("\n\n")[2:] if p.strip())
    body: list[str] = []
    length = 0
    while length < size:
        piece = pieces[len(body) % len(pieces)]
        body.append(" ".join(piece.split()) if one_line else piece)
        length += len(piece) + 2
    return ("A very long article\n\nBy Jane Roe\n\n"
            + (" " if one_line else "\n\n").join(body))[:size]


def best_time(work: Callable[[], object], tries: int = 2) -> float:
    times = []
    for _ in range(tries):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.fixture(scope="module")
def rules_context():
    from briefbook.entities.registry_files import load_registry
    from briefbook.ingest.pipeline import Context

    return Context(load_registry(ROOTS.parent.parent / "conf" / "entities"), backend="rules")


def test_ingest_cost_grows_with_the_text_not_faster(rules_context) -> None:
    from briefbook.ingest.parsing import parse_article
    from briefbook.ingest.pipeline import analyse

    # (A paragraph is at most 200,000 characters: ingest refuses longer lines.)
    small, large = corpus_text(250_000), corpus_text(1_000_000)
    small_time = best_time(lambda: analyse(parse_article(small, "small.txt"), rules_context))
    large_time = best_time(lambda: analyse(parse_article(large, "large.txt"), rules_context))
    # Four times the text: linear work takes about four times as long; the quadratic
    # parts (pull quotes, attribution, overlaps) took 10–30 times.
    assert large_time < 7 * max(small_time, 0.05), (small_time, large_time)


def test_statistical_model_reads_a_bounded_text_and_says_so() -> None:
    from briefbook.ingest import recognition

    try:
        recogniser = recognition.load("spacy")
    except recognition.RecogniserError:  # pragma: no cover - the pinned model is installed
        pytest.fail("the pinned spaCy model is not installed")
    paragraphs = [corpus_text(100_000)] * 11  # 1.1 million characters
    started = time.perf_counter()
    reading = recogniser.read(paragraphs)
    assert time.perf_counter() - started < 30
    assert len(reading.notes) == 1
    assert "1,100,000 characters" in reading.notes[0]
    assert "found by the rules alone" in reading.notes[0]


def long_line_book(dest: Path, size: int) -> Path:
    book = small_book(dest)
    text = corpus_text(size, one_line=True)
    text = re.sub(r"[*`{}<>_\[\]#|\\]", " ", text.split("\n\n", 2)[2])
    (book / "long.md").write_text(f"# A long line\n\n{text} Ada Lovelace wrote from London.\n",
                                  encoding="utf-8")
    index = book / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("a2\n", "a2\nlong\n"),
                     encoding="utf-8")
    return book


def test_check_of_a_long_line_costs_a_few_builds(tmp_path: Path) -> None:
    small = long_line_book(tmp_path / "small", 100_000)
    large = long_line_book(tmp_path / "large", 400_000)
    check_small = best_time(lambda: run_check(small), tries=1)
    check_large = best_time(lambda: run_check(large), tries=1)
    build_large = best_time(lambda: sphinx_build(large, tmp_path / "build", fresh=True), tries=1)
    assert any(f.code == "BB103" and f.path == "long.md" for f in run_check(large))
    assert check_large < 7 * max(check_small, 0.5), (check_small, check_large)
    assert check_large < 5 * max(build_large, 0.5), (build_large, check_large)
