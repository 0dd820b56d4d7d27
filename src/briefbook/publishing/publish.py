"""``briefbook build``: build into a staging folder, publish only what built cleanly.

Editors publish from ``_build/html`` and hand round ``_build/latex/briefing-book.pdf``. A
build that stops half-way (a broken page, a bad registry entry, a LaTeX error) must not
leave those places half-written, so every build goes to ``_build/.staging`` first, and only
when every requested format has built without a warning is each output folder swapped in
by renaming. The full edition's staging folder is kept between runs, so Sphinx's
incremental rebuilds still apply; after a failure it holds the failed output for
inspection.

A released edition (``--release LEVEL``) is different on both counts. It is always built
fresh, into an emptied staging folder with a new environment: an incremental build keeps
what an earlier one wrote (a page since re-marked RED, the images of a re-marked portion,
its words in the search index), and nothing of that may reach a release. And it replaces
the published one only after the final gate (:mod:`briefbook.publishing.gate`) has read every
byte of it and found no distinctive word of what it withholds.

Builds are reproducible: ``SOURCE_DATE_EPOCH`` (the date LaTeX and the book's "compiled"
line use) defaults to the time of the book's last git commit, so two builds of the same
commit give the same PDF (:mod:`.build_setup`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from briefbook.book.layout import Book, read_config
from briefbook.book.lock import held_fds
from briefbook.editions.markings import TLP_2_0, MarkingError, Scheme
from briefbook.publishing.build_setup import edition_folder, source_date_epoch
from briefbook.publishing.gate_verdict import book_gate

#: What each format builds (``sphinx-build -M``) and the output folder it publishes.
FORMATS: dict[str, tuple[str, str]] = {"html": ("html", "html"), "pdf": ("latexpdf", "latex")}
STRICT = ("-W", "--keep-going", "-n")


def publish(staged: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``staged`` by renames, never writing into it.

    The copy is made beside the target first, so the target is either the old output or
    the new one, never a mix; the old one is removed only after the swap.
    """
    fresh = target.with_name(f".{target.name}.new")
    retired = target.with_name(f".{target.name}.old")
    for leftover in (fresh, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(staged, fresh, symlinks=True)
    if target.exists():
        target.replace(retired)
    fresh.replace(target)
    if retired.exists():
        shutil.rmtree(retired)


def check_release(book: Path, release: str) -> str | None:
    """The release level as the book's marking scheme spells it, or None (reported)."""
    config = read_config(Book.find(book), ("briefbook_marking_scheme",))
    try:
        scheme = Scheme.from_config(config.get("briefbook_marking_scheme") or TLP_2_0)
        return scheme.level(release).name
    except MarkingError as exc:
        print(f"briefbook build: --release: {exc}", file=sys.stderr)
        return None


def build(book: Path, formats: Sequence[str], builddir: Path,
          sphinx_args: Sequence[str] = (), release: str = "") -> int:
    """Build ``formats`` of the book at ``book`` into staging; publish them if all succeed.

    A released edition (``release``: a marking level) builds into its own staging and
    output folders (``<builddir>/release-tlp-green/html`` …), beside the full edition,
    always from nothing, and is published only when it passes the final gate.
    """
    located = Book.find(book)
    if release:
        builddir = builddir / edition_folder(release)
        sphinx_args = [*sphinx_args, "-D", f"briefbook_release={release}"]
    staging = builddir / ".staging"
    if release and staging.exists():
        try:
            shutil.rmtree(staging)
        except OSError as exc:
            print(f"briefbook build: cannot empty {staging} for a fresh release build: "
                  f"{exc.strerror or exc}; nothing built", file=sys.stderr)
            return 1
    env = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in env:
        epoch = source_date_epoch(located.root)
        if epoch:
            env["SOURCE_DATE_EPOCH"] = epoch
    failed: list[str] = []
    for name in formats:
        builder, _ = FORMATS[name]
        cmd = [sys.executable, "-m", "briefbook.build.sphinx_main", "-M", builder, str(located.srcdir),
               str(staging), "-c", str(located.confdir), *STRICT, *sphinx_args]
        print(f"briefbook build: {name} → {staging / FORMATS[name][1]}", file=sys.stderr)
        if subprocess.run(cmd, env=env, check=False, pass_fds=held_fds()).returncode != 0:
            failed.append(name)
    if failed:
        outputs = ", ".join(str(builddir / FORMATS[name][1]) for name in formats)
        print(f"briefbook build: {' and '.join(failed)} failed; {outputs} left as the last "
              f"good build. The failed output is in {staging}.", file=sys.stderr)
        return 1
    if release:
        built = [staging / FORMATS[name][1] for name in formats]
        if not book_gate(located, release, built, "briefbook build"):
            outputs = ", ".join(str(builddir / FORMATS[name][1]) for name in formats)
            print(f"briefbook build: the release failed the final gate and was not published; "
                  f"{outputs} left as the last good release. The failed release is in "
                  f"{staging}.", file=sys.stderr)
            return 1
    for name in formats:
        folder = FORMATS[name][1]
        publish(staging / folder, builddir / folder)
        print(f"briefbook build: published {builddir / folder}", file=sys.stderr)
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    book = Path(args.path)
    formats = ["html", "pdf"] if args.format == "all" else [args.format]
    builddir = Path(args.builddir) if args.builddir else book / "_build"
    extra = list(args.sphinx_args or [])
    if extra[:1] == ["--"]:
        extra = extra[1:]
    release = ""
    if args.release:
        release = check_release(book, args.release) or ""
        if not release:
            return 2
    return build(book, formats, builddir.resolve(), extra, release)


def register_build(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "build", help="build the book (HTML and PDF), publishing only on success",
        description="Build into <builddir>/.staging with -W --keep-going -n and replace "
                    "<builddir>/html and <builddir>/latex only when every format built "
                    "cleanly.")
    parser.add_argument("path", nargs="?", default=".", help="the book (default: here)")
    parser.add_argument("--format", choices=("html", "pdf", "all"), default="all")
    parser.add_argument("--builddir", help="output folder (default: PATH/_build)")
    parser.add_argument("--release", metavar="LEVEL",
                        help="build the edition releasable at this marking (e.g. TLP:CLEAR) "
                             "into <builddir>/release-<level>/, leaving out everything marked "
                             "above it; always built fresh, and published only when the "
                             "final gate finds no word of what it withholds (else exit 1)")
    parser.add_argument("sphinx_args", nargs="*", metavar="-- SPHINX_OPTION",
                        help="after --: more sphinx-build options (e.g. -j 2)")
    parser.set_defaults(func=_cmd_build)
