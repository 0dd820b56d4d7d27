# A made-up book in two editions, for briefbook export and the "What changed" page: every
# source, person and page is fictional. The previous edition's export is
# tests/editions/previous-export.json (see tests/test_editions_changes.py to remake it).
project = "Export test book"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
briefbook_edition = "Edition 2"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"
exclude_patterns = ["_build", "entities", "archive"]
briefbook_warn_uncited = False  # a source no longer cited stays in refs.bib
