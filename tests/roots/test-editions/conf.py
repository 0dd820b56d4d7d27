# A book with something withheld at every level of TLP 2.0: unique "canary" words in
# portions, a claim, a quotation and a whole page marked above TLP:CLEAR, with an entity,
# a place and a source that only they name. tests/test_editions_release.py builds each
# released edition and searches every byte of its output for the canaries.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
project = "Editions test book"
briefbook_registry = "entities"
briefbook_marking = "TLP:CLEAR"
briefbook_edition = "Test edition"
briefbook_distribution = "For the editions test only."
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{key}"
exclude_patterns = ["_build", "entities"]
latex_documents = [("index", "editions.tex", "Editions test book", "Tester", "manual")]
latex_engine = "xelatex"
