"""The registry a build or a command uses: parsed once per process, and kept between builds.

A registry grows with the book (a few thousand entities at 1,000 briefings), and parsing
its YAML is a second of every incremental build; the parsed registry is kept per process
and pickled beside the doctrees, keyed on the files' bytes and briefbook's version.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefbook import __version__
from briefbook.entities.registry import Registry, RegistryError
from briefbook.entities.registry_files import load_registry

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def _signature(folder: Path) -> tuple[tuple[str, float, int], ...]:
    return tuple((p.name, p.stat().st_mtime, p.stat().st_size) for p in sorted(folder.glob("*.yaml")))


#: Where a build keeps the parsed registry between runs (its doctree folder), or None.
_disk_cache: Path | None = None


def keep_parsed_registry_in(folder: Path | None) -> None:
    """Keep the parsed registry in ``folder`` between builds (set at ``builder-inited``).

    Parsing the YAML of a registry that grows with the book (a few thousand entities at
    1,000 briefings) is a second of every incremental build; the pickled registry is
    keyed on the files' bytes and briefbook's version, so any edit parses them again.
    """
    global _disk_cache
    _disk_cache = folder


@functools.lru_cache(maxsize=8)
def _load_cached(folder: str, signature: tuple[Any, ...], lenient: bool) -> Registry:

    base = Path(folder).parent.parent
    if _disk_cache is None:
        return load_registry(folder, base=base, lenient=lenient)
    digest = hashlib.sha256(f"{__version__}:{folder}:{lenient}".encode())
    for path in sorted(Path(folder).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    cache = _disk_cache / "briefbook-registry.pickle"
    try:
        with cache.open("rb") as handle:
            key, registry = pickle.load(handle)
        if key == digest.hexdigest() and isinstance(registry, Registry):
            return registry
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        # ImportError: a cache written by a briefbook whose classes lived elsewhere.
        pass
    registry = load_registry(folder, base=base, lenient=lenient)  # raises when broken
    try:
        _disk_cache.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump((digest.hexdigest(), registry), handle, pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError:
        pass  # a read-only build folder: parse again next time
    return registry


def load_registry_cached(folder: str | Path, lenient: bool = False) -> Registry:
    """:func:`load_registry` for a build, shared with :func:`registry_for`: parsed once
    per process and set of file versions (a broken registry raises every time)."""
    path = Path(folder)
    return _load_cached(str(path), _signature(path), lenient)


def registry_for(env: BuildEnvironment) -> Registry:
    """The registry a book is built against, re-read only when one of its files changes.

    Cached per process, keyed on the files' mtimes and sizes, so parallel workers and
    every role call share one parsed registry instead of re-reading YAML per mention.
    """
    configured = str(env.config.briefbook_registry or "")
    folder = Path(configured)
    if not configured or not folder.is_dir():
        return Registry()
    lenient = bool(getattr(env.config, "briefbook_registry_lenient", False))
    return load_registry_cached(folder, lenient)


def registry_for_command(folder: Path, given: bool, prog: str,
                         without: str) -> Registry | None:
    """The registry a command was pointed at, for ``briefbook ingest`` and ``make eval``.

    A folder named on the command line must exist and load; the default one may be
    missing (then an empty registry, and a warning saying ``without``). None, after the
    reason is printed on stderr, when the command should stop with exit code 2.
    """
    if folder.is_dir():
        try:
            return load_registry(folder)
        except RegistryError as exc:
            print(f"{prog}: the registry {folder} has problems:{exc}", file=sys.stderr)
            return None
    if given:
        print(f"{prog}: registry folder {folder} not found", file=sys.stderr)
        return None
    print(f"warning: no registry folder at {folder}; {without}", file=sys.stderr)
    return Registry({}, folder=str(folder))

