"""Shared fixtures: one build of the sample book per format per test session.

Building the real book is what a user does, so the sample-book fixtures run
``sphinx-build`` exactly as the Makefile does (``-c conf docs …  -W --keep-going -n``)
and hand tests the output folder.  Scenario tests use ``sphinx.testing`` with one root
per case under ``tests/roots/test-*``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ["sphinx.testing.fixtures"]

REPO = Path(__file__).resolve().parent.parent
#: SOURCE_DATE_EPOCH for PDF builds in tests: 17 November 2024, 00:00 UTC.
SAMPLE_EPOCH = "1731801600"
ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``sphinx.testing`` finds ``test-*`` roots."""
    return ROOTS


@dataclass
class BuildResult:
    outdir: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "WARNING" in line or "ERROR" in line]


def sphinx_build(
    srcdir: Path, confdir: Path, outdir: Path, *args: str, builder: str = "html",
    make_mode: bool = False, env: dict[str, str] | None = None,
) -> BuildResult:
    """Run sphinx-build in a subprocess, as the Makefile does."""
    mode = ["-M", builder, str(srcdir), str(outdir)] if make_mode else [
        "-b", builder, str(srcdir), str(outdir)]
    cmd = [sys.executable, "-m", "sphinx", *mode, "-c", str(confdir),
           "-W", "--keep-going", "-n", *args]
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, check=False,
                          timeout=900)
    return BuildResult(outdir, proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the sample book (docs, conf, sources.bib) for this session."""
    dest = tmp_path_factory.mktemp("sample")
    for name in ("docs", "conf"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("_build"))
    shutil.copy2(REPO / "sources.bib", dest / "sources.bib")
    return dest


@pytest.fixture(scope="session")
def sample_html(sample_copy: Path) -> BuildResult:
    result = sphinx_build(sample_copy / "docs", sample_copy / "conf",
                          sample_copy / "_build" / "html")
    return result


@pytest.fixture(scope="session")
def sample_pdf(sample_copy: Path) -> tuple[BuildResult, Path]:
    result = sphinx_build(sample_copy / "docs", sample_copy / "conf",
                          sample_copy / "_build", builder="latexpdf", make_mode=True,
                          env={"SOURCE_DATE_EPOCH": SAMPLE_EPOCH})
    return result, sample_copy / "_build" / "latex" / "briefing-book.pdf"


def build_root(root: str, dest: Path, builder: str = "html", parallel: int = 0,
               confoverrides: dict | None = None) -> SphinxTestApp:
    """Copy ``tests/roots/test-<root>`` to ``dest`` and build it once (module fixtures)."""
    src = dest / "src"
    if not src.exists():
        shutil.copytree(ROOTS / f"test-{root}", src)
    app = SphinxTestApp(builder, srcdir=src, builddir=dest / "build", parallel=parallel,
                        confoverrides=confoverrides, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven headless by Playwright (installed by scripts/bootstrap.sh)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def serve_folder(folder: Path):
    """Serve ``folder`` over HTTP on a free loopback port, as a published site is read.

    Returns the server (``server.server_address`` gives the port); call ``shutdown()``.
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def sample_site(sample_html: BuildResult):
    """The sample book's HTML served over http://127.0.0.1 (its base URL is yielded)."""
    assert sample_html.returncode == 0, sample_html.stderr
    server = serve_folder(sample_html.outdir)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
