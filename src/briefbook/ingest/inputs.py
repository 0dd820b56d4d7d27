"""What a command line names as articles: files, folders of articles, web addresses.

``briefbook ingest`` takes any mix of them; :func:`expand` turns them into the batch's
list of inputs (a folder gives its articles, sorted; a URL stays an address) and the
problems to report, before anything is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefbook.ingest.web import WebAddress, is_url

#: The files a folder given on the command line contributes.
ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest (folders give their ``.txt`` and ``.html`` files, sorted), web
    addresses as given, and problems."""
    files: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        if isinstance(raw, str) and is_url(raw):
            if raw.strip().lower().startswith(("http://", "https://")):
                files.append(WebAddress(raw))
            else:
                problems.append(f"{raw}: only http:// and https:// addresses can be ingested")
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in ARTICLE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                problems.append(f"{path}: folder holds no .txt or .html articles")
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif isinstance(raw, str) and raw.lower().startswith("www."):
            problems.append(f"{path}: no such file (for a web page, give the full "
                            "https:// address)")
        else:
            problems.append(f"{path}: no such file")
    return files, problems
