"""Country outlines, a projection and an SVG writer for briefbook's maps.

The maps are drawn at build time from data shipped in the package
(``data/world-110m.json``: Natural Earth's 1:110m countries, see ``data/README.md``), so a
book builds offline and prints the same map it shows on screen.  Nothing here knows about
Sphinx: :mod:`briefbook.pages.placemap` turns registry places into :class:`Marker` objects and
puts the SVG into pages.

The projection is equirectangular with its standard parallel at the centre of the view:
longitude and latitude map linearly to x and y, with longitude scaled by the cosine of the
centre latitude, so shapes are true around the places shown and distances read honestly
for the regional extents a briefing needs (a world map would call for something else).

Every output is deterministic: countries in the data file's order, markers sorted, numbers
rounded to a tenth of a pixel, no generated ids.  The SVG carries presentation attributes
(``fill=``, ``stroke=``) and classes, never ``style=`` or scripts, so it renders on its own
(``rsvg-convert`` for the PDF) and under a Content-Security-Policy without
``'unsafe-inline'``; ``briefbook.css`` refines it in HTML.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "world-110m.json"

LonLat = tuple[float, float]
Point = tuple[float, float]
Box = tuple[float, float, float, float]  # west, south, east, north (degrees) or x0, y0, x1, y1

# Colours: muted, print-safe, readable in greyscale.
SEA = "#dde7ee"
LAND = "#f6f4ef"
LAND_HIGHLIGHT = "#e9e1cd"
BORDER = "#a7a195"
FRAME = "#8f99a3"
MARKER = "#a4262c"
MARKER_OTHER = "#5d6b78"
LABEL = "#1c1c1c"
LABEL_OTHER = "#3d4650"
COUNTRY_LABEL = "#857d6f"
HALO = "#ffffff"
FONT = "FreeSans, 'Helvetica Neue', Arial, sans-serif"
CREDIT = "Boundaries: Natural Earth"


# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One country's outline: rings of (lon, lat) points, each with its bounding box."""

    name: str
    a2: str
    n3: str
    rings: tuple[tuple[LonLat, ...], ...]
    boxes: tuple[Box, ...]
    main: int

    @property
    def main_box(self) -> Box:
        """The bounding box of the largest ring (the mainland), to frame the country."""
        return self.boxes[self.main]


def _box(points: Iterable[LonLat]) -> Box:
    lons, lats = zip(*points, strict=True)
    return (min(lons), min(lats), max(lons), max(lats))


@functools.cache
def outlines() -> tuple[Country, ...]:
    """The shipped outlines, read once per process (the file never changes at run time)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    unit = float(data["unit"])
    countries = []
    for item in data["countries"]:
        rings = tuple(
            tuple((flat[i] * unit, flat[i + 1] * unit) for i in range(0, len(flat), 2))
            for flat in item["rings"]
        )
        countries.append(Country(item["name"], item["a2"], item["n3"], rings,
                                 tuple(_box(r) for r in rings), int(item["main"])))
    return tuple(countries)


def country(code: str) -> Country | None:
    """A country by its ISO 3166-1 alpha-2 code (any case), or None if not in the data."""
    code = code.strip().upper()
    return next((c for c in outlines() if code and c.a2 == code), None) if code else None


# --- projection and framing ----------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A window on the map: centre, scale (pixels per degree of latitude) and size in pixels."""

    lon0: float
    lat0: float
    scale: float
    width: int
    height: int

    @property
    def kx(self) -> float:
        """Pixels per degree of longitude (the standard parallel is the centre latitude)."""
        return self.scale * math.cos(math.radians(self.lat0))

    @property
    def bounds(self) -> Box:
        half_lon = self.width / 2 / self.kx
        half_lat = self.height / 2 / self.scale
        return (self.lon0 - half_lon, self.lat0 - half_lat, self.lon0 + half_lon, self.lat0 + half_lat)

    def project(self, lon: float, lat: float) -> Point:
        return (self.width / 2 + (lon - self.lon0) * self.kx,
                self.height / 2 - (lat - self.lat0) * self.scale)

    def contains(self, lon: float, lat: float, inset: float = 0.0) -> bool:
        x, y = self.project(_near(lon, self.lon0), lat)
        return inset <= x <= self.width - inset and inset <= y <= self.height - inset


def _near(lon: float, centre: float) -> float:
    """``lon`` shifted by a whole turn to lie within 180° of ``centre``."""
    while lon - centre > 180:
        lon -= 360
    while lon - centre < -180:
        lon += 360
    return lon


def _lon_range(lons: Sequence[float]) -> tuple[float, float]:
    """The narrowest longitude range holding every value, across the antimeridian if shorter."""
    plain = (min(lons), max(lons))
    shifted = [lon + 360 if lon < 0 else lon for lon in lons]
    wrapped = (min(shifted), max(shifted))
    return plain if plain[1] - plain[0] <= wrapped[1] - wrapped[0] else wrapped


def fit(
    box: Box, width: int, *, aspect: tuple[float, float] = (1.3, 1.9), min_height: float = 20.0,
    margin: float = 0.12, pad: float = 3.0,
) -> View:
    """The view showing ``box`` (degrees) with a margin, at least ``min_height`` degrees of
    latitude tall, its width/height ratio within ``aspect``: a single place gets a
    regional view around it, places across Eurasia a view of just that stretch."""
    west, south, east, north = box
    lat0 = (south + north) / 2
    lon0 = (west + east) / 2
    cos0 = math.cos(math.radians(max(-70.0, min(70.0, lat0))))
    w = (east - west) * cos0  # in degrees of latitude
    h = north - south
    w += 2 * max(margin * w, pad)
    h += 2 * max(margin * h, pad)
    h = max(h, min_height)
    w = max(w, h * aspect[0])
    if w / h > aspect[1]:
        h = w / aspect[1]
    h = min(h, 170.0)
    lat0 = max(-85 + h / 2, min(85 - h / 2, lat0))
    cos0 = math.cos(math.radians(lat0))
    w = min(w, 360 * cos0)
    scale = width / w
    height = max(1, round(h * scale))
    return View(lon0, lat0, scale, width, height)


def points_box(points: Iterable[LonLat]) -> Box:
    """The box around (lon, lat) points, across the antimeridian when that is narrower."""
    found = list(points)
    west, east = _lon_range([p[0] for p in found])
    return (west, min(p[1] for p in found), east, max(p[1] for p in found))


# --- geometry ------------------------------------------------------------------------------------


def _clip(ring: list[Point], x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    """Sutherland–Hodgman: the ring cut to a rectangle (edges along it fall outside the view)."""
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    out = ring
    for inside, cross in edges:
        if not out:
            break
        points, out = out, []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
    return out


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _thin(ring: list[Point], tolerance: float) -> list[Point]:
    """Drop points closer than ``tolerance`` pixels to the last kept one."""
    kept: list[Point] = []
    for point in ring:
        if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    return kept


def _num(value: float) -> str:
    text = f"{round(value, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ring_path(ring: list[Point]) -> str:
    return "M" + " ".join(f"{_num(x)} {_num(y)}" for x, y in ring) + "Z"


def country_path(country: Country, view: View) -> str:
    """SVG path data for the parts of ``country`` inside the view (empty if none)."""
    return "".join(_ring_path(ring) for ring in visible_rings(country, view))


def visible_rings(country: Country, view: View) -> list[list[Point]]:
    """The country's rings in pixels, cut to the view and thinned to what shows."""
    west, south, east, north = view.bounds
    slack = 4 / view.scale  # degrees: clip just outside the frame so cut edges stay hidden
    parts = []
    for ring, (r_west, r_south, r_east, r_north) in zip(country.rings, country.boxes, strict=True):
        if r_north < south - slack or r_south > north + slack:
            continue
        for turn in (-360.0, 0.0, 360.0):
            if r_east + turn < west - slack or r_west + turn > east + slack:
                continue
            projected = [view.project(lon + turn, lat) for lon, lat in ring]
            clipped = _clip(projected, -4, -4, view.width + 4, view.height + 4)
            thinned = _thin(clipped, 0.6)
            if len(thinned) >= 3:
                parts.append(thinned)
    return parts


def _inside(ring: Sequence[Point], x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def _area(ring: Sequence[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0
                   for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


def country_label_spot(rings: Sequence[list[Point]], width: float, height: float,
                       view: View, taken: Sequence[Box] = ()) -> Point | None:
    """Where a country's name fits inside its largest visible part, or None.

    Candidates on a grid over that part, nearest its centre first; a spot is good when
    the whole label box lies on the country's land and inside the frame, clear of
    ``taken`` (markers, their labels, other names)."""
    if not rings:
        return None
    ring = max(rings, key=_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    x0, y0 = max(min(xs), 4.0), max(min(ys), 4.0)
    x1, y1 = min(max(xs), view.width - 4.0), min(max(ys), view.height - 4.0)
    if x1 - x0 < width * 1.1 or y1 - y0 < height * 1.5:
        return None
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    steps = 8
    grid = [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * j / steps)
            for i in range(1, steps) for j in range(1, steps)]
    grid.sort(key=lambda p: ((p[0] - cx) ** 2 + (p[1] - cy) ** 2, p))
    for x, y in grid:
        corners = [(x - width / 2, y - height / 2), (x + width / 2, y - height / 2),
                   (x - width / 2, y + height / 2), (x + width / 2, y + height / 2), (x, y)]
        box = (x - width / 2 - 2, y - height / 2 - 2, x + width / 2 + 2, y + height / 2 + 2)
        if any(_overlap(box, other) for other in taken):
            continue
        if all(4 <= px <= view.width - 4 and 4 <= py <= view.height - 4 and _inside(ring, px, py)
               for px, py in corners):
            return (x, y)
    return None


# --- markers and labels --------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A labelled place. ``href`` makes marker and label one link; ``key`` names the place
    for scripts and tests (``data-place``); ``emphasis`` draws it as the map's subject."""

    lon: float
    lat: float
    label: str
    key: str
    href: str | None = None
    title: str = ""
    emphasis: bool = False


@dataclass(frozen=True)
class Style:
    """Sizes for one kind of map (pixels of the SVG's own coordinate system)."""

    font_size: float = 13.0
    radius: float = 4.5
    other_radius: float = 3.5
    halo: float = 3.0
    country_size: float = 10.0
    legend: bool = True
    credit: bool = True


PAGE_STYLE = Style()
ENTRY_STYLE = Style(font_size=12.0, radius=4.5, other_radius=3.0, country_size=9.0, legend=False,
                    credit=False)

# Where a label may sit around its marker, in order of preference: (dx, dy) in radii and
# font sizes, and the text anchor.
_SPOTS = (
    ("right", "start"), ("left", "end"), ("above", "middle"), ("below", "middle"),
    ("above-right", "start"), ("below-right", "start"), ("above-left", "end"),
    ("below-left", "end"),
)


def _text_width(text: str, size: float) -> float:
    """An estimate (no font metrics at build time): wide letters count more."""
    wide = sum(1 for ch in text if ch.isupper() or ord(ch) > 0x2E80 or ch in "mwMW")
    return size * (0.52 * len(text) + 0.22 * wide)


def _label_box(spot: str, x: float, y: float, r: float, width: float, size: float
               ) -> tuple[float, float, Box]:
    """Text anchor position and the box the label would cover."""
    gap = r + 3
    ascent, descent = 0.74 * size, 0.24 * size
    if spot == "right":
        tx, ty = x + gap, y + 0.35 * size
    elif spot == "left":
        tx, ty = x - gap, y + 0.35 * size
    elif spot == "above":
        tx, ty = x, y - gap - descent
    elif spot == "below":
        tx, ty = x, y + gap + ascent
    elif spot.endswith("right"):
        tx, ty = x + 0.7 * gap, y + (-0.7 * gap - descent if spot.startswith("above") else 0.7 * gap + ascent)
    else:
        tx, ty = x - 0.7 * gap, y + (-0.7 * gap - descent if spot.startswith("above") else 0.7 * gap + ascent)
    anchor = dict(_SPOTS)[spot]
    left = tx if anchor == "start" else tx - width if anchor == "end" else tx - width / 2
    return tx, ty, (left - 1, ty - ascent - 1, left + width + 1, ty + descent + 1)


def _overlap(a: Box, b: Box) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _outside(box: Box, width: float, height: float) -> float:
    inner = (max(box[0], 2), max(box[1], 2), min(box[2], width - 2), min(box[3], height - 2))
    full = (box[2] - box[0]) * (box[3] - box[1])
    return full - max(0.0, inner[2] - inner[0]) * max(0.0, inner[3] - inner[1])


@dataclass(frozen=True)
class _Placed:
    marker: Marker
    x: float
    y: float
    r: float
    tx: float
    ty: float
    anchor: str
    box: Box


def place_labels(markers: Sequence[Marker], view: View, style: Style,
                 obstacles: Sequence[Box] = ()) -> list[_Placed]:
    """Greedy placement: the subject first, then north to south, each label at the first
    spot that hits no marker, label or obstacle and stays inside the frame (else the spot
    that overlaps least)."""
    has_subject = any(m.emphasis for m in markers)
    located = []
    for m in markers:
        x, y = view.project(_near(m.lon, view.lon0), m.lat)
        located.append((m, x, y, style.other_radius if has_subject and not m.emphasis
                        else style.radius))
    taken: list[Box] = [(x - r - 1, y - r - 1, x + r + 1, y + r + 1) for _m, x, y, r in located]
    taken.extend(obstacles)
    order = sorted(located, key=lambda item: (not item[0].emphasis, -item[0].lat, item[0].lon,
                                               item[0].label, item[0].key))
    placed = []
    for m, x, y, r in order:
        size = style.font_size * 0.9 if has_subject and not m.emphasis else style.font_size
        width = _text_width(m.label, size)
        own = (x - r - 1, y - r - 1, x + r + 1, y + r + 1)
        best: tuple[float, int, float, float, Box, str] | None = None
        for rank, (spot, anchor) in enumerate(_SPOTS):
            tx, ty, box = _label_box(spot, x, y, r, width, size)
            cost = sum(_overlap(box, other) for other in taken if other != own)
            cost += 4 * _outside(box, view.width, view.height)
            if best is None or (cost, rank) < (best[0], best[1]):
                best = (cost, rank, tx, ty, box, anchor)
            if cost == 0:
                break
        assert best is not None
        _cost, _rank, tx, ty, box, anchor = best
        taken.append(box)
        placed.append(_Placed(m, x, y, r, tx, ty, anchor, box))
    return placed


# --- SVG ---------------------------------------------------------------------------------------


def _attr(value: str) -> str:
    return escape(value, quote=True)


def render_svg(
    view: View, markers: Sequence[Marker], *, highlight: Iterable[str] = (),
    style: Style = PAGE_STYLE, label: str = "Map", legend: Sequence[tuple[str, str]] = (),
    classes: Sequence[str] = (), country_names: Mapping[str, str] | None = None,
) -> str:
    """The map as one ``<svg>`` element: sea, land (``highlight``: alpha-2 codes of
    countries to shade), country names where they fit, markers with labels (links where a
    marker has an ``href``), an optional legend (``("place" | "country", text)`` rows) and
    the data's credit line.  ``country_names`` overrides Natural Earth's short names."""
    shaded = {code.upper() for code in highlight}
    names = {k.upper(): v for k, v in (country_names or {}).items()}
    w, h = view.width, view.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_attr(" ".join(["bb-map-svg", *classes]))}" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" '
        f'aria-label="{_attr(label)}" font-family="{_attr(FONT)}">',
        f'<rect class="bb-map-sea" width="{w}" height="{h}" fill="{SEA}"/>',
        f'<g class="bb-map-land" fill="{LAND}" stroke="{BORDER}" stroke-width="0.6" '
        'stroke-linejoin="round" fill-rule="evenodd">',
    ]
    shaded_paths = []
    visible: list[tuple[Country, list[list[Point]]]] = []
    for item in outlines():
        rings = visible_rings(item, view)
        if not rings:
            continue
        visible.append((item, rings))
        d = "".join(_ring_path(ring) for ring in rings)
        if item.a2 in shaded:
            shaded_paths.append(f'<path class="bb-map-shaded" fill="{LAND_HIGHLIGHT}" '
                                f'data-country="{_attr(item.a2)}" d="{d}"/>')
        else:
            out.append(f'<path d="{d}"/>')
    out.extend(shaded_paths)  # drawn last, so their borders are not half-covered
    out.append("</g>")

    shown = {"place"} if markers else set()
    if any(item.a2 in shaded for item, _rings in visible):
        shown.add("country")
    legend = [row for row in legend if row[0] in shown]
    legend_box = _legend_box(legend, view, style) if style.legend and legend else None
    credit_box = _credit_box(view) if style.credit else None
    obstacles = [b for b in (legend_box, credit_box) if b is not None]
    placed = place_labels(sorted(markers, key=lambda m: (m.emphasis, m.label, m.key)), view, style,
                          obstacles)
    taken = [*obstacles, *(p.box for p in placed),
             *((p.x - p.r - 2, p.y - p.r - 2, p.x + p.r + 2, p.y + p.r + 2) for p in placed)]
    out.append(_country_labels(visible, names, view, style, taken))
    out.append(f'<g class="bb-map-places" fill="{LABEL}">')
    # Markers of other places first, the subject last (on top).
    has_subject = any(m.emphasis for m in markers)
    for spot in sorted(placed, key=lambda p: (p.marker.emphasis, p.marker.label, p.marker.key)):
        out.append(_marker(spot, style, has_subject))
    out.append("</g>")
    if legend_box is not None:
        out.append(_legend(legend, legend_box, style))
    if credit_box is not None:
        out.append(f'<text class="bb-map-credit" x="{_num(w - 6)}" y="{_num(h - 6)}" '
                   f'text-anchor="end" font-size="9" fill="#6b737b">{escape(CREDIT)}</text>')
    out.append(f'<rect class="bb-map-frame" x="0.5" y="0.5" width="{w - 1}" height="{h - 1}" '
               f'fill="none" stroke="{FRAME}" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)


def _country_labels(visible: Sequence[tuple[Country, list[list[Point]]]], names: Mapping[str, str],
                    view: View, style: Style, taken: list[Box]) -> str:
    """Country names in small grey capitals, largest countries first, where they fit
    without touching a place, its label or another country's name."""
    size = style.country_size
    spacing = 0.08 * size
    by_size = sorted(visible, key=lambda item: (-max(_area(r) for r in item[1]), item[0].name))
    out = [f'<g class="bb-map-countries" font-size="{_num(size)}" fill="{COUNTRY_LABEL}" '
           f'letter-spacing="{_num(spacing)}" text-anchor="middle">']
    for item, rings in by_size:
        text = names.get(item.a2, item.name).upper()
        width = _text_width(text, size) + spacing * len(text)
        spot = country_label_spot(rings, width, size, view, taken)
        if spot is None:
            continue
        x, y = spot
        taken.append((x - width / 2 - 2, y - size / 2 - 2, x + width / 2 + 2, y + size / 2 + 2))
        out.append(f'<text x="{_num(x)}" y="{_num(y + 0.36 * size)}">{escape(text)}</text>')
    out.append("</g>")
    return "".join(out)


def _marker(item: _Placed, style: Style, has_subject: bool) -> str:
    m = item.marker
    minor = has_subject and not m.emphasis
    fill = MARKER_OTHER if minor else MARKER
    size = style.font_size * 0.9 if minor else style.font_size
    classes = "bb-map-marker" + (" bb-map-subject" if m.emphasis else "")
    inner = []
    if m.title:
        inner.append(f"<title>{escape(m.title)}</title>")
    inner.append(f'<circle cx="{_num(item.x)}" cy="{_num(item.y)}" r="{_num(item.r)}" '
                 f'fill="{fill}" stroke="#ffffff" stroke-width="1.5"/>')
    weight = ' font-weight="bold"' if not minor else ""
    colour = f' fill="{LABEL_OTHER}"' if minor else ""
    inner.append(
        f'<text x="{_num(item.tx)}" y="{_num(item.ty)}" text-anchor="{item.anchor}" '
        f'font-size="{_num(size)}"{weight}{colour} stroke="{HALO}" stroke-width="{_num(style.halo)}" '
        f'stroke-linejoin="round" paint-order="stroke">{escape(m.label)}</text>')
    body = "".join(inner)
    data = f' data-place="{_attr(m.key)}"'
    if m.href is not None:
        return f'<a class="{classes}" href="{_attr(m.href)}"{data}>{body}</a>'
    return f'<g class="{classes}"{data}>{body}</g>'


def _legend_box(rows: Sequence[tuple[str, str]], view: View, style: Style) -> Box:
    size = style.font_size * 0.85
    width = max(_text_width(text, size) for _kind, text in rows) + 34
    height = len(rows) * (size + 6) + 10
    return (8.0, view.height - 8 - height, 8 + width, view.height - 8.0)


def _legend(rows: Sequence[tuple[str, str]], box: Box, style: Style) -> str:
    size = style.font_size * 0.85
    x0, y0, x1, y1 = box
    out = [f'<g class="bb-map-legend" font-size="{_num(size)}" fill="{LABEL}">',
           f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" '
           f'rx="3" fill="#ffffff" fill-opacity="0.88" stroke="{FRAME}" stroke-width="0.6"/>']
    for i, (kind, text) in enumerate(rows):
        cy = y0 + 5 + (i + 0.5) * (size + 6)
        if kind == "place":
            out.append(f'<circle cx="{_num(x0 + 15)}" cy="{_num(cy)}" r="{_num(style.radius)}" '
                       f'fill="{MARKER}" stroke="#ffffff" stroke-width="1.5"/>')
        else:
            out.append(f'<rect x="{_num(x0 + 7)}" y="{_num(cy - 5)}" width="16" height="10" '
                       f'fill="{LAND_HIGHLIGHT}" stroke="{BORDER}" stroke-width="0.6"/>')
        out.append(f'<text x="{_num(x0 + 28)}" y="{_num(cy + 0.35 * size)}">{escape(text)}</text>')
    out.append("</g>")
    return "".join(out)


def _credit_box(view: View) -> Box:
    width = _text_width(CREDIT, 9)
    return (view.width - 8 - width, view.height - 17.0, view.width - 4.0, view.height - 3.0)
