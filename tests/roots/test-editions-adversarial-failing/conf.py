# Pages whose marking cannot be determined, portions with a marking the scheme does not
# define, and CLEAR pages that include a RED file: a release must leave each out (or
# leave out what it includes), fail, and name the file; `briefbook export --release`,
# `briefbook pdf --release` and `briefbook check` must stop on (or report) the same
# errors. tests/test_editions_adversarial.py also writes a page that is not UTF-8.
extensions = ["myst_parser", "briefbook"]
project = "Failing editions book"
author = "Tester"
root_doc = "index"
briefbook_marking = "TLP:CLEAR"
exclude_patterns = ["_build", "_parts", "entities"]
briefbook_registry = "entities"
myst_enable_extensions = ["fieldlist"]  # a field list that opens a page is its metadata
latex_documents = [("index", "failing.tex", "Failing editions book", "Tester", "manual")]
latex_engine = "xelatex"
