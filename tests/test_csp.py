"""No inline script comes from content, and every page carries a policy that says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefbook.csp import add_policy, policy_for
from conftest import BuildResult, build_root

pytestmark = pytest.mark.xdist_group("csp")

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    app = build_root("csp", tmp_path_factory.mktemp("csp"))
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
        # The policy comes before the first script, or it would not govern it.
        assert html.index("Content-Security-Policy") < html.index("<script"), path


def test_policy_is_recomputed_not_stacked():
    page = ('<html><head><meta charset="utf-8" /><script>var a = 1;</script></head>'
            '<body></body></html>')
    once = add_policy(page)
    assert add_policy(once) == once
    changed = once.replace("var a = 1;", "var a = 2;")
    again = add_policy(changed)
    assert again.count("Content-Security-Policy") == 1
    assert policy_for(changed) in again and policy_for(page) not in again
