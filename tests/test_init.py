"""``briefbook init``: a new book builds at once, and init never overwrites anything.

A new book is the first thing a new user builds, so it must build warning-free as
written (the build stops on any warning), ``briefbook check`` must find nothing, and
``briefbook ingest`` must work inside it with no options. Whatever the user types as a
title lands in Python, Markdown, LaTeX and HTML, so a hostile title is built too. Re-running
init on a book must leave every file as it was. The HTML is built with ``briefbook
build`` as a user builds it; the PDF of a new book is built in ``test_wheel.py``.
"""

from __future__ import annotations

import ast
import os
import runpy
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from briefbook.cli import main
from briefbook.entities.registry_files import load_registry
from briefbook.init import (
    BookValues,
    InitError,
    command_folder,
    latex_text,
    markdown_text,
    plan,
    target_path,
    templates,
)

REPO = Path(__file__).resolve().parent.parent
#: Everything a new book holds (the layout of this repository's sample book).
LAYOUT = [
    ".gitignore", "Makefile", "README.md", "sources.bib", "conf/conf.py",
    "conf/entities/people.yaml", "conf/entities/places.yaml",
    "conf/entities/organizations.yaml", "docs/index.md", "docs/briefings/.gitkeep",
    "docs/glossary/index.md", "docs/glossary/people.md", "docs/glossary/places.md",
    "docs/glossary/organizations.md", "docs/indexes/people.md", "docs/indexes/places.md",
    "docs/timeline.md", "docs/map.md", "docs/references.md", "docs/yardstick.md",
    "docs/affected.md", "docs/what-changed.md",
]
SAMPLE_PAGE = "docs/briefings/2024-11-17-north-korean-troops-in-russia.md"
#: Every character that means something in Python, MyST, LaTeX or HTML, in one title.
HOSTILE_TITLE = 'Ops & "Analysis" <Review> \\ 100% {x} `y` $z #1 ~^_ [l](u) *e* % c'
HOSTILE_AUTHOR = "O'Brien & Co_ \\ Ltd {team}"


def init(*args: str) -> int:
    return main(["init", *args])


def build_html(book: Path, capfd: pytest.CaptureFixture[str]) -> str:
    """``briefbook build --format html`` (-W --keep-going -n); its output, asserted clean."""
    code = main(["build", "--format", "html", str(book)])
    output = capfd.readouterr()
    text = output.out + output.err
    assert code == 0, text[-4000:]
    assert "WARNING" not in text and "ERROR" not in text, text[-4000:]
    assert (book / "_build" / "html" / "index.html").is_file()
    return text


def check_clean(book: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--strict", str(book)])
    out = capfd.readouterr().out
    assert code == 0, out
    assert "No problems found." in out


def snapshot(book: Path) -> dict[str, bytes]:
    return {str(p.relative_to(book)): p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()}


def uncomment_example(path: Path) -> None:
    """Turn the commented example entry at the top of a registry file into a real one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# - id:"))
    body = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines[start:]]
    path.write_text("\n".join([*lines[:start], *body]) + "\n", encoding="utf-8")


# --- what init writes ------------------------------------------------------------------------


def test_init_writes_the_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book), "--title", HOSTILE_TITLE, "--author", HOSTILE_AUTHOR,
                "--marking", "tlp:amber") == 0
    written = sorted(str(p.relative_to(book)) for p in book.rglob("*") if p.is_file())
    assert written == sorted(LAYOUT)
    out = capsys.readouterr().out
    assert f"{len(LAYOUT)} files created, 0 skipped" in out
    assert all(f"created      {name}" in out for name in LAYOUT)
    assert not any(p.name.endswith((".tmp", ".tmpl")) or p.name.startswith("dot-")
                   for p in book.rglob("*"))

    conf = runpy.run_path(str(book / "conf" / "conf.py"))
    assert conf["project"] == conf["html_title"] == HOSTILE_TITLE
    assert conf["author"] == HOSTILE_AUTHOR
    assert conf["copyright"].endswith(f", {HOSTILE_AUTHOR}")
    assert conf["briefbook_marking"] == "TLP:AMBER"  # the canonical spelling
    assert conf["latex_documents"][0][2] == latex_text(HOSTILE_TITLE)
    assert conf["latex_documents"][0][3] == latex_text(HOSTILE_AUTHOR)
    assert "\\textbackslash{}" in conf["latex_documents"][0][2]
    assert conf["html_theme_options"]["logo"]["text"].startswith("Ops &amp; \"Analysis\" &lt;")
    # Relative to conf/ (so two copies of a book build the same bytes), naming the files
    # init wrote.
    assert (book / "conf" / conf["bibtex_bibfiles"][0]).resolve() == (book / "sources.bib").resolve()
    assert (book / "conf" / conf["briefbook_registry"]).resolve() == (book / "conf" / "entities").resolve()
    assert not Path(conf["bibtex_bibfiles"][0]).is_absolute()
    assert not Path(conf["briefbook_registry"]).is_absolute()
    assert set(conf["extensions"]) == {"myst_parser", "sphinx_design", "sphinxcontrib.bibtex",
                                       "briefbook"}

    index = (book / "docs" / "index.md").read_text(encoding="utf-8")
    assert index.startswith(f"# {markdown_text(HOSTILE_TITLE)}\n")
    for directive in ("```{edition}", "```{latest-briefings}", ":glob:", "briefings/*",
                      ":caption: Reference"):
        assert directive in index
    makefile = (book / "Makefile").read_text(encoding="utf-8")
    assert "RELEASES        ?= TLP:AMBER" in makefile
    assert "briefbook build --format all" in makefile.replace("$(BRIEFBOOK)", "briefbook")
    readme = (book / "README.md").read_text(encoding="utf-8")
    assert "briefbook ingest ARTICLE.txt" in readme and "TLP:AMBER" in readme
    assert (book / "docs" / "briefings" / ".gitkeep").read_bytes() == b""
    assert "_build/" in (book / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert load_registry(book / "conf" / "entities").entities == {}


def make_without_path(book: Path, *targets: str) -> str:
    """``make -C book TARGET`` with only the system's folders on PATH, as a user who ran
    ``.venv/bin/briefbook init`` without activating the environment; its output."""
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    if env.get("PYTHONPATH"):  # the code under test, wherever make runs the command
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve())
                                            for p in env["PYTHONPATH"].split(os.pathsep))
    proc = subprocess.run(["make", "-C", str(book), *targets], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    return f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}"


def test_the_new_book_builds_and_checks_clean(tmp_path: Path,
                                              capfd: pytest.CaptureFixture[str]) -> None:
    """Empty (the briefings glob matches nothing) and with a title full of markup, built
    by its Makefile with no briefbook on PATH: the Makefile calls the briefbook that made
    the book."""
    folder = command_folder()
    assert folder is not None, "run the tests with the project environment's python"
    assert not shutil.which("briefbook", path="/usr/bin:/bin")
    book = tmp_path / "book"
    assert init(str(book), "--title", HOSTILE_TITLE, "--author", HOSTILE_AUTHOR) == 0
    capfd.readouterr()
    output = make_without_path(book, "html")
    assert output.startswith("exit 0\n"), output[-4000:]
    assert f"{folder}/briefbook build --format html" in output
    assert "WARNING" not in output and "ERROR" not in output, output[-4000:]
    # sphinx-autobuild (the [test] and [serve] extras) too; once that folder is gone,
    # the commands on PATH, by name.
    assert f"\n{folder}/sphinx-autobuild -c conf docs" in make_without_path(book, "-n", "serve")
    gone = make_without_path(book, "-n", "serve", "html", "BRIEFBOOK_BIN=/nowhere")
    assert "\nsphinx-autobuild -c conf docs" in gone and "\nbriefbook build" in gone
    assert (book / "_build" / "html" / "index.html").is_file()
    page = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    # The page's heading says exactly what the user typed (escaped once, for HTML).
    assert "<h1>Ops &amp; &quot;Analysis&quot; &lt;Review&gt; \\ 100% {x} `y` $z #1 ~^_ " \
           "[l](u) *e* % c<a" in page
    assert 'logo__title">Ops &amp; "Analysis" &lt;Review&gt;' in page
    assert "No briefings yet." in page
    for name in ("timeline", "map", "references", "yardstick", "affected", "what-changed",
                 "glossary/people", "glossary/places", "glossary/organizations",
                 "indexes/people", "indexes/places"):
        assert (book / "_build" / "html" / f"{name}.html").is_file(), name
    check_clean(book, capfd)


def test_template_names_and_placeholders() -> None:
    assert target_path(PurePosixPath("dot-gitignore")) == PurePosixPath(".gitignore")
    assert target_path(PurePosixPath("docs/briefings/dot-gitkeep")) == PurePosixPath(
        "docs/briefings/.gitkeep")
    assert target_path(PurePosixPath("conf/conf.py.tmpl")) == PurePosixPath("conf/conf.py")
    for item in plan(BookValues(title=HOSTILE_TITLE, author=HOSTILE_AUTHOR), sample=True):
        assert "{{" not in item.text or item.sample, item.path  # every placeholder filled
    conf = next(i for i in plan(BookValues()) if i.path == PurePosixPath("conf/conf.py"))
    ast.parse(conf.text)  # valid Python


def test_escaping_round_trips() -> None:
    """What the user typed is what MyST shows, and what Python reads back."""
    from markdown_it import MarkdownIt

    for text in (HOSTILE_TITLE, "A & B", "&amp; &copy;", "# not a heading #", "<b>x</b>",
                 "{person}`x`", "C:\\path\\", "日本語 · Ελληνικά"):
        tokens = MarkdownIt("commonmark").parseInline(markdown_text(text))
        shown = "".join(child.content for child in tokens[0].children or [])
        assert shown == text
        assert ast.literal_eval(repr(text)) == text


def test_example_registry_entries_are_valid(tmp_path: Path) -> None:
    """Each registry file's commented example is an entry the registry accepts."""
    folder = tmp_path / "entities"
    folder.mkdir()
    skeleton = templates() / "skeleton" / "conf" / "entities"
    for name in ("people.yaml", "places.yaml", "organizations.yaml"):
        (folder / name).write_text((skeleton / name).read_text(encoding="utf-8"))
        uncomment_example(folder / name)
    registry = load_registry(folder)
    assert {e.id for e in registry} == {"jane-doe", "geneva", "world-food-programme"}
    geneva = registry.get("geneva")
    assert geneva is not None and geneva.coordinates == (46.20222, 6.14569)


# --- never overwrite --------------------------------------------------------------------------


def test_init_again_skips_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book)) == 0
    before = snapshot(book)
    capsys.readouterr()
    assert init(str(book), "--title", "Another title") == 0
    out = capsys.readouterr().out
    assert snapshot(book) == before
    assert f"Nothing to do: all {len(LAYOUT)} files of the book are already there" in out
    assert all(f"skipped      {name} (already there" in out for name in LAYOUT)
    assert "created" not in out


def test_existing_files_are_kept_byte_for_byte(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    (book / "docs").mkdir(parents=True)
    mine = "# My own front page\r\n\r\nkept as it is \xe9\n".encode("latin-1")
    (book / "docs" / "index.md").write_bytes(mine)
    (book / "Makefile").symlink_to(tmp_path / "nowhere")  # even a dangling link is kept
    (book / "docs" / "index.md").chmod(0o600)
    assert init(str(book)) == 0
    out = capsys.readouterr().out
    assert (book / "docs" / "index.md").read_bytes() == mine
    assert (book / "docs" / "index.md").stat().st_mode & 0o777 == 0o600
    assert (book / "Makefile").is_symlink() and not (tmp_path / "nowhere").exists()
    assert "skipped      docs/index.md (already there, kept as it is)" in out
    assert "skipped      Makefile (already there" in out
    assert f"{len(LAYOUT) - 2} files created, 2 skipped" in out
    assert (book / "conf" / "conf.py").is_file()


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book), "--dry-run", "--sample") == 0
    out = capsys.readouterr().out
    assert not book.exists()
    assert "dry run, nothing written" in out
    assert f"would create {SAMPLE_PAGE}" in out
    assert f"{len(LAYOUT) + 1} files would be created" in out

    (book / "docs").mkdir(parents=True)
    (book / "docs" / "index.md").write_text("mine\n")
    assert init(str(book), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would skip   docs/index.md" in out
    assert sorted(p.name for p in book.rglob("*")) == ["docs", "index.md"]


# --- the sample --------------------------------------------------------------------------


def test_sample_builds_and_checks_clean(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book), "--sample", "--title", "Sample & co") == 0
    capfd.readouterr()
    assert (book / SAMPLE_PAGE).is_file()
    build_html(book, capfd)
    page = book / "_build" / "html" / "briefings" / "2024-11-17-north-korean-troops-in-russia.html"
    assert page.is_file()
    index = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "North Korean Troops in Russia" in index  # a card among the latest briefings
    check_clean(book, capfd)


def test_packaged_sample_is_the_repository_sample() -> None:
    """The sample shipped in the package is this repository's sample book's, byte for
    byte: after changing the sample here, copy it to src/briefbook/templates/book/sample/."""
    sample = templates() / "sample"
    pairs = {SAMPLE_PAGE: REPO / SAMPLE_PAGE, "sources.bib": REPO / "sources.bib"}
    for name in ("people.yaml", "places.yaml", "organizations.yaml"):
        pairs[f"conf/entities/{name}"] = REPO / "conf" / "entities" / name
    for packaged, original in pairs.items():
        assert sample.joinpath(*packaged.split("/")).read_bytes() == original.read_bytes(), (
            f"{packaged} differs from {original.relative_to(REPO)}")


def test_sample_is_not_added_over_an_existing_registry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book)) == 0  # an empty registry and sources.bib
    before = snapshot(book)
    capsys.readouterr()
    assert init(str(book), "--sample") == 1
    captured = capsys.readouterr()
    assert "the sample was not added" in captured.err
    assert "conf/entities/people.yaml" in captured.err and "sources.bib" in captured.err
    assert snapshot(book) == before  # nothing written, the sample page included

    # Over a book made with --sample, --sample again is simply nothing to do.
    other = tmp_path / "other"
    assert init(str(other), "--sample") == 0
    assert init(str(other), "--sample") == 0
    assert "Nothing to do" in capsys.readouterr().out


def test_sample_refuses_a_marking_above_its_portion(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert init(str(tmp_path / "book"), "--sample", "--marking", "TLP:AMBER") == 2
    err = capsys.readouterr().err
    assert "marks a portion TLP:GREEN, below the book's marking TLP:AMBER" in err
    assert not (tmp_path / "book").exists()


# --- ingest into a new book ------------------------------------------------------------------

ARTICLE = """\
 date 2025-03-04 Jane Example

Talks in Geneva on grain shipments

Maria Lindqvist, the mediator, said on Tuesday that "both delegations want the ships moving
again". Talks in Geneva continue next week, according to Omar Haddad.
"""


def test_ingest_works_in_a_new_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capfd: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert init(str(book)) == 0
    uncomment_example(book / "conf" / "entities" / "places.yaml")  # Geneva
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(book)
    assert main(["ingest", "--recogniser", "rules", str(article)]) == 0  # the defaults
    capfd.readouterr()
    page = book / "docs" / "briefings" / "2025-03-04-talks-in-geneva-on-grain-shipments.md"
    text = page.read_text(encoding="utf-8")
    assert "{place}`Geneva <geneva>`" in text
    assert "source: example2025" in text
    assert "@misc{example2025," in (book / "sources.bib").read_text(encoding="utf-8")
    build_html(book, capfd)
    assert (book / "_build" / "html" / "briefings" /
            "2025-03-04-talks-in-geneva-on-grain-shipments.html").is_file()
    check_clean(book, capfd)


# --- bad options ------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--marking", "TLP:BLUE"], "argument --marking: unknown marking 'TLP:BLUE' (one of "
                                "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)"),
    (["--title", "   "], "argument --title: the title is empty"),
    (["--author", "a\x07b"], "argument --author: the author contains the control character U+0007"),
])
def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        init(str(tmp_path / "book"), *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "book").exists()


def test_a_file_is_not_a_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "book").write_text("not a folder\n")
    assert init(str(tmp_path / "book")) == 2
    assert "book exists and is not a folder" in capsys.readouterr().err


def test_values_are_checked_in_the_api_too() -> None:
    assert BookValues(title="  Two\n lines ", marking="tlp:white").title == "Two lines"
    assert BookValues(marking="tlp:white").marking == "TLP:CLEAR"
    with pytest.raises(InitError, match="unknown marking"):
        BookValues(marking="SECRET")
