"""Handling markings: the book's, a page's, a portion's, shown wherever they apply.

A marking scheme is configuration, not code: ``briefbook_marking_scheme`` lists its
levels, least restrictive first, each with the words a reader sees, the colours of its
label and what it allows. The default is the Traffic Light Protocol 2.0 (FIRST), whose
labels are coloured text on black; a national classification scheme is a different list.

Three scopes, the narrowest winning only upwards:

* the book: ``briefbook_marking`` in ``conf.py``, the floor of every page;
* a page: ``marking:`` in its front matter;
* a portion: the ``{marking}`` directive around a block, or ``:marking:`` on a
  ``{claim}`` or ``{quote}``.

A page carries the highest marking on it, shown in a banner at its top and bottom (HTML)
and in the header and footer of its PDF pages; each portion opens with its own mark. A
page made from other pages carries the highest marking of what it shows too
(:mod:`.derived`); a page made by a template alone (the general index, the search page),
the edition's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging

from briefbook.book.atomic import atomic_write
from briefbook.book.problems import Problem, stop_build

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator


logger = logging.getLogger(__name__)


#: The Traffic Light Protocol 2.0 (https://www.first.org/tlp/): label colours on black.
TLP_2_0: list[dict[str, Any]] = [
    {"name": "TLP:CLEAR", "colour": "#FFFFFF", "background": "#000000", "aliases": ["TLP:WHITE"],
     "description": "Recipients can spread this to the world, there is no limit on disclosure."},
    {"name": "TLP:GREEN", "colour": "#33FF00", "background": "#000000",
     "description": "Limited disclosure, recipients can spread this within their community."},
    {"name": "TLP:AMBER", "colour": "#FFC000", "background": "#000000",
     "description": "Limited disclosure, recipients can only spread this on a need-to-know "
                    "basis within their organization and its clients."},
    {"name": "TLP:AMBER+STRICT", "colour": "#FFC000", "background": "#000000",
     "description": "Limited disclosure, recipients can only spread this on a need-to-know "
                    "basis within their organization only."},
    {"name": "TLP:RED", "colour": "#FF2B2B", "background": "#000000",
     "description": "For the eyes and ears of individual recipients only, no further "
                    "disclosure."},
]


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class MarkingError(ValueError):
    """An unknown marking, or a scheme that cannot be used."""


@dataclass(frozen=True, order=True)
class Level:
    """One level of a scheme; levels compare by how restrictive they are."""

    rank: int
    name: str = field(compare=False)
    colour: str = field(compare=False, default="#FFFFFF")
    background: str = field(compare=False, default="#000000")
    description: str = field(compare=False, default="")

    @property
    def slug(self) -> str:
        """``TLP:AMBER+STRICT`` → ``tlp-amber-strict`` (for CSS classes)."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class Scheme:
    levels: tuple[Level, ...]
    names: dict[str, Level]  # every spelling (upper case, no spaces) → its level

    @classmethod
    def from_config(cls, entries: Iterable[Any]) -> Scheme:
        levels: list[Level] = []
        names: dict[str, Level] = {}
        for rank, entry in enumerate(entries):
            if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
                raise MarkingError(f"briefbook_marking_scheme: level {rank + 1} needs a 'name'")
            colours = [str(entry.get(k, d)) for k, d in (("colour", "#FFFFFF"),
                                                         ("background", "#000000"))]
            bad = [c for c in colours if not _COLOUR.fullmatch(c)]
            if bad:
                raise MarkingError(f"briefbook_marking_scheme: level '{entry['name']}' has a "
                                   f"colour that is not #RRGGBB: {bad[0]}")
            level = Level(rank, str(entry["name"]).strip(), colours[0].upper(),
                          colours[1].upper(), str(entry.get("description", "")))
            levels.append(level)
            for spelling in [level.name, *entry.get("aliases", [])]:
                names[_key(str(spelling))] = level
        if not levels:
            raise MarkingError("briefbook_marking_scheme has no levels")
        return cls(tuple(levels), names)

    def level(self, text: str) -> Level:
        found = self.names.get(_key(text))
        if found is None:
            raise MarkingError(f"unknown marking '{text}' (one of "
                               f"{', '.join(level.name for level in self.levels)})")
        return found

    @property
    def lowest(self) -> Level:
        return self.levels[0]


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def scheme_of(config: Config) -> Scheme:
    cached = getattr(config, "_briefbook_scheme", None)
    if cached is None:
        cached = Scheme.from_config(config.briefbook_marking_scheme or TLP_2_0)
        config._briefbook_scheme = cached
    return cached


def book_level(config: Config) -> Level | None:
    """The book's marking, or None when the book is not marked at all."""
    text = str(config.briefbook_marking or "").strip()
    return scheme_of(config).level(text) if text else None


def release_level(config: Config) -> Level | None:
    """The level an edition is released at (``briefbook_release``), or None: the full
    edition."""
    text = str(config.briefbook_release or "").strip()
    return scheme_of(config).level(text) if text else None


def withheld(config: Config, level: Level) -> bool:
    released = release_level(config)
    return released is not None and level > released


class MarkingDomain(Domain):
    """Each page's own marking and its portions' markings (ranks), per document."""

    name = "marking"
    label = "Handling markings"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"pages": {}, "portions": {}}

    @property
    def pages(self) -> dict[str, int]:
        return self.data.setdefault("pages", {})

    @property
    def portions(self) -> dict[str, list[int]]:
        return self.data.setdefault("portions", {})

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)
        self.portions.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("pages", "portions"):
            for docname, value in otherdata.get(key, {}).items():
                if docname in docnames:
                    self.data.setdefault(key, {})[docname] = value

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def domain_of(env: BuildEnvironment) -> MarkingDomain:
    return env.domains["marking"]  # type: ignore[return-value]


def page_level(env: BuildEnvironment, docname: str) -> Level | None:
    """The highest marking on a page: book, page and portions; None when unmarked."""
    scheme = scheme_of(env.config)
    domain = domain_of(env)
    ranks = [*domain.portions.get(docname, [])]
    if docname in domain.pages:
        ranks.append(domain.pages[docname])
    book = book_level(env.config)
    if book is not None:
        ranks.append(book.rank)
    return scheme.levels[max(ranks)] if ranks else None


def edition_level(env: BuildEnvironment) -> Level | None:
    """The highest marking in this edition (its cover's)."""
    found = [page_level(env, docname) for docname in env.found_docs]
    levels = [level for level in found if level is not None]
    return max(levels) if levels else book_level(env.config)


def note_page_marking(app: Sphinx, doctree: nodes.document) -> None:
    """Record the page's front-matter marking (``doctree-read``), checking it."""
    env = app.env
    docname = env.current_document.docname
    text = str(env.metadata.get(docname, {}).get("marking", "")).strip()
    decided = getattr(env, "briefbook_decisions", {}).get(docname)
    if not text and decided is not None and not decided.problem:
        # An rST page's field list reaches the metadata only after this: the marking the
        # release decided on (briefbook.editions.decision), which the build checks.
        text = decided.text
    if not text:
        return
    try:
        level = scheme_of(env.config).level(text)
    except MarkingError as exc:
        logger.warning("BB601 %s in the front matter", exc, location=(docname, 1),
                       type="briefbook", subtype="marking")
        return
    domain_of(env).pages[docname] = level.rank


class portion(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A block marked on its own: ``level`` (name), ``rank``, ``slug``, ``description``."""


def portion_node(level: Level, content: list[nodes.Node]) -> portion:
    node = portion(classes=["bb-portion", f"bb-marking-{level.slug}"], level=level.name,
                   rank=level.rank, slug=level.slug, description=level.description)
    mark = nodes.inline(f"({level.name})", f"({level.name})",
                        classes=["bb-portion-mark", f"bb-marking-{level.slug}"])
    node += nodes.paragraph("", "", mark, classes=["bb-portion-mark-line"])
    node.extend(content)
    return node


def visit_portion_html(self: HTML5Translator, node: portion) -> None:
    self.body.append(self.starttag(node, "div", "", **{"data-marking": node["level"],
                                                       "aria-label": f"Marked {node['level']}",
                                                       "role": "group"}))


def depart_portion_html(self: HTML5Translator, node: portion) -> None:
    self.body.append("</div>\n")


def visit_portion_latex(self: LaTeXTranslator, node: portion) -> None:
    """A portion is a (breakable) box, and a float cannot go in a box ("Not in outer par
    mode"): its figures are set where they stand (``[H]``), as Sphinx sets them in its
    admonitions."""
    self.body.append("\n\\begin{briefbookportion}\n")
    self.no_latex_floats += 1


def depart_portion_latex(self: LaTeXTranslator, node: portion) -> None:
    self.no_latex_floats -= 1
    self.body.append("\n\\end{briefbookportion}\n")


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def check_config(app: Sphinx, config: Config) -> None:
    """An unknown book marking or release level stops the build before anything is read."""
    problems = []
    try:
        book_level(config)
        release_level(config)
    except MarkingError as exc:
        problems.append(Problem(str(app.confdir) + "/conf.py", 1, "BB601", str(exc)))
    if problems:
        stop_build(problems, app.confdir, "configuration")


STYLES = "briefbook-markings.css"


def marking_styles(scheme: Scheme) -> str:
    """The label colours of every level, as CSS classes (the scheme is configuration,
    so its colours are too; kept when printing, where the marking matters most)."""
    rules = ["/* briefbook: the marking scheme's colours (generated from conf.py). */"]
    for level in scheme.levels:
        rules.append(f".bb-marking-banner.bb-marking-{level.slug}, "
                     f"span.bb-portion-mark.bb-marking-{level.slug} "
                     f"{{ color: {level.colour}; background: {level.background}; }}")
    return "\n".join(rules) + "\n"


def write_marking_styles(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    text = marking_styles(scheme_of(app.config))
    target = static / STYLES
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic_write(target, text)


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_marking_scheme", TLP_2_0, "env", types=[list])
    app.add_config_value("briefbook_marking", "", "env", types=[str])
    app.add_config_value("briefbook_release", "", "env", types=[str])
    app.add_domain(MarkingDomain)
    app.add_node(portion, html=(visit_portion_html, depart_portion_html),
                 latex=(visit_portion_latex, depart_portion_latex), text=(_pass, _pass))
    app.connect("config-inited", check_config)
    app.connect("builder-inited", write_marking_styles)
    app.add_css_file(STYLES)
    app.connect("doctree-read", note_page_marking, priority=400)

