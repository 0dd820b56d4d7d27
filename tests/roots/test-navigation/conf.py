extensions = ["myst_parser", "briefbook"]
briefbook_registry = "entities"
exclude_patterns = ["_build", "entities"]
html_theme = "sphinx_book_theme"
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "bb-sidebar-nav.html"]}
