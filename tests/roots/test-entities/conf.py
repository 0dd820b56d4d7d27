extensions = ["myst_parser", "briefbook"]
briefbook_registry = "entities"
exclude_patterns = ["_build", "entities"]
