"""A small made-up book for ``briefbook pdf``: three dated, tagged briefings, an annex,
and a registry with an entity no briefing names.

Laid out like the sample book (``conf/`` and ``docs/``), with the paths written
relative, as a book may write them: the registry relative to this folder, the bib file
relative to ``docs/``. The handout's generated conf.py must keep both working.
"""

project = "Selection Test Book"
author = "briefbook tests"
language = "en"
today = "1 December 2024"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
root_doc = "index"
exclude_patterns = ["_build", "_parts"]  # parts are included, never pages
smartquotes = False
myst_enable_extensions = ["colon_fence", "deflist"]

bibtex_bibfiles = ["../sources.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"

briefbook_registry = "entities"
briefbook_warn_uncited = False  # uncited2024 is there to be left out of every handout
briefbook_marking = "TLP:CLEAR"
briefbook_edition = "Test edition"
briefbook_distribution = "For the test suite only."

latex_engine = "xelatex"
latex_documents = [("index", "selection-test.tex", "Selection Test Book", "briefbook tests",
                    "manual")]
latex_elements = {
    "papersize": "a4paper",
    "extraclassoptions": "openany,oneside",
    "fontpkg": r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}
""",
}
latex_use_xindy = True
