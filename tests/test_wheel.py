"""The wheel is what users install: built, installed in a fresh environment, it must work.

Every other test runs the editable install, which reads templates, static files and data
straight from ``src/``: a file missing from ``[tool.setuptools.package-data]`` would pass
them all and break only for users. So the wheel is built from a copy of the sources,
installed with ``--no-deps --no-index`` into a new virtual environment, and a user's first
steps are taken with that environment's ``briefbook`` first on ``PATH``: ``briefbook init``,
``make html`` (and ``make pdf``) in the new book, ``briefbook check``.

No network: the build uses the project environment's setuptools (``--no-build-isolation``;
``make venv`` installs ``setuptools>=77`` there), and the fresh environment reaches the
dependencies through a ``.pth`` file naming the project environment's site-packages, which
comes after its own, so ``import briefbook`` finds the wheel's copy (asserted), never the
editable one. Everything lives in this module's own temporary folders, and the module
runs on one xdist worker (``xdist_group``).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "briefbook"
TITLE = 'Field Notes & "Quotes" \\ 50% {draft}'

pytestmark = pytest.mark.xdist_group("wheel")


@dataclass(frozen=True)
class Venv:
    root: Path
    python: Path
    env: dict[str, str]  # for commands run "as a user" of this environment

    def run(self, *args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(a) for a in args], cwd=cwd, env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)


def _site_packages_of(module: str) -> Path:
    """The project environment's site-packages: where its dependencies are installed."""
    return Path(str(importlib.import_module(module).__file__)).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built offline from a copy of the sources (never building in the tree)."""
    from importlib.metadata import version

    setuptools = version("setuptools")  # what --no-build-isolation will build with
    if int(setuptools.split(".")[0]) < 77:
        pytest.fail(f"setuptools {setuptools} in {sys.prefix} cannot build the wheel "
                    "(pyproject.toml needs setuptools>=77 for the SPDX licence): `make venv` "
                    "installs it")
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    out = work / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (built,) = out.glob("briefbook-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    """A fresh virtual environment with the wheel installed and nothing else of briefbook."""
    root = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True,
                   timeout=120)
    python = root / "bin" / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60).stdout.strip())
    dependencies = _site_packages_of("sphinx")
    assert dependencies != purelib
    (purelib / "zz-briefbook-test-dependencies.pth").write_text(f"{dependencies}\n")

    own_bin = Path(sys.executable).parent
    path = [str(root / "bin"), *(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                 if p and Path(p) != own_bin)]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "BRIEFBOOK_"))}
    env.update(PATH=os.pathsep.join(path), VIRTUAL_ENV=str(root), PYTHONNOUSERSITE="1",
               PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         str(wheel)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return Venv(root, python, env)


@pytest.fixture(scope="module")
def new_book(tmp_path_factory: pytest.TempPathFactory, venv: Venv) -> Path:
    """``briefbook init book --title …`` with the fresh environment's command."""
    work = tmp_path_factory.mktemp("wheel-book")
    proc = venv.run("briefbook", "init", "book", "--title", TITLE, "--author", "Desk & Co",
                    cwd=work, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "files created, 0 skipped" in proc.stdout
    return work / "book"


def test_the_wheel_carries_the_package_data_and_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        headers = archive.read(metadata).decode("utf-8").split("\n\n", 1)[0].splitlines()
        entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    assert "License-Expression: MIT" in headers
    assert "briefbook = briefbook.cli:main" in entry_points
    for folder in ("templates", "static", "data"):
        shipped = {f"briefbook/{p.relative_to(PACKAGE).as_posix()}"
                   for p in (PACKAGE / folder).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert shipped, folder
        assert shipped <= names, sorted(shipped - names)
    for name in ("briefbook/py.typed", "briefbook/templates/book/skeleton/conf/conf.py.tmpl",
                 "briefbook/templates/book/skeleton/dot-gitignore",
                 "briefbook/templates/book/skeleton/docs/briefings/dot-gitkeep",
                 "briefbook/templates/book/sample/sources.bib", "briefbook/static/briefbook.sty",
                 "briefbook/data/world-110m.json"):
        assert name in names, name


def test_the_fresh_environment_imports_the_wheel(venv: Venv, tmp_path: Path) -> None:
    proc = venv.run(venv.python, "-c",
                    "import briefbook, importlib.metadata as m, sphinx; "
                    "print(briefbook.__file__); print(m.distribution('briefbook').locate_file('')); "
                    "print(sphinx.__file__)", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    module, distribution, sphinx = proc.stdout.splitlines()
    root = str(venv.root.resolve())
    assert Path(module).resolve().is_relative_to(root), module
    assert Path(distribution).resolve().is_relative_to(root), distribution
    assert not Path(sphinx).resolve().is_relative_to(root)  # from the project's environment
    assert shutil.which("briefbook", path=venv.env["PATH"]) == str(venv.root / "bin" / "briefbook")


def test_a_new_book_builds_its_site_and_checks_clean(venv: Venv, new_book: Path) -> None:
    proc = venv.run("make", "-C", str(new_book), "html", cwd=new_book.parent)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert "WARNING" not in output and "ERROR" not in output, output[-4000:]
    site = new_book / "_build" / "html"
    assert (site / "index.html").is_file()
    assert (site / "_static" / "briefbook.css").is_file()  # static files from the wheel
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "Field Notes &amp; &quot;Quotes&quot; \\ 50% {draft}" in page

    proc = venv.run("briefbook", "check", "book", cwd=new_book.parent, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No problems found." in proc.stdout


@pytest.mark.pdf
def test_a_new_book_builds_its_pdf(venv: Venv, new_book: Path) -> None:
    proc = venv.run("make", "-C", str(new_book), "pdf", cwd=new_book.parent)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    pdf = new_book / "_build" / "latex" / "briefing-book.pdf"
    assert pdf.is_file()
    from pypdf import PdfReader

    cover = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert 'Field Notes & "Quotes" \\ 50% {draft}' in cover, cover
