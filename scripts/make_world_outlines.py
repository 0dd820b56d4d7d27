"""Convert Natural Earth 1:110m country outlines (world-atlas TopoJSON) to briefbook's format.

A one-off, run by hand when the outline data should change; the result is committed as
``src/briefbook/data/world-110m.json`` so a book builds without network access or a
JavaScript toolchain.  How the input was fetched, and what the output holds, is in
``src/briefbook/data/README.md``::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_world_outlines.py /tmp/package/countries-110m.json

The output is compact JSON, deterministic (countries sorted by name, then ISO code)::

    {"source": ..., "licence": ..., "unit": 0.1,
     "countries": [{"name": "Russia", "a2": "RU", "n3": "643", "main": 0,
                    "rings": [[lon, lat, lon, lat, ...], ...]}, ...]}

Coordinates are integers in tenths of a degree (the data is drawn at 1:110m, where a
tenth of a degree is finer than its own accuracy), each ring listed once without its
closing point; ``main`` is the index of the country's largest ring (its mainland, used to
frame a map of the country).  Rounding can collapse tiny islands: rings left with fewer
than three distinct points, or no area, are dropped.  Rings that cross the antimeridian
are made continuous (longitudes past 180°), so a renderer can shift them by 360°.

One change to the source: Natural Earth's default edition draws borders as controlled on
the ground, which puts Crimea inside Russia.  A briefing book draws internationally
recognised borders (UN General Assembly resolution 68/262), so the Crimean polygon is
moved to Ukraine and merged with it along their shared arc (:data:`REASSIGN`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src" / "briefbook" / "data" / "world-110m.json"

# Features Natural Earth gives no ISO 3166-1 numeric code; Kosovo uses the code the
# European Commission and others use (XK, user-assigned in ISO 3166).
NO_NUMERIC = {"Kosovo": "XK"}

# (polygon containing this point, lon/lat, from country, to country): see the docstring.
REASSIGN = [((34.1, 44.95), "Russia", "Ukraine")]  # Crimea (Simferopol)

Point = tuple[int, int]
Ring = list[int]  # arc indexes, ~i for arc i reversed
Polygon = list[Ring]


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in degrees (TopoJSON quantised arcs are delta-encoded integers)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ends(index: int, arcs: list[list[tuple[float, float]]]) -> tuple[tuple[float, float], ...]:
    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
    return arc[0], arc[-1]


def merge_rings(first: Ring, second: Ring, arcs: list[list[tuple[float, float]]]) -> Ring:
    """Two adjacent rings as one: drop the arcs they share, chain the rest end to start."""
    shared = {i for i in first for j in second if i == ~j}
    left = [i for i in first + second if i not in shared and ~i not in shared]
    merged = [left.pop(0)]
    while left:
        end = _ends(merged[-1], arcs)[1]
        following = next(i for i in left if _ends(i, arcs)[0] == end)
        left.remove(following)
        merged.append(following)
    return merged


def contains(ring: list[tuple[float, float]], lon: float, lat: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > lat) != (y1 > lat) and lon < (x1 - x0) * (lat - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def reassign(polygons: dict[str, list[Polygon]], arcs: list[list[tuple[float, float]]]) -> None:
    """Apply :data:`REASSIGN`: move a polygon to another country, merged where they touch."""
    for (lon, lat), source, target in REASSIGN:
        moving = next(p for p in polygons[source]
                      if contains(stitch(p[0], arcs), lon, lat))
        polygons[source].remove(moving)
        for polygon in polygons[target]:
            if any(i == ~j for i in polygon[0] for j in moving[0]):
                polygon[0] = merge_rings(polygon[0], moving[0], arcs)
                polygon.extend(moving[1:])
                break
        else:
            polygons[target].append(moving)


def stitch(indexes: Ring, arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[Point]:
    """Stitch a ring's arcs (``~i`` means arc ``i`` reversed), in tenths of a degree."""
    points = stitch(indexes, arcs)
    rounded: list[Point] = []
    for lon, lat in points:
        point = (round(lon * 10), round(lat * 10))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    while len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    return rounded


def unwrap(ring: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian, made continuous (longitudes beyond 180°).

    The source draws Chukotka and Fiji across the antimeridian, jumping from 179.x to
    -179.x; a renderer would draw that jump as a line across the world.  Rings around a
    pole (Antarctica) do not close when unwrapped and are kept as they are."""
    offset, out = 0, []
    for i, (lon, lat) in enumerate(ring):
        if i and lon + offset - out[-1][0] > 1800:
            offset -= 3600
        elif i and lon + offset - out[-1][0] < -1800:
            offset += 3600
        out.append((lon + offset, lat))
    closing = out[0][0] - out[-1][0]
    if abs(closing) > 1800:
        return ring
    if min(lon for lon, _lat in out) >= 1800:
        out = [(lon - 3600, lat) for lon, lat in out]
    return out


def area(ring: list[Point]) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2


def alpha2(numeric: str | None, name: str) -> str:
    if numeric is None:
        return NO_NUMERIC.get(name, "")
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country is not None else ""


def convert(topology: dict, source_sha256: str) -> dict:
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    polygons = {g["properties"]["name"]: [[list(r) for r in p] for p in (
        g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]])] for g in geometries}
    reassign(polygons, arcs)
    countries = []
    for geometry in geometries:
        rings = [ring_points(ring, arcs) for polygon in polygons[geometry["properties"]["name"]]
                 for ring in polygon]
        rings = [unwrap(r) for r in rings if len(r) >= 3 and area(r) > 0]
        if not rings:
            continue
        name = geometry["properties"]["name"]
        numeric = geometry.get("id")
        main = max(range(len(rings)), key=lambda i: area(rings[i]))
        countries.append({
            "name": name,
            "a2": alpha2(numeric, name),
            "n3": numeric or "",
            "main": main,
            "rings": [[c for point in ring for c in point] for ring in rings],
        })
    countries.sort(key=lambda c: (c["name"], c["a2"]))
    return {
        "source": "Natural Earth 4.1.0 Admin 0 countries, 1:110m, via the npm package "
                  "world-atlas 2.0.2 (countries-110m.json)",
        "source_sha256": source_sha256,
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "changes": "Crimea drawn as part of Ukraine (internationally recognised border)",
        "unit": 0.1,
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json from world-atlas@2")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    raw = args.topojson.read_bytes()
    data = convert(json.loads(raw), hashlib.sha256(raw).hexdigest())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    points = sum(len(r) // 2 for c in data["countries"] for r in c["rings"])
    print(f"{args.out}: {len(data['countries'])} countries, {points} points, "
          f"{args.out.stat().st_size // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
