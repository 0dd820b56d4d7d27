# Pages marked TLP:RED in every way MyST and Sphinx read a page and its marking, however
# an adversary might write them: each must be left out of the TLP:CLEAR edition, which
# must still build cleanly. tests/test_editions_adversarial.py builds it and searches
# every byte of the output for each page's canary word (zqxRED...). The test also writes
# the pages an editor's tools would mangle: a byte-order mark, CRLF line ends, front
# matter longer than 16 KB.
extensions = ["myst_parser", "briefbook"]
project = "Adversarial editions book"
author = "Tester"
briefbook_marking = "TLP:CLEAR"
briefbook_edition = "Adversarial edition"
exclude_patterns = ["_build", "_parts"]
myst_enable_extensions = ["colon_fence"]
latex_documents = [("index", "adversarial.tex", "Adversarial editions book", "Tester", "manual")]
latex_engine = "xelatex"
