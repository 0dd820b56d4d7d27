"""Content-Security-Policy: the HTML runs only the scripts the book's templates put there.

Article text is untrusted. Escaping keeps it from becoming markup, and two guards keep a
script from slipping through anyway:

* at read time, raw HTML that carries script (``<script>``, ``on…=`` handlers,
  ``javascript:`` URLs) is removed from the page with a ``BB503`` error naming file and
  line, so no page body ever holds an inline script;
* at the end of an HTML build, every page gets a ``<meta http-equiv=
  "Content-Security-Policy">`` that allows scripts only from the site itself plus the exact
  inline snippets the theme's templates wrote into that page, by SHA-256 hash. Anything
  else, including a script that reached a page some other way, does not run.

The policy is added after the pages are written (``build-finished``) because the inline
snippets are only known in the final HTML, and Sphinx may write pages in worker processes.
Pages written by this build get their policy computed; a page left from an earlier build
keeps the one it has (only its head is read, to check it has one), so an incremental
build's pass costs what it wrote, not the size of the site. The pass is idempotent.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

META_RE = re.compile(r'\n?<meta http-equiv="Content-Security-Policy" content="[^"]*" ?/?>')
INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
CHARSET_RE = re.compile(r"<meta charset=[^>]*>", re.I)
HEAD_RE = re.compile(r"<head[^>]*>", re.I)
# What makes raw HTML executable: script elements, event-handler attributes, script URLs.
SCRIPTY_RE = re.compile(
    r"<\s*script\b|\son[a-z]+\s*=|(?:href|src|action|formaction|data)\s*=\s*['\"]?\s*javascript:",
    re.I)


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy_for(html: str) -> str:
    """The policy that lets exactly this page's inline scripts run, and nothing else."""
    scripts = sorted({_sha256(m.group(1)) for m in INLINE_SCRIPT_RE.finditer(html)})
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        # Styles stay open to inline use: the theme's icon library (Font Awesome) injects
        # its stylesheet from script at run time, and Sphinx writes table widths as style
        # attributes. Styles cannot run code; scripts are what the policy locks down.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def add_policy(html: str) -> str:
    """``html`` with its policy meta tag (re)placed first in ``<head>``, after the charset.

    It must come before the first script to govern it; the charset declaration stays
    first so it remains within the first 1,024 bytes browsers scan for it.
    """
    html = META_RE.sub("", html)
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}" />'
    anchor = CHARSET_RE.search(html) or HEAD_RE.search(html)
    if anchor is None:
        return html
    return html[:anchor.end()] + meta + html[anchor.end():]


HEAD_BYTES = 8192  # the policy sits right after <meta charset>, well inside this
# Written pages are newer than the build's start; the slack covers file systems whose
# timestamps run a little behind the clock.
MTIME_SLACK_S = 2.0
_build_started: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()


def note_build_start(app: Sphinx) -> None:
    _build_started[app] = time.time()


def _has_policy(path: Path) -> bool:
    with path.open("rb") as handle:
        return b'http-equiv="Content-Security-Policy"' in handle.read(HEAD_BYTES)


def apply_to_site(app: Sphinx, exception: BaseException | None) -> None:
    """Give every HTML page of a finished build its policy."""
    if exception is not None or app.builder.format != "html" or not app.config.briefbook_csp:
        return
    outdir = Path(app.outdir)
    started = _build_started.pop(app, 0.0) - MTIME_SLACK_S
    for path in sorted(outdir.rglob("*.html")):
        if "_static" in path.relative_to(outdir).parts:
            continue
        if path.stat().st_mtime < started and _has_policy(path):
            continue  # not written by this build, and already governed
        text = path.read_text(encoding="utf-8")
        updated = add_policy(text)
        if updated != text:
            path.write_text(updated, encoding="utf-8")


def remove_script_raw(app: Sphinx, doctree: nodes.document) -> None:
    """Drop raw HTML that would run script, with an error naming the file and line."""
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split() or not SCRIPTY_RE.search(node.astext()):
            continue
        logger.warning("BB503 raw HTML with script removed: pages carry no inline scripts",
                       location=node, type="briefbook", subtype="script")
        node.parent.remove(node)


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_csp", True, "html", types=[bool])
    app.connect("doctree-read", remove_script_raw)
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", apply_to_site)
