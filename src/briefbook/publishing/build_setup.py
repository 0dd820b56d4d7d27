"""What every command that builds the book sets up the same way.

``briefbook build``, ``briefbook pdf`` and ``briefbook export`` each run Sphinx on the
book; a released edition and a reproducible date must come out the same whichever ran
it. So the date LaTeX and the book's "compiled" line use (``SOURCE_DATE_EPOCH``: by
default the time of the book's last git commit, so two builds of one commit give the same
PDF) and the folder a released edition goes to (``release-tlp-amber-strict``) are worked
out here, below the commands that use them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def source_date_epoch(book: Path) -> str | None:
    """The book's last commit time, for ``SOURCE_DATE_EPOCH``; None outside git."""
    try:
        proc = subprocess.run(["git", "-C", str(book), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = proc.stdout.strip()
    return value if proc.returncode == 0 and value.isdigit() else None


def edition_folder(release: str) -> str:
    """``TLP:AMBER+STRICT`` → ``release-tlp-amber-strict``: where a released edition goes."""
    return "release-" + re.sub(r"[^a-z0-9]+", "-", release.lower()).strip("-")
