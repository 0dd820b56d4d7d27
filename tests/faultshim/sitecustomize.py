"""A full disk for some files, in a real ``briefbook`` process and the processes it starts.

The fault tests (``test_faults_writers.py``) put this folder first on ``PYTHONPATH``;
Python imports ``sitecustomize`` at start-up, in every process that inherits the
variable (Sphinx, run by ``briefbook build``, included).  With
``BRIEFBOOK_FAULT_ENOSPC`` set to ``os.pathsep``-separated ``fnmatch`` patterns of
absolute paths, every attempt to create or write a file matching one (``open`` for
writing, ``os.open`` for writing, as ``tempfile`` does), or to rename or link a file to
such a path, fails with ``ENOSPC``, as it does on a full disk (folders can still be made:
they take next to no room, and on a disk that fills up they are made before the files
that do not fit); paths
matching ``BRIEFBOOK_FAULT_SPARE`` are spared.  Reading is never affected.  Without the
variable nothing is changed.
"""

from __future__ import annotations

import builtins
import errno
import fnmatch
import io
import os
from typing import Any

_FULL = [p for p in os.environ.get("BRIEFBOOK_FAULT_ENOSPC", "").split(os.pathsep) if p]
_SPARE = [p for p in os.environ.get("BRIEFBOOK_FAULT_SPARE", "").split(os.pathsep) if p]


def _full(path: Any) -> bool:
    try:
        absolute = os.path.abspath(os.fsdecode(path))  # noqa: PTH100 (no symlinks resolved)
    except TypeError:
        return False  # a file descriptor
    return (any(fnmatch.fnmatchcase(absolute, p) for p in _FULL)
            and not any(fnmatch.fnmatchcase(absolute, p) for p in _SPARE))


def _no_space(path: Any) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(path))


if _FULL:
    _open, _os_open = builtins.open, os.open
    _replace, _rename, _link = os.replace, os.rename, os.link

    def _open_full(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int) and set(mode) & set("wax+") and _full(file):
            raise _no_space(file)
        return _open(file, mode, *args, **kwargs)

    def _os_open_full(path: Any, flags: int, mode: int = 0o777, *, dir_fd: Any = None) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and dir_fd is None and _full(path):
            raise _no_space(path)
        return _os_open(path, flags, mode, dir_fd=dir_fd)

    def _moving(real: Any) -> Any:
        def move(src: Any, dst: Any, **kwargs: Any) -> None:
            if _full(dst):
                raise _no_space(dst)
            real(src, dst, **kwargs)
        return move

    builtins.open = io.open = _open_full
    os.open = _os_open_full
    os.replace, os.rename, os.link = _moving(_replace), _moving(_rename), _moving(_link)
