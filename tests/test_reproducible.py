"""Builds are deterministic: the same sources give the same bytes, whoever builds them.

Editors diff published sites and archive PDFs; a file that changes on every build (a
timestamp, a random id, an order that depends on the process, the folder the book sits
in) hides the real changes. So each build here runs in a process of its own, as a user
runs it, and the two builds compared differ in everything that must not matter: the
hash seed (``PYTHONHASHSEED``, which orders sets and dicts of strings), one process or
two (``-j 1``, ``-j 2``), and the folder the copy of the book sits in (the registry and
the bibliography are found relative to it). Every output file is compared byte for byte,
``.buildinfo`` included; only Sphinx's pickled environment (``.doctrees``), which is a
cache and not output, is left out.

The full edition and a released one are each built twice into the same folder, the second
time over the first, and again in the other copy: all three must be the same bytes; and
an incremental build after an edit must publish what a fresh build of the edited book does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import runpy
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, ROOTS, SAMPLE_EPOCH, BuildResult

pytestmark = pytest.mark.xdist_group("reproducible")  # its module fixtures build once

#: The two ways a book is built here (the second also imports briefbook from another
#: folder: see ``ways``): what differs between them must not show in what they build.
FIRST = {"PYTHONHASHSEED": "1", "jobs": "1"}
SECOND = {"PYTHONHASHSEED": "4242", "jobs": "2"}


@dataclass
class Copy:
    """One copy of a book: where Sphinx reads its pages and its configuration."""

    root: Path
    srcdir: Path
    confdir: Path


def sample_copy_at(folder: Path) -> Copy:
    """The sample book (docs, conf, sources.bib), copied to ``folder``."""
    for name in ("docs", "conf"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("_build"))
    shutil.copy2(REPO / "sources.bib", folder / "sources.bib")
    return Copy(folder, folder / "docs", folder / "conf")


def editions_copy_at(folder: Path) -> Copy:
    """The editions test book (something withheld at every TLP level), copied to ``folder``."""
    shutil.copytree(ROOTS / "test-editions", folder)
    return Copy(folder, folder, folder)


def build(book: Copy, outdir: Path, way: dict[str, str], builder: str = "html",
          *options: str, env: dict[str, str] | None = None) -> BuildResult:
    """``python -m sphinx`` in a process of its own, from the book's folder, with ``way``'s
    hash seed, jobs and (for the second way) installation of briefbook."""
    mode = ["-M", builder] if builder == "latexpdf" else ["-b", builder]
    cmd = [sys.executable, "-m", "sphinx", *mode, str(book.srcdir), str(outdir),
           "-c", str(book.confdir), "-W", "--keep-going", "-n", "-j", way["jobs"], *options]
    full_env = {**os.environ, **(env or {}), "PYTHONHASHSEED": way["PYTHONHASHSEED"],
                "PYTHONPATH": way["PYTHONPATH"]}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, check=False,
                          timeout=600, cwd=book.root)
    result = BuildResult(outdir, proc.returncode, proc.stdout, proc.stderr)
    assert result.returncode == 0, result.stderr
    assert result.warnings == []
    return result


def imported_from(way: dict[str, str], cwd: Path) -> Path:
    """The folder a build run ``way`` imports briefbook from."""
    code = "import briefbook, pathlib; print(pathlib.Path(briefbook.__file__).parent)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=cwd, env={**os.environ, "PYTHONPATH": way["PYTHONPATH"]})
    return Path(proc.stdout.strip())


@pytest.fixture(scope="module")
def ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """The first way imports briefbook as the tests do; the second from a copy of the
    package in another folder, as from a second clone or virtualenv (the package's own
    folder, where its templates are, must not show in what it builds)."""
    import briefbook

    here = Path(briefbook.__file__).resolve().parent
    site = tmp_path_factory.mktemp("another-installation")
    shutil.copytree(here, site / "briefbook", ignore=shutil.ignore_patterns("__pycache__"))
    # Absolute: the builds run from the book's folder, not from here.
    inherited = [str(Path(p).resolve()) for p in
                 os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    first = {**FIRST, "PYTHONPATH": os.pathsep.join([str(here.parent), *inherited])}
    second = {**SECOND, "PYTHONPATH": os.pathsep.join([str(site), *inherited])}
    assert imported_from(first, site.parent) == here
    assert imported_from(second, site.parent) == site / "briefbook"
    return first, second


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build outputs (hidden ones too), by its path in the output folder;
    not Sphinx's pickled environment, which is a cache rather than output."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".doctrees" not in p.relative_to(outdir).parts}


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """The files only one build has, and those whose bytes differ, named."""
    only_first = [f"only in the first: {name}" for name in sorted(first.keys() - second.keys())]
    only_second = [f"only in the second: {name}" for name in sorted(second.keys() - first.keys())]
    changed = [f"differs: {name}" for name in sorted(first.keys() & second.keys())
               if first[name] != second[name]]
    return only_first + only_second + changed


def assert_same(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    found = differences(first, second)
    assert not found, "the two builds differ:\n" + "\n".join(found)


def search_index(files: dict[str, bytes]) -> dict:
    text = files["searchindex.js"].decode("utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


# --- the sample book, two copies --------------------------------------------------------------


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Copy, Copy]:
    """The sample book twice: at different depths, under different folder names."""
    base = tmp_path_factory.mktemp("reproducible")
    return (sample_copy_at(base / "book"),
            sample_copy_at(base / "elsewhere" / "deeper" / "copy-of-the-book"))


@pytest.fixture(scope="module")
def sample_html(copies: tuple[Copy, Copy], ways) -> tuple[dict[str, bytes], dict[str, bytes]]:
    one, two = copies
    first_way, second_way = ways
    build(one, one.root / "_build" / "html", first_way)
    build(two, two.root / "_build" / "html", second_way)
    return output_files(one.root / "_build" / "html"), output_files(two.root / "_build" / "html")


def test_two_copies_built_two_ways_give_the_same_site(sample_html) -> None:
    first, second = sample_html
    assert_same(first, second)


def test_the_comparison_covers_the_whole_site(sample_html) -> None:
    """What the comparison above saw: a whole site, with every kind of file in it."""
    first, _ = sample_html
    assert len([name for name in first if name.endswith(".html")]) > 10
    for name in (".buildinfo", "objects.inv", "searchindex.js", "genindex.html",
                 "search.html", "_static/briefbook-nav.js"):
        assert name in first, name
    assert len([name for name in first if name.startswith("_static/")]) > 10
    index = search_index(first)
    # The glossary's terms are index entries: a build that lost them (as an incremental
    # one did) would compare equal with another that lost them too.
    assert "vladimir putin" in index["indexentries"], sorted(index["indexentries"])[:20]
    assert index["alltitles"] and index["terms"]


def test_the_build_info_names_no_folder_of_the_book(copies) -> None:
    """The configuration ``.buildinfo`` fingerprints is the book's, not its folder's:
    conf.py gives the registry and the bibliography relative to itself."""
    one, _ = copies
    conf = one.confdir / "conf.py"
    config = runpy.run_path(str(conf), init_globals={"__file__": str(conf)})
    for name in ("bibtex_bibfiles", "briefbook_registry"):
        assert str(one.root) not in str(config[name]), (name, config[name])


def test_pages_carry_no_build_time(sample_html) -> None:
    first, _ = sample_html
    today = dt.datetime.now(dt.UTC).date()
    stamps = {today.isoformat(), today.strftime("%d %B %Y"), today.strftime("%b %d, %Y"),
              today.strftime("%B %d, %Y").replace(" 0", " ")}
    for name, data in first.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert not [s for s in stamps if s in text], name


def test_two_copies_built_two_ways_give_the_same_latex(copies, ways) -> None:
    one, two = copies
    first_way, second_way = ways
    build(one, one.root / "_build" / "latex", first_way, "latex")
    build(two, two.root / "_build" / "latex", second_way, "latex")
    first = output_files(one.root / "_build" / "latex")
    second = output_files(two.root / "_build" / "latex")
    assert "briefing-book.tex" in first
    assert_same(first, second)


@pytest.mark.pdf
def test_two_copies_give_the_same_pdf_with_source_date_epoch(copies, ways) -> None:
    one, two = copies
    first_way, second_way = ways
    epoch = {"SOURCE_DATE_EPOCH": SAMPLE_EPOCH}
    build(one, one.root / "_build" / "pdf", first_way, "latexpdf", env=epoch)
    build(two, two.root / "_build" / "pdf", second_way, "latexpdf", env=epoch)
    first = one.root / "_build" / "pdf" / "latex" / "briefing-book.pdf"
    second = two.root / "_build" / "pdf" / "latex" / "briefing-book.pdf"
    assert first.read_bytes() == second.read_bytes()
    created = PdfReader(str(first)).metadata["/CreationDate"]
    assert created.startswith("D:20241117")


# --- built again over an earlier build, and elsewhere ---------------------------------------


@pytest.fixture(scope="module", params=[("sample", ""), ("sample", "TLP:CLEAR"),
                                        ("editions", "TLP:CLEAR")],
                ids=["sample-full", "sample-clear", "editions-clear"])
def rebuilt(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            ways) -> dict[str, dict[str, bytes]]:
    """A book's full edition or its TLP:CLEAR edition (the sample withholds a TLP:GREEN
    portion; the editions book something at every level): built, built again into the
    same folder with nothing changed, and built in another copy the other way."""
    book, release = request.param
    base = tmp_path_factory.mktemp(f"rebuilt-{book}")
    copy_at = sample_copy_at if book == "sample" else editions_copy_at
    one, two = copy_at(base / "book"), copy_at(base / "other" / "copy")
    level = ("-D", f"briefbook_release={release}") if release else ()
    first_way, second_way = ways
    outdir = one.root / "_build" / "html"
    build(one, outdir, first_way, "html", *level)
    builds = {"first": output_files(outdir)}
    again = build(one, outdir, first_way, "html", *level)
    # The full edition's second build is incremental (it found nothing to read again); a
    # release keeps no environment (it would hold what the release withholds), so its
    # second build is a fresh one over the first's output.
    assert ("loading pickled environment" in again.stdout) == (not release)
    builds["again"] = output_files(outdir)
    build(two, two.root / "_build" / "html", second_way, "html", *level)
    builds["elsewhere"] = output_files(two.root / "_build" / "html")
    return builds


def test_a_build_over_an_earlier_one_is_the_same(rebuilt) -> None:
    assert_same(rebuilt["first"], rebuilt["again"])


def test_a_build_elsewhere_the_other_way_is_the_same(rebuilt) -> None:
    assert_same(rebuilt["first"], rebuilt["elsewhere"])


def test_the_rebuilt_comparison_covers_the_whole_site(rebuilt) -> None:
    files = rebuilt["first"]
    for name in (".buildinfo", "objects.inv", "searchindex.js", "genindex.html", "search.html",
                 "_static/briefbook-nav.js"):
        assert name in files, name
    assert len([name for name in files if name.endswith(".html")]) > 8
    assert search_index(files)["indexentries"]


def test_a_build_over_an_earlier_one_after_an_edit_is_the_fresh_build(
        tmp_path: Path, ways) -> None:
    """An incremental build writes again only the pages the edit touched (here one page,
    not the glossary); what it publishes must still be what a fresh build of the edited
    book publishes."""
    first_way, second_way = ways
    one = editions_copy_at(tmp_path / "book")
    build(one, one.root / "_build" / "html", first_way)
    page = one.srcdir / "b1.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nA later line, naming nobody: zebrafinch.\n", encoding="utf-8")
    two = editions_copy_at(tmp_path / "edited" / "copy")
    shutil.copy2(page, two.srcdir / "b1.md")
    again = build(one, one.root / "_build" / "html", first_way)
    assert "loading pickled environment" in again.stdout
    fresh = build(two, two.root / "_build" / "html", second_way)
    incremental = output_files(again.outdir)
    assert b"zebrafinch" in incremental["searchindex.js"]
    assert_same(incremental, output_files(fresh.outdir))
