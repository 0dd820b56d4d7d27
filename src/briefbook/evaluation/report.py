"""The evaluation's report: one table of metrics against targets, and with ``--verbose``
every error by article, which is what a developer improving ingest works from.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from briefbook.evaluation.runs import COUNT_METRICS, METRICS, TARGETS, Evaluation, RunScore
from briefbook.evaluation.stubs import STUB_TARGETS, print_stub_report


def meets(metric: str, value: float | int | None, target: float) -> bool:
    """Whether a metric meets its target (counts are maxima, rates minima)."""
    if value is None:
        return metric in COUNT_METRICS
    return value <= target if metric in COUNT_METRICS else value >= target


def applies(metric: str, run: RunScore) -> bool:
    """Whether a row means anything for a run's articles: entity, quote and link rows
    not for pages annotated for their metadata only, page rows only where annotated."""
    if metric in COUNT_METRICS:
        return run.full
    ratio = run.ratios()[metric]
    if ratio.total:
        return True
    return run.full and not metric.startswith(_PAGE_METRICS)


_PAGE_METRICS = ("author_", "first_paragraph_", "last_paragraph_", "boilerplate_")


def _cell(metric: str, run: RunScore) -> str:
    value = run.metrics()[metric]
    if metric in COUNT_METRICS:
        return str(value)
    ratio = run.ratios()[metric]
    return "–" if value is None else f"{value:.3f} ({ratio.hits}/{ratio.total})"


def print_report(result: Evaluation, out: TextIO, verbose: int = 0) -> None:
    """The table of metrics against targets; with ``verbose``, every error by article
    (headline run; ``verbose >= 2`` also the run without a registry)."""
    console = Console(file=out, highlight=False, soft_wrap=True,
                      width=None if out.isatty() else 140)
    for problem in result.problems:
        console.print(f"[red]bad gold file[/red] {escape(str(problem))}", markup=True)
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {escape(warning)}", markup=True)
    if verbose and result.runs:
        runs = result.runs if verbose >= 2 else result.runs[:1]
        for run in runs:
            _print_details(console, run)
    if not result.runs:
        return
    headline = result.headline
    table = Table(title=f"briefbook ingest against {result.articles} annotated articles in "
                        f"{result.folder} (recogniser: {result.backend})")
    table.add_column("metric")
    table.add_column("target", justify="right")
    for run in result.runs:
        table.add_column(run.label, justify="right")
    metrics = headline.metrics()
    rows = [(m, label) for m, label in METRICS if any(applies(m, run) for run in result.runs)]
    for metric, label in rows:
        target = TARGETS.get(metric)
        if target is None:
            shown_target = ""
        elif metric in COUNT_METRICS:
            shown_target = f"≤ {target:g}"
        else:
            shown_target = f"≥ {target:.2f}"
        cells = []
        for index, run in enumerate(result.runs):
            cell = _cell(metric, run)
            if index == 0 and target is not None:
                ok = meets(metric, metrics[metric], target)
                cell = f"[{'green' if ok else 'red'}]{cell} {'✓' if ok else '✗'}[/]"
            cells.append(cell)
        table.add_row(label, shown_target, *cells)
    console.print(table)
    failed = [a for a in headline.articles if a.failure]
    for article in failed:
        console.print(f"[red]ingest failed[/red] on {escape(article.stem)}: "
                      f"{escape(article.failure or '')}", markup=True)
    shown = {m for m, _ in rows}
    missed = [m for m, t in TARGETS.items() if m in shown and not meets(m, metrics.get(m), t)]
    targets = len([m for m in TARGETS if m in shown])
    if result.stubs is not None:
        missed += print_stub_report(result.stubs, console, verbose)
        targets += len(STUB_TARGETS)
    console.print(f"{targets - len(missed)} of {targets} targets met"
                  + (f"; missed: {', '.join(missed)}" if missed else "")
                  + ("" if verbose else " (--verbose lists every error by article)"))


def _print_details(console: Any, run: RunScore) -> None:
    console.print(f"\n[bold]Errors by article ({run.label})[/bold]", markup=True)
    for article in run.articles:
        lines: list[str] = []
        if article.failure:
            console.print(f"\n[bold]{escape(article.stem)}[/bold]\n  ingest failed: "
                          f"{escape(article.failure)} (every gold item counts as missed)",
                          markup=True)
            continue
        for miss in article.misses:
            lines.append(f"miss ({miss['type']}): {miss['name']} {miss['forms']} - {miss['why']}")
        for fp in article.false_positives:
            lines.append(f"false positive ({fp['type']}): {fp['name']} - {fp['why']}")
        for link in article.wrong_links:
            lines.append(f"wrong link: {link['text']!r} -> {link['id']} (paragraph "
                         f"{link['paragraph']}) - {link['why']}")
        for quote in article.missed_quotes:
            lines.append(f"quote missed: {quote['text']!r}")
        for error in article.speaker_errors:
            lines.append(f"speaker wrong: {error['text']!r}: gold {error['gold']}, "
                         f"system {error['system']}")
        for wrong in article.misattributions:
            lines.append(f"MISATTRIBUTION: {wrong['text']!r}: system {wrong['system']}, "
                         f"gold {wrong['gold']}")
        for extra in article.extra_quotes:
            lines.append(f"quote not in gold: {extra!r}")
        for what, triple in (("title", article.title), ("date", article.date),
                             ("publisher", article.publisher), ("authors", article.authors),
                             ("first paragraph", article.first_paragraph),
                             ("last paragraph", article.last_paragraph)):
            if triple is not None and not triple[0]:
                lines.append(f"{what} wrong: gold {triple[1]!r}, system {triple[2]!r}")
        for kept in article.boilerplate or []:
            lines.append(f"outside the article, kept: {kept!r}")
        if lines:
            console.print(f"\n[bold]{escape(article.stem)}[/bold]", markup=True)
            for line in lines:
                console.print(f"  {escape(line)}", markup=True)
