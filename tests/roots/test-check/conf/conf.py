# A book seeded with one example of every problem `briefbook check` reports.
from pathlib import Path

extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
bibtex_bibfiles = [str(Path(__file__).parent.parent / "sources.bib")]
exclude_patterns = ["_build"]
