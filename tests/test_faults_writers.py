"""Two commands at once, a kill at any point, a full disk, read-only files (issue 26).

What a team on a shared folder does on a bad day, with real ``briefbook`` processes on
small books: two commands writing one book at once (the second waits, or stops when
told not to wait, and the book ends as if they had run one after the other), an
``ingest --add-candidates`` killed at random points and run again (every page, entry and
stub once), a folder ingest may not write, a disk that fills up under the publish step
or the registry, read-only ``sources.bib`` and registry files.  No output may hold a
traceback.

How the faults are made, since the tests run as root (who may write a ``555`` folder or a
``444`` file): a read-only file is one whose mode has no write bit, which briefbook
honours even for root; a folder that refuses new files is ``tempfile.mkstemp`` raising
``EACCES`` for it (in-process); a full disk is ``tests/faultshim/sitecustomize.py``,
loaded into the real process (and the Sphinx it starts) through ``PYTHONPATH``, failing
every write under chosen paths with ``ENOSPC``.  A process that must be caught mid-run
is paused deterministically: the first ingest of a pair reads an article from a server
on 127.0.0.1 that answers only when the test says so.
"""

from __future__ import annotations

import errno
import http.server
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefbook.book import atomic
from briefbook.cli import main
from briefbook.entities.registry_files import load_registry

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
SHIM = TESTS / "faultshim"
CORPUS = TESTS / "corpus"
RELEASE = TESTS / "articles" / "gov_release.html"
#: Every wait of this module is bounded by this (seconds).
TIMEOUT = 120.0
INGEST = ("--add-candidates", "--recogniser", "rules")
SAMPLE_PAGE = "docs/briefings/2024-11-17-north-korean-troops-in-russia.md"


def environment(**extra: str) -> dict[str, str]:
    """The environment of a ``briefbook`` process: this checkout's sources first."""
    env = dict(os.environ)
    env.pop("BRIEFBOOK_WAIT", None)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    env["NO_COLOR"] = "1"
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def disk_full(full: Sequence[str], spare: Sequence[str] = ()) -> dict[str, str]:
    """The environment of a process for which writing paths matching ``full`` (fnmatch
    patterns of absolute paths) fails with ENOSPC (see ``faultshim/sitecustomize.py``)."""
    base = environment()
    return environment(PYTHONPATH=os.pathsep.join([str(SHIM), base["PYTHONPATH"]]),
                       BRIEFBOOK_FAULT_ENOSPC=os.pathsep.join(full),
                       BRIEFBOOK_FAULT_SPARE=os.pathsep.join(spare))


class Command:
    """A ``briefbook`` process whose output is read as it comes."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.args = args
        self.proc = subprocess.Popen([sys.executable, "-m", "briefbook.cli", *args], cwd=cwd,
                                     env=env or environment(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                        for stream, lines in ((self.proc.stdout, self.out),
                                              (self.proc.stderr, self.err))]
        for reader in self.readers:
            reader.start()

    def _read(self, stream: Any, lines: list[str]) -> None:
        for line in stream:
            with self.changed:
                lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def said(self, text: str, timeout: float = TIMEOUT) -> bool:
        """Whether stderr shows ``text`` before the process ends (or ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not any(text in line for line in self.err):
                if (not any(r.is_alive() for r in self.readers)
                        or time.monotonic() >= deadline):
                    return False
                self.changed.wait(min(0.5, max(0.0, deadline - time.monotonic())))
        return True

    def finish(self, timeout: float = TIMEOUT) -> int:
        code = self.proc.wait(timeout)
        for reader in self.readers:
            reader.join(timeout)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    @property
    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)


@pytest.fixture
def run() -> Iterator[Callable[..., Command]]:
    """Start ``briefbook`` processes; any still running when the test ends is killed."""
    started: list[Command] = []

    def start(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Command:
        command = Command(list(args), cwd, env)
        started.append(command)
        return command

    yield start
    for command in started:
        if command.proc.poll() is None:
            command.proc.kill()
            command.proc.wait(TIMEOUT)


def until(condition: Callable[[], bool], timeout: float = TIMEOUT, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


def no_traceback(*outputs: str) -> None:
    """No traceback, and briefbook's own lines are lines (not 8 KB of a copy's errors)."""
    for text in outputs:
        assert "Traceback" not in text, text
        ours = [line for line in text.splitlines() if line.startswith("briefbook")]
        assert all(len(line) < 600 for line in ours), text[:2000]


# --- books ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty book and the sample book, made once by ``briefbook init`` and copied."""
    root = tmp_path_factory.mktemp("templates")
    assert main(["init", str(root / "empty")]) == 0
    assert main(["init", str(root / "sample"), "--sample"]) == 0
    return {"empty": root / "empty", "sample": root / "sample"}


def new_book(templates: dict[str, Path], folder: Path, kind: str = "empty") -> Path:
    shutil.copytree(templates[kind], folder, symlinks=True)
    return folder


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus's articles in two folders, alternately."""
    root = tmp_path_factory.mktemp("halves")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for number, article in enumerate(sorted(CORPUS.glob("*.txt"))):
        shutil.copy(article, (first if number % 2 == 0 else second) / article.name)
    return first, second


def book_files(book: Path) -> dict[str, bytes]:
    """Every file of a book, by path (what "the same book" means)."""
    return {p.relative_to(book).as_posix(): p.read_bytes() for p in sorted(book.rglob("*"))
            if p.is_file()}


def registry_data(book: Path) -> dict[str, Any]:
    folder = book / "conf" / "entities"
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))}


def stub_ids(book: Path) -> list[str]:
    data = registry_data(book)
    return sorted(entry["id"] for name, entries in data.items() if name != "review.yaml"
                  for entry in entries or [])


def bib_entries(book: Path) -> dict[str, str]:
    """The bibliography's entries: key → the article's content hash."""
    text = (book / "sources.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@misc\{([^,]+),", text, re.MULTILINE)
    hashes = re.findall(r"ingested-content\s*=\s*\{([^}]*)\}", text)
    assert len(keys) == len(set(keys)) == len(hashes), text
    return dict(zip(keys, hashes, strict=True))


def page_sources(book: Path) -> dict[str, str]:
    """Each page of ``docs/briefings``, by name → the content hash of the entry it cites."""
    entries = bib_entries(book)
    cited = {}
    for page in sorted((book / "docs" / "briefings").glob("*.md")):
        key = re.search(r"^source: (\S+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
        assert key is not None and key.group(1) in entries, page
        cited[page.name] = entries[key.group(1)]
    return cited


def leftovers(book: Path) -> list[Path]:
    """Temporary files and journal records a run left in the book."""
    return (list(book.rglob("*.tmp"))
            + [p for p in (book / ".briefbook" / "journal").glob("*") if p.is_file()])


# --- two commands at once -----------------------------------------------------------------


class HeldPage(http.server.ThreadingHTTPServer):
    """An article at ``/held`` on 127.0.0.1, sent only once ``release`` is set (the
    request is noted in ``asked``): a process reading it is paused mid-run."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HeldHandler)
        self.asked = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/held"


class _HeldHandler(http.server.BaseHTTPRequestHandler):
    server: HeldPage

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.asked.set()
        self.server.release.wait(TIMEOUT)
        body = RELEASE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def held_page() -> Iterator[HeldPage]:
    server = HeldPage()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def test_two_ingests_at_once_give_the_book_of_one_after_the_other(
        templates: dict[str, Path], halves: tuple[Path, Path], held_page: HeldPage,
        run: Callable[..., Command], tmp_path: Path) -> None:
    first_half, second_half = halves
    book = new_book(templates, tmp_path / "book")
    first = run("ingest", str(first_half), held_page.url, *INGEST, cwd=book)
    # The first has written its folder's pages and now waits for the held article.
    assert held_page.asked.wait(TIMEOUT), first.stderr
    second = run("ingest", str(second_half), *INGEST, cwd=book)
    waited = second.said(f"waiting for briefbook ingest (pid {first.proc.pid}, started ",
                         timeout=30)
    held_page.release.set()
    assert first.finish() == 0, first.output
    assert second.finish() == 0, second.output
    no_traceback(first.output, second.output)

    reference = new_book(templates, tmp_path / "reference")
    for folder, extra in ((first_half, [held_page.url]), (second_half, [])):
        alone = run("ingest", str(folder), *extra, *INGEST, cwd=reference)
        assert alone.finish() == 0, alone.output
    articles = len(list(CORPUS.glob("*.txt"))) + 1
    assert len(bib_entries(book)) == articles
    assert len(page_sources(book)) == articles
    assert len(set(page_sources(book).values())) == articles  # each page its own entry
    ids = stub_ids(book)
    assert ids and len(ids) == len(set(ids))
    load_registry(book / "conf" / "entities")  # no duplicate id or alias: it loads
    assert book_files(book) == book_files(reference)
    assert waited, second.stderr


def test_two_builds_at_once_publish_one_whole_site(
        templates: dict[str, Path], run: Callable[..., Command], tmp_path: Path) -> None:
    book = new_book(templates, tmp_path / "book", "sample")
    first = run("build", "--format", "html", ".", cwd=book)
    # Sphinx is building (its staging folder exists): the second comes in mid-build.
    assert until(lambda: (book / "_build" / ".staging").exists() or first.proc.poll() is not None)
    second = run("build", "--format", "html", ".", cwd=book)
    assert first.finish() == 0, first.output
    assert second.finish() == 0, second.output
    no_traceback(first.output, second.output)
    assert f"waiting for briefbook build (pid {first.proc.pid}, started " in second.stderr
    site = book / "_build" / "html"
    assert (site / "index.html").is_file()
    assert list(site.glob("_static/**/*.css"))
    pages = [p.relative_to(book / "docs").with_suffix(".html")
             for p in (book / "docs").rglob("*.md")]
    assert pages and all((site / page).is_file() for page in pages), pages


@pytest.mark.pdf
def test_a_second_pdf_stops_at_once_when_told_not_to_wait(
        templates: dict[str, Path], run: Callable[..., Command], tmp_path: Path) -> None:
    from pypdf import PdfReader

    book = new_book(templates, tmp_path / "book", "sample")
    first = run("pdf", ".", SAMPLE_PAGE, cwd=book)
    assert first.said("page(s) (briefings/2024-11-17-north-korean-troops-in-russia) →")
    second = run("pdf", ".", SAMPLE_PAGE, "--wait", "0", cwd=book)
    assert second.finish() == 75, second.output
    assert first.finish() == 0, first.output
    no_traceback(first.output, second.output)
    assert f"is busy: briefbook pdf (pid {first.proc.pid}, started " in second.stderr
    assert "nothing done" in second.stderr
    pdf = book / "_build" / "pdf" / "2024-11-17-north-korean-troops-in-russia.pdf"
    reader = PdfReader(pdf, strict=True)
    assert "North Korean" in "".join(page.extract_text() for page in reader.pages)


def test_a_busy_book_stops_a_command_and_a_killed_holder_frees_it(
        templates: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = new_book(templates, tmp_path / "book", "sample")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path\n"
         "from briefbook.book.lock import book_lock\n"
         "with book_lock(Path(sys.argv[1]), 'briefbook build'):\n"
         "    print('held', flush=True); sys.stdin.read()", str(book)],
        env=environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        before = book_files(book)
        started = time.monotonic()
        assert main(["link", str(book), "--include-unreviewed", "--wait", "0.5"]) == 75
        assert time.monotonic() - started < 10
        err = capsys.readouterr().err
        assert f"is busy: briefbook build (pid {holder.pid}, started " in err
        assert book_files(book) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(TIMEOUT)
    # Killed, it holds nothing: the next command does not wait.
    started = time.monotonic()
    assert main(["link", str(book), "--include-unreviewed", "--wait", "30"]) in (0, 1)
    assert time.monotonic() - started < 25
    assert "busy" not in capsys.readouterr().err


# --- a kill at any point ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus ingested in one uninterrupted run: what every interrupted one must
    come to."""
    book = new_book(templates, tmp_path_factory.mktemp("ingested") / "book")
    command = Command(["ingest", str(CORPUS), *INGEST], book)
    assert command.finish() == 0, command.output
    return book


def pages_written(book: Path) -> int:
    return sum(1 for _ in (book / "docs" / "briefings").glob("*.md"))


@pytest.mark.parametrize("seed", [1, 2, 3, 22])
def test_an_ingest_killed_anywhere_is_completed_by_the_next(
        seed: int, templates: dict[str, Path], ingested: Path,
        run: Callable[..., Command], tmp_path: Path) -> None:
    rng = random.Random(seed)
    total = pages_written(ingested)
    at = rng.randint(1, total)  # killed once this many pages are written, or a little after
    book = new_book(templates, tmp_path / "book")
    killed = run("ingest", str(CORPUS), *INGEST, cwd=book)
    assert until(lambda: pages_written(book) >= at or killed.proc.poll() is not None, step=0.002)
    time.sleep(rng.uniform(0, 0.03))
    killed.proc.send_signal(signal.SIGKILL)
    killed.finish()
    again = run("ingest", str(CORPUS), *INGEST, cwd=book)
    assert again.finish() == 0, f"killed at {at} pages: {again.output}"
    no_traceback(killed.output, again.output)
    assert "already exists" not in again.output
    assert "waiting for" not in again.stderr  # the killed run left no lock behind
    assert page_sources(book) == page_sources(ingested), f"killed at {at} pages"
    assert bib_entries(book) == bib_entries(ingested)
    assert registry_data(book) == registry_data(ingested), f"killed at {at} pages"
    assert not leftovers(book)


def test_a_page_cut_off_after_its_entry_is_written_by_the_next_run(
        templates: dict[str, Path], halves: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Interrupted (Ctrl-C) between the third article's entry and its page's rename."""
    book = new_book(templates, tmp_path / "book")
    monkeypatch.chdir(book)
    commit = atomic.Staged.commit
    pages: list[Path] = []

    def interrupted(self: atomic.Staged) -> None:
        if self.path.suffix == ".md":
            pages.append(self.path)
            if len(pages) == 3:
                raise KeyboardInterrupt
        commit(self)

    monkeypatch.setattr(atomic.Staged, "commit", interrupted)
    assert main(["ingest", str(halves[0]), *INGEST]) == 130
    monkeypatch.setattr(atomic.Staged, "commit", commit)
    cut = pages[2]
    assert not cut.exists() and len(bib_entries(book)) == 3
    assert len(list(cut.parent.glob(f".{cut.name}.*.tmp"))) == 1
    capsys.readouterr()
    assert main(["ingest", str(halves[0]), *INGEST]) == 0
    err = capsys.readouterr().err
    no_traceback(err)
    assert "already exists" not in err
    assert "removed 1 temporary file an interrupted run left:" in err
    assert f"wrote {Path('docs/briefings') / cut.name} (source key " in err
    assert cut.is_file() and not leftovers(book)
    reference = new_book(templates, tmp_path / "reference")
    monkeypatch.chdir(reference)
    assert main(["ingest", str(halves[0]), *INGEST]) == 0
    assert book_files(book) == book_files(reference)


# --- folders and files that cannot be written ---------------------------------------------


def test_an_out_folder_that_refuses_files_changes_nothing(
        templates: dict[str, Path], halves: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """As root a ``555`` folder is writable, so the folder's refusal is simulated:
    ``tempfile.mkstemp`` (how every briefbook write starts) raises EACCES for it."""
    book = new_book(templates, tmp_path / "book")
    out = book / "docs" / "briefings"
    make = tempfile.mkstemp

    def refusing(*args: Any, **kwargs: Any) -> tuple[int, str]:
        folder = kwargs.get("dir")
        if folder is not None and Path(folder).resolve() == out.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return make(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refusing)
    monkeypatch.chdir(book)
    before = book_files(book)
    assert main(["ingest", str(halves[0]), *INGEST]) == 1
    err = capsys.readouterr().err
    assert book_files(book) == before  # not one entry in sources.bib, no stub
    no_traceback(err)
    assert f"not ingested: {Path('docs/briefings')}: Permission denied" in err
    total = len(list(halves[0].glob("*.txt")))
    assert f"stopped there: {total - 1} more articles not ingested" in err


def test_a_read_only_bibliography_is_never_replaced(
        templates: dict[str, Path], halves: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    book = new_book(templates, tmp_path / "book")
    bib = book / "sources.bib"
    bib.chmod(0o444)
    monkeypatch.chdir(book)
    before = book_files(book)
    assert main(["ingest", str(halves[0]), *INGEST]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert "sources.bib: the file is read-only (make it writable" in err
    assert book_files(book) == before
    assert bib.stat().st_mode & 0o777 == 0o444
    bib.chmod(0o644)
    assert main(["ingest", str(halves[0]), *INGEST]) == 0
    assert len(bib_entries(book)) == len(list(halves[0].glob("*.txt")))


def test_a_read_only_registry_file_adds_no_stub_until_it_is_writable(
        templates: dict[str, Path], halves: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    book = new_book(templates, tmp_path / "book")
    people = book / "conf" / "entities" / "people.yaml"
    people.chmod(0o444)
    monkeypatch.chdir(book)
    registry = registry_data(book)
    assert main(["ingest", str(halves[0]), *INGEST]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert "people.yaml: the file is read-only (make it writable" in err
    assert "(0 added to the registry as unreviewed)" in err
    assert registry_data(book) == registry and people.stat().st_mode & 0o777 == 0o444
    people.chmod(0o644)
    assert main(["ingest", str(halves[0]), *INGEST]) == 0
    assert "completed from an interrupted run:" in capsys.readouterr().err
    reference = new_book(templates, tmp_path / "reference")
    monkeypatch.chdir(reference)
    assert main(["ingest", str(halves[0]), *INGEST]) == 0
    assert registry_data(book) == registry_data(reference)
    assert not leftovers(book)


def test_a_full_disk_under_the_registry_adds_nothing_and_says_so(
        templates: dict[str, Path], halves: tuple[Path, Path], run: Callable[..., Command],
        tmp_path: Path) -> None:
    """The disk fills as the last of the registry's files (review.yaml) is written."""
    book = new_book(templates, tmp_path / "book")
    registry = registry_data(book)
    entities = (book / "conf" / "entities").resolve()
    full = run("ingest", str(halves[0]), *INGEST, cwd=book,
               env=disk_full([f"{entities}/review.yaml", f"{entities}/.review.yaml.*"]))
    assert full.finish() == 1, full.output
    assert registry_data(book) == registry  # not one stub without its proposal
    assert "(0 added to the registry as unreviewed)" in full.stderr
    no_traceback(full.output)
    assert "conf/entities/review.yaml: No space left on device" in full.stderr
    assert len(bib_entries(book)) == len(list(halves[0].glob("*.txt")))
    again = run("ingest", str(halves[0]), *INGEST, cwd=book)
    assert again.finish() == 0, again.output
    added = int(re.search(r"\((\d+) added to the registry", again.stderr).group(1))  # type: ignore[union-attr]
    assert added == len(stub_ids(book)) > 0
    assert not leftovers(book)


def test_a_full_disk_under_the_published_site_keeps_the_old_one(
        templates: dict[str, Path], run: Callable[..., Command], tmp_path: Path) -> None:
    book = new_book(templates, tmp_path / "book", "sample").resolve()
    built = run("build", "--format", "html", ".", cwd=book)
    assert built.finish() == 0, built.output
    site = book_files(book / "_build" / "html")
    full = run("build", "--format", "html", ".", cwd=book,
               env=disk_full([f"{book}/_build/*"], [f"{book}/_build/.staging*"]))
    assert full.finish() == 1, full.output
    no_traceback(full.output)
    assert re.search(rf"^briefbook build: {re.escape(str(book))}/_build/\S+: No space left on "
                     "device", full.stderr, re.MULTILINE), full.stderr
    assert book_files(book / "_build" / "html") == site


def test_a_killed_archive_leaves_nothing_the_next_run_does_not_remove(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from loopback import write_book

    book = write_book(tmp_path / "book", "@misc{offline, title = {T}, year = {2024}}\n")
    archive = book / "archive"
    archive.mkdir()
    partial = archive / ".offline-20240101T000000Z.warc.gz.k3x9_q2a.tmp"
    partial.write_bytes(b"\x1f\x8b" + b"\x00" * 70_000)
    hour_ago = time.time() - 3600
    os.utime(partial, (hour_ago, hour_ago))
    kept = [archive / "notes.tmp", archive / "offline-20240101T000000Z.warc.gz",
            archive / ".notes.k3x9_q2a.tmp"]
    for path in kept:
        path.write_text("mine", encoding="utf-8")
        os.utime(path, (hour_ago, hour_ago))
    assert main(["sources", "archive", str(book)]) == 0
    err = capsys.readouterr().err
    no_traceback(err)
    assert not partial.exists()
    assert f"removed archive/{partial.name}, a partial copy an interrupted run left" in err
    assert all(path.read_text(encoding="utf-8") == "mine" for path in kept)


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """``briefbook ingest --dry-run --json … | head -c 10``: no traceback, no message."""
    proc = subprocess.Popen([sys.executable, "-m", "briefbook.cli", "ingest", "--dry-run",
                             "--json", "--recogniser", "rules", str(CORPUS)], cwd=tmp_path,
                            env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{"meta": {'
    proc.stdout.close()  # the reader goes, with most of the output still to come
    err = proc.stderr.read().decode()
    assert proc.wait(TIMEOUT) == 141  # as a program ended by SIGPIPE
    no_traceback(err)
    assert "pipe" not in err.lower(), err


def test_a_sphinx_run_outliving_a_killed_build_keeps_the_book_locked(tmp_path: Path) -> None:
    """``briefbook build`` hands its lock to the Sphinx process it starts: killed, the
    build leaves that process writing ``_build/.staging``, and no other command may start
    until it ends. (The holder here dies with ``os._exit``, as under SIGKILL: no release.)"""
    from briefbook.book.lock import BookBusyError, book_lock

    book = tmp_path / "book"
    (book / "conf").mkdir(parents=True)
    (book / "conf" / "conf.py").write_text("", encoding="utf-8")
    marker = tmp_path / "child-started"
    child = f"import pathlib, time; pathlib.Path({str(marker)!r}).touch(); time.sleep(4)"
    script = (
        "import os, subprocess, sys, pathlib\n"
        "from briefbook.book.lock import book_lock, held_fds\n"
        f"with book_lock(pathlib.Path({str(book)!r}), 'briefbook build', wait=0):\n"
        f"    subprocess.Popen([sys.executable, '-c', {child!r}], pass_fds=held_fds())\n"
        "    os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script], env=environment(), check=True, timeout=60)
    assert until(marker.exists, timeout=30)
    with pytest.raises(BookBusyError), book_lock(book, "briefbook ingest", wait=0):
        pass
    # Once the orphaned run ends, the book is free again (bounded wait).
    with book_lock(book, "briefbook ingest", wait=20):
        pass


@pytest.mark.parametrize("where", [".staging/html/*", ".staging/doctrees/*"])
def test_a_full_disk_inside_the_build_is_one_line_naming_the_file(
        templates: dict[str, Path], run: Callable[..., Command], tmp_path: Path,
        where: str) -> None:
    """Sphinx reports a write its handlers could not make as a crash (versions, a
    traceback, a log to send upstream); a user is told the file and the reason."""
    book = new_book(templates, tmp_path / "book", "sample").resolve()
    full = run("build", "--format", "html", ".", cwd=book,
               env=disk_full([f"{book}/_build/{where}"]))
    assert full.finish() == 1, full.output
    no_traceback(full.output)
    assert "Traceback" not in full.output and "sphinx-err-" not in full.output, full.output
    assert re.search(rf"^briefbook build: {re.escape(str(book))}/_build/\S+: No space left on "
                     "device$", full.stderr, re.MULTILINE), full.stderr
    assert not (book / "_build" / "html").exists()
