"""Every ``app.add_*`` and ``app.connect`` of the extension, in one place.

Keeping the wiring here means each concept module (quotes, domain, …) stays importable
and testable on its own, and a reader sees the whole extension surface at a glance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefbook import __version__, bibstyle, briefing, latex, quotes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

STATIC_DIR = Path(__file__).parent / "static"


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    bibstyle.register()
    app.setup_extension("sphinxcontrib.bibtex")

    app.add_config_value("briefbook_registry", "", "env", types=[str])

    briefing.setup(app)
    quotes.setup(app)
    latex.setup(app)

    app.connect("builder-inited", _add_static_path)
    app.add_css_file("briefbook.css")
    app.add_latex_package("briefbook")
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _add_static_path(app: Sphinx) -> None:
    """Ship our CSS/JS and LaTeX style with the book (no CDN, nothing fetched)."""
    if app.builder.format == "html":
        static = str(STATIC_DIR)
        if static not in app.config.html_static_path:
            app.config.html_static_path.append(static)
    elif app.builder.format == "latex":
        sty = str(STATIC_DIR / "briefbook.sty")
        if sty not in app.config.latex_additional_files:
            app.config.latex_additional_files.append(sty)
