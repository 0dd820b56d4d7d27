"""The book's navigation, rendered once per build instead of once per page.

HTML themes write the whole table of contents into every page: N pages × N links, so
the build and the output grow with the square of the book (a 1,000-article book spends
most of its write phase there).  Here the navigation is computed once, after all pages
are read, into ``_static/briefbook-nav.js``; each page carries only a small placeholder
(``bb-sidebar-nav.html``) that the script fills, marking the current page.  Browsers
cache the script, so readers download the navigation once too.

Briefings (pages with a date and an author in their front matter) are listed newest first
whatever the toctree's order (the front page's glob toctree lists them by name), grouped
by month in collapsible groups once there are enough of them (pages with an author but no
date last, as "Undated"); the current page's month is open.  Without
JavaScript the placeholder links to the front page, whose toctrees list everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.jinja2glue import BuiltinTemplateLoader, SphinxFileSystemLoader

from briefbook.book.briefings import briefing_date
from briefbook.editions import edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

TEMPLATES = Path(__file__).parents[1] / "templates"
SCRIPT = "briefbook-nav.js"
GROUP_BRIEFINGS_OVER = 8  # fewer briefings than this: a flat list reads better


def _title(env: BuildEnvironment, docname: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def _entries(env: BuildEnvironment, docname: str, seen: set[str]) -> list[dict[str, Any]]:
    """The toctree entries of ``docname``, each with its own children, depth first."""
    if not env.toctree_includes.get(docname):
        # A page without a toctree (every briefing) has no children: unpickling its
        # doctree to find none cost one read per page per build, even incremental ones.
        return []
    doctree = env.get_doctree(docname)
    items: list[dict[str, Any]] = []
    for toctree in doctree.findall(addnodes.toctree):
        for explicit, ref in toctree["entries"]:
            if ref in seen or ref not in env.found_docs:
                continue
            seen.add(ref)
            item: dict[str, Any] = {"doc": ref, "title": _title(env, ref, explicit)}
            children = _entries(env, ref, seen)
            if children:
                item["children"] = children
            items.append(item)
    return items


Dated = list[tuple[dt.date | None, dict[str, Any]]]


def _briefings_newest_first(env: BuildEnvironment, items: list[dict[str, Any]]) -> Dated | None:
    """``items`` as (date, item), newest first (ties by title, undated last), or None when
    they are not a list of briefings (every one with an author, at least one dated).

    The order does not rest on the toctree's: a glob toctree lists pages by name, and
    briefings of one day, or without a date, sort by date and title as on the front page.
    """
    dated: Dated = []
    for item in items:
        metadata = env.metadata.get(item["doc"], {})
        if not metadata.get("author"):
            return None  # not a list of briefings
        dated.append((briefing_date(metadata), item))
    if not any(when is not None for when, _ in dated):
        return None
    return sorted(dated, key=lambda d: (d[0] is None, -d[0].toordinal() if d[0] else 0,
                                        d[1]["title"].casefold()))


def _month_groups(ordered: Dated) -> list[dict[str, Any]] | None:
    if len(ordered) < GROUP_BRIEFINGS_OVER:
        return None
    groups: dict[str, dict[str, Any]] = {}
    for when, item in ordered:
        key = f"{when:%Y-%m}" if when is not None else "undated"
        label = f"{when:%B %Y}" if when is not None else "Undated"
        groups.setdefault(key, {"label": label, "month": key, "items": []})
        groups[key]["items"].append(item)
    return list(groups.values())


def navigation(env: BuildEnvironment) -> dict[str, Any]:
    """Sections of the root document's toctrees, by caption, briefings by month."""
    root = env.config.root_doc
    sections: list[dict[str, Any]] = []
    seen: set[str] = {root}
    for toctree in env.get_doctree(root).findall(addnodes.toctree):
        items = []
        for explicit, ref in toctree["entries"]:
            if ref in seen or ref not in env.found_docs:
                continue
            seen.add(ref)
            item: dict[str, Any] = {"doc": ref, "title": _title(env, ref, explicit)}
            children = _entries(env, ref, seen)
            if children:
                item["children"] = children
            items.append(item)
        section: dict[str, Any] = {"caption": toctree.get("caption") or "", "items": items}
        ordered = _briefings_newest_first(env, items)
        if ordered is not None:
            section["items"] = [item for _, item in ordered]
            groups = _month_groups(ordered)
            if groups is not None:
                section["groups"] = groups
                del section["items"]
        sections.append(section)
    return {"root": root, "rootTitle": _title(env, root, None), "sections": sections,
            "edition": edition.script_data(env)}


_RENDERER = r"""
(function () {
  "use strict";
  var NAV = window.BRIEFBOOK_NAV;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function render(host) {
    var root = document.documentElement.getAttribute("data-content_root") || "";
    var suffix = host.getAttribute("data-bb-suffix") || ".html";
    var current = host.getAttribute("data-bb-current");
    var wrapper = el("div", "bd-toc-item navbar-nav active");
    function toggle(summary) {
    var span = el("span", "toctree-toggle");
    span.setAttribute("role", "presentation");
    span.appendChild(el("i", "fa-solid fa-chevron-down"));
    summary.appendChild(span);
    return summary;
  }
  function link(item) {
      var a = el("a", "reference internal", item.title);
      a.href = root + item.doc + suffix;
      return a;
    }
    function list(items, level) {
      var ul = el("ul", level === 1 ? "nav bd-sidenav" : "");
      var hasCurrent = false;
      items.forEach(function (item) {
        var li = el("li", "toctree-l" + level);
        li.appendChild(link(item));
        var isCurrent = item.doc === current;
        if (item.children) {
          var sub = list(item.children, level + 1);
          var details = el("details");
          var summary = toggle(el("summary"));
          summary.setAttribute("aria-label", "Show pages under " + item.title);
          details.appendChild(summary);
          details.appendChild(sub.ul);
          if (sub.hasCurrent || isCurrent) { details.open = true; }
          li.className += " has-children";
          li.appendChild(details);
          isCurrent = isCurrent || sub.hasCurrent;
        }
        if (item.doc === current) {
          li.className += " current active";
          li.querySelector("a").setAttribute("aria-current", "page");
        } else if (isCurrent) {
          li.className += " current";
        }
        hasCurrent = hasCurrent || isCurrent;
        ul.appendChild(li);
      });
      return { ul: ul, hasCurrent: hasCurrent };
    }
    var home = el("ul", "nav bd-sidenav bd-sidenav__home-link");
    var homeLi = el("li", "toctree-l1" + (current === NAV.root ? " current active" : ""));
    homeLi.appendChild(link({ doc: NAV.root, title: NAV.rootTitle }));
    home.appendChild(homeLi);
    wrapper.appendChild(home);
    NAV.sections.forEach(function (section) {
      if (section.caption) {
        var caption = el("p", "caption");
        caption.setAttribute("role", "heading");
        caption.setAttribute("aria-level", "2");  // as the theme's own captions (WCAG 4.1.2)
        caption.appendChild(el("span", "caption-text", section.caption));
        wrapper.appendChild(caption);
      }
      if (section.groups) {
        var ul = el("ul", "nav bd-sidenav bb-nav-months");
        section.groups.forEach(function (group, index) {
          var li = el("li", "toctree-l1 has-children bb-nav-month");
          var details = el("details");
          var summary = toggle(el("summary", "bb-nav-month-label"));
          summary.insertBefore(document.createTextNode(group.label + " (" + group.items.length + ")"),
                               summary.firstChild);
          details.appendChild(summary);
          var inner = list(group.items, 2);
          details.appendChild(inner.ul);
          details.open = inner.hasCurrent || (index === 0 && !section.groups.some(
            function (g) { return g.items.some(function (i) { return i.doc === current; }); }));
          if (inner.hasCurrent) { li.className += " current"; }
          li.appendChild(details);
          ul.appendChild(li);
        });
        wrapper.appendChild(ul);
      } else {
        wrapper.appendChild(list(section.items, 1).ul);
      }
    });
    host.textContent = "";
    host.appendChild(wrapper);
  }
  function init() {
    document.querySelectorAll("nav#bb-nav").forEach(render);
    // The running footer: which edition this is, as of when (briefbook.editions.edition).
    var edition = NAV.edition && NAV.edition.statement;
    if (edition) {
      document.querySelectorAll("[data-bb-edition]").forEach(function (p) {
        p.textContent = edition;
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
"""


def script_text(env: BuildEnvironment) -> str:
    data = json.dumps(navigation(env), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot close anything in an external script, but keep the JSON inert anyway.
    data = data.replace("</", "<\\/")
    return "/* briefbook: the book's navigation, generated once per build. */\n" \
           f"window.BRIEFBOOK_NAV = {data};\n{_RENDERER}"


def write_script(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: write the navigation script, and remember its hash for the pages.

    On every build, at the end of ``env-updated``: Sphinx checks consistency (and pickles
    the environment) only when a page was read, so a build with nothing to read never
    wrote the script and gave every page it wrote again (the indexes, search) ``?v=0``."""
    if app.builder.format != "html" or not app.config.briefbook_static_nav:
        return
    text = script_text(env)
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / SCRIPT
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        tmp = target.with_suffix(".js.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    env.briefbook_nav_version = hashlib.sha256(text.encode()).hexdigest()[:12]  # type: ignore[attr-defined]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    context["briefbook_nav_script"] = (
        f"_static/{SCRIPT}?v={getattr(app.env, 'briefbook_nav_version', '0')}")


# Per application: where briefbook's templates go among the configured template folders.
_template_position: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def note_template_position(app: Sphinx, config: Config) -> None:
    """Where ``templates_path`` would have taken briefbook's folder: after the book's own
    folders (which override it), before those a theme adds (which it overrides). A book
    with a template bridge of its own gets the folder through ``templates_path``."""
    if not config.briefbook_static_nav:
        return
    if config.template_bridge:
        if str(TEMPLATES) not in config.templates_path:
            config.templates_path.append(str(TEMPLATES))
        return
    _template_position[app] = len(config.templates_path)


def add_templates(app: Sphinx) -> None:
    """briefbook's templates, as one more template folder of the book.

    Not through ``templates_path``: Sphinx fingerprints that setting into ``.buildinfo``,
    and this folder's path is where briefbook is installed, so two installations (two
    clones, two virtualenvs) built different bytes from the same book. The folder is
    given to the builder's template loader instead, where ``templates_path`` would have
    put it.
    """
    position = _template_position.get(app)
    templates = getattr(app.builder, "templates", None)
    if position is None or not isinstance(templates, BuiltinTemplateLoader):
        return
    if any(Path(path) == TEMPLATES for path in templates.pathchain):
        return
    templates.pathchain.insert(position, TEMPLATES)  # type: ignore[arg-type]
    templates.loaders.insert(position, SphinxFileSystemLoader(TEMPLATES))
    templates.templatepathlen += 1  # "!name" still means "the theme's, not ours"


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_static_nav", True, "html", types=[bool])
    app.connect("config-inited", note_template_position, priority=900)
    # Before the themes' own builder-inited handlers render anything.
    app.connect("builder-inited", add_templates, priority=100)
    app.connect("env-updated", write_script, priority=900)
    app.connect("html-page-context", page_context)
