"""Findings: ``file:line: BBnnn message`` with a severity and a one-line hint, in three formats.

Every code briefbook reports, from the build or the check alone, is listed in :data:`CODES`
with the fix an editor should make; the build's warnings are read back into findings so
the check reports exactly what the build would.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from briefbook.book.layout import Book
from briefbook.book.silencing import code_of

Severity = Literal["error", "warning"]


# Code → (default severity, one-line fix hint).
CODES: dict[str, tuple[Severity, str]] = {
    "BB101": ("error", "fix the name, or add the entity to conf/entities/"),
    "BB102": ("error", "add a glossary page with {entity-index} for this kind"),
    "BB103": ("warning", "link it with the suggested role, or mark the line briefbook-ignore: BB103"),
    "BB201": ("error", "add source=<bibtex key> to the quotation"),
    "BB202": ("error", "use a registry id or name for speaker=, or unnamed=… for a described source"),
    "BB203": ("error", "add :sources: with the bibtex keys the claim rests on"),
    "BB204": ("error", "use one of the ICD 203 terms in :likelihood: (see the yardstick annex)"),
    "BB205": ("error", "add :confidence: low, moderate or high"),
    "BB206": ("error", "write the date as YYYY-MM-DD"),
    "BB207": ("error", "write the event date as YYYY-MM-DD or YYYY-MM"),
    "BB301": ("error", "give each entity its own id"),
    "BB302": ("error", "remove the name from one of the two entities"),
    "BB303": ("error", "add the missing field"),
    "BB304": ("error", "write dates as YYYY-MM-DD, end after start"),
    "BB305": ("error", "write coordinates as [latitude, longitude] in decimal degrees"),
    "BB306": ("error", "remove or rename the field (see the comment at the top of the file)"),
    "BB307": ("error", "use lowercase ASCII kebab-case, e.g. lloyd-austin"),
    "BB308": ("error", "fix the value's type"),
    "BB309": ("error", "fix the YAML syntax"),
    "BB310": ("warning", "review the entry, then remove 'unreviewed: true'"),
    "BB311": ("warning", "mention it in a briefing or remove it from the registry"),
    "BB312": ("warning", "check the title, or the role's dates in the registry"),
    "BB401": ("error", "cite the source, or remove it from sources.bib"),
    "BB402": ("error", "add the entry to sources.bib or fix the key"),
    "BB403": ("error", "add the missing field to the entry"),
    "BB404": ("error", "give each entry its own key"),
    "BB405": ("error", "use a full http(s) URL"),
    "BB406": ("error", "save the file as UTF-8"),
    "BB407": ("error", "fix the BibTeX syntax at that entry"),
    "BB408": ("error", "grade reliability A–F and credibility 1–6 (Admiralty scale)"),
    "BB409": ("error", "status is retracted, discredited or disputed, with status-reason"),
    "BB410": ("error", "write status-date as YYYY-MM-DD and archive-date as YYYY-MM-DDTHH:MM:SSZ"),
    "BB411": ("error", "give archive, archive-date and a 64-digit archive-sha256 together"),
    "BB412": ("error", "run briefbook sources archive, or restore the preserved copy"),
    "BB413": ("error", "the preserved copy is not a readable WARC: capture it again (--force)"),
    "BB414": ("error", "the preserved copy changed since capture: restore it from a backup"),
    "BB415": ("error", "add reliability = {A–F} to the source's entry in sources.bib"),
    "BB416": ("error", "withdraw the judgement or re-source it: none of its sources stands"),
    "BB417": ("error", "re-check the judgement against the sources that still stand"),
    "BB418": ("error", "weigh the dispute; cite a corroborating source if there is one"),
    "BB500": ("error", "fix the markup at that line"),
    "BB501": ("error", "add the page to a toctree, or mark it :orphan:"),
    "BB502": ("error", "fix the page's front matter"),
    "BB503": ("error", "remove the script: pages carry no inline scripts (the HTML has a CSP)"),
    "BB504": ("error", "move the handler or script into a script file (html_js_files)"),
    "BB505": ("error", "list the origin in briefbook_csp_allow, or drop the load"),
    "BB506": ("error", "fix the briefbook_csp setting (True, False or \"auto\")"),
    "BB507": ("warning", "add date: YYYY-MM-DD to the front matter and name the file "
                         "<date>-<slug>.md (or ingest it again with --update --date)"),
    "BB508": ("error", "save the page as UTF-8 text (in most editors: Save As, encoding UTF-8)"),
    "BB601": ("error", "use a level of the marking scheme (TLP:CLEAR, TLP:GREEN, TLP:AMBER, …)"),
    "BB602": ("error", "mark the portion at least as high as its page, or lower the page"),
    "BB603": ("error", "set briefbook_previous_export to an existing export, relative to conf.py"),
    "BB604": ("error", "restore the previous edition's export: it is not valid JSON at that line"),
    "BB605": ("error", "export the previous edition again with this briefbook (briefbook export)"),
    "BB606": ("error", "compare with an export of the same release level (export --release LEVEL)"),
    "BB607": ("error", "give the page one 'marking:' with a level of the scheme, in front matter "
                       "MyST reads (or its rST field list), in a file saved as UTF-8"),
    "BB608": ("error", "mark the page, or a {marking} portion around the include, at least as "
                       "high as the file it includes"),
}


_WARNING_RE = re.compile(
    r"^(?P<loc>.+?):(?P<line>\d+)?:?\s*(?P<level>WARNING|ERROR|CRITICAL): (?P<msg>.*?)"
    r"(?: \[(?P<type>[\w.-]+)\])?$"
)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    message: str
    severity: Severity = field(default="error", compare=False)
    hint: str = field(default="", compare=False)


def finding(book: Book, path: str | Path, line: int, code: str, message: str) -> Finding:
    severity, hint = CODES.get(code, ("error", ""))
    # Line 1 for problems of a whole file (editors and annotations need a line).
    return Finding(book.rel(path), max(line, 1), code, message, severity, hint)


def sphinx_findings(book: Book, stream: str) -> list[Finding]:
    found = []
    for raw in stream.splitlines():
        raw = re.sub(r"\x1b\[[0-9;]*m", "", raw).strip()
        match = _WARNING_RE.match(raw)
        if not match:
            continue
        location = match.group("loc")
        if match.group("line") is None and ":" in location:
            location, _, rest = location.rpartition(":")
            line = int(rest) if rest.isdigit() else 0
        else:
            line = int(match.group("line") or 0)
        if "briefbook: the" in match.group("msg"):
            continue  # the summary line of a stopped build
        code, message = code_of(match.group("msg"), match.group("type"))
        found.append(finding(book, location, line, code, message))
    return found


def format_human(findings: Sequence[Finding], strict: bool, colour: bool) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=120,
                      highlight=False, soft_wrap=True)
    current = None
    for item in findings:
        if item.path != current:
            current = item.path
            console.print(f"\n[bold]{item.path}[/bold]")
        level = "error" if strict or item.severity == "error" else "warning"
        style = "red" if level == "error" else "yellow"
        console.print(f"  {item.path}:{item.line}: [{style}]{item.code}[/{style}] {item.message}",
                      markup=True)
        if item.hint:
            console.print(f"      [dim]fix: {item.hint}[/dim]")
    errors = sum(1 for f in findings if strict or f.severity == "error")
    warnings = len(findings) - errors
    console.print(f"\n{errors} error(s), {warnings} warning(s)" if findings else "No problems found.")
    return buffer.getvalue().lstrip("\n")


def format_json(findings: Sequence[Finding], strict: bool) -> str:
    records = []
    for item in findings:
        record = asdict(item)
        record["severity"] = "error" if strict else item.severity
        records.append(record)
    return json.dumps({"findings": records,
                       "errors": sum(1 for r in records if r["severity"] == "error"),
                       "warnings": sum(1 for r in records if r["severity"] == "warning")},
                      ensure_ascii=False, indent=2)


def format_github(findings: Sequence[Finding], strict: bool) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for item in findings:
        level = "error" if strict or item.severity == "error" else "warning"
        message = escape(f"{item.message} (fix: {item.hint})" if item.hint else item.message)
        lines.append(f"::{level} file={item.path},line={item.line},title={item.code}::{message}")
    return "\n".join(lines)

