"""A project that is not a briefbook book, with the policy on, works in a real browser.

tests/roots/test-csp-foreign is built once for the module with its MathJax, its widget
script and its tracker each served from an origin of their own (servers on 127.0.0.1 on
other ports), and its pages from a fourth. The math page must render its math with
MathJax from the second origin and report no policy violation; what the policy blocks on
purpose (the tracker's script, an inline script an extension wrote into page content, an
inline event handler in a template) must be blocked, and the build must have said so.

No MathJax ships with any installed package and the tests run without network, so the
"MathJax" served here is a stand-in written for this test (STAND_IN below), not MathJax.
What it proves is what the policy decides: that a script from the configured
``mathjax_path`` origin runs on the page, that the inline ``window.MathJax = {…}``
configuration Sphinx writes ran before it (allowed by hash), and that it may load a font
from its own origin as MathJax's CHTML output does. It "renders" each ``.math``
element's TeX into a marked node (``x^2`` becomes ``x²``); it typesets nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_root, serve_folder
from test_browser_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("csp")]

STAND_IN = r"""
// NOT MathJax: a stand-in for tests/test_browser_foreign.py (see its docstring). It does
// what the test needs to see from a script loaded from the mathjax_path origin: run, read
// the inline configuration, load a font from its own origin, mark up each .math element.
(function () {
  var config = window.MathJax || {};
  var origin = new URL(document.currentScript.src).origin;
  window.MathJax = {standIn: true, config: config};
  var style = document.createElement("style");
  style.textContent = '@font-face { font-family: "StandInMath"; src: url("' + origin
    + '/mathjax/fonts/standin.woff2") format("woff2"); }'
    + ' .standin-math { font-family: "StandInMath", serif; }';
  document.head.appendChild(style);
  var superscripts = {"2": "\u00b2", "3": "\u00b3"};
  document.querySelectorAll(".math").forEach(function (element) {
    var tex = element.textContent.trim().replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "").trim();
    var rendered = document.createElement("span");
    rendered.className = "standin-math";
    rendered.setAttribute("data-tex", tex);
    rendered.textContent = tex.replace(/\^(\w)/g, function (_, c) { return superscripts[c] || c; });
    element.replaceChildren(rendered);
  });
  document.fonts.load('16px "StandInMath"').catch(function () {}).then(function () {
    window.__mathDone = true;
  });
})();
"""


def serve_cdn(folder: Path):
    """Serve ``folder`` on a free loopback port as a CDN does: with CORS (fonts need it).

    The server keeps the path of every request it receives in ``server.requested``: what
    reached it is what the page's policy let through.
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    requested: list[str] = []

    class CdnHandler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

        def send_head(self):  # type: ignore[no-untyped-def]
            requested.append(self.path)
            return super().send_head()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(CdnHandler, directory=str(folder)))
    server.requested = requested  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The root built and served, with MathJax, widget and tracker on origins of their own."""
    folders = {name: tmp_path_factory.mktemp(name) for name in ("assets", "widgets", "tracker")}
    (folders["assets"] / "mathjax").mkdir()
    (folders["assets"] / "mathjax" / "tex-chtml.js").write_text(STAND_IN, encoding="utf-8")
    (folders["widgets"] / "widget.js").write_text("window.widgetLoaded = true;\n",
                                                  encoding="utf-8")
    (folders["tracker"] / "count.js").write_text("window.counted = true;\n", encoding="utf-8")
    servers = {name: serve_cdn(folder) for name, folder in folders.items()}
    origin = {name: f"http://127.0.0.1:{server.server_address[1]}"
              for name, server in servers.items()}
    app = build_root("csp-foreign", tmp_path_factory.mktemp("csp-foreign-site"), confoverrides={
        "html_theme": "alabaster",
        "mathjax_path": origin["assets"] + "/mathjax/tex-chtml.js",
        "html_js_files": [(origin["widgets"] + "/widget.js", {"defer": "defer"}),
                          ("", {"body": "window.siteSettings = {theme: 'light'};"})],
        "tracker_url": origin["tracker"] + "/count.js",
    })
    pages = serve_folder(Path(app.outdir))
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    yield {"base": f"http://127.0.0.1:{pages.server_address[1]}/", "origin": origin,
           "warnings": warnings,
           "requested": {name: server.requested for name, server in servers.items()}}
    for server in [*servers.values(), pages]:
        server.shutdown()


@pytest.fixture
def tab(browser):
    """A tab that records policy violations.

    Requests to anything but 127.0.0.1 (the theme's GitHub button, the CDN stylesheet
    the root names) are aborted: the tests run offline. An aborted request is a network
    error, not a policy violation, and the policy decides before any request is made.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_math_renders_with_mathjax_from_a_second_origin(tab, site):
    tab.goto(site["base"] + "math.html")
    tab.wait_for_function("window.__mathDone === true")
    rendered = tab.locator(".math .standin-math")
    assert rendered.count() == 2
    assert rendered.first.inner_text() == "x²"
    assert rendered.nth(1).get_attribute("data-tex") == "E = mc^2"
    # Sphinx's inline configuration (mathjax3_config) ran before the script, by its hash.
    assert tab.evaluate("window.MathJax.config.tex.inlineMath[0]") == ["\\(", "\\)"]
    # The font request reached MathJax's origin: font-src let it through (the file does
    # not exist; the request is the proof).
    assert "/mathjax/fonts/standin.woff2" in site["requested"]["assets"]
    # The html_js_files script from a third origin, and the inline snippet, ran too.
    tab.wait_for_function("window.widgetLoaded === true")
    assert tab.evaluate("window.siteSettings.theme") == "light"
    assert violations(tab) == []


def test_a_page_without_math_neither_loads_nor_allows_mathjax(tab, site):
    before = len(site["requested"]["assets"])
    tab.goto(site["base"] + "index.html")
    tab.wait_for_load_state("load")
    tab.wait_for_function("window.widgetLoaded === true")
    assert tab.locator(f'script[src^="{site["origin"]["assets"]}"]').count() == 0
    assert len(site["requested"]["assets"]) == before  # nothing asked of MathJax's origin
    policy = tab.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert site["origin"]["assets"] not in policy
    assert violations(tab) == []


def test_an_inline_handler_in_a_template_is_blocked_and_was_warned_about(tab, site):
    tab.goto(site["base"] + "widget.html")
    tab.wait_for_load_state("load")
    button = tab.locator(".feedback button")
    button.click()
    tab.wait_for_function("window.__violations.length > 0")
    assert button.inner_text() == "Was this page useful?"
    assert [v for v in violations(tab) if v.startswith("script-src-attr")], violations(tab)
    assert re.search(r"widget\.md: WARNING: BB504 the event handler onclick=.* written by the "
                     r"page's templates \(theme 'alabaster'\) is blocked", site["warnings"])


def test_the_tracker_is_blocked_and_the_build_said_so(tab, site):
    tracker = site["origin"]["tracker"]
    tab.goto(site["base"] + "tracked.html")
    tab.wait_for_load_state("load")
    tab.wait_for_function("window.__violations.length > 0")
    found = violations(tab)
    assert any(v.startswith("script-src") and f" {tracker}/count.js " in v for v in found), found
    assert tab.evaluate("window.counted") is None
    assert site["requested"]["tracker"] == []  # the policy stopped it in the browser
    assert re.search(r"tracked\.md: WARNING: BB505 an inline script from .* names "
                     + re.escape(tracker) + r", which the policy does not allow.*\(on "
                     r"tracked\.html\)", site["warnings"]), site["warnings"]


def test_a_script_an_extension_wrote_into_content_is_blocked_and_the_build_said_so(tab, site):
    tab.goto(site["base"] + "widget.html")
    tab.wait_for_load_state("load")
    tab.wait_for_function("window.__violations.length > 0")
    assert any(v.startswith("script-src") and " inline " in v for v in violations(tab))
    assert tab.evaluate("window.fromExtension") is None
    assert re.search(r"widget\.md: WARNING: BB504 the inline script 'window\.fromExtension = "
                     r"true;' in the content of widget\.html", site["warnings"])
