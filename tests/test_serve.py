"""``make serve``: live preview rebuilds on edits of articles, registry files and sources.bib.

Runs the same sphinx-autobuild command as the Makefile on a copy of the book, on a free
loopback port, and waits (bounded) for each edit to show in the built page.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.xdist_group("serve")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def makefile_serve_args() -> list[str]:
    """The sphinx-autobuild arguments of the Makefile's serve target."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^serve:.*\n\t(.*)$", text, re.M).group(1)
    args = line.split()[1:]
    return [a.replace("$(BUILDDIR)", "_build") for a in args]


def wait_for_port(port: int, timeout: float = 180.0) -> bool:
    """The server listens once its first build is done and the watcher is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.5)
    return False


def wait_for(path: Path, needle: str, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_on_article_registry_and_bib_edits(tmp_path):
    book = tmp_path / "book"
    for name in ("docs", "conf"):
        shutil.copytree(REPO / name, book / name)
    shutil.copy2(REPO / "sources.bib", book / "sources.bib")
    args = makefile_serve_args()
    port = free_port()
    args[args.index("--port") + 1] = str(port)
    proc = subprocess.Popen([sys.executable, "-m", "sphinx_autobuild", *args, "--host", "127.0.0.1"],
                            cwd=book, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        html = book / "_build" / "preview"
        assert wait_for(html / "index.html", "Latest briefings", 180), "first build never finished"
        assert wait_for_port(port), "the preview server never started"
        time.sleep(2)  # let the file watcher settle before the first edit
        article = book / "docs" / "briefings" / "2024-11-17-north-korean-troops-in-russia.md"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "Upon arrival,", "Upon arrival (edited),"), encoding="utf-8")
        assert wait_for(html / "briefings" / "2024-11-17-north-korean-troops-in-russia.html",
                        "Upon arrival (edited),")
        people = book / "conf" / "entities" / "people.yaml"
        people.write_text(people.read_text(encoding="utf-8").replace(
            "Retired United States Army general", "Retired U.S. Army four-star general"),
            encoding="utf-8")
        assert wait_for(html / "glossary" / "people.html", "Retired U.S. Army four-star general")
        bib = book / "sources.bib"
        text = bib.read_text(encoding="utf-8")
        assert "Adopted at the summit in Kazan" in text
        bib.write_text(text.replace("Adopted at the summit in Kazan",
                                    "Adopted (edited) at the summit in Kazan"), encoding="utf-8")
        assert wait_for(html / "references.html", "Adopted (edited) at the summit in Kazan")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
