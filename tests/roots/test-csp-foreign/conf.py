"""A project that is not a briefbook book: briefbook joins its extensions for the markup.

It opts into the policy (``briefbook_csp = True``) and loads what real projects load:
MathJax on the pages with math (``mathjax_path``, set by each test), a script and a
stylesheet by URL, an inline ``html_js_files`` snippet, MathJax's inline configuration,
the theme's GitHub button (an iframe), an image by URL in one page's content. Its own
little extension adds what the policy must block: a tracker snippet on one page that
loads a script from an origin nobody declared, and an inline script in page content.
"""

from docutils import nodes
from docutils.parsers.rst import Directive

extensions = ["myst_parser", "briefbook"]
exclude_patterns = ["_build"]
templates_path = ["_templates"]
html_static_path = ["_static"]  # custom.css: a font and an image by URL
html_theme = "alabaster"
html_theme_options = {"github_user": "example", "github_repo": "project",
                      "github_button": True}

briefbook_csp = True
mathjax3_config = {"tex": {"inlineMath": [["\\(", "\\)"]]}}
html_js_files = [
    ("https://widgets.example.com/widget.js", {"defer": "defer"}),
    ("", {"body": "window.siteSettings = {theme: 'light'};"}),
]
html_css_files = ["https://styles.example.net/site.css"]
#: Where the tracker snippet on tracked.md loads its script from (tests override it).
tracker_url = "https://stats.example.org/count.js"


class WidgetScript(Directive):
    """Marks where the extension writes its inline script (when the page is written)."""

    def run(self):
        return [nodes.container(classes=["widget-script"])]


def write_widget_script(app, doctree, docname):
    # An extension that writes an inline script into the page body, after reading (so
    # not as raw HTML in the source, which BB503 would remove).
    for node in list(doctree.findall(nodes.container)):
        if "widget-script" in node["classes"]:
            node.replace_self(nodes.raw("", "<script>window.fromExtension = true;</script>",
                                        format="html"))


def add_tracker(app, pagename, templatename, context, doctree):
    if pagename == "tracked":
        body = ('var s = document.createElement("script"); '
                f's.src = "{app.config.tracker_url}"; document.head.appendChild(s);')
        app.builder.add_js_file("", body=body)  # for this page only, as MathJax does


def setup(app):
    app.add_config_value("tracker_url", "", "html")
    app.add_directive("widget-script", WidgetScript)
    app.connect("html-page-context", add_tracker)
    app.connect("doctree-resolved", write_widget_script)
