# A book whose pages name registry entities without linking them (briefbook link).
from pathlib import Path

extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]
briefbook_registry = "entities"
bibtex_bibfiles = [str(Path(__file__).parent.parent / "sources.bib")]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
exclude_patterns = ["_build"]
