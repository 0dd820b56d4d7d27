extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"
exclude_patterns = ["_build", "entities"]
briefbook_warn_uncited = False  # tests drop citations on purpose
