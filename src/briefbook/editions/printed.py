"""The printed edition: a cover that says what the reader holds, running heads and feet
that carry each page's marking, and a heading for the front page's text.

Sphinx's LaTeX title page shows the build day and its running head the book's title; a
PDF handed round needs the edition, the date the content is current to, the handling
marking (the cover and the index: the edition's highest; each page: its own, or that
of what it shows when made from other pages, in header and footer) and
the distribution statement. These are known only once every page has been read, so they
go into the LaTeX context when the document is assembled, before it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography

from briefbook.book.briefings import format_date
from briefbook.editions import derived, edition, markings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from briefbook.editions.markings import Level

#: Running header and footer, on top of Sphinx's: the page's marking centred in both,
#: the edition line at the foot's left.
PAGE_STYLES = r"""
\makeatletter
\newcommand{\bbmarkingname}{}
\newcommand{\bbmarkingbox}{}
\newcommand{\bbsetmarking}[3]{%
  \gdef\bbmarkingname{#1}%
  \gdef\bbmarkingbox{\colorbox[HTML]{#3}{\textcolor[HTML]{#2}{\sffamily\bfseries\footnotesize #1}}}}
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[C]{\bbmarkingbox}%
  \fancyhead[R]{{\py@HeaderFamily\footnotesize\nouppercase{\rightmark}}}%
  \fancyfoot[L]{{\py@HeaderFamily\footnotesize\bbeditionline}}%
  \fancyfoot[C]{\bbmarkingbox}%
  \fancyfoot[R]{{\py@HeaderFamily\thepage}}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0.4pt}}
\fancypagestyle{plain}{%
  \fancyhf{}%
  \fancyhead[C]{\bbmarkingbox}%
  \fancyfoot[L]{{\py@HeaderFamily\footnotesize\bbeditionline}}%
  \fancyfoot[C]{\bbmarkingbox}%
  \fancyfoot[R]{{\py@HeaderFamily\thepage}}%
  \renewcommand{\headrulewidth}{0pt}%
  \renewcommand{\footrulewidth}{0.4pt}}
\makeatother
"""


def _tex(text: str) -> str:
    """Plain text for a LaTeX argument (the characters LaTeX treats specially escaped)."""
    from sphinx.util.texescape import escape

    return escape(text)


def _set_marking(level: Level | None) -> str:
    if level is None:
        return r"\bbsetmarking{}{FFFFFF}{FFFFFF}"
    return (rf"\bbsetmarking{{{_tex(level.name)}}}{{{level.colour.lstrip('#')}}}"
            rf"{{{level.background.lstrip('#')}}}")


def cover(app: Sphinx) -> str:
    """What the title page adds under the title: edition, marking, distribution."""
    env = app.env
    lines = []
    level = markings.edition_level(env)
    if level is not None:
        lines.append(r"{\Large " + _set_marking(level) + r"\bbmarkingbox\par}\medskip")
    name = edition.edition_name(env.config)
    if name:
        lines.append(r"{\large " + _tex(name) + r"\par}")
    release = markings.release_level(env.config)
    if release is not None:
        lines.append(r"{\large Released at " + _tex(release.name) + r"\par}")
    notice = edition.distribution(env.config)
    if notice:
        lines.append(r"\medskip{\small\itshape " + _tex(notice) + r"\par}")
    return "\n".join(lines)


def prepare_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On the assembled PDF tree: cover, running heads and feet, each page's marking."""
    if app.builder.format != "latex":
        return
    env = app.env
    context: dict[str, Any] = app.builder.context  # type: ignore[attr-defined]
    when = edition.as_of(env)
    if when is not None:
        context["date"] = f"As of {format_date(when)}"
    statement = " · ".join(p for p in (edition.edition_name(env.config),
                                       f"As of {format_date(when)}" if when else "") if p)
    block = PAGE_STYLES + r"\newcommand{\bbeditionline}{" + _tex(statement) + "}\n"
    if PAGE_STYLES not in context.get("preamble", ""):
        context["preamble"] = context.get("preamble", "") + block
        # The title page prints \sphinxlogo above the title (defined after the preamble):
        # the marking and edition go there, after the book's own logo if it has one.
        extra = cover(app)
        if extra:
            context["preamble"] += (r"\AtBeginDocument{\let\bbsphinxlogo\sphinxlogo"
                                    r"\renewcommand{\sphinxlogo}{\bbsphinxlogo " + extra
                                    + r"\par\bigskip}}" + "\n")
    # Each page of the book sets its marking just after its chapter heading: the heading's
    # page break has sent out the previous sheet (with the previous page's marking) by
    # then, and a sheet's running head shows the marking in force when it is finished.
    # A page made from other pages carries the highest marking of what it shows.
    set_marking_after_heading(doctree, derived.pdf_part_level(env, doctree, docname))
    for start in list(doctree.findall(addnodes.start_of_file)):
        set_marking_after_heading(start, derived.pdf_part_level(env, start, start["docname"]))
    heading_for_front_text(app, doctree)
    # Sphinx gathers the citations into a bibliography at the end: it carries what it lists
    # (set once the previous sheets, blank verso included, have gone out with theirs).
    for bibliography in list(doctree.findall(thebibliography)):
        level = derived.level_of(env, derived.citations_rank(env))
        if level is not None:
            bibliography.parent.insert(bibliography.parent.index(bibliography), nodes.raw(
                "", r"\cleardoublepage" + _set_marking(level), format="latex"))
    # The general index lists the whole edition's terms: it carries the edition's marking
    # (from its first sheet: the previous chapter's last sheets are sent out first).
    edition_marking = markings.edition_level(env)
    if edition_marking is not None and context.get("printindex"):
        setting = r"\cleardoublepage" + _set_marking(edition_marking)
        if not str(context["printindex"]).startswith(setting):
            context["printindex"] = setting + str(context["printindex"])


def set_marking_after_heading(part: nodes.Element, level: Level | None) -> None:
    """Put ``\\bbsetmarking`` after the page's first heading (or at its start)."""
    raw = nodes.raw("", _set_marking(level), format="latex")
    section = next((child for child in part.children if isinstance(child, nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, raw)
    else:
        part.insert(0, raw)


def heading_for_front_text(app: Sphinx, doctree: nodes.document) -> None:
    """The front page's own text (before its first chapter) sits, in the PDF, after the
    table of contents under its running head: give it an unnumbered chapter of its own,
    listed in the contents."""
    heading = str(app.config.briefbook_front_heading or "").strip()
    if not heading:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    # Sphinx drops the root page's title in a manual; its first body node starts the text.
    first = next((child for child in section.children
                  if not isinstance(child, (nodes.title, nodes.target))), None)
    if first is None or isinstance(first, (addnodes.start_of_file, nodes.section)):
        return
    text = _tex(heading)
    raw = (rf"\chapter*{{{text}}}\addcontentsline{{toc}}{{chapter}}{{{text}}}"
           rf"\markboth{{{text}}}{{{text}}}")
    section.insert(section.index(first), nodes.raw("", raw, format="latex"))


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_front_heading", "Overview", "", types=[str])
    app.connect("doctree-resolved", prepare_print, priority=900)
