# Sources graded, retracted, discredited, disputed and preserved: a made-up book whose
# every source is fictional, so that retraction can be shown without inventing one about
# a real publication.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
briefbook_require_grades = True
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"
exclude_patterns = ["_build", "entities", "archive"]
