"""Maps of the book's places: a map page, and a small map in each place's glossary entry.

``{place-map}`` (options ``:places:``, ``:caption:``, ``:class:``) draws every registry
place with ``coordinates`` as a labelled marker on a country-outline base map, framed to
the markers; countries among the places (``kind: country`` with an ISO ``country`` code)
are shaded.  Each place's glossary entry gets a small regional map centred on it (a
country without coordinates gets a locator map with its outline shaded).

Maps are drawn at build time as SVG by :mod:`briefbook.pages.worldmap`, from outline data
shipped in the package: no tile server, nothing fetched.  Like the timeline, a map is a
placeholder until every page has been read, because markers link to glossary entries
whose pages are only known then.  HTML gets the SVG inline, so its links work, with
classes and presentation attributes only (no script, no ``style=``); LaTeX gets the same
SVG converted to PDF by ``rsvg-convert`` and included as a figure.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.editions.derived import Shown, reports
from briefbook.editions.hidden import edition_registry
from briefbook.entities.domain import may_hold
from briefbook.entities.registry import Entity, Registry
from briefbook.entities.registry_cache import registry_for
from briefbook.pages import worldmap

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)

RSVG = "rsvg-convert"
RSVG_PACKAGE = "librsvg2-bin"
MAPS_FOLDER = "bb-maps"  # in the LaTeX output folder, next to the .tex file
DEFAULT_CAPTION = "Places named in the briefings"
PAGE_WIDTH = 760
ENTRY_WIDTH = 320


class place_map(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for a map, drawn once every page has been read.

    ``places``: entity ids, or None for every place; ``focus``: the entity of a glossary
    entry's small map (empty for a map page); ``caption``."""


class map_figure(nodes.General, nodes.Element):  # noqa: N801
    """A drawn map for HTML: ``svg`` (markup built and escaped by worldmap), ``caption``."""


# --- the directive -------------------------------------------------------------------------------


def _names(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n]", value) if item.strip()]


def _mappable(entity: Entity) -> bool:
    return entity.coordinates is not None or (
        entity.place_kind == "country" and worldmap.country(entity.country) is not None)


class PlaceMapDirective(SphinxDirective):
    """``{place-map}``: the book's places on one map."""

    option_spec: ClassVar[OptionSpec] = {
        "places": directives.unchanged,
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        registry = registry_for(self.env)
        for path in registry.files():
            self.env.note_dependency(str(path))
        ids: list[str] | None = None
        if "places" in self.options:
            ids = []
            for name in _names(str(self.options["places"] or "")):
                entity = registry.lookup(name, "place")
                if entity is None:
                    logger.warning("BB101 unresolved place '%s' in place-map", name,
                                   location=self.get_location(), type="briefbook",
                                   subtype="unresolved")
                    continue
                if not _mappable(entity):
                    logger.warning(
                        "BB303 place '%s' has no coordinates to put it on the map: add "
                        "'coordinates: [latitude, longitude]' to its registry entry",
                        entity.id, location=self.get_location(), type="briefbook",
                        subtype="map")
                    continue
                if entity.id not in ids:
                    ids.append(entity.id)
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "map")
        caption = " ".join(str(self.options.get("caption") or DEFAULT_CAPTION).split())
        node = place_map(places=ids, focus="", caption=caption,
                         classes=self.options.get("class", []))
        self.set_source_info(node)
        return [node]


def entry_map(entity_id: str) -> place_map:
    """The small map of a place's glossary entry (dropped when there is nothing to draw)."""
    return place_map(places=None, focus=entity_id, caption="", classes=["bb-map-entry"])


# --- what a map shows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapSpec:
    """One map, independent of the output format."""

    view: worldmap.View
    places: tuple[Entity, ...]  # drawn as markers
    subject: str  # entity id drawn as the map's subject (entry maps), or ""
    shaded: tuple[str, ...]  # alpha-2 codes
    label: str
    style: worldmap.Style
    legend: tuple[tuple[str, str], ...]
    country_names: tuple[tuple[str, str], ...]


def _located(entities: list[Entity]) -> list[Entity]:
    return [e for e in entities if e.coordinates is not None]


def _lonlat(entity: Entity) -> worldmap.LonLat:
    assert entity.coordinates is not None
    lat, lon = entity.coordinates
    return (lon, lat)


def _country_names(registry: Registry) -> tuple[tuple[str, str], ...]:
    """The book's own names for countries (``United States``, not Natural Earth's name)."""
    return tuple(sorted((e.country.upper(), e.name) for e in registry.of_kind("place")
                        if e.place_kind == "country" and e.country))


def page_spec(registry: Registry, ids: list[str] | None) -> MapSpec | None:
    """The map page: the places (all, or ``ids``), framed to their markers."""
    if ids is None:
        places = registry.of_kind("place")
    else:
        places = [e for e in (registry.get(i) for i in ids) if e is not None]
    located = _located(places)
    countries = [e for e in places
                 if e.place_kind == "country" and worldmap.country(e.country) is not None]
    if located:
        box = worldmap.points_box(_lonlat(e) for e in located)
    elif countries:
        boxes = [worldmap.country(e.country).main_box for e in countries]  # type: ignore[union-attr]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
               max(b[2] for b in boxes), max(b[3] for b in boxes))
    else:
        return None
    view = worldmap.fit(box, PAGE_WIDTH, aspect=(1.6, 2.0), min_height=34.0)
    names = ", ".join(e.name for e in located) or ", ".join(e.name for e in countries)
    return MapSpec(
        view=view, places=tuple(located), subject="",
        shaded=tuple(sorted({e.country.upper() for e in countries})),
        label=f"Map: {names}", style=worldmap.PAGE_STYLE,
        legend=(("place", "Place named in the briefings"),
                ("country", "Country named in the briefings")),
        country_names=_country_names(registry),
    )


def entry_spec(registry: Registry, entity_id: str) -> MapSpec | None:
    """A glossary entry's map: a regional view centred on the place, other places in view
    shown smaller; for a country without coordinates, its outline shaded."""
    entity = registry.get(entity_id)
    if entity is None:
        return None
    outline = worldmap.country(entity.country) if entity.country else None
    if entity.coordinates is not None:
        lon, lat = _lonlat(entity)
        view = worldmap.fit((lon, lat, lon, lat), ENTRY_WIDTH, aspect=(1.45, 1.45),
                            min_height=16.0, margin=0.0, pad=0.0)
        label = f"Map: {entity.name} and its region"
    elif entity.place_kind == "country" and outline is not None:
        view = worldmap.fit(outline.main_box, ENTRY_WIDTH, aspect=(1.45, 1.45),
                            min_height=16.0, margin=0.1, pad=2.0)
        label = f"Map: where {entity.name} lies"
    else:
        return None
    nearby = [e for e in _located(registry.of_kind("place"))
              if e.id == entity.id or view.contains(*_lonlat(e), inset=6.0)]
    return MapSpec(
        view=view, places=tuple(nearby), subject=entity.id,
        shaded=(entity.country.upper(),) if outline is not None else (),
        label=label, style=worldmap.ENTRY_STYLE, legend=(),
        country_names=_country_names(registry),
    )


def render(spec: MapSpec, hrefs: dict[str, str]) -> str:
    """The SVG of a map; markers of places in ``hrefs`` link there."""
    markers = []
    for entity in spec.places:
        lon, lat = _lonlat(entity)
        title = entity.name + (f" ({entity.native_name})" if entity.native_name else "")
        markers.append(worldmap.Marker(lon, lat, entity.name, entity.id, href=hrefs.get(entity.id),
                                       title=title, emphasis=entity.id == spec.subject))
    return worldmap.render_svg(
        spec.view, markers, highlight=spec.shaded, style=spec.style, label=spec.label,
        legend=spec.legend, country_names=dict(spec.country_names),
        classes=["bb-map-entry-svg" if spec.subject else "bb-map-page-svg"],
    )


# --- filling the placeholders ----------------------------------------------------------------------


def _hrefs(app: Sphinx, fromdocname: str, spec: MapSpec) -> dict[str, str]:
    """Links from this page to each place's glossary entry (HTML only)."""
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    found = {}
    for entity in spec.places:
        entry = domain.entries.get(entity.id)
        if entry is None:
            continue
        try:
            uri = app.builder.get_relative_uri(fromdocname, entry.docname)
        except NoUri:
            continue
        found[entity.id] = f"{uri}#{entry.anchor}"
    return found


def _spec(app: Sphinx, node: place_map) -> MapSpec | None:
    registry = edition_registry(app.env)  # a released edition maps only what it names
    if node.get("focus"):
        return entry_spec(registry, node["focus"])
    return page_spec(registry, node.get("places"))


def fill_maps(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each map placeholder with the drawn map (or nothing, if there is none)."""
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    if "place" not in domain.index_docs.get(docname, ()) and not may_hold(app, docname, "map"):
        return  # neither the map page nor the places glossary (whose entries have maps)
    placeholders = list(doctree.findall(place_map))
    if not placeholders:
        return
    fmt = app.builder.format
    tool = shutil.which(RSVG) if fmt == "latex" else None
    missing_tool = 0
    for node in placeholders:
        spec = _spec(app, node) if fmt in ("html", "latex") else None
        is_page = not node.get("focus")
        if spec is None:
            _replace(node, _no_map() if is_page and fmt in ("html", "latex") else [])
            continue
        # The places it draws and names, and the countries it shades, are reported.
        node.parent.insert(node.parent.index(node), shown_places(app, spec).nodes())
        if fmt == "html":
            svg = render(spec, _hrefs(app, docname, spec))
            figure = map_figure(svg=svg, caption=node.get("caption", ""),
                                classes=["bb-map", "bb-map-page" if is_page else "bb-map-entry",
                                         *(c for c in node["classes"] if c != "bb-map-entry")])
            figure.source, figure.line = node.source, node.line
            node.replace_self(figure)
            continue
        uri = latex_map_file(app, render(spec, {}), "map" if is_page else "entry-map", tool)
        if uri is None:
            missing_tool += tool is None
            _replace(node, _no_map(f"(Map left out: {RSVG} was not available to draw it.)")
                     if is_page else [])
            continue
        # Already in the output folder: "*" tells Sphinx there is nothing to pick or copy.
        image = nodes.image(uri=uri, candidates={"*": uri}, width="100%" if is_page else "38%",
                            alt=spec.label, classes=["bb-map-image"])
        if is_page:
            figure = nodes.figure("", image, classes=["bb-map"])
            figure += nodes.caption(node["caption"], node["caption"])
            node.replace_self(figure)
        else:
            node.replace_self(nodes.paragraph("", "", image, classes=["bb-map-entry"]))
    if missing_tool:
        logger.warning(
            "briefbook: %s not found (Debian package %s, installed by `bash scripts/bootstrap.sh "
            "tex`): %d map(s) left out of the PDF", RSVG, RSVG_PACKAGE, missing_tool,
            type="briefbook", subtype="map_tool")


def shown_places(app: Sphinx, spec: MapSpec) -> Shown:
    """What a map shows (:mod:`briefbook.editions.derived`): its places, and the
    countries it shades (named as places of the registry)."""
    shown = Shown(app.env)
    for entity in spec.places:
        shown.entity(entity.id)
    if spec.shaded:
        codes = set(spec.shaded)
        for entity in edition_registry(app.env).of_kind("place"):
            if entity.place_kind == "country" and entity.country.upper() in codes:
                shown.entity(entity.id)
    return shown


def _replace(node: place_map, new: list[nodes.Node]) -> None:
    if new:
        node.replace_self(new)
    else:
        node.parent.remove(node)


def _no_map(text: str = "No places with coordinates in the registry yet.") -> list[nodes.Node]:
    return [nodes.paragraph(text, text, classes=["bb-map-none"])]


def latex_map_file(app: Sphinx, svg: str, stem: str, tool: str | None) -> str | None:
    """The map as a PDF in the LaTeX output folder; its path relative to that folder, or
    None when ``tool`` (rsvg-convert) is missing (the caller reports it once) or fails
    (reported here).

    Files are named by a hash of their SVG, so an unchanged map is not converted again
    and the .tex file is the same on every build."""
    folder = Path(app.builder.outdir) / MAPS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{stem}-{hashlib.sha256(svg.encode('utf-8')).hexdigest()[:16]}"
    pdf = folder / f"{name}.pdf"
    if pdf.is_file():
        return f"{MAPS_FOLDER}/{pdf.name}"
    source = folder / f"{name}.svg"
    source.write_text(svg, encoding="utf-8")
    if tool is None:
        return None
    partial = folder / f"{name}.pdf.part"
    # cairo stamps the PDF with the current time unless told a fixed one.
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or "0"}
    try:
        done = subprocess.run([tool, "-f", "pdf", "-o", str(partial), str(source)],
                              capture_output=True, text=True, env=env, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("briefbook: %s failed on %s: %s", RSVG, source, exc,
                       type="briefbook", subtype="map_tool")
        return None
    if done.returncode != 0 or not partial.is_file():
        logger.warning("briefbook: %s failed on %s: %s", RSVG, source,
                       done.stderr.strip() or f"exit code {done.returncode}",
                       type="briefbook", subtype="map_tool")
        partial.unlink(missing_ok=True)
        return None
    partial.replace(pdf)
    return f"{MAPS_FOLDER}/{pdf.name}"


# --- HTML ----------------------------------------------------------------------------------------


def visit_map_figure_html(self: HTML5Translator, node: map_figure) -> None:
    tag = "figure" if node.get("caption") else "div"
    self.body.append(self.starttag(node, tag, ""))
    self.body.append(node["svg"])  # built by worldmap: every text and attribute escaped
    if node.get("caption"):
        self.body.append(f'<figcaption class="bb-map-caption">{self.encode(node["caption"])}'
                         "</figcaption>")
    self.body.append(f"</{tag}>\n")
    raise nodes.SkipNode


def _skip(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(place_map, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(map_figure, html=(visit_map_figure_html, None), latex=skip, text=skip,
                 man=skip, texinfo=skip)
    app.add_directive("place-map", PlaceMapDirective)
    app.connect("doctree-resolved", fill_maps)
    reports("map")
