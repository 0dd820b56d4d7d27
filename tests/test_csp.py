"""No inline script comes from content, and every page carries a policy that says so.

The policy allows exactly what the project put on each page (its scripts and snippets,
the origins it loads from) and warns, naming page and source, about what it blocks. In a
project that is not a briefbook book it is off unless asked for.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.testing.util import SphinxTestApp

from briefbook.build.csp_loads import css_loads, source_matches, source_of
from briefbook.build.csp_loads import sha256_source as _sha256
from briefbook.build.csp_policy import add_policy, analyse, policy_for
from briefbook.build.csp_settings import Settings
from conftest import BuildResult, build_root

pytestmark = pytest.mark.xdist_group("csp")

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
MATHJAX = "http://127.0.0.1:8765/mathjax/tex-chtml.js"
MATHJAX_ORIGIN = "http://127.0.0.1:8765"
PAGES = ("index", "math", "tracked", "widget", "genindex", "search")


def directives(html: str) -> dict[str, list[str]]:
    """The page's policy, directive by directive."""
    metas = META.findall(html)
    assert len(metas) == 1
    return {part.split()[0]: part.split()[1:] for part in metas[0].split("; ")}


def elsewhere(sources: list[str]) -> set[str]:
    """The origins of a directive: what is neither a keyword, a scheme nor a hash."""
    return {s for s in sources if "://" in s}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    # test-csp has no registry: it is a book's page only with the policy asked for.
    app = build_root("csp", tmp_path_factory.mktemp("csp"), confoverrides={"briefbook_csp": True})
    return app, (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def test_raw_html_with_script_is_removed_with_file_and_line(hostile):
    app, html = hostile
    warnings = app.warning.getvalue()
    assert re.search(r"index\.md:5: (WARNING|ERROR): BB503 raw HTML with script removed",
                     warnings), warnings
    assert re.search(r"index\.md:9: (WARNING|ERROR): BB503", warnings), warnings
    body = html[html.index('<article'):html.index('</article>')]
    assert "owned" not in body
    assert "onerror" not in body
    assert "An innocent paragraph in raw HTML stays." in body
    assert "The last paragraph." in body


def test_markdown_javascript_links_do_not_become_links(hostile):
    _, html = hostile
    body = html[html.index('<article'):html.index('</article>')]
    assert 'href="javascript:' not in body


def test_every_page_has_a_policy_without_unsafe_inline_script(sample_html: BuildResult):
    assert sample_html.returncode == 0, sample_html.stderr
    pages = sorted(p for p in sample_html.outdir.rglob("*.html")
                   if "_static" not in p.relative_to(sample_html.outdir).parts)
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        metas = META.findall(html)
        assert len(metas) == 1, path
        policy = metas[0]
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        # The book loads nothing from elsewhere: its policy names no other origin.
        assert "://" not in policy, path
        # The policy comes before the first script, or it would not govern it.
        assert html.index("Content-Security-Policy") < html.index("<script"), path
    assert not [w for w in sample_html.warnings if "BB50" in w], sample_html.warnings


def test_policy_is_recomputed_not_stacked():
    page = ('<html><head><meta charset="utf-8" /><script>var a = 1;</script></head>'
            '<body></body></html>')
    once = add_policy(page)
    assert add_policy(once) == once
    changed = once.replace("var a = 1;", "var a = 2;")
    again = add_policy(changed)
    assert again.count("Content-Security-Policy") == 1
    assert policy_for(changed) in again and policy_for(page) not in again


# --- a project that is not a briefbook book ------------------------------------------------


def plain(log: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", log)


def build_foreign(dest: Path, **overrides: object) -> SphinxTestApp:
    # sphinx.testing swaps alabaster (the root's theme) for "basic" unless it is an override.
    return build_root("csp-foreign", dest, confoverrides={"html_theme": "alabaster", **overrides})


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory):
    """tests/roots/test-csp-foreign with the policy on, MathJax from a second origin."""
    app = build_foreign(tmp_path_factory.mktemp("csp-foreign"), mathjax_path=MATHJAX)
    html = {name: (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")
            for name in PAGES}
    return app, html, plain(app.warning.getvalue())


def test_a_foreign_project_is_left_as_it_is_by_default(tmp_path):
    """briefbook in a project without a registry adds no policy and removes nothing."""
    app = build_foreign(tmp_path, briefbook_csp="auto")
    warnings = plain(app.warning.getvalue())
    assert "BB50" not in warnings, warnings
    for name in PAGES:
        html = (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")
        assert "Content-Security-Policy" not in html, name
    widget = (Path(app.outdir) / "widget.html").read_text(encoding="utf-8")
    assert '<script>document.title = "raw";</script>' in widget
    assert "no Content-Security-Policy (not a briefbook book" in app.status.getvalue()
    assert not (Path(app.doctreedir) / "briefbook-csp").exists()


def test_only_pages_with_math_allow_the_mathjax_origin(foreign):
    _, html, _ = foreign
    assert f'<script defer="defer" src="{MATHJAX}">' in html["math"]
    policy = directives(html["math"])
    assert MATHJAX_ORIGIN in policy["script-src"]
    # MathJax's own fonts and (MathJax 4) its speech frame come from where it does.
    assert MATHJAX_ORIGIN in policy["font-src"] and MATHJAX_ORIGIN in policy["frame-src"]
    for name in PAGES:
        if name != "math":
            assert MATHJAX not in html[name]
            assert MATHJAX_ORIGIN not in META.findall(html[name])[0], name


def test_each_page_allows_exactly_the_origins_it_loads(foreign):
    _, html, _ = foreign
    widget, styles = "https://widgets.example.com", "https://styles.example.net"
    # From custom.css (the project's own stylesheet): a font and an image by URL.
    font, image = "https://fonts.example.com", "https://images.example.com"
    for name in PAGES:
        policy = directives(html[name])
        mathjax = {MATHJAX_ORIGIN} if name == "math" else set()
        badge = {"https://img.shields.io"} if name == "index" else set()  # index's content
        assert elsewhere(policy["script-src"]) == {widget} | mathjax, name
        assert elsewhere(policy["style-src"]) == {widget, styles} | mathjax, name
        assert elsewhere(policy["img-src"]) == {widget, styles, image} | mathjax | badge, name
        assert elsewhere(policy["font-src"]) == {widget, styles, font} | mathjax, name
        assert elsewhere(policy["connect-src"]) == {widget} | mathjax, name
        # alabaster's GitHub button is an iframe from ghbtns.com.
        assert elsewhere(policy["frame-src"]) == {widget, "https://ghbtns.com"} | mathjax, name
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]


def test_inline_snippets_the_project_wrote_run_by_hash(foreign):
    _, html, _ = foreign
    settings = _sha256("window.siteSettings = {theme: 'light'};")  # an html_js_files body
    mathjax_config = _sha256('window.MathJax = {"tex": {"inlineMath": [["\\\\(", "\\\\)"]]}}')
    assert 'window.MathJax = {"tex"' in html["math"]
    for name in PAGES:
        assert settings in directives(html[name])["script-src"], name
    assert mathjax_config in directives(html["math"])["script-src"]
    # Every inline script outside the page's content is allowed by its hash.
    body = html["math"]
    for match in re.finditer(r"<script>(.*?)</script>", body, re.S):
        assert _sha256(match.group(1)) in directives(body)["script-src"]


def test_a_script_in_page_content_is_not_allowed_and_warned_about(foreign):
    _, html, warnings = foreign
    assert "<script>window.fromExtension = true;</script>" in html["widget"]
    assert _sha256("window.fromExtension = true;") not in directives(html["widget"])["script-src"]
    assert re.search(r"widget\.md: WARNING: BB504 the inline script 'window\.fromExtension = "
                     r"true;' in the content of widget\.html \(an extension's output", warnings)
    # Raw HTML with script: removed, as in a book, once the policy is on.
    assert re.search(r"widget\.md:10: WARNING: BB503 raw HTML with script removed", warnings)
    assert 'document.title = "raw"' not in html["widget"]
    assert "Raw HTML without script stays." in html["widget"]


def test_what_the_policy_blocks_is_warned_about_naming_page_and_source(foreign):
    _, html, warnings = foreign
    # The tracker snippet on one page loads from an origin nobody declared.
    tracker = [w for w in warnings.splitlines() if "BB505" in w]
    assert len(tracker) == 1, warnings
    assert tracker[0].startswith(str(Path(foreign[0].srcdir) / "tracked.md") + ": WARNING:")
    assert "names https://stats.example.org" in tracker[0]
    assert "a snippet an extension or the theme added for this page" in tracker[0]
    assert "(on tracked.html)" in tracker[0]
    assert "https://stats.example.org" not in META.findall(html["tracked"])[0]
    # The template's onclick handler (written on one page): named with template and page.
    handler = [w for w in warnings.splitlines() if "onclick=" in w]
    assert len(handler) == 1, warnings
    assert "BB504 the event handler onclick=\"this.textContent = 'Thanks!'\"" in handler[0]
    assert "written by the page's templates (theme 'alabaster')" in handler[0]
    assert handler[0].startswith(str(Path(foreign[0].srcdir) / "widget.md") + ": WARNING:")
    assert "(on widget.html)" in handler[0]


def test_a_page_left_from_the_last_build_is_given_its_policy_from_its_record(foreign):
    app, html, _ = foreign
    path = Path(app.outdir) / "widget.html"
    path.write_text(re.sub(META.pattern + r' ?/?>\n?', "", html["widget"]), encoding="utf-8")
    again = SphinxTestApp("html", srcdir=Path(app.srcdir), builddir=Path(app.outdir).parent,
                          confoverrides={"html_theme": "alabaster", "mathjax_path": MATHJAX})
    try:
        again.build()
    finally:
        again.cleanup()
    assert "widget" not in again.status.getvalue().split("writing output")[-1]
    rebuilt = path.read_text(encoding="utf-8")
    assert META.findall(rebuilt) == META.findall(html["widget"])
    assert _sha256("window.fromExtension = true;") not in META.findall(rebuilt)[0]


def test_settings_that_would_weaken_the_policy_are_refused(tmp_path):
    app = build_foreign(tmp_path, briefbook_csp="yes", briefbook_csp_allow={
        "script-src": ["'unsafe-inline'", "https:", "https://stats.example.org"],
        "eval-src": ["https://x.example"],
    })
    warnings = plain(app.warning.getvalue())
    assert "BB506 briefbook_csp = 'yes': use True, False or \"auto\"" in warnings
    assert "\"'unsafe-inline'\" is not an origin" in warnings
    assert "'https:' is not an origin" in warnings
    assert "unknown directive 'eval-src'" in warnings
    # "yes" is taken as "auto": no registry, so no policy.
    assert "Content-Security-Policy" not in (Path(app.outdir) / "index.html").read_text()


# --- the policy, page by page ----------------------------------------------------------------


def page(head: str = "", body: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8" />{head}</head>'
            f'<body>{body}</body></html>')


def test_sources_are_origins():
    assert source_of("https://cdn.example.org/x/y.js?v=1") == "https://cdn.example.org"
    assert source_of("http://127.0.0.1:8765/mathjax/tex-chtml.js") == "http://127.0.0.1:8765"
    assert source_of("HTTPS://CDN.Example.org:443/a") == "https://cdn.example.org:443"
    assert source_of("//cdn.example.org/x.js") == "cdn.example.org"
    assert source_of("data:font/woff2;base64,AAAA") == "data:"
    assert source_of("_static/x.js") is None and source_of("/x.js") is None
    assert source_matches("https://*.google-analytics.com", "https://region1.google-analytics.com")
    assert not source_matches("https://*.google-analytics.com", "https://google-analytics.com.evil")
    assert source_matches("https://a.example:*", "https://a.example:8443")
    assert not source_matches("https://a.example", "http://a.example")


def test_known_vendors_load_from_a_second_origin():
    html = page('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter" />'
                '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>')
    policy = {d.split()[0]: d.split()[1:] for d in policy_for(html).split("; ")}
    assert "https://fonts.gstatic.com" in policy["font-src"]
    assert "https://*.google-analytics.com" in policy["connect-src"]
    assert "https://www.googletagmanager.com" in policy["script-src"]


def test_stylesheets_are_read_for_fonts_and_images():
    loads = css_loads('@import url("https://a.example/b.css"); /* url(https://no.example/x) */'
                      '@font-face { src: url(https://f.example/x.woff2?v=2) format("woff2") }'
                      '.x { background: url("https://i.example/y.png") }'
                      '.y { background: url(data:image/png;base64,AAAA) }', "test")
    assert [(load.kind, load.value) for load in loads] == [
        ("style", "https://a.example/b.css"), ("font", "https://f.example/x.woff2?v=2"),
        ("img", "https://i.example/y.png")]
    html = page('<link rel="stylesheet" href="_static/site.css?v=1" />',
                '<p style="background: url(https://bg.example/p.png)">x</p>')
    policy, _ = analyse(html, stylesheet=lambda href: loads if href.startswith("_static/") else [])
    assert "https://f.example" in policy.split("font-src")[1].split(";")[0]
    assert "https://bg.example" in policy.split("img-src")[1].split(";")[0]
    assert "https://a.example" in policy.split("style-src")[1].split(";")[0]


def test_a_finding_on_many_pages_is_one_warning_naming_them():
    from briefbook.build.csp import _Report
    from briefbook.build.csp_policy import Finding

    report = _Report()
    for name in ("a.html", "b.html", "c.html", "d.html", "e.html"):
        report.add([Finding("BB504", "x")], name, None)
    assert list(report.pages) == [Finding("BB504", "x")]
    assert len(report.pages[Finding("BB504", "x")]) == 5


def test_what_cannot_run_under_the_policy_is_reported():
    html = page('<script src="data:text/javascript,alert(1)"></script>'
                '<script defer src="https://cdn.example.org/MathJax.js?config=TeX"></script>'
                '<script type="application/json">{"url": "https://data.example"}</script>'
                '<script>var ns = "http://www.w3.org/2000/svg";</script>',
                '<a href="javascript:alert(1)">x</a><object data="movie.swf"></object>'
                '<base href="https://elsewhere.example/" />')
    settings = Settings(mathjax_path="https://cdn.example.org/MathJax.js?config=TeX",
                        mathjax2=True, theme="alabaster")
    _, findings = analyse(html, settings=settings)
    texts = [f"{f.code} {f.text}" for f in findings]
    assert any("data: URLs" in t and "script-src" in t for t in texts), texts
    assert any(t.startswith("BB504 MathJax 2") and "'unsafe-eval'" in t for t in texts), texts
    assert any("javascript: URL in <a href=" in t for t in texts), texts
    assert any("object-src 'none'" in t for t in texts), texts
    assert any("base-uri" in t for t in texts), texts
    # JSON data blocks are not scripts, and XML namespaces are never fetched.
    assert not any("BB505" in t for t in texts), texts


def test_origins_listed_in_briefbook_csp_allow_are_allowed_and_not_warned_about():
    html = page('<script>var s = document.createElement("script");'
                's.src = "https://plausible.example/js/script.js";</script>')
    policy, findings = analyse(html)
    assert [f.code for f in findings] == ["BB505"]
    assert "plausible.example" not in policy
    settings = Settings(allow={"script-src": ["https://plausible.example"]})
    policy, findings = analyse(html, settings=settings)
    assert findings == []
    assert "script-src 'self' https://plausible.example 'sha256-" in policy


def test_a_theme_switcher_fetched_at_run_time_is_allowed():
    config = SimpleNamespace(
        html_theme_options={"switcher": {"json_url": "https://docs.example.org/switcher.json"},
                            "announcement": "https://docs.example.org/announcement.html"},
        mathjax_path="", html_theme="pydata_sphinx_theme")
    settings = Settings.from_config(config)  # type: ignore[arg-type]
    assert settings.connect == ["https://docs.example.org"]
    assert "connect-src 'self' https://docs.example.org" in policy_for(page(), settings=settings)


def test_content_is_told_from_templates_by_the_page_record():
    from briefbook.build.csp_policy import PageRecord

    script = "<script>window.fromContent = 1;</script>"
    html = page(script, f'<article>{script}</article>')
    record = PageRecord("p", content={f"inline {_sha256('window.fromContent = 1;')}": 1})
    # Once in the head (the template's) and once in the content: the hash is allowed for
    # the template's copy; the count keeps the content's from adding anything more.
    assert _sha256("window.fromContent = 1;") in policy_for(html, record)
    only_content = page("", f"<article>{script}</article>")
    assert _sha256("window.fromContent = 1;") not in policy_for(only_content, record)


def test_the_foreign_root_is_untouched_by_the_build(foreign):
    """The build writes its records beside the doctrees, never into the sources."""
    app, _, _ = foreign
    src = Path(app.srcdir)
    assert not list(src.rglob("*.json"))
    assert (Path(app.doctreedir) / "briefbook-csp" / "widget.html.json").is_file()
