"""What a page loads and runs, read from its HTML: the facts a page's policy is made of.

A Content-Security-Policy (:mod:`.csp`) must allow exactly what the page's project put
there, so the page is read for everything a browser would fetch or run: script files and
inline scripts, stylesheets and what they load by URL, images, fonts, frames, media,
forms, plugins, event handlers and ``javascript:`` URLs, each as a :class:`Load` naming
the directive that governs it. The page is scanned with regular expressions rather than
parsed: a thousand-page site is scanned at every build, and only the tags that load
something are looked at closely. Also here: a URL's origin as a policy writes it
(:func:`source_of`), whether a policy's source admits an origin, and an inline script's
hash.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit


def sha256_source(text: str) -> str:
    """``'sha256-…'``: the source expression that allows an inline script by its hash."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass(frozen=True)
class Load:
    """One thing a page loads or runs: ``kind`` names the directive that governs it."""

    kind: str  # script inline style img font connect frame media manifest form object base handler jsurl
    value: str  # the URL; an inline script's text; a handler's code
    what: str = ""  # how it appears in the markup, for messages

    @property
    def key(self) -> str:
        value = sha256_source(self.value) if self.kind == "inline" else self.value
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
