extensions = ["myst_parser", "briefbook"]
html_theme = "sphinx_book_theme"
