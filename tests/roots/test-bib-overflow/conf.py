extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
latex_engine = "xelatex"
latex_documents = [("index", "overflow.tex", "Overflow", "Tests", "manual")]
exclude_patterns = ["_build"]
