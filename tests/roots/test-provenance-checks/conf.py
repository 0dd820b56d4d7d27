extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
bibtex_bibfiles = ["refs.bib"]
exclude_patterns = ["_build", "entities"]
