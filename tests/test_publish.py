"""``briefbook build`` publishes only a clean build: a failed one never replaces the last good.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefbook.publishing.publish import publish
from conftest import ROOTS

pytestmark = pytest.mark.xdist_group("publish")


def run_build(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefbook.cli", "build", str(book),
                           "--format", "html", *args],
                          capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    dest = tmp_path / "book"
    shutil.copytree(ROOTS / "test-navigation", dest)
    return dest


def test_a_failed_build_leaves_the_published_site_as_it_was(book: Path):
    first = run_build(book)
    assert first.returncode == 0, first.stderr
    index = book / "_build" / "html" / "index.html"
    good = index.read_bytes()
    assert "published" in first.stderr

    page = book / "index.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nA new line {person}`Nobody At All`.\n", encoding="utf-8")
    failed = run_build(book)
    assert failed.returncode == 1
    assert "left as the last good build" in failed.stderr
    assert "index.md" in failed.stderr and "BB101" in failed.stderr
    assert index.read_bytes() == good
    # The failed output is kept for inspection, beside the published one.
    assert "A new line" in (book / "_build" / ".staging" / "html" / "index.html").read_text(
        encoding="utf-8")

    page.write_text(page.read_text(encoding="utf-8").replace(
        "{person}`Nobody At All`", "nobody at all"), encoding="utf-8")
    fixed = run_build(book)
    assert fixed.returncode == 0, fixed.stderr
    assert "A new line nobody at all" in index.read_text(encoding="utf-8")
    leftovers = [p.name for p in (book / "_build").iterdir() if p.name.endswith((".new", ".old"))]
    assert leftovers == []


def test_publish_replaces_the_whole_folder(tmp_path: Path):
    staged, target = tmp_path / "staged", tmp_path / "html"
    staged.mkdir()
    (staged / "index.html").write_text("new", encoding="utf-8")
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    (target / "removed-page.html").write_text("old", encoding="utf-8")
    publish(staged, target)
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert (staged / "index.html").exists()  # staging stays for incremental builds
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "staged"]
