"""A deterministic synthetic briefing book of N articles, and the same book as plain Sphinx.

The benchmark needs books of any size that look like real ones to the build: ~1,000-word
MyST articles with front matter (date, author, source), 2-4 people, places and
organisations named per paragraph, a quotation or two with speaker and source, key
judgements in estimative language with citations, ``{cite:p}`` citations and a dated
``{event}``; a registry that grows with the book; a ``sources.bib`` every entry of which
is cited (the build warns about uncited sources, and the book must build with ``-W``).

Two books are written from one model, so they carry the same words:

* ``briefbook/``: briefbook's own format (``conf/conf.py``, ``conf/entities/*.yaml``,
  ``docs/``, ``sources.bib``), laid out like the sample book and built the same way
  (``sphinx-build -c conf docs OUT``), with its real navigation and features;
* ``anchor/``: plain Sphinx + myst-parser + sphinxcontrib-bibtex, the mentions as
  ``{term}`` references to a standard Sphinx glossary, quotations and judgements as plain
  text, and sphinx-book-theme with its defaults: what a team would build without
  briefbook, and the yardstick the issue measures against.

Everything is drawn from :class:`random.Random` seeded with strings (hashed with SHA-512,
so independent of ``PYTHONHASHSEED``) and written with ``\\n`` line ends in UTF-8: the
same N and seed give the same bytes, so runs on different days build the same book.
A ``manifest.json`` next to the books records the counts and, per article, the entities
it names (the incremental-rebuild step, :mod:`briefbook.benchmark.edit`, edits an article
against it).

This module assembles the model (:func:`build_model`: entities and sources from
:mod:`briefbook.benchmark.model`, articles from :mod:`briefbook.benchmark.writer`) and
writes the books' files: registry, ``sources.bib``, both ``conf.py``, the index and
glossary pages, the articles and the manifest (:func:`generate`).
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefbook.benchmark.model import (
    REGISTRY_FILES,
    Article,
    Counts,
    Source,
    SynthEntity,
    draw_entities,
    draw_sources,
    entity_counts,
    zipf_weights,
)
from briefbook.benchmark.writer import write_article


@dataclass(frozen=True)
class Corpus:
    """Where the two books were written and what they contain."""

    root: Path
    n: int
    seed: str
    counts: Counts
    articles: tuple[Article, ...]
    entities: tuple[SynthEntity, ...]

    @property
    def briefbook(self) -> Path:
        return self.root / "briefbook"

    @property
    def anchor(self) -> Path:
        return self.root / "anchor"


def build_model(n: int, seed: str = "briefbook") -> tuple[list[SynthEntity], list[Source],
                                                          list[Article], Counts]:
    """Entities, sources and articles of a book of ``n`` articles (no files written)."""
    if n < 1:
        raise ValueError("a book needs at least one article")
    rng = random.Random(f"{seed}:registry:{n}")
    entities = draw_entities(n, rng)
    pool = draw_sources(n, random.Random(f"{seed}:sources:{n}"))
    # Popularity is independent of kind: shuffle once, then weight by rank.
    ranked = list(entities)
    random.Random(f"{seed}:rank:{n}").shuffle(ranked)
    weights = zipf_weights(len(ranked))
    span_days = max(120, (n * 3) // 2)  # about one article every day and a half
    articles: list[Article] = []
    counts = Counts(articles=n, sources=len(pool) + n)
    counts.people, counts.places, counts.organizations = entity_counts(n)
    for index in range(n):
        article, found = write_article(index, n, seed, ranked, pool, weights, span_days)
        articles.append(article)
        for name in ("mentions", "quotes", "claims", "events", "citations"):
            setattr(counts, name, getattr(counts, name) + getattr(found, name))
        counts.words += article.words
    return entities, pool, articles, counts


# --- writing files --------------------------------------------------------------------------


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def registry_yaml(entities: Sequence[SynthEntity], kind: str) -> str:
    """One registry file, in the schema of ``conf/entities/*.yaml``."""
    lines = [f"# Synthetic {kind} entries for the briefbook benchmark (generated; do not edit).", ""]
    for e in entities:
        if e.kind != kind:
            continue
        lines.append(f"- id: {e.id}")
        lines.append(f"  name: {_yaml_str(e.name)}")
        if e.alias:
            lines.append("  aliases:")
            lines.append(f"    - {_yaml_str(e.alias)}")
        if e.native:
            lines.append(f"  native_name: {_yaml_str(e.native)}")
        if e.sub_kind:
            lines.append(f"  kind: {e.sub_kind}")
        if e.country:
            lines.append(f"  country: {e.country}")
        if e.coordinates:
            lines.append(f"  coordinates: [{e.coordinates[0]}, {e.coordinates[1]}]")
        if e.description:
            lines.append(f"  description: {_yaml_str(e.description)}")
        if e.role:
            title, start, end = e.role
            lines.append("  roles:")
            lines.append(f"    - title: {_yaml_str(title)}")
            lines.append(f"      start: {start}")
            if end:
                lines.append(f"      end: {end}")
        lines.append("")
    return "\n".join(lines)


def bibliography(pool: Sequence[Source], articles: Sequence[Article]) -> str:
    entries = []
    for s in pool:
        fields = [f"  author = {{{s.author}}},", f"  title = {{{s.title}}},",
                  f"  year = {{{s.year}}},", f"  month = {s.month},"]
        if s.publisher:
            fields.append(f"  publisher = {{{s.publisher}}},")
        # Graded, as an analyst's sources are: every citation then carries its grade.
        number = int(s.key[3:])
        fields.append(f"  reliability = {{{'BBCACD'[number % 6]}}},")
        if number % 2 == 0:
            fields.append(f"  credibility = {{{1 + number % 4}}},")
        entries.append(f"@misc{{{s.key},\n" + "\n".join(fields) + "\n}\n")
    for a in articles:
        family, given = a.author.split(" ", 1)[1], a.author.split(" ", 1)[0]
        month = a.date.strftime("%b").lower()
        entries.append(
            f"@misc{{{a.key},\n  author = {{{family}, {given}}},\n  title = {{{a.title}}},\n"
            f"  year = {{{a.date.year}}},\n  month = {month},\n"
            f"  note = {{Briefing of {a.date.day} {a.date:%B %Y}}},\n}}\n")
    return "\n".join(entries)


_BRIEFBOOK_CONF = '''"""Synthetic briefing book for the briefbook benchmark (generated; do not edit).

The same settings as the sample book (conf/conf.py): briefbook with its navigation
rendered once per build, sphinx-design, sphinxcontrib-bibtex, sphinx-book-theme.
"""

from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent
ROOT = CONF_DIR.parent

project = "Synthetic Briefing Book ({n} articles)"
author = "briefbook benchmark"
copyright = "2024, briefbook benchmark"
language = "en"
today = "1 January 2025"

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "briefbook"]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

bibtex_bibfiles = [str(ROOT / "sources.bib")]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{{key}}"
bibtex_bibliography_id = "bibliography-{{bibliography_count}}"

briefbook_registry = str(CONF_DIR / "entities")

html_theme = "sphinx_book_theme"
html_title = "Synthetic Briefing Book"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_sidebars = {{
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html",
           "bb-sidebar-nav.html"],
}}
html_theme_options = {{
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}}

latex_engine = "xelatex"
latex_documents = [("index", "briefing-book.tex", "Synthetic Briefing Book",
                    "Compiled with briefbook", "manual")]
latex_show_urls = "footnote"
latex_elements = {{
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "fontpkg": r"""
\\setmainfont{{FreeSerif}}
\\setsansfont{{FreeSans}}
\\setmonofont{{FreeMono}}
""",
    "preamble": r"""
\\usepackage{{xeCJK}}
\\setCJKmainfont{{Noto Serif CJK KR}}
\\setCJKsansfont{{Noto Sans CJK KR}}
\\setCJKmonofont{{Noto Sans Mono CJK KR}}
\\xeCJKsetup{{CJKspace=true, CJKecglue={{}}}}
\\xeCJKDeclareCharClass{{Default}}{{"00B7,"2013,"2014,"2018,"2019,"201C,"201D,"2026}}
\\addto\\captionsenglish{{\\renewcommand{{\\contentsname}}{{Contents}}}}
""",
    "printindex": r"\\footnotesize\\raggedright\\printindex",
}}
latex_use_xindy = True
'''

_ANCHOR_CONF = '''"""The benchmark's anchor (generated; do not edit): the same content as the synthetic
briefing book, as plain Sphinx + myst-parser + sphinxcontrib-bibtex, mentions as {{term}}
references to a standard glossary, and sphinx-book-theme with its defaults."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

project = "Synthetic Briefing Book ({n} articles), plain Sphinx"
author = "briefbook benchmark"
copyright = "2024, briefbook benchmark"
language = "en"
today = "1 January 2025"

extensions = ["myst_parser", "sphinxcontrib.bibtex"]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

bibtex_bibfiles = [str(ROOT / "sources.bib")]
# Numeric labels: the stock "alpha" style overflows after 26 same-author-same-year entries.
bibtex_default_style = "plain"

html_theme = "sphinx_book_theme"
'''


def _index_briefbook(articles: Sequence[Article]) -> str:
    newest = sorted(articles, key=lambda a: (a.date, a.index), reverse=True)
    entries = "\n".join(a.docname for a in newest)
    return (
        "# Synthetic Briefing Book\n\n"
        "A generated book for the briefbook benchmark: every article, every name and every "
        "source is synthetic.\n\n"
        "```{rubric} Latest briefings\n```\n\n"
        "```{latest-briefings}\n:limit: 6\n```\n\n"
        f"```{{toctree}}\n:caption: Briefings\n:maxdepth: 1\n\n{entries}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\n"
        "timeline\nindexes/people\nindexes/places\nglossary/index\nyardstick\nreferences\n```\n"
    )


def _index_anchor(articles: Sequence[Article]) -> str:
    newest = sorted(articles, key=lambda a: (a.date, a.index), reverse=True)
    entries = "\n".join(a.docname for a in newest)
    return (
        "# Synthetic Briefing Book\n\n"
        "A generated book for the briefbook benchmark: every article, every name and every "
        "source is synthetic.\n\n"
        f"```{{toctree}}\n:caption: Briefings\n:maxdepth: 1\n\n{entries}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\nglossary/index\nreferences\n```\n"
    )


_KIND_PAGES = (("people", "person", "People"), ("places", "place", "Places"),
               ("organizations", "organization", "Organisations"))


def _glossary_anchor(entities: Sequence[SynthEntity], kind: str, title: str) -> str:
    lines = [f"# {title}", "", "```{glossary}", ":sorted:", ""]
    for e in entities:
        if e.kind != kind:
            continue
        lines.append(e.name)
        if e.alias:
            lines.append(e.alias)
        definition = e.description
        if e.native:
            definition = f"{e.native}. {definition}"
        if e.role:
            definition += f" {e.role[0]} since {e.role[1]}."
        lines.append(f"  {definition}")
        lines.append("")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _files(corpus_entities: Sequence[SynthEntity], pool: Sequence[Source],
           articles: Sequence[Article], n: int) -> dict[str, str]:
    """Every file of both books, by path relative to the corpus root."""
    files: dict[str, str] = {}
    bib = bibliography(pool, articles)
    # briefbook
    files["briefbook/conf/conf.py"] = _BRIEFBOOK_CONF.format(n=n)
    for kind, name in REGISTRY_FILES.items():
        files[f"briefbook/conf/entities/{name}"] = registry_yaml(corpus_entities, kind)
    files["briefbook/sources.bib"] = bib
    files["briefbook/docs/index.md"] = _index_briefbook(articles)
    files["briefbook/docs/timeline.md"] = "# Timeline\n\n```{timeline}\n```\n"
    for page, kind, title in (("people", "person", "People"), ("places", "place", "Places")):
        files[f"briefbook/docs/indexes/{page}.md"] = (
            f"# {title} at a Glance\n\n```{{entity-grid}} {kind}\n```\n")
    files["briefbook/docs/glossary/index.md"] = (
        "# Glossary\n\n```{toctree}\n:maxdepth: 1\n\npeople\nplaces\norganizations\n```\n")
    for page, kind, title in _KIND_PAGES:
        files[f"briefbook/docs/glossary/{page}.md"] = f"# {title}\n\n```{{entity-index}} {kind}\n```\n"
    files["briefbook/docs/yardstick.md"] = (
        "# Annex: Estimative Language\n\n```{estimative-yardstick}\n```\n")
    files["briefbook/docs/references.md"] = "# References\n\n```{bibliography}\n:all:\n```\n"
    # anchor
    files["anchor/conf/conf.py"] = _ANCHOR_CONF.format(n=n)
    files["anchor/sources.bib"] = bib
    files["anchor/docs/index.md"] = _index_anchor(articles)
    files["anchor/docs/glossary/index.md"] = (
        "# Glossary\n\n```{toctree}\n:maxdepth: 1\n\npeople\nplaces\norganizations\n```\n")
    for page, kind, title in _KIND_PAGES:
        files[f"anchor/docs/glossary/{page}.md"] = _glossary_anchor(corpus_entities, kind, title)
    files["anchor/docs/references.md"] = "# References\n\n```{bibliography}\n:all:\n```\n"
    for a in articles:
        files[f"briefbook/docs/{a.docname}.md"] = a.briefbook
        files[f"anchor/docs/{a.docname}.md"] = a.anchor
    return files


def manifest(n: int, seed: str, counts: Counts, articles: Sequence[Article]) -> dict[str, Any]:
    return {
        "n": n,
        "seed": seed,
        "counts": {**{k: getattr(counts, k) for k in counts.__dataclass_fields__},
                   "entities": counts.entities},
        "articles": [{"docname": a.docname, "date": a.date.isoformat(), "words": a.words,
                      "entities": sorted(a.entities)} for a in articles],
    }


def generate(n: int, root: Path, seed: str = "briefbook") -> Corpus:
    """Write both books of ``n`` articles under ``root`` (replacing what was there)."""
    entities, pool, articles, counts = build_model(n, seed)
    root = Path(root)
    for book in ("briefbook", "anchor"):
        if (root / book).exists():
            shutil.rmtree(root / book)
    files = _files(entities, pool, articles, n)
    files["manifest.json"] = json.dumps(manifest(n, seed, counts, articles), indent=1,
                                        ensure_ascii=False) + "\n"
    for relative, text in sorted(files.items()):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return Corpus(root, n, seed, counts, tuple(articles), tuple(entities))
