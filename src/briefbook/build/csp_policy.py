"""A page's policy: exactly what the page's project put there, and what it blocks.

From what a page loads and runs (:mod:`.csp_loads`), what its rendering recorded about
its content (:class:`PageRecord`) and the book's settings (:mod:`.csp_settings`),
:func:`analyse` writes the page's policy: the site itself, each inline snippet by its
hash, the origins the page loads from in their directives (and what those origins may
also serve), and the findings, the things the project put on the page that the policy
blocks (``BB504``, ``BB505``). :func:`add_policy` puts the policy's ``<meta>`` tag first
in the page's head.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from briefbook.build.csp_loads import Load, scan, sha256_source, source_matches, source_of
from briefbook.build.csp_settings import Settings

META_RE = re.compile(r'\n?<meta http-equiv="Content-Security-Policy" content="[^"]*" ?/?>')
CHARSET_RE = re.compile(r"<meta charset=[^>]*>", re.I)
HEAD_RE = re.compile(r"<head[^>]*>", re.I)
# URLs written as string literals in a script: what an inline loader will fetch.
_URL_LITERAL_RE = re.compile(r"""["'`]((?:https?:)?//[A-Za-z0-9.-]+(?::\d+)?)""")
_NOT_LOADED = ("http://www.w3.org", "https://www.w3.org")  # XML namespaces, never fetched
#: Directive order in the policy; those in BASE are always written, the others when a page
#: needs them (so a page that loads nothing from elsewhere keeps the short policy).
ORDER = ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src",
         "frame-src", "media-src", "manifest-src", "worker-src", "object-src", "base-uri",
         "form-action")
BASE = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Styles stay open to inline use: the theme's icon library (Font Awesome) injects
    # its stylesheet from script at run time, and Sphinx writes table widths as style
    # attributes. Styles cannot run code; scripts are what the policy locks down.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
DIRECTIVE = {"script": "script-src", "style": "style-src", "img": "img-src",
             "font": "font-src", "connect": "connect-src", "frame": "frame-src",
             "media": "media-src", "manifest": "manifest-src", "form": "form-action"}
#: What an origin the page runs a script from may also serve: the script's own fonts,
#: images, styles, frames and requests (MathJax's fonts and speech frame, a widget's
#: API, an analytics beacon). Code from that origin already runs with the page's powers.
SCRIPT_ORIGIN_ALSO = ("style-src", "img-src", "font-src", "connect-src", "frame-src")
#: A stylesheet's own fonts and images come from where the stylesheet does.
STYLE_ORIGIN_ALSO = ("img-src", "font-src")
#: Vendors that load from a second origin, as they document it.
COMPANIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # A Google Fonts stylesheet serves its font files from fonts.gstatic.com.
    "https://fonts.googleapis.com": {"font-src": ("https://fonts.gstatic.com",)},
    # Google's tag (gtag.js) sends its measurements to these (Google's CSP guide).
    "https://www.googletagmanager.com": {
        "img-src": ("https://*.google-analytics.com", "https://*.googletagmanager.com"),
        "connect-src": ("https://*.google-analytics.com", "https://*.analytics.google.com",
                        "https://*.googletagmanager.com"),
    },
}


def _snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


@dataclass
class PageRecord:
    """What the page's rendering knew: its content's scripts and its declared assets."""

    page: str
    docname: str | None = None
    #: ``Load.key`` of each thing in the page's body the policy blocks, with its count.
    content: dict[str, int] = field(default_factory=dict)
    #: Where a declared URL or inline snippet (by hash) came from, for messages.
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    code: str
    text: str


def blocked_in_content(load: Load) -> bool:
    """Whether a load found in the page's content is one the policy does not allow."""
    if load.kind in ("inline", "handler", "jsurl", "object"):
        return True
    if load.kind in ("script", "form", "base"):
        return source_of(load.value) is not None
    return False


def analyse(html: str, record: PageRecord | None = None, settings: Settings | None = None,
            stylesheet: Callable[[str], list[Load]] | None = None,
            ) -> tuple[str, list[Finding]]:
    """The policy for a page, and what it blocks that the project put there.

    ``record`` tells the page's content from its templates (without one, the whole page
    counts as the project's); ``stylesheet(href)`` gives what a local stylesheet loads.
    """
    settings = settings or Settings()
    labels = record.labels if record else {}
    content = Counter(record.content) if record else Counter()
    theme = f"the page's templates (theme {settings.theme!r})" if settings.theme else "the templates"
    default_label = theme if record else "the page"
    sources: dict[str, set[str]] = {name: set() for name in ORDER}
    hashes: set[str] = set()
    findings: list[Finding] = []
    referenced: list[tuple[str, str]] = []  # (origin, label) named by inline scripts

    def label_for(load: Load) -> str:
        key = sha256_source(load.value) if load.kind == "inline" else load.value
        return labels.get(key, default_label)

    def blocked(load: Load, why: str, fix: str) -> None:
        findings.append(Finding("BB504", f"{describe_load(load)} written by {label_for(load)} "
                                         f"is blocked: {why}; {fix}"))

    def allow(load: Load) -> None:
        origin = source_of(load.value)
        if origin is None:
            if load.kind == "style" and stylesheet is not None:
                for inner in stylesheet(load.value):
                    allow(inner)
            return
        directive = DIRECTIVE[load.kind]
        if origin.endswith(":") and "://" not in origin:  # a scheme: data:, blob:, …
            if origin not in BASE.get(directive, []):
                blocked(load, f"{directive} does not allow {origin} URLs",
                        "serve the file from the site instead")
            return
        sources[directive].add(origin)
        host_origin = origin if "://" in origin else None
        if load.kind == "script":
            for also in SCRIPT_ORIGIN_ALSO:
                sources[also].add(origin)
            if load.value == settings.mathjax_path and settings.mathjax2:
                findings.append(Finding("BB504", f"MathJax 2 ({load.value}) is blocked: it "
                                        "runs code with eval(), which the policy does not "
                                        "allow ('unsafe-eval'); use MathJax 3 or 4 (Sphinx's "
                                        "default mathjax_path) or set briefbook_csp = False"))
        elif load.kind == "style":
            for also in STYLE_ORIGIN_ALSO:
                sources[also].add(origin)
        for directive_also, extra in COMPANIONS.get(host_origin or "", {}).items():
            sources[directive_also].update(extra)

    for load in scan(META_RE.sub("", html)):
        if content[load.key] > 0 and blocked_in_content(load):
            content[load.key] -= 1
            continue  # the page's content: warned when the page was written, not allowed
        if load.kind == "inline":
            hashes.add(sha256_source(load.value))
            referenced.extend((origin, label_for(load)) for origin in _named_origins(load.value))
        elif load.kind == "handler":
            blocked(load, "an inline event handler would need 'unsafe-inline'",
                    "attach it from a script file with addEventListener")
        elif load.kind == "jsurl":
            blocked(load, "a javascript: URL would need 'unsafe-inline'",
                    "attach the action from a script file")
        elif load.kind == "object":
            blocked(load, "plugins are off (object-src 'none')", "use <img>, <video> or <iframe>")
        elif load.kind == "base":
            if source_of(load.value) is not None:
                blocked(load, "base-uri is 'self'", "use URLs relative to the site")
        else:
            allow(load)

    for directive, extra in settings.allow.items():
        sources[directive].update(extra)
    sources["connect-src"].update(settings.connect)

    every = {s for values in sources.values() for s in values}
    for origin, label in dict.fromkeys(referenced):
        if origin.startswith(_NOT_LOADED) or any(source_matches(s, origin) for s in every):
            continue
        findings.append(Finding(
            "BB505", f"an inline script from {label} names {origin}, which the policy does "
                     "not allow: what it loads from there is blocked; if the page should "
                     "load it, list the origin under its directive in briefbook_csp_allow"))

    directives = []
    for name in ORDER:
        values = sorted(sources[name])
        if name == "script-src":
            values += sorted(hashes)
        if name not in BASE and not values:
            continue
        base = BASE.get(name, ["'self'"])
        directives.append(" ".join([name, *base, *(v for v in values if v not in base)]))
    return "; ".join(directives), list(dict.fromkeys(findings))


def describe_load(load: Load) -> str:
    """A load as a message names it: ``the event handler onclick="…"``."""
    snippet = _snippet(load.value)
    if load.kind == "handler":
        return f"the event handler {load.what}\"{snippet}\""
    if load.kind == "jsurl":
        return f"the javascript: URL in {load.what}"
    if load.kind == "inline":
        return f"the inline script {snippet!r}"
    return f"{load.what} {snippet}"


def _named_origins(script: str) -> list[str]:
    found = []
    for match in _URL_LITERAL_RE.finditer(script):
        origin = source_of(match.group(1))
        if origin and origin not in found:
            found.append(origin)
    return found


def policy_for(html: str, record: PageRecord | None = None,
               settings: Settings | None = None) -> str:
    """The policy that lets exactly this page's own scripts and loads through."""
    return analyse(html, record, settings)[0]


def add_policy(html: str, policy: str | None = None) -> str:
    """``html`` with its policy meta tag (re)placed first in ``<head>``, after the charset.

    It must come before the first script to govern it; the charset declaration stays
    first so it remains within the first 1,024 bytes browsers scan for it.
    """
    html = META_RE.sub("", html)
    if policy is None:
        policy = policy_for(html)
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy}" />'
    anchor = CHARSET_RE.search(html) or HEAD_RE.search(html)
    if anchor is None:
        return html
    return html[:anchor.end()] + meta + html[anchor.end():]
