"""Content-Security-Policy: a page runs the scripts its project put there, and no others.

Article text is untrusted. Escaping keeps it from becoming markup, and two guards keep a
script from slipping through anyway:

* at read time, raw HTML that carries script (``<script>``, ``on…=`` handlers,
  ``javascript:`` URLs) is removed from the page with a ``BB503`` error naming file and
  line, so no page body ever holds an inline script;
* at the end of an HTML build, every page gets a ``<meta http-equiv=
  "Content-Security-Policy">`` computed from what that page loads and runs.

**What a page's policy allows.** Everything the project itself put on the page, exactly:

* scripts from the site itself, and the inline snippets the theme's templates,
  ``html_js_files`` bodies and extensions (Sphinx's MathJax configuration) wrote into the
  page, each by its SHA-256 hash;
* the *origins* (``scheme://host:port``) of what the page loads from elsewhere, each in
  its directive: script files (``mathjax_path`` on the pages that have math, URLs in
  ``html_js_files``, a theme's CDN scripts), stylesheets (``html_css_files`` URLs), and
  the images, fonts, frames, media and forms the page's markup and its local stylesheets
  name by URL. An origin the page runs a script from may also serve that script's own
  fonts, images, styles, frames and requests (MathJax's fonts and speech frame, an
  analytics beacon): a script already runs with all the page's powers, so this grants it
  nothing new. A stylesheet's origin may serve its fonts and images. Two vendors load
  from a second origin and are known by name: Google Fonts and Google's tag. Origins are
  the unit: allowing a public CDN for one script lets any script on that CDN run;
* the theme's run-time fetches named in its options (pydata-sphinx-theme's version
  switcher and announcement), and what ``briefbook_csp_allow`` lists.

**What it blocks, with a warning naming page and source.** Script in page *content*
(after ``BB503``, what an extension's output writes into the body: ``BB504``), inline
event handlers and ``javascript:`` URLs anywhere (they would need ``'unsafe-inline'``
or ``'unsafe-hashes'``: ``BB504``; sphinx-book-theme's print and full-screen buttons are
such handlers, which is why the book turns them off), plugins (``object-src 'none'``), MathJax 2 (it needs
``'unsafe-eval'``), and an inline script that names an origin the policy does not allow:
whatever it loads from there is blocked (``BB505``, e.g. an analytics loader snippet).
A script file's own dynamic loads from third origins cannot be seen at build time: list
them in ``briefbook_csp_allow``.

**Where the policy is on.** ``briefbook_csp = "auto"`` (the default) turns it on in a
briefbook book (``briefbook_registry`` is set) and leaves a project that only uses
briefbook's roles and directives exactly as it was: no policy, no ``BB503``. ``True``
and ``False`` turn it on or off anywhere; with the policy on, ``BB503`` applies too.

The policy is added after the pages are written (``build-finished``) because the inline
snippets are only known in the final HTML, and Sphinx may write pages in worker
processes. While a page is rendered (``html-page-context``), what its content (the body)
holds and what its declared assets are is recorded in a small file beside the doctrees;
the final pass reads it to tell content from templates and to name sources. Pages
written by this build get their policy computed; a page left from an earlier build keeps
the one it has (only its head is read, to check it has one; one without gets it from its
record), so an incremental build's pass costs what it wrote, not the size of the site.
The pass is idempotent.

This module is the policy's part in the build (the events above, and ``BB503``); what a
page loads is read by :mod:`.csp_loads`, its policy written by :mod:`.csp_policy`, and
the settings checked by :mod:`.csp_settings`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx.util import logging

from briefbook.book.atomic import atomic_write
from briefbook.build.csp_loads import css_loads, scan, sha256_source, source_of
from briefbook.build.csp_policy import PageRecord, add_policy, analyse, blocked_in_content, describe_load
from briefbook.build.csp_settings import Settings, check_settings, csp_setting, is_book, policy_enabled

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from briefbook.build.csp_loads import Load
    from briefbook.build.csp_policy import Finding

logger = logging.getLogger(__name__)

# What makes raw HTML executable: script elements, event-handler attributes, script URLs.
SCRIPTY_RE = re.compile(
    r"<\s*script\b|\son[a-z]+\s*=|(?:href|src|action|formaction|data)\s*=\s*['\"]?\s*javascript:",
    re.I)

# --- during the build ------------------------------------------------------------------------

HEAD_BYTES = 8192  # the policy sits right after <meta charset>, well inside this
# Written pages are newer than the build's start; the slack covers file systems whose
# timestamps run a little behind the clock.
MTIME_SLACK_S = 2.0
_build_started: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
RECORDS = "briefbook-csp"


def note_build_start(app: Sphinx) -> None:
    _build_started[app] = time.time()
    if (app.builder.format == "html" and not policy_enabled(app.config)
            and csp_setting(app.config) == "auto"):
        logger.info("briefbook: no Content-Security-Policy (not a briefbook book: "
                    "briefbook_registry is not set); briefbook_csp = True adds one")


def _has_policy(path: Path) -> bool:
    with path.open("rb") as handle:
        return b'http-equiv="Content-Security-Policy"' in handle.read(HEAD_BYTES)


def _record_path(app: Sphinx, rel: str) -> Path:
    return Path(app.doctreedir) / RECORDS / (quote(rel, safe="") + ".json")


def _declared_labels(app: Sphinx, context: dict[str, Any]) -> dict[str, str]:
    """Where each external script and stylesheet, and each inline snippet, of the page
    was declared: a setting, an extension, MathJax."""
    config = app.config
    mathjax = str(getattr(config, "mathjax_path", "") or "")

    def entries(values: Iterable[Any]) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        for entry in values or []:
            if isinstance(entry, str):
                out.append((entry, {}))
            elif isinstance(entry, (tuple, list)) and entry:
                out.append((str(entry[0] or ""), dict(entry[1]) if len(entry) > 1 else {}))
        return out

    conf_js = entries(getattr(config, "html_js_files", []))
    conf_css = entries(getattr(config, "html_css_files", []))
    registry = getattr(app, "registry", None)
    ext_js = entries(getattr(registry, "js_files", []))
    ext_css = entries(getattr(registry, "css_files", []))
    labels: dict[str, str] = {}
    for asset in context.get("script_files") or []:
        filename = os.fspath(getattr(asset, "filename", asset) or "")
        attributes = getattr(asset, "attributes", {}) or {}
        body = str(attributes.get("body", "") or "")
        if filename:
            if source_of(filename) is None:
                continue
            key = filename
            if filename == mathjax:
                label = "MathJax (mathjax_path)"
            elif any(name == filename for name, _ in conf_js):
                label = "html_js_files"
            elif any(name == filename for name, _ in ext_js):
                label = "an extension's add_js_file()"
            else:
                label = "a script an extension or the theme added for this page"
        elif body:
            key = sha256_source(body)
            if body.startswith(("window.MathJax =", "MathJax.Hub.Config(")):
                label = "sphinx.ext.mathjax (the mathjax*_config setting)"
            elif any(not name and attrs.get("body") == body for name, attrs in conf_js):
                label = "html_js_files"
            elif any(not name and attrs.get("body") == body for name, attrs in ext_js):
                label = "an extension's add_js_file()"
            else:
                label = "a snippet an extension or the theme added for this page"
        else:
            continue
        labels.setdefault(key, label)
    for asset in context.get("css_files") or []:
        filename = os.fspath(getattr(asset, "filename", asset) or "")
        if not filename or source_of(filename) is None:
            continue
        if any(name == filename for name, _ in conf_css):
            labels.setdefault(filename, "html_css_files")
        elif any(name == filename for name, _ in ext_css):
            labels.setdefault(filename, "an extension's add_css_file()")
        else:
            labels.setdefault(filename, "a stylesheet an extension or the theme added")
    return labels


def record_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: nodes.document | None) -> None:
    """While a page renders: note its content's scripts (and warn, BB504: they will not
    run) and where its declared assets come from, for the final pass."""
    if app.builder.format != "html" or not policy_enabled(app.config):
        return
    builder: Any = app.builder
    try:
        output = Path(builder.get_outfilename(pagename))
        rel = output.relative_to(Path(app.outdir)).as_posix()
    except (AttributeError, ValueError):
        return
    docname = pagename if pagename in app.env.all_docs else None
    body = context.get("body")
    content: Counter[str] = Counter()
    if isinstance(body, str) and body:
        for load in scan(body):
            if not blocked_in_content(load):
                continue
            content[load.key] += 1
            logger.warning("BB504 %s in the content of %s (an extension's output, not raw "
                           "HTML) is blocked by the Content-Security-Policy",
                           describe_load(load), rel,
                           location=(docname, None) if docname else None,
                           type="briefbook", subtype="csp")
    record = PageRecord(pagename, docname, dict(content), _declared_labels(app, context))
    path = _record_path(app, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(record), sort_keys=True), encoding="utf-8")


def _load_record(app: Sphinx, rel: str) -> PageRecord | None:
    path = _record_path(app, rel)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PageRecord(**data)
    except (OSError, ValueError, TypeError):
        return None


class _Stylesheets:
    """What the site's own stylesheets load from elsewhere, read once per build."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir.resolve()
        self.cache: dict[Path, list[Load]] = {}

    def for_page(self, page: Path) -> Callable[[str], list[Load]]:
        return lambda href: self.loads(page.parent, href)

    def loads(self, folder: Path, href: str, seen: frozenset[Path] = frozenset()) -> list[Load]:
        relative = href.split("#")[0].split("?")[0]
        if not relative or relative.startswith("/"):
            return []
        path = (folder / relative).resolve()
        if path in seen or not path.is_relative_to(self.outdir):
            return []
        if path not in self.cache:
            try:
                css = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                css = ""
            found: list[Load] = []
            what = f"stylesheet {path.relative_to(self.outdir).as_posix()}"
            for load in css_loads(css, what):
                if source_of(load.value) is not None:
                    found.append(load)
                elif load.kind == "style":
                    found.extend(self.loads(path.parent, load.value, seen | {path}))
            self.cache[path] = found
        return self.cache[path]


class _Report:
    """Findings grouped by what they say, each naming the pages it was found on."""

    def __init__(self) -> None:
        self.pages: dict[Finding, list[tuple[str, str | None]]] = {}

    def add(self, findings: list[Finding], page: str, docname: str | None) -> None:
        for finding in findings:
            self.pages.setdefault(finding, []).append((page, docname))

    def emit(self) -> None:
        for finding, pages in self.pages.items():
            names = [page for page, _ in pages]
            where = (f"on {names[0]}" if len(names) == 1 else
                     f"on {len(names)} pages: {', '.join(names[:4])}"
                     + (", …" if len(names) > 4 else ""))
            docname = next((doc for _, doc in pages if doc), None)
            logger.warning("%s %s (%s)", finding.code, finding.text, where,
                           location=(docname, None) if docname else None,
                           type="briefbook", subtype="csp")


def apply_to_site(app: Sphinx, exception: BaseException | None) -> None:
    """Give every HTML page of a finished build its policy, and report what it blocks."""
    if exception is not None or app.builder.format != "html" or not policy_enabled(app.config):
        return
    outdir = Path(app.outdir)
    started = _build_started.pop(app, 0.0) - MTIME_SLACK_S
    settings = Settings.from_config(app.config)
    stylesheets = _Stylesheets(outdir)
    report = _Report()
    governed = _load_governed(app)
    now_governed: dict[str, int] = {}
    for path in sorted(outdir.rglob("*.html")):
        if "_static" in path.relative_to(outdir).parts:
            continue
        rel = path.relative_to(outdir).as_posix()
        stat = path.stat()
        # Not written by this build, and already governed: known from the last build by
        # its exact mtime, without opening the file (a thousand pages were read for
        # nothing, and all of them when a build followed the last within the slack).
        if governed.get(rel) == stat.st_mtime_ns or (stat.st_mtime < started
                                                     and _has_policy(path)):
            now_governed[rel] = stat.st_mtime_ns
            continue
        text = path.read_text(encoding="utf-8")
        record = _load_record(app, rel)
        policy, findings = analyse(text, record, settings, stylesheets.for_page(path))
        report.add(findings, rel, record.docname if record else None)
        updated = add_policy(text, policy)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
        now_governed[rel] = path.stat().st_mtime_ns
    _save_governed(app, now_governed)
    report.emit()


GOVERNED = "briefbook-csp-governed.json"


def _load_governed(app: Sphinx) -> dict[str, int]:
    """Pages the last build left with their policy, and their mtimes then."""
    try:
        data = json.loads((Path(app.doctreedir) / GOVERNED).read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _save_governed(app: Sphinx, governed: dict[str, int]) -> None:
    # A read-only build folder: the pages are read again next time.
    with contextlib.suppress(OSError):
        atomic_write(Path(app.doctreedir) / GOVERNED, json.dumps(governed, sort_keys=True))


def remove_script_raw(app: Sphinx, doctree: nodes.document) -> None:
    """Drop raw HTML that would run script, with an error naming the file and line.

    In a book always; in a project that only uses briefbook's markup, only when it has
    asked for the policy (otherwise its pages stay exactly as its authors wrote them).
    """
    if not (is_book(app.config) or policy_enabled(app.config)):
        return
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split() or not SCRIPTY_RE.search(node.astext()):
            continue
        logger.warning("BB503 raw HTML with script removed: pages carry no inline scripts",
                       location=node, type="briefbook", subtype="script")
        node.parent.remove(node)


def setup(app: Sphinx) -> None:
    # "env": whether raw HTML with script is removed at read time depends on it.
    app.add_config_value("briefbook_csp", "auto", "env", types=[bool, str])
    app.add_config_value("briefbook_csp_allow", {}, "html", types=[dict])
    app.connect("config-inited", check_settings)
    app.connect("doctree-read", remove_script_raw)
    app.connect("builder-inited", note_build_start)
    # Late, after sphinx.ext.mathjax and the theme have added this page's assets.
    app.connect("html-page-context", record_page, priority=900)
    app.connect("build-finished", apply_to_site)
