"""Time one build and read its peak memory, each build on its own.

``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the largest resident set of any
waited-for descendant of the *calling* process, over that process's whole life: read in
the benchmark runner it would report the largest build so far, not this one.  So every
build runs under a small wrapper process (``python -m briefbook.benchmark.measure OUT --
CMD…``) whose only child is the build: its RUSAGE_CHILDREN after the build is exactly
the build's peak (with ``-j``, the largest of the build's processes; Sphinx's forked
workers are waited for by the build, and count as its descendants).  The wrapper writes
wall seconds, peak RSS and the exit status as JSON to OUT; the build's own output goes
to the wrapper's stdout and stderr, which the caller captures.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    """One build: how long it took, its peak memory, and what it said."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "WARNING" in line or "ERROR" in line]


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float | None = None) -> Measurement:
    """Run ``cmd`` under the wrapper; return its wall time, peak RSS and output."""
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"bb-measure-{os.getpid()}-{time.monotonic_ns()}.json"
    wrapper = [sys.executable, "-m", "briefbook.benchmark.measure", str(report), "--", *cmd]
    # A session of its own, so a timeout ends the build and every worker it forked
    # (a Sphinx parallel build that failed can hang at exit, joining a blocked worker).
    proc = subprocess.Popen(wrapper, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"wall_s": float("nan"), "peak_rss_kb": 0, "returncode": proc.returncode or 1}
    finally:
        report.unlink(missing_ok=True)
    if timed_out:
        data["returncode"] = -signal.SIGKILL
        stderr += f"\nbriefbook.benchmark: ERROR: killed after {timeout:.0f} s (timeout)\n"
    return Measurement(float(data["wall_s"]), float(data["peak_rss_kb"]) / 1024.0,
                       int(data["returncode"]), stdout, stderr)


def main(argv: list[str] | None = None) -> int:
    """The wrapper: ``measure.py REPORT -- CMD…``; runs CMD, writes REPORT, exits with CMD."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m briefbook.benchmark.measure REPORT.json -- CMD [ARGS…]",
              file=sys.stderr)
        return 2
    report, cmd = Path(args[0]), args[2:]
    start = time.perf_counter()
    returncode = subprocess.call(cmd)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    report.write_text(json.dumps({"wall_s": wall, "peak_rss_kb": peak_kb,
                                  "returncode": returncode}), encoding="utf-8")
    return returncode


if __name__ == "__main__":
    raise SystemExit(main())
