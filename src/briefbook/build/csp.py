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
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import os
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

META_RE = re.compile(r'\n?<meta http-equiv="Content-Security-Policy" content="[^"]*" ?/?>')
CHARSET_RE = re.compile(r"<meta charset=[^>]*>", re.I)
HEAD_RE = re.compile(r"<head[^>]*>", re.I)
# What makes raw HTML executable: script elements, event-handler attributes, script URLs.
SCRIPTY_RE = re.compile(
    r"<\s*script\b|\son[a-z]+\s*=|(?:href|src|action|formaction|data)\s*=\s*['\"]?\s*javascript:",
    re.I)

# --- settings ----------------------------------------------------------------------------

CSP_VALUES = (True, False, "auto")
#: Directives ``briefbook_csp_allow`` may add sources to.
ALLOWABLE = ("script-src", "style-src", "img-src", "font-src", "connect-src", "frame-src",
             "media-src", "manifest-src", "worker-src", "form-action")
# A host source: optional scheme, host (optionally *.-wildcarded), optional port and path.
# Keywords ('unsafe-inline'), nonces, hashes and bare schemes (https:) are refused: they
# would weaken the policy for every page instead of naming what a page loads.
HOST_SOURCE_RE = re.compile(
    r"""^(?:(?:https?|wss?)://)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d+|\*))?"""
    r"""(?:/[^\s;,'"<>&]*)?$""",
    re.I)


def _setting(config: Config) -> bool | str:
    value = getattr(config, "briefbook_csp", "auto")
    return value if value in CSP_VALUES else "auto"


def is_book(config: Config) -> bool:
    """A briefbook book, as opposed to a project that only uses briefbook's markup."""
    return bool(str(getattr(config, "briefbook_registry", "") or ""))


def policy_enabled(config: Config) -> bool:
    """Whether pages get a policy: ``auto`` means in a book only."""
    value = _setting(config)
    return is_book(config) if value == "auto" else bool(value)


def check_settings(app: Sphinx, config: Config) -> None:
    """Refuse values the policy cannot use, naming the setting (BB506)."""
    value = getattr(config, "briefbook_csp", "auto")
    if value not in CSP_VALUES:
        logger.warning("BB506 briefbook_csp = %r: use True, False or \"auto\" (taken as "
                       "\"auto\")", value, type="briefbook", subtype="csp")
    allow = getattr(config, "briefbook_csp_allow", {}) or {}
    if not isinstance(allow, dict):
        logger.warning("BB506 briefbook_csp_allow must map directives to lists of origins",
                       type="briefbook", subtype="csp")
        return
    for directive, sources in allow.items():
        if directive not in ALLOWABLE:
            logger.warning("BB506 briefbook_csp_allow: unknown directive %r (use one of %s)",
                           directive, ", ".join(ALLOWABLE), type="briefbook", subtype="csp")
            continue
        if not isinstance(sources, (str, list, tuple)):
            sources = [sources]
        for source in [sources] if isinstance(sources, str) else sources:
            if not isinstance(source, str) or not HOST_SOURCE_RE.match(source):
                logger.warning("BB506 briefbook_csp_allow[%r]: %r is not an origin such as "
                               "https://stats.example.org; keywords, hashes and bare schemes "
                               "would weaken every page (set briefbook_csp = False instead)",
                               directive, source, type="briefbook", subtype="csp")


def _allowed_by_config(config: Config) -> dict[str, list[str]]:
    allow = getattr(config, "briefbook_csp_allow", {}) or {}
    if not isinstance(allow, dict):
        return {}
    result: dict[str, list[str]] = {}
    for directive, sources in allow.items():
        if directive not in ALLOWABLE:
            continue
        values = ([sources] if isinstance(sources, str)
                  else list(sources) if isinstance(sources, (list, tuple)) else [])
        result[directive] = [s for s in values if isinstance(s, str) and HOST_SOURCE_RE.match(s)]
    return result


@dataclass
class Settings:
    """What the policy needs from the configuration, the same for every page."""

    mathjax_path: str = ""
    mathjax2: bool = False
    allow: dict[str, list[str]] = field(default_factory=dict)
    #: Origins the theme fetches from at run time, named in its options.
    connect: list[str] = field(default_factory=list)
    theme: str = ""

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        path = str(getattr(config, "mathjax_path", "") or "")
        mathjax2 = bool(getattr(config, "mathjax2_config", None)
                        or getattr(config, "mathjax_config", None)) or "MathJax.js" in path
        return cls(mathjax_path=path, mathjax2=mathjax2, allow=_allowed_by_config(config),
                   connect=_theme_fetches(getattr(config, "html_theme_options", {}) or {}),
                   theme=str(getattr(config, "html_theme", "") or ""))


def _theme_fetches(options: dict[str, Any]) -> list[str]:
    """Origins pydata-sphinx-theme (and the book theme on it) fetch from at run time: the
    version switcher's JSON and a remote announcement."""
    found = []
    switcher = options.get("switcher")
    if isinstance(switcher, dict) and isinstance(switcher.get("json_url"), str):
        found.append(switcher["json_url"])
    announcement = options.get("announcement")
    if isinstance(announcement, str) and re.match(r"^https?://", announcement.strip()):
        found.append(announcement.strip())
    return sorted({s for url in found if (s := source_of(url)) and "://" in s})


# --- what a page loads -------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """One thing a page loads or runs: ``kind`` names the directive that governs it."""

    kind: str  # script inline style img font connect frame media manifest form object base handler jsurl
    value: str  # the URL; an inline script's text; a handler's code
    what: str = ""  # how it appears in the markup, for messages

    @property
    def key(self) -> str:
        value = _sha256(self.value) if self.kind == "inline" else self.value
        return f"{self.kind} {value}"


_TOKEN_RE = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style)\b(?P<rattrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(?P<text>.*?)</(?P=raw)\s*>"
    r"|<(?P<tag>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S | re.I)
_ATTR_RE = re.compile(
    r"""(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+)))?""")
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster")
_LINK_KINDS = {"stylesheet": "style", "icon": "img", "apple-touch-icon": "img",
               "mask-icon": "img", "manifest": "manifest", "modulepreload": "script"}
_PRELOAD_AS = {"script": "script", "style": "style", "font": "font", "image": "img",
               "fetch": "connect", "audio": "media", "video": "media", "track": "media",
               "document": "frame", "worker": "script"}
_SRC_KINDS = {"img": "img", "iframe": "frame", "frame": "frame", "video": "media",
              "audio": "media", "track": "media", "embed": "object"}
_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_CSS_IMPORT_RE = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.I)
_CSS_URL_RE = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""", re.I)
_FONT_FILES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# URLs written as string literals in a script: what an inline loader will fetch.
_URL_LITERAL_RE = re.compile(r"""["'`]((?:https?:)?//[A-Za-z0-9.-]+(?::\d+)?)""")
_NOT_LOADED = ("http://www.w3.org", "https://www.w3.org")  # XML namespaces, never fetched


def _attrs(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR_RE.finditer(text):
        name = match.group("name").lower()
        value = match.group("dq")
        if value is None:
            value = match.group("sq")
        if value is None:
            value = match.group("uq") or ""
        found.setdefault(name, html_lib.unescape(value))
    return found


def _is_javascript(type_: str) -> bool:
    """Script types the browser runs (and CSP governs); JSON and templates are data."""
    type_ = type_.strip().lower()
    return type_ in ("", "module", "importmap") or "javascript" in type_ or "ecmascript" in type_


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_loads(css: str, what: str) -> list[Load]:
    """What a stylesheet loads by URL: imported stylesheets, fonts, images."""
    css = _CSS_COMMENT_RE.sub("", css)
    imports = [m.group(1) for m in _CSS_IMPORT_RE.finditer(css)]
    found = [Load("style", url, what) for url in imports]
    for match in _CSS_URL_RE.finditer(css):
        url = match.group(1).strip()
        if url in imports or url.lower().startswith("data:"):
            continue
        path = urlsplit(url).path.lower() if "://" in url else url.split("?")[0].lower()
        found.append(Load("font" if path.endswith(_FONT_FILES) else "img", url, what))
    return found


# Tags whose attributes load something; any other tag matters only for what _ANY_TAG_RE finds.
_LOADING_TAGS = frozenset({"script", "style", "link", "img", "iframe", "frame", "video",
                           "audio", "track", "source", "embed", "object", "form", "base",
                           "image", "button", "input"})
_ANY_TAG_RE = re.compile(r"\son[a-z]+\s*=|javascript:|\sstyle\s*=", re.I)


def scan(html: str) -> list[Load]:
    """Everything ``html`` loads or runs, in document order."""
    found: list[Load] = []
    for match in _TOKEN_RE.finditer(html):
        raw = match.group("raw")
        if raw:
            tag, attrs = raw.lower(), _attrs(match.group("rattrs"))
        elif match.group("tag"):
            tag, text = match.group("tag").lower(), match.group("attrs")
            if tag not in _LOADING_TAGS and not _ANY_TAG_RE.search(text):
                continue  # the bulk of a page: nothing loaded, nothing run
            attrs = _attrs(text)
        else:
            continue  # a comment
        if tag == "script":
            if attrs.get("src"):
                found.append(Load("script", attrs["src"], "<script src>"))
            elif raw and _is_javascript(attrs.get("type", "")):
                found.append(Load("inline", match.group("text"), "<script>"))
        elif tag == "style" and raw:
            found.extend(css_loads(match.group("text"), "<style>"))
        elif tag == "link" and attrs.get("href"):
            rels = attrs.get("rel", "").lower().split()
            kind = next((_LINK_KINDS[r] for r in rels if r in _LINK_KINDS), None)
            if "preload" in rels:
                kind = _PRELOAD_AS.get(attrs.get("as", "").lower())
            if kind:
                found.append(Load(kind, attrs["href"], f"<link rel=\"{' '.join(rels)}\">"))
        elif tag in _SRC_KINDS and attrs.get("src"):
            found.append(Load(_SRC_KINDS[tag], attrs["src"], f"<{tag} src>"))
        elif tag == "source" and attrs.get("src"):
            found.append(Load("media", attrs["src"], "<source src>"))
        elif tag == "object" and attrs.get("data"):
            found.append(Load("object", attrs["data"], "<object data>"))
        elif tag == "form" and attrs.get("action"):
            found.append(Load("form", attrs["action"], "<form action>"))
        elif tag == "base" and attrs.get("href"):
            found.append(Load("base", attrs["href"], "<base href>"))
        elif tag == "image":
            href = attrs.get("href") or attrs.get("xlink:href")
            if href:
                found.append(Load("img", href, "<image href>"))
        if tag == "video" and attrs.get("poster"):
            found.append(Load("img", attrs["poster"], "<video poster>"))
        if tag in ("img", "source") and attrs.get("srcset"):
            found.extend(Load("img", url, f"<{tag} srcset>") for url in _srcset(attrs["srcset"]))
        if tag in ("button", "input") and attrs.get("formaction"):
            found.append(Load("form", attrs["formaction"], f"<{tag} formaction>"))
        if attrs.get("style"):
            found.extend(css_loads(attrs["style"], "style attribute"))
        for name, value in attrs.items():
            if re.fullmatch(r"on[a-z]+", name):
                found.append(Load("handler", value, f"{name}="))
            elif name in _URL_ATTRS and value.strip().lower().startswith("javascript:"):
                found.append(Load("jsurl", value, f"<{tag} {name}=…>"))
    return found


def source_of(url: str) -> str | None:
    """The source expression for where ``url`` loads from; None for the site itself.

    ``https://cdn.example.org:8443/x.js`` gives ``https://cdn.example.org:8443``; a
    protocol-relative ``//cdn.example.org/x.js`` gives ``cdn.example.org``; ``data:…``
    gives ``data:``; a relative or root-relative path gives None.
    """
    url = url.strip()
    scheme_match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if url.startswith("//"):
        parts = urlsplit("http:" + url)
        scheme = ""
    elif scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in ("http", "https", "ws", "wss"):
            return scheme + ":"
        parts = urlsplit(url)
    else:
        return None
    host = parts.hostname
    if not host or not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", host):
        return None  # not a URL a browser would load
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port is not None else "")
    return f"{scheme}://{netloc}" if scheme else netloc


def source_matches(source: str, origin: str) -> bool:
    """Whether the host source ``source`` (as in a policy) admits ``origin``."""
    if source == origin:
        return True
    pattern = re.match(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>[^/:]+)(?::(?P<port>\d+|\*))?", source)
    target = re.match(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>[^/:]+)(?::(?P<port>\d+))?", origin)
    if not pattern or not target:
        return False
    if pattern["scheme"] and target["scheme"] and pattern["scheme"] != target["scheme"]:
        return False
    host = pattern["host"]
    if host.startswith("*."):
        if not target["host"].endswith(host[1:]):
            return False
    elif host != target["host"]:
        return False
    return pattern["port"] in ("*", target["port"])


# --- the policy ----------------------------------------------------------------------------

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


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


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


def _blocked_in_content(load: Load) -> bool:
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
        key = _sha256(load.value) if load.kind == "inline" else load.value
        return labels.get(key, default_label)

    def blocked(load: Load, why: str, fix: str) -> None:
        findings.append(Finding("BB504", f"{_describe(load)} written by {label_for(load)} "
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
        if content[load.key] > 0 and _blocked_in_content(load):
            content[load.key] -= 1
            continue  # the page's content: warned when the page was written, not allowed
        if load.kind == "inline":
            hashes.add(_sha256(load.value))
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


def _describe(load: Load) -> str:
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
            and _setting(app.config) == "auto"):
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
            key = _sha256(body)
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
            if not _blocked_in_content(load):
                continue
            content[load.key] += 1
            logger.warning("BB504 %s in the content of %s (an extension's output, not raw "
                           "HTML) is blocked by the Content-Security-Policy",
                           _describe(load), rel,
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
    import contextlib

    from briefbook.book.atomic import atomic_write

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
