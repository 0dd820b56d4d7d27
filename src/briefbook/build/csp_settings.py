"""The policy's settings: where it is on, and what a book adds to every page's policy.

``briefbook_csp`` (``"auto"``: on in a briefbook book, off in a project that only uses
briefbook's markup; ``True``; ``False``) and ``briefbook_csp_allow`` (origins by
directive, for what a script loads at run time that no page shows) are checked when the
configuration is read (``BB506``: a value the policy cannot use, such as a keyword that
would weaken every page). :class:`Settings` is what the policy needs from the
configuration, the same for every page, including the origins the theme fetches from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from briefbook.build.csp_loads import source_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

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


def csp_setting(config: Config) -> bool | str:
    value = getattr(config, "briefbook_csp", "auto")
    return value if value in CSP_VALUES else "auto"


def is_book(config: Config) -> bool:
    """A briefbook book, as opposed to a project that only uses briefbook's markup."""
    return bool(str(getattr(config, "briefbook_registry", "") or ""))


def policy_enabled(config: Config) -> bool:
    """Whether pages get a policy: ``auto`` means in a book only."""
    value = csp_setting(config)
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
