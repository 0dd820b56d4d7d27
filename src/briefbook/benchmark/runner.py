"""Build the anchor and the briefbook book for each N, in one run, and record it all.

For every size N the runner generates both books (:mod:`briefbook.benchmark.corpus`) and,
for each run, builds them from a fresh output folder with ``sphinx-build -b html -q -n``
in a child process (:mod:`briefbook.benchmark.measure`): wall seconds and peak RSS per
build; medians over runs.  In the same runs it also measures, at chosen sizes:

* ``-j 2`` against ``-j 1`` (the briefbook book, interleaved with the ``-j 1`` builds so
  both see the same machine load), and which extensions Sphinx says are not parallel-safe;
* an incremental rebuild after adding a mention of another entity to one article, as a
  share of the full build, checking that the entity's glossary entry now lists the
  article (the backlink every reader relies on);
* the PDF: the LaTeX writer, then each XeLaTeX, xindy and xdvipdfmx run timed separately
  (wrappers on ``PATH``), so the report can say what dominates;
* one briefing's PDF (``briefbook pdf BOOK <newest briefing>``), from a fresh build
  folder and then again unchanged: what an editor waits for to hand a briefing round,
  which should not grow with the book.

Builds run one after another (never two at once), so they do not compete with each
other; they do compete with whatever else the machine runs, hence the medians and the
load average in the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from briefbook.benchmark import corpus as corpus_mod
from briefbook.benchmark.edit import add_mention
from briefbook.benchmark.measure import Measurement, run_measured
from briefbook.benchmark.report import print_report, targets

DEFAULT_SIZES = (100, 500, 1000)
LARGE_SIZE = 2000
QUICK_SIZE = 3
KIND_PAGES = {"person": "people", "place": "places", "organization": "organizations"}
PDF_TOOLS = ("xelatex", "xindy", "makeindex", "xdvipdfmx")
BUILD_TIMEOUT_S = 3 * 3600.0  # a hung build (see measure.py) must not stall the run


@dataclass
class Options:
    sizes: list[int]
    runs: int = 3
    out: Path = Path("_build/bench")
    quick: bool = False
    anchor: bool = True
    parallel_n: int | None = 500
    incremental_n: int | None = 1000
    pdf_n: int | None = 100
    handout_n: int | None = 1000
    jobs: int = 2
    seed: str = "briefbook"
    timeout: float = BUILD_TIMEOUT_S
    argv: list[str] = field(default_factory=list)


def sphinx_command(book: Path, outdir: Path, builder: str = "html", jobs: int = 1,
                   quiet: bool = True) -> list[str]:
    """``sphinx-build`` as the Makefile runs it (``-c conf docs OUT``), nitpicky."""
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, *(["-q"] if quiet else []), "-n",
           "-c", str(book / "conf"), str(book / "docs"), str(outdir)]
    return cmd + (["-j", str(jobs)] if jobs > 1 else [])


def build(book: Path, outdir: Path, *, builder: str = "html", jobs: int = 1, fresh: bool = True,
          quiet: bool = True, timeout: float = BUILD_TIMEOUT_S) -> Measurement:
    """One build of ``book`` into ``outdir`` (emptied first unless ``fresh`` is False)."""
    if fresh and outdir.exists():
        shutil.rmtree(outdir)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    # The progress lines are parsed: with colour (which Sphinx turns on whenever CI=true)
    # each is redrawn in place after an erase-line sequence.
    env = {**os.environ, "NO_COLOR": "1"}
    return run_measured(sphinx_command(book, outdir, builder, jobs, quiet), env=env,
                        timeout=timeout)


def _summary(n: int, measurements: list[Measurement]) -> dict[str, Any]:
    ok = [m for m in measurements if m.returncode == 0]
    walls = [m.wall_s for m in ok]
    result: dict[str, Any] = {
        "runs_s": [round(m.wall_s, 3) for m in measurements],
        "failed": len(measurements) - len(ok),
        "warnings": max((len(m.warnings) for m in measurements), default=0),
    }
    if walls:
        median = statistics.median(walls)
        result.update(wall_s=round(median, 3), per_article_ms=round(median / n * 1000, 2),
                      peak_rss_mb=round(max(m.peak_rss_mb for m in ok), 1))
    else:
        result.update(wall_s=None, per_article_ms=None, peak_rss_mb=None)
    failed = next((m for m in measurements if m.returncode != 0), None)
    if failed is not None:
        result["error"] = failed.stderr[-2000:]
    warned = next((m for m in measurements if m.warnings), None)
    if warned is not None:
        result["first_warnings"] = warned.warnings[:10]
    return result


# --- incremental ------------------------------------------------------------------------------


def entry_html(page: Path, entity_id: str) -> str:
    """The glossary entry of ``entity_id`` (its ``<dt>`` to the next) in a built page."""
    text = page.read_text(encoding="utf-8")
    start = text.find(f'id="{entity_id}"')
    if start < 0:
        return ""
    end = text.find("<dt", start)
    return text[start: end if end > 0 else len(text)]


def lists_backlink(outdir: Path, entity_id: str, kind: str, docname: str) -> bool:
    page = outdir / "glossary" / f"{KIND_PAGES[kind]}.html"
    return f'href="../{docname}.html' in entry_html(page, entity_id)


_PROGRESS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*\d+%\] (\S+)", re.M)


def incremental(book: Path, outdir: Path, manifest_path: Path) -> dict[str, Any]:
    """Edit one article to name another entity, rebuild in place, check the backlink."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    edit = add_mention(book, manifest)
    before = lists_backlink(outdir, edit.entity_id, edit.entity_kind, edit.docname)
    try:
        time.sleep(0.05)  # a distinct mtime, as a real edit has
        m = build(book, outdir, fresh=False, quiet=False)
        after = lists_backlink(outdir, edit.entity_id, edit.entity_kind, edit.docname)
        article = (outdir / f"{edit.docname}.html").read_text(encoding="utf-8")
    finally:
        edit.restore()
    read = [doc for step, doc in _PROGRESS.findall(m.stdout) if step == "reading sources"]
    written = [doc for step, doc in _PROGRESS.findall(m.stdout) if step == "writing output"]
    return {
        "wall_s": round(m.wall_s, 3),
        "peak_rss_mb": round(m.peak_rss_mb, 1),
        "returncode": m.returncode,
        "warnings": len(m.warnings),
        "edited": edit.docname,
        "entity": edit.entity_id,
        "backlink_before": before,
        "backlink_after": after,
        "mention_in_article": f'data-entity="{edit.entity_id}"' in article,
        "pages_read": read,
        "pages_written": written,
    }


# --- PDF ----------------------------------------------------------------------------------


_TOOL_WRAPPER = """#!/bin/sh
# briefbook benchmark: time one {name} run (generated).
start=$(date +%s.%N)
{real} "$@"
rc=$?
end=$(date +%s.%N)
echo "{name} $start $end $rc" >> "{log}"
exit $rc
"""


def pdf(book: Path, workdir: Path) -> dict[str, Any]:
    """LaTeX writer, then ``make all-pdf`` (as ``sphinx-build -M latexpdf`` runs it) with
    every TeX tool timed on its own."""
    latex_dir = workdir / "latex"
    if shutil.which("xelatex") is None or shutil.which("make") is None:
        return {"skipped": "xelatex or make not installed (bash scripts/bootstrap.sh tex)"}
    write = build(book, latex_dir, builder="latex")
    result: dict[str, Any] = {"latex_write_s": round(write.wall_s, 3),
                              "latex_write_rss_mb": round(write.peak_rss_mb, 1),
                              "latex_warnings": len(write.warnings)}
    if write.returncode != 0:
        result["error"] = write.stderr[-2000:]
        return result
    tools = workdir / "tools"
    shutil.rmtree(tools, ignore_errors=True)
    tools.mkdir(parents=True)
    log = workdir / "tools.log"
    log.unlink(missing_ok=True)
    for name in PDF_TOOLS:
        real = shutil.which(name)
        if real is None:
            continue
        wrapper = tools / name
        wrapper.write_text(_TOOL_WRAPPER.format(name=name, real=real, log=log), encoding="utf-8")
        wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    proc = subprocess.run(["make", "-C", str(latex_dir), "all-pdf", "LATEXOPTS=-halt-on-error"],
                          env=env, capture_output=True, text=True, check=False)
    make_s = time.perf_counter() - start
    per_tool: dict[str, dict[str, Any]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            name, begin, end, _rc = line.split()
            entry = per_tool.setdefault(name, {"runs": 0, "seconds": 0.0, "each_s": []})
            entry["runs"] += 1
            entry["seconds"] = round(entry["seconds"] + float(end) - float(begin), 3)
            entry["each_s"].append(round(float(end) - float(begin), 3))
    pdfs = sorted(latex_dir.glob("*.pdf"))
    tools_s = sum(t["seconds"] for t in per_tool.values())
    result.update(
        make_s=round(make_s, 3),
        total_s=round(write.wall_s + make_s, 3),
        tools=per_tool,
        latexmk_overhead_s=round(make_s - tools_s, 3),
        returncode=proc.returncode,
        pdf_bytes=pdfs[0].stat().st_size if pdfs else 0,
    )
    if proc.returncode != 0:
        result["error"] = (proc.stdout + proc.stderr)[-2000:]
    return result


# --- one briefing's PDF -------------------------------------------------------------------------


def handout(book: Path, workdir: Path, manifest_path: Path,
            timeout: float = BUILD_TIMEOUT_S) -> dict[str, Any]:
    """``briefbook pdf`` of the newest briefing, as an editor runs it: first from a fresh
    build folder (the time the target is about), then again with nothing changed."""
    if shutil.which("xelatex") is None or shutil.which("make") is None:
        return {"skipped": "xelatex or make not installed (bash scripts/bootstrap.sh tex)"}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    newest = max(manifest["articles"], key=lambda a: (a["date"], a["docname"]))["docname"]
    if workdir.exists():
        shutil.rmtree(workdir)
    out = workdir / "handout.pdf"
    cmd = [sys.executable, "-m", "briefbook.cli", "pdf", str(book), newest, "--out", str(out),
           "--builddir", str(workdir / "build")]
    env = {**os.environ, "NO_COLOR": "1"}
    first = run_measured(cmd, env=env, timeout=timeout)
    result: dict[str, Any] = {"docname": newest, "wall_s": round(first.wall_s, 3),
                              "peak_rss_mb": round(first.peak_rss_mb, 1),
                              "returncode": first.returncode, "warnings": len(first.warnings)}
    if first.returncode != 0 or not out.is_file():
        result["error"] = first.stderr[-2000:]
        return result
    again = run_measured(cmd, env=env, timeout=timeout)
    result.update(rebuild_s=round(again.wall_s, 3), rebuild_returncode=again.returncode,
                  pdf_bytes=out.stat().st_size)
    return result


# --- the run ----------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in ("sphinx", "myst-parser", "sphinxcontrib-bibtex", "sphinx-design",
                 "sphinx-book-theme", "pydata-sphinx-theme", "docutils", "briefbook"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = ""
    return found


def _nearest(value: int | None, sizes: list[int]) -> int | None:
    if value is None or not sizes:
        return None
    return value if value in sizes else min(sizes, key=lambda s: (abs(s - value), s))


def _parallel_warnings(stderr: str) -> list[str]:
    return sorted({line.strip() for line in stderr.splitlines() if "parallel" in line.lower()})


def run(options: Options, progress: Any = print) -> dict[str, Any]:
    """Every measurement of one benchmark run, as the JSON it writes."""
    out = options.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(options.sizes))
    parallel_n = _nearest(options.parallel_n, sizes)
    incremental_n = _nearest(options.incremental_n, sizes)
    pdf_n = _nearest(options.pdf_n, sizes)
    handout_n = _nearest(options.handout_n, sizes)
    started = time.time()
    results: dict[str, Any] = {
        "meta": {
            "command": " ".join(["python -m briefbook.benchmark", *options.argv]),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
            "runs": options.runs,
            "quick": options.quick,
            "cpus": os.cpu_count(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(),
            "versions": _versions(),
            "build_command": "python -m sphinx -b html -q -n -c conf docs OUT (fresh OUT)",
            "seed": options.seed,
        },
        "sizes": [],
        "parallel": None,
        "incremental": None,
        "pdf": None,
        "handout": None,
    }
    for n in sizes:
        root = out / f"n{n}"
        progress(f"[bench] N={n}: generating the books in {root}")
        generated = corpus_mod.generate(n, root, options.seed)
        counts = {k: getattr(generated.counts, k) for k in generated.counts.__dataclass_fields__}
        counts["entities"] = generated.counts.entities
        anchor_runs: list[Measurement] = []
        bb_runs: list[Measurement] = []
        j2_runs: list[Measurement] = []
        inc_runs: list[dict[str, Any]] = []
        parallel_notes: set[str] = set()
        for r in range(options.runs):
            if options.anchor:
                progress(f"[bench] N={n} run {r + 1}/{options.runs}: anchor")
                anchor_runs.append(build(generated.anchor, root / "html-anchor", timeout=options.timeout))
            progress(f"[bench] N={n} run {r + 1}/{options.runs}: briefbook")
            bb_runs.append(build(generated.briefbook, root / "html-briefbook", timeout=options.timeout))
            if n == parallel_n:
                progress(f"[bench] N={n} run {r + 1}/{options.runs}: briefbook -j {options.jobs}")
                m = build(generated.briefbook, root / "html-briefbook-j", jobs=options.jobs,
                          timeout=options.timeout)
                j2_runs.append(m)
                parallel_notes.update(_parallel_warnings(m.stderr))
            if n == incremental_n and bb_runs[-1].returncode == 0:
                progress(f"[bench] N={n} run {r + 1}/{options.runs}: incremental rebuild")
                inc_runs.append(incremental(generated.briefbook, root / "html-briefbook",
                                            root / "manifest.json"))
        row: dict[str, Any] = {"n": n, "counts": counts, "briefbook": _summary(n, bb_runs)}
        if anchor_runs:
            row["anchor"] = _summary(n, anchor_runs)
            a, b = row["anchor"]["wall_s"], row["briefbook"]["wall_s"]
            row["ratio"] = round(a / b, 2) if a and b else None
        results["sizes"].append(row)
        if j2_runs:
            j1, j2 = row["briefbook"], _summary(n, j2_runs)
            results["parallel"] = {
                "n": n, "jobs": options.jobs, "j1": j1, "jn": j2,
                "speedup": round(j1["wall_s"] / j2["wall_s"], 2)
                if j1["wall_s"] and j2["wall_s"] else None,
                "parallel_warnings": sorted(parallel_notes),
            }
        if inc_runs:
            walls = [i["wall_s"] for i in inc_runs if i["returncode"] == 0]
            full = row["briefbook"]["wall_s"]
            median = statistics.median(walls) if walls else None
            results["incremental"] = {
                "n": n, "full_s": full, "wall_s": round(median, 3) if median else None,
                "runs_s": [i["wall_s"] for i in inc_runs],
                "percent_of_full": round(100 * median / full, 2) if median and full else None,
                "backlinks_updated": all(i["backlink_after"] and not i["backlink_before"]
                                         and i["mention_in_article"] for i in inc_runs),
                "last": inc_runs[-1],
            }
        if n == pdf_n and not options.quick:
            progress(f"[bench] N={n}: PDF (latex writer, then XeLaTeX)")
            results["pdf"] = {"n": n, **pdf(generated.briefbook, root / "pdf")}
        if n == handout_n and not options.quick:
            progress(f"[bench] N={n}: one briefing's PDF (briefbook pdf)")
            results["handout"] = {"n": n, **handout(generated.briefbook, root / "handout",
                                                     root / "manifest.json", options.timeout)}
        _write(out, results, started)  # partial results survive an interrupted run
    if options.quick and results["pdf"] is None:
        results["pdf"] = {"n": pdf_n, "skipped": "--quick"}
    if options.quick and results["handout"] is None:
        results["handout"] = {"n": handout_n, "skipped": "--quick"}
    _write(out, results, started)
    return results


def _write(out: Path, results: dict[str, Any], started: float) -> Path:

    results["meta"]["duration_s"] = round(time.time() - started, 1)
    results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = targets(results)
    path = out / "bench.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


# --- command line -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m briefbook.benchmark",
        description="Build a synthetic briefing book of N articles with briefbook and as "
                    "plain Sphinx (the anchor); print wall time, per-article cost, peak RSS, "
                    "the anchor/briefbook ratio, -j 2 against -j 1, an incremental rebuild, "
                    "the PDF build and one briefing's PDF; write it all to OUT/bench.json.")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, metavar="N",
                        help="book sizes in articles (default: 100 500 1000)")
    parser.add_argument("--large", action="store_true", help=f"add N={LARGE_SIZE}")
    parser.add_argument("--runs", type=int, default=None,
                        help="builds per size and book; medians are reported (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: N={QUICK_SIZE}, one run, every step at that size, no PDFs")
    parser.add_argument("--out", type=Path, default=Path("_build/bench"),
                        help="where the books, builds and bench.json go (default _build/bench)")
    parser.add_argument("--no-anchor", dest="anchor", action="store_false",
                        help="skip the anchor builds (briefbook only)")
    parser.add_argument("--parallel-size", type=int, default=500,
                        help="N for -j 2 against -j 1 (nearest measured size; default 500; 0: none)")
    parser.add_argument("--incremental-size", type=int, default=1000,
                        help="N for the incremental rebuild (nearest measured size; default 1000; "
                             "0: none)")
    parser.add_argument("--pdf-size", type=int, default=100,
                        help="N for the PDF build (nearest measured size; default 100; 0: none)")
    parser.add_argument("--handout-size", type=int, default=1000,
                        help="N for one briefing's PDF, briefbook pdf (nearest measured size; "
                             "default 1000; 0: none)")
    parser.add_argument("--jobs", type=int, default=2, help="-j for the parallel build (default 2)")
    parser.add_argument("--seed", default="briefbook", help="corpus seed (default 'briefbook')")
    parser.add_argument("--timeout", type=float, default=BUILD_TIMEOUT_S,
                        help="seconds before one build is killed and counted as failed")
    args = parser.parse_args(argv)
    sizes = list(args.sizes or ([QUICK_SIZE] if args.quick else DEFAULT_SIZES))
    if args.large and LARGE_SIZE not in sizes:
        sizes.append(LARGE_SIZE)
    if any(n < 1 for n in sizes):
        parser.error("sizes must be positive")
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    if runs < 1:
        parser.error("--runs must be at least 1")
    return Options(
        sizes=sizes, runs=runs, out=args.out, quick=args.quick, anchor=args.anchor,
        parallel_n=args.parallel_size or None, incremental_n=args.incremental_size or None,
        pdf_n=args.pdf_size or None, handout_n=args.handout_size or None, jobs=args.jobs,
        seed=args.seed, timeout=args.timeout,
        argv=list(sys.argv[1:] if argv is None else argv),
    )


def main(argv: list[str] | None = None) -> int:

    options = parse_args(argv)
    results = run(options, progress=lambda text: print(text, file=sys.stderr, flush=True))
    print_report(results)
    print(f"JSON: {options.out / 'bench.json'}")
    failed = any(row["briefbook"]["failed"] or row.get("anchor", {}).get("failed")
                 for row in results["sizes"])
    return 1 if failed else 0
