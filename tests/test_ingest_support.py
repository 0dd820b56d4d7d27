"""Shared helpers for the ingest tests (imported by the other test_ingest_* modules).

``render_doctree`` renders MyST with myst-parser's docutils parser — no Sphinx — with
stand-in roles and the pull-quote directive, so tests can compare the text a reader
would see with the article's text.  ``write_hostile_article`` produces the hostile
article for build tests.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from myst_parser.parsers.docutils_ import Parser
from sphinx.util.docutils import docutils_namespace

ARTICLES = Path(__file__).resolve().parent / "articles"
TEST_REGISTRY = ARTICLES / "registry"
SAMPLE_REGISTRY = Path(__file__).resolve().parent.parent / "conf" / "entities"
# A copy of ../shared/seeds/000_e66f34ff709dc702.txt, so the suite runs from any clone.
SEED = Path(__file__).resolve().parent / "seeds" / "000_e66f34ff709dc702.txt"


def write_hostile_article(folder: Path) -> Path:
    """Copy the hostile article (every markup trick in the issue) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(ARTICLES / "hostile.txt", folder / "hostile.txt"))


def _stand_in_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
                   options: Any = None, content: Any = None) -> tuple[list[nodes.Node], list[Any]]:
    if text.startswith(" `"):  # the writer pads content that starts with a backtick
        text = text[1:]
    shown = re.sub(r"\s*<[^<>]*>$", "", text)
    return [nodes.inline(shown, shown, classes=[f"role-{name}"])], []


class _PullQuote(Directive):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = nodes.container(classes=["pull-quote"])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]



SETTINGS = {
    "report_level": 5, "halt_level": 5, "warning_stream": False,
    "myst_enable_extensions": ["colon_fence", "deflist", "fieldlist", "dollarmath"],
}


def render_doctree(source: str) -> nodes.document:
    """Render with stand-in roles registered only for this call.

    docutils keeps roles and directives in process-wide tables; registering the
    stand-ins for good would collide with the real ones when a Sphinx build runs in the
    same test process, so they live inside Sphinx's save-and-restore namespace.
    """
    with docutils_namespace():
        for name in ("person", "place", "org", "quote"):
            roles.register_local_role(name, _stand_in_role)  # type: ignore[arg-type]
        directives.register_directive("pull-quote", _PullQuote)
        return publish_doctree(source, parser=Parser(), settings_overrides=SETTINGS)


def paragraph_texts(source: str) -> list[str]:
    doctree = render_doctree(source)
    return [p.astext() for p in doctree.findall(nodes.paragraph)]
