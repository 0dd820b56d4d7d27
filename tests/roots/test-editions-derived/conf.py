# A book whose generated pages each show material of a different marking, so that each
# page's expected banner is distinct: tests/test_editions_derived.py.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
project = "Derived markings test book"
html_theme = "sphinx_book_theme"
briefbook_registry = "entities"
briefbook_marking = "TLP:CLEAR"
briefbook_edition = "Test edition"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"
exclude_patterns = ["_build", "entities"]
latex_documents = [("index", "derived.tex", "Derived markings test book", "Tester", "manual")]
latex_engine = "xelatex"
html_theme_options = {"use_download_button": False, "use_fullscreen_button": False}
# The AMBER key judgement rests on a disputed source, for the affected judgements page.
suppress_warnings = ["briefbook.judgement_disputed_source"]
