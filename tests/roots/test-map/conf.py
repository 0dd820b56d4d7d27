extensions = ["myst_parser", "briefbook"]
briefbook_registry = "entities"
exclude_patterns = ["_build", "entities"]
latex_documents = [("index", "maptest.tex", "Map test", "briefbook", "manual")]
