"""Maps of the book's places: the map page, the small maps in place entries, the PDF figure."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefbook.pages import worldmap
from conftest import ROOTS, build_root

pytestmark = pytest.mark.xdist_group("map")

MAPPED = {"kazan", "odd-town", "samara"}
ODD_NAME = "Tom & Jerry's <script>alert(\"x\")</script> Town"


def html(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    return build_root("map", tmp_path_factory.mktemp("map"))


@pytest.fixture(scope="module")
def map_latex(tmp_path_factory):
    """The LaTeX build of the root, once per module: .tex plus the maps as PDF files."""
    return build_root("map", tmp_path_factory.mktemp("map-latex"), builder="latex")


def test_builds_without_warnings(map_app):
    assert map_app.warning.getvalue() == ""


def test_map_page_has_one_inline_svg_with_a_marker_per_located_place(map_app):
    page = html(map_app, "map")
    figures = page.select("figure.bb-map-page")
    assert len(figures) == 1
    svg = figures[0].find("svg")
    assert svg is not None and svg.get("viewbox")  # inline, not <img> or <object>
    markers = svg.select("a.bb-map-marker")
    assert sorted(m["data-place"] for m in markers) == sorted(MAPPED)
    # The place without coordinates has no marker; the country without them is shaded.
    assert not svg.select("[data-place=nowhere]") and not svg.select("[data-place=russia]")
    assert svg.select_one("path.bb-map-shaded[data-country=RU]") is not None
    caption = figures[0].select_one("figcaption")
    assert caption.get_text() == "Places & <b>names</b>" and caption.find("b") is None


def test_each_marker_links_to_an_entry_that_exists(map_app):
    glossary = html(map_app, "glossary")
    for marker in html(map_app, "map").select("figure.bb-map-page a.bb-map-marker"):
        target, _, anchor = marker["href"].partition("#")
        assert target == "glossary.html"
        assert anchor == marker["data-place"]
        term = glossary.find(id=anchor)
        assert term is not None and term.name == "dt", anchor


def test_labels_are_escaped_text(map_app):
    raw = (Path(map_app.outdir) / "map.html").read_text(encoding="utf-8")
    assert "Tom &amp; Jerry&#x27;s &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Town" in raw
    assert "<script>alert" not in raw
    marker = html(map_app, "map").select_one("a.bb-map-marker[data-place=odd-town]")
    assert marker.select_one("text").get_text() == ODD_NAME
    assert marker.select_one("title").get_text() == ODD_NAME


def test_svg_needs_no_inline_script_or_style(map_app):
    for name in ("map", "glossary"):
        for svg in html(map_app, name).select("svg.bb-map-svg"):
            assert not svg.find_all(["script", "style", "foreignobject"])
            for element in [svg, *svg.find_all(True)]:
                for attribute in element.attrs:
                    assert attribute != "style" and not attribute.startswith("on"), (name, attribute)
            for link in svg.find_all("a"):
                assert not link["href"].lower().startswith(("javascript:", "data:"))


def test_place_entries_get_a_small_map_centred_on_them(map_app):
    glossary = html(map_app, "glossary")
    for place in MAPPED:
        entry = glossary.find(id=place).find_next_sibling("dd")
        small = entry.select_one(".bb-map-entry svg.bb-map-svg")
        assert small is not None, place
        subject = small.select_one("a.bb-map-subject")
        assert subject["data-place"] == place
        # Centred: the subject's marker sits in the middle of the view.
        width, height = (float(v) for v in small["viewbox"].split()[2:])
        circle = subject.select_one("circle")
        assert abs(float(circle["cx"]) - width / 2) < 1 and abs(float(circle["cy"]) - height / 2) < 1
        # Other places in view are drawn too, and link to their own entries.
        others = {a["data-place"] for a in small.select("a.bb-map-marker:not(.bb-map-subject)")}
        assert others == MAPPED - {place}
    nowhere = glossary.find(id="nowhere").find_next_sibling("dd")
    assert nowhere.select_one("svg") is None
    russia = glossary.find(id="russia").find_next_sibling("dd")
    assert russia.select_one("svg path.bb-map-shaded[data-country=RU]") is not None


def test_places_option_restricts_the_map(map_app):
    markers = html(map_app, "two").select("a.bb-map-marker")
    assert sorted(m["data-place"] for m in markers) == ["kazan", "samara"]
    assert html(map_app, "two").select_one("figcaption").get_text() == "Places named in the briefings"


def test_rendering_is_deterministic_and_parallel_safe(map_app, tmp_path):
    again = build_root("map", tmp_path, parallel=2)
    for name in ("map", "two", "glossary"):
        first = (Path(map_app.outdir) / f"{name}.html").read_text(encoding="utf-8")
        second = (Path(again.outdir) / f"{name}.html").read_text(encoding="utf-8")
        assert re.findall(r"<svg.*?</svg>", first, re.S) == re.findall(r"<svg.*?</svg>", second, re.S)
    assert " id=" not in "".join(re.findall(r"<svg.*?</svg>", first, re.S))


def test_unknown_or_unmappable_places_are_reported(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-map", src)
    (src / "bad.md").write_text(
        "---\norphan: true\n---\n\n# Bad\n\n```{place-map}\n:places: kazan, atlantis, nowhere\n```\n",
        encoding="utf-8")
    app = build_root("map", tmp_path)
    warnings = app.warning.getvalue()
    assert re.search(r"bad\.md:\d+: WARNING: BB101 unresolved place 'atlantis' in place-map", warnings)
    assert re.search(r"bad\.md:\d+: WARNING: BB303 place 'nowhere' has no coordinates", warnings)
    markers = html(app, "bad").select("a.bb-map-marker")
    assert [m["data-place"] for m in markers] == ["kazan"]


def test_latex_includes_the_maps_as_pdf(map_latex):
    # scripts/bootstrap.sh installs rsvg-convert with TeX Live; without it this fails.
    assert map_latex.warning.getvalue() == ""
    outdir = Path(map_latex.outdir)
    tex = (outdir / "maptest.tex").read_text(encoding="utf-8")
    included = re.findall(
        r"\\sphinxincludegraphics\[width=([0-9.]+)\\linewidth\]\{\{(bb-maps/[^}]+)\}\.pdf\}", tex)
    widths = sorted(float(w) for w, _ in included)
    # The two map pages at full width, one small map per place entry that has one.
    assert widths.count(1.0) == 2 and len(widths) == 2 + len(MAPPED) + 1
    for _, stem in included:
        assert (outdir / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    assert r"\caption{Places \& \textless{}b\textgreater{}names" in tex  # escaped for LaTeX


def test_latex_without_rsvg_convert_warns_and_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    app = build_root("map", tmp_path, builder="latex")
    warnings = app.warning.getvalue()
    assert "rsvg-convert not found (Debian package librsvg2-bin" in warnings
    assert "map(s) left out of the PDF" in warnings
    tex = (Path(app.outdir) / "maptest.tex").read_text(encoding="utf-8")
    assert "bb-maps/" not in tex
    assert "Map left out: rsvg" in tex  # the map pages say so


# --- the drawing itself ------------------------------------------------------------------------------


def test_outline_data_is_shipped_small_and_keyed_by_iso_code():
    assert worldmap.DATA.stat().st_size < 300_000
    for code in ("RU", "UA", "KP", "KR", "CN", "US"):
        assert worldmap.country(code) is not None, code
    assert worldmap.country("ru") is worldmap.country("RU")
    assert worldmap.country("") is None and worldmap.country("ZZ") is None


def test_crimea_is_drawn_as_part_of_ukraine():
    def holds(country: worldmap.Country, lon: float, lat: float) -> bool:
        return any(worldmap._inside(ring, lon, lat) for ring in country.rings)

    simferopol = (34.1, 44.95)
    assert holds(worldmap.country("UA"), *simferopol)
    assert not holds(worldmap.country("RU"), *simferopol)


def test_view_fits_the_markers_not_the_world():
    points = [(49.1, 55.8), (30.5, 50.5), (125.8, 39.0), (127.0, 37.6)]  # Kazan … Seoul
    view = worldmap.fit(worldmap.points_box(points), 760, aspect=(1.6, 2.0), min_height=34)
    west, south, east, north = view.bounds
    assert 0 < west < 30.5 and 127 < east < 160
    assert south > 15 and north < 75
    assert all(view.contains(lon, lat, inset=20) for lon, lat in points)


def test_view_across_the_antimeridian():
    view = worldmap.fit(worldmap.points_box([(170.0, 60.0), (-170.0, 64.0)]), 400)
    west, _south, east, _north = view.bounds
    assert east - west < 90  # not the whole world
    svg = worldmap.render_svg(view, [])
    assert 'data-country' not in svg and "<path" in svg  # Chukotka and Alaska are drawn


def test_labels_of_nearby_places_do_not_overlap():
    markers = [worldmap.Marker(lon, lat, name, name.lower()) for name, lon, lat in (
        ("Pyongyang", 125.75, 39.03), ("Seoul", 126.98, 37.57), ("Kaesong", 126.55, 37.97),
        ("Incheon", 126.7, 37.46), ("Vladivostok", 131.9, 43.1))]
    view = worldmap.fit(worldmap.points_box((m.lon, m.lat) for m in markers), 760,
                        aspect=(1.6, 2.0), min_height=34)
    placed = worldmap.place_labels(markers, view, worldmap.PAGE_STYLE)
    boxes = [p.box for p in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert worldmap._overlap(a, b) == 0
