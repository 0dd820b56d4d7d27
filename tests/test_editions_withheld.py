"""What a released edition withholds leaves no trace around it either: not in the build's
log, not in what the build keeps beside the edition.

The canary tests (tests/test_editions_release.py) search the published files; these
search what else a release (or a handout, ``briefbook pdf``) writes: its messages (a
toctree naming a withheld page, a link between two hidden entities) and the staging
folder's pickled environment and doctrees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS

ROOT = ROOTS / "test-editions"

#: A folder's contents page whose toctree names withheld pages every way Sphinx allows.
SUB_INDEX = """# Folder

```{toctree}
zqxsecretone
zqxsecrettwo.md
A title <zqxsecretthree>
/zqxtopsecret
self
open-page
```
"""

SECRET_PAGE = """---
marking: TLP:RED
---
# {name} title

{name} body.
"""


def book_with_a_folder(dest: Path) -> Path:
    src = dest / "src"
    shutil.copytree(ROOT, src)
    (src / "sub").mkdir()
    (src / "sub" / "index.md").write_text(SUB_INDEX, encoding="utf-8")
    (src / "sub" / "open-page.md").write_text("# Open page\n\nNothing marked.\n", encoding="utf-8")
    for name in ("zqxsecretone", "zqxsecrettwo", "zqxsecretthree"):
        (src / "sub" / f"{name}.md").write_text(SECRET_PAGE.format(name=name), encoding="utf-8")
    (src / "zqxtopsecret.md").write_text(SECRET_PAGE.format(name="zqxtopsecret"), encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("affected\n", "affected\nsub/index\n"),
                     encoding="utf-8")
    return src


def build(src: Path, dest: Path, release: str = "") -> SphinxTestApp:
    overrides = {"briefbook_release": release} if release else {}
    app = SphinxTestApp("html", srcdir=src, builddir=dest, freshenv=True,
                        confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_a_toctree_naming_withheld_pages_drops_them_silently(tmp_path: Path) -> None:
    src = book_with_a_folder(tmp_path)
    full = build(src, tmp_path / "full")
    # The control: in the full edition every entry is a page of the folder's toctree.
    assert full.warning.getvalue() == ""
    page = (Path(full.outdir) / "sub" / "index.html").read_text(encoding="utf-8")
    for name in ("zqxsecretone", "zqxsecrettwo", "zqxsecretthree", "zqxtopsecret"):
        assert f"{name}.html" in page, name

    released = build(src, tmp_path / "clear", "TLP:CLEAR")
    log = released.status.getvalue() + released.warning.getvalue()
    assert released.warning.getvalue() == ""
    assert "zqxsecret" not in log.lower() and "zqxtopsecret" not in log.lower()
    page = (Path(released.outdir) / "sub" / "index.html").read_text(encoding="utf-8")
    assert "zqxsecret" not in page and "zqxtopsecret" not in page
    assert "open-page.html" in page  # what may be shown still is


# --- what the staging folder keeps ---------------------------------------------------------

DESCRIPTION_CANARY = "zqxDESCRIPTIONcanary4411"
SOURCE_CANARY = "zqxSOURCEcanary5512"


def book_with_canaries(dest: Path) -> Path:
    """The editions book in a book's layout, with a canary in the description of an entity
    only a TLP:AMBER portion names and in the title of a source only it cites."""
    book = dest / "book"
    (book / "conf").mkdir(parents=True)
    shutil.copytree(ROOT, book / "docs", ignore=shutil.ignore_patterns("conf.py", "entities"))
    shutil.copytree(ROOT / "entities", book / "conf" / "entities")
    shutil.copy(ROOT / "conf.py", book / "conf" / "conf.py")
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "Named only in a portion marked TLP:AMBER.",
        f"Named only in a portion marked TLP:AMBER, {DESCRIPTION_CANARY}."), encoding="utf-8")
    for bib in (book / "docs" / "refs.bib", book / "conf" / "refs.bib"):
        text = (ROOT / "refs.bib").read_text(encoding="utf-8")
        assert "Zqxamber source title" in text
        bib.write_text(text.replace("Zqxamber source title",
                                    f"Zqxamber source title {SOURCE_CANARY}"), encoding="utf-8")
    return book


def files_holding(folder: Path, words: list[str]) -> list[tuple[str, str]]:
    return [(word, str(path.relative_to(folder))) for path in sorted(folder.rglob("*"))
            if path.is_file() for word in words if word.encode() in path.read_bytes()]


def test_a_release_keeps_no_withheld_registry_or_source_data_beside_it(tmp_path: Path) -> None:
    from briefbook.cli import main

    book = book_with_canaries(tmp_path)
    canaries = [DESCRIPTION_CANARY, SOURCE_CANARY]
    assert main(["build", str(book), "--format", "html"]) == 0
    # The control: the full edition's staging environment does hold both canaries (it is
    # kept for incremental builds), so a search that finds nothing below means something.
    full_staging = book / "_build" / ".staging"
    found = {word for word, _ in files_holding(full_staging, canaries)}
    assert found == set(canaries)

    assert main(["build", str(book), "--format", "html", "--release", "TLP:CLEAR"]) == 0
    release = book / "_build" / "release-tlp-clear"
    assert (release / "html" / "index.html").is_file()
    assert files_holding(release, canaries) == []


# --- links between hidden entities ----------------------------------------------------------


def book_with_a_hidden_publisher(dest: Path) -> Path:
    """The selection test book, where a journalist no briefing names writes for an outlet
    no briefing names: the only link to the outlet is in her registry description."""
    book = dest / "book"
    shutil.copytree(ROOTS / "test-editions-selection", book)
    orgs = book / "conf" / "entities" / "organizations.yaml"
    orgs.write_text(orgs.read_text(encoding="utf-8") + (
        "- id: zqx-outlet\n  name: Zqx Outlet\n  kind: media\n"
        "  description: A newspaper no briefing names.\n"), encoding="utf-8")
    people = book / "conf" / "entities" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "whom no briefing names." in text
    people.write_text(text.replace("whom no briefing names.",
                                   "whom no briefing names; writes for {org}`Zqx Outlet`."),
                      encoding="utf-8")
    return book


def sphinx(book: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(book / "docs"), str(out),
         "-c", str(book / "conf"), "-W", "--keep-going", "-n", *options],
        capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "NO_COLOR": "1"})


def test_a_release_hides_an_entity_linked_only_from_a_hidden_description(tmp_path: Path) -> None:
    book = book_with_a_hidden_publisher(tmp_path)
    full = sphinx(book, tmp_path / "full")
    # The control: in the full edition the description links the outlet's entry.
    assert full.returncode == 0, full.stderr
    people = (tmp_path / "full" / "glossary" / "people.html").read_text(encoding="utf-8")
    assert "zqx-outlet" in people

    released = sphinx(book, tmp_path / "clear", "-D", "briefbook_release=TLP:CLEAR")
    assert released.returncode == 0, released.stderr
    assert "BB102" not in released.stderr
    assert "Zqx Outlet" not in released.stdout + released.stderr
    shown = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "clear").rglob("*.html"))
    assert "Zqx Outlet" not in shown and "Elena Sorin" not in shown


@pytest.mark.pdf
def test_briefbook_pdf_warns_of_no_entity_its_pages_do_not_name(tmp_path: Path) -> None:
    book = book_with_a_hidden_publisher(tmp_path)
    out = tmp_path / "handout.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "briefbook.cli", "pdf", str(book),
         "briefings/2024-10-01-convoys-leave-norland", "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    text = " ".join(page.extract_text() or "" for page in PdfReader(out).pages)
    assert "Mira Kovac" in text  # the glossary holds who the page names
    assert "Zqx Outlet" not in text and "Elena Sorin" not in text
