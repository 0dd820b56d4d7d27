"""Sphinx configuration for the sample briefing book.

Built with ``sphinx-build -c conf docs _build/<format>``: this folder holds the
configuration and the entity registry, ``docs/`` holds only the book's pages, and
``sources.bib`` sits at the top of the repository.
"""

from __future__ import annotations

project = "Briefing Book: North Korea, Russia and the War in Ukraine"
author = "briefbook sample team"
copyright = "2024, the authors of the briefings"
language = "en"


extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "briefbook",
]

root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
suppress_warnings: list[str] = []

# The articles' punctuation is the author's: never turn straight quotes or "--" into
# typographic ones (Sphinx's default), so what the author wrote is what the page shows.
smartquotes = False

# --- MyST --------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# --- Bibliography ------------------------------------------------------------------------
# Relative to this folder (sphinxcontrib-bibtex's rule; older releases read it from docs/,
# which sits beside it, so the same path serves both), as the registry below is: the
# configuration holds no folder of the book, so two copies of it build the same bytes
# (Sphinx fingerprints the configuration into .buildinfo).
bibtex_bibfiles = ["../sources.bib"]
bibtex_default_style = "briefbook"  # author-year labels that never overflow (briefbook.sources.style)
bibtex_reference_style = "briefbook"  # (BBC, 2024b): year suffix matches the bibliography
bibtex_cite_id = "cite-{key}"
bibtex_bibliography_id = "bibliography-{bibliography_count}"

# --- briefbook ---------------------------------------------------------------------------
briefbook_registry = "entities"  # relative to this folder
# Editions: every page is at least TLP:CLEAR; a page or portion may be marked higher, and
# `make book` builds the full edition and one released at TLP:CLEAR beside it. The "as
# of" date is the latest briefing's (briefbook_as_of would fix it).
briefbook_marking = "TLP:CLEAR"
briefbook_edition = "First edition"
briefbook_distribution = ("Distribution is limited by the marking on each page "
                          "(Traffic Light Protocol 2.0, first.org/tlp).")
# Every source a key judgement rests on must carry a reliability grade (BB415).
briefbook_require_grades = True

# --- HTML --------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Briefing Book"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# The book's navigation comes from one script per build (briefbook.pages.navigation), not from
# the whole toctree rendered into every page: the build stays linear in the book's size.
html_sidebars = {
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html",
           "bb-sidebar-nav.html"],
}
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}

# --- LaTeX / PDF -------------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [
    (
        "index",
        "briefing-book.tex",
        r"Briefing Book: North Korea, Russia \& the War in Ukraine",
        "Compiled with briefbook",
        "manual",
    ),
]
latex_show_urls = "footnote"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    # Hangul through xeCJK with Noto CJK; Latin, Cyrillic and diacritics via FreeSerif.
    "fontpkg": r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}
""",
    "preamble": r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK KR}
\setCJKsansfont{Noto Sans CJK KR}
\setCJKmonofont{Noto Sans Mono CJK KR}
\xeCJKsetup{CJKspace=true, CJKecglue={}}
\xeCJKDeclareCharClass{Default}{"00B7,"2013,"2014,"2018,"2019,"201C,"201D,"2026}
% Sphinx names the table of contents after the first toctree's caption ("Briefings").
\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}
""",
    "printindex": r"\footnotesize\raggedright\printindex",
}
latex_use_xindy = True
