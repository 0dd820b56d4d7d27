"""Whether the sources' addresses still answer, and still say what was preserved.

A bibliography rots quietly: pages move (a redirect), vanish (404), or are rewritten
under the same address.  ``briefbook sources links`` asks each entry's ``url`` once,
following redirects by hand so that the first answer and the final address are both
reported, and compares the live body with the body in the entry's preserved copy
(:mod:`.archive`), so an editor learns which sources changed since they were cited.
Requests run a few at a time, each one :func:`.fetch.fetch` (the fetch a capture makes),
bounded by a per-step time-out and an overall deadline, so one slow server cannot stall
the report.  The time-out and the number at a time are the command's
(:mod:`.command`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from typing import Any

from briefbook.sources.archive import (
    CopyError,
    SourceEntry,
    archived_payload_sha256,
    file_sha256,
    payload_sha256,
)
from briefbook.sources.fetch import MAX_BYTES, CaptureError, abort_fetches, describe_size, fetch

CHANGED = "changed"
UNCHANGED = "unchanged"
NO_COPY = "no copy"


@dataclass(frozen=True)
class LinkReport:
    """What one entry's address answered.  Field names are the JSON output's."""

    key: str
    url: str
    file: str
    line: int
    status: int | None  # the first answer's HTTP status; None when none came
    redirect: str | None  # the final address, when it differs from ``url``
    final_status: int | None
    changed: str | None  # "changed", "unchanged", "no copy", or why not compared
    error: str | None

    @property
    def broken(self) -> bool:
        return self.error is not None or (self.final_status or 0) >= 400

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "broken": self.broken}


def check_link(entry: SourceEntry, shown: str, timeout: float,
               deadline: float | None = None) -> LinkReport:
    """Ask ``entry.url`` and compare its body with the entry's preserved copy.

    ``timeout`` bounds each step, ``deadline`` (default: :func:`.fetch.default_deadline`)
    the whole request, as for a capture."""
    copy = entry.copy_path()
    comparable = copy is not None and copy.is_file()  # else the body is not needed
    try:
        hops = fetch(entry.url, timeout=timeout, deadline=deadline, max_bytes=MAX_BYTES,
                     read_body=lambda status: comparable and 200 <= status < 300)
    except CaptureError as failure:
        first = failure.hops[0].status if failure.hops else None
        last = failure.hops[-1] if failure.hops else None
        redirect = last.url if last is not None and last.url != entry.url else None
        return LinkReport(entry.key, entry.url, shown, entry.line, first, redirect,
                          last.status if last is not None else None, None, failure.reason)
    final = hops[-1]
    redirect = final.url if final.url != entry.url else None
    changed: str | None = None
    if 200 <= final.status < 300:
        changed = _compare(final.body, final.headers, final.complete, copy,
                           entry.archive_sha256)
    error = None
    if final.status >= 400:
        error = f"HTTP {final.status} {final.reason}".strip()
    return LinkReport(entry.key, entry.url, shown, entry.line, hops[0].status, redirect,
                      final.status, changed, error)


def _compare(body: bytes, headers: Iterable[tuple[str, str]], complete: bool,
             copy: Any, recorded: str) -> str:
    """Whether the live body is the preserved one: only a copy that is still what was
    captured (its SHA-256 the one recorded, its records whole) is compared, so that a
    damaged copy is reported as such, not as a change of the live page."""
    if copy is None:
        return NO_COPY
    if not copy.is_file():
        return "copy missing"
    if not complete:
        return f"not compared (larger than {describe_size(MAX_BYTES)})"
    try:
        if recorded and file_sha256(copy) != recorded:
            return "not compared (the copy changed since capture: BB414)"
        preserved = archived_payload_sha256(copy)
    except (CopyError, OSError):
        return "copy unreadable"
    return UNCHANGED if payload_sha256(body, list(headers)) == preserved else CHANGED


def check_links(entries: Iterable[tuple[SourceEntry, str]], timeout: float, jobs: int,
                done: Callable[[LinkReport], None] | None = None,
                deadline: float | None = None) -> list[LinkReport]:
    """:func:`check_link` for each ``(entry, file shown)``, ``jobs`` at a time; sorted by
    key.  ``done`` is called (in the calling thread) as each one finishes."""
    reports: list[LinkReport] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(check_link, entry, shown, timeout, deadline) for entry, shown in entries]
        try:
            for future in as_completed(futures):
                report = future.result()
                reports.append(report)
                if done is not None:
                    done(report)
        except BaseException:  # Ctrl-C: end the requests under way at once
            for future in futures:
                future.cancel()
            abort_fetches()
            raise
    return sorted(reports, key=lambda r: (r.key.lower(), r.file, r.line))


def format_json(reports: list[LinkReport]) -> str:
    return json.dumps([r.as_json() for r in reports], ensure_ascii=False, indent=2)


def render_table(reports: list[LinkReport], console: Any) -> None:
    """The human report: one row per entry, then a summary line."""
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("redirect", overflow="fold")
    table.add_column("changed", no_wrap=True)
    table.add_column("note", overflow="fold")
    for report in reports:
        style = "red" if report.broken else ""
        status = str(report.status) if report.status is not None else "—"
        redirect = ""
        if report.redirect:
            final = f" ({report.final_status})" if report.final_status is not None else ""
            redirect = f"{report.redirect}{final}"
        note = report.error or ""
        table.add_row(report.key, status, redirect, report.changed or "", note, style=style)
    console.print(table)
    broken = sum(1 for r in reports if r.broken)
    changed = sum(1 for r in reports if r.changed == CHANGED)
    console.print(f"{len(reports)} link(s) checked: {len(reports) - broken} answering, "
                  f"{broken} broken, {changed} changed since capture")
