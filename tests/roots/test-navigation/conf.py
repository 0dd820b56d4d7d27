extensions = ["myst_parser", "briefbook"]
briefbook_registry = "entities"
exclude_patterns = ["_build", "entities"]
html_theme = "sphinx_book_theme"
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "bb-sidebar-nav.html"]}
# The theme's print and full-screen buttons are inline onclick handlers, which the
# book's Content-Security-Policy blocks (BB504): a book turns them off, as conf/conf.py does.
html_theme_options = {"use_download_button": False, "use_fullscreen_button": False}
