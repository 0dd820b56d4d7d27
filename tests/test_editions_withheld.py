"""What a released edition withholds leaves no trace around it either: not in the build's
log, not in what the build keeps beside the edition.

The canary tests (tests/test_editions_release.py) search the published files; these
search what else a release writes: the messages of a toctree that names a withheld
page, and the staging folder's pickled environment and doctrees.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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
