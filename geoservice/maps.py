"""The folium maps of the pages: the public map, the PICs' editor and the walidata's review.

folium builds each map's scaffold (basemap, boundary layers, one feature group per facility layer,
the Geoman drawing toolbar, the layer control); the page's own script (``static/*.js``) fills the
feature groups from the OGC API and handles the forms. Every script and stylesheet comes from
this service: folium's ``default_js``/``default_css`` are replaced per map and per plugin, with
Leaflet from XStatic-Leaflet and the plugins from the pinned npm packages (``assets.py``).

folium keeps each Leaflet object in a global variable with a generated name (``map_3f2a...``).
The page scripts never look those names up: the hand-over script that follows folium's
(``MapParts.handover``) passes the objects themselves to ``geoservice.register`` (common.js),
by role: the map, the feature group of each layer, and the page's other parts.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Figure
from folium.plugins import GeoMan, VectorGridProtobuf

from geoservice import assets
from geoservice.catalog import Catalog
from geoservice.i18n import Language
from geoservice.web import static

Bounds = Sequence[float]  # minx, miny, maxx, maxy in degrees
#: Where the map opens when there is no data yet: the whole of Indonesia.
INDONESIA: Bounds = (95.0, -11.0, 141.0, 6.0)
#: Boundary outline of the tiles (the tile layer of the ``kelurahan`` collection).
BOUNDARY_STYLE = {"color": "#343a40", "weight": 1, "opacity": 0.7, "fill": False}
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
#: What folium's generated variable names look like (``get_name()``): plain identifiers.
_JS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OUTLINE_STYLE = {"color": "#e8590c", "weight": 3, "dashArray": "6 4", "fillOpacity": 0.05}


@dataclass(frozen=True)
class MapParts:
    """A rendered folium map, in the pieces a page template places."""

    name: str  # the Leaflet map's JavaScript variable
    header: str  # folium's <link>, <script> and <style> tags
    body: str  # the map's <div>
    script: str  # the script that builds the map
    groups: dict[str, str] = field(default_factory=dict)  # layer id -> its feature group variable
    extra: dict[str, str] = field(default_factory=dict)  # other variables the page script needs

    @property
    def handover(self) -> str:
        """The script, run right after ``script``, that hands the map, the feature group of
        each layer and the other parts to ``geoservice.register`` (common.js)."""
        groups = {layer: _variable(name) for layer, name in self.groups.items()}
        parts = {role: _variable(name) for role, name in self.extra.items()}
        return (
            f"window.geoservice.register({{map: {_variable(self.name)}, "
            f"groups: {_object(groups)}, parts: {_object(parts)}}});"
        )


def _variable(name: str) -> str:
    """A variable folium generated, refused unless it is a plain identifier."""
    if not _JS_NAME.fullmatch(name):
        raise ValueError(f"not a JavaScript variable name: {name!r}")
    return name


def _object(variables: dict[str, str]) -> str:
    """A JavaScript object literal: each key (JSON) names the variable it holds."""
    return "{" + ", ".join(f"{json.dumps(key)}: {name}" for key, name in variables.items()) + "}"


def as_html(text: str) -> str:
    """``text`` escaped for the places Leaflet writes as HTML: the layer control's names and
    the attribution. folium hands its names to Leaflet unchanged, and Leaflet sets them with
    ``innerHTML``; a kelurahan or layer name must show as the text it is, never run."""
    return html.escape(str(text), quote=True)


def _local_assets(m: folium.Map, base: str) -> None:
    """Leaflet from this service instead of folium's CDN list (and no jQuery, Bootstrap or
    Font Awesome: the pages do not use them, which keeps them light on a phone)."""
    m.default_js = [("leaflet", static.leaflet(base, "leaflet.js"))]
    m.default_css = [("leaflet_css", static.leaflet(base, "leaflet.css"))]


def _base_map(base: str, basemap_url: str, basemap_note: str, bounds: Bounds | None) -> folium.Map:
    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_snap=0.5)
    _local_assets(m, base)
    if basemap_url:
        folium.TileLayer(
            tiles=basemap_url,
            attr=as_html(basemap_note),
            name=as_html(basemap_note),
            max_zoom=19,
            overlay=False,
        ).add_to(m)
    minx, miny, maxx, maxy = bounds or INDONESIA
    m.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=17)
    return m


def _boundary_tiles(m: folium.Map, base: str, title: str) -> None:
    """The desa/kelurahan outlines as vector tiles (generalized per zoom by the service)."""
    grid = VectorGridProtobuf(
        f"{base}collections/kelurahan/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}",
        as_html(title),
        {"vectorTileLayerStyles": {"kelurahan": BOUNDARY_STYLE}, "interactive": False},
    )
    grid.default_js = [("vectorGrid", assets.VECTORGRID.url(base, assets.VECTORGRID.files[0]))]
    grid.add_to(m)


def _feature_groups(
    m: folium.Map, catalog: Catalog, lang: Language, show: bool = True
) -> dict[str, str]:
    """One empty feature group per facility layer, listed in the layer control."""
    groups = {}
    for layer in catalog:
        group = folium.FeatureGroup(name=as_html(layer.title.get(lang)), show=show).add_to(m)
        groups[layer.id] = group.get_name()
    return groups


def _render(m: folium.Map, **kwargs: Any) -> MapParts:
    root = m.get_root()
    assert isinstance(root, Figure)  # a Map's root is the Figure it creates
    root.render()
    return MapParts(
        name=m.get_name(),
        # folium's viewport tag forbids zooming the page; the page's own allows it (people who
        # need larger text must be able to zoom the form)
        header=_VIEWPORT.sub("", root.header.render()),
        body=root.html.render(),
        script=root.script.render(),
        **kwargs,
    )


def public_map(
    *,
    base: str,
    catalog: Catalog,
    lang: Language,
    basemap_url: str,
    basemap_note: str,
    boundaries_title: str,
    bounds: Bounds | None,
    highlight: dict[str, Any] | None = None,
) -> MapParts:
    """Kelurahan boundaries as vector tiles, the published points of each layer (filled by
    ``publicmap.js`` for the visible area), and a deep-linked kelurahan outlined."""
    m = _base_map(base, basemap_url, basemap_note, highlight["bbox"] if highlight else bounds)
    _boundary_tiles(m, base, boundaries_title)
    if highlight:
        folium.GeoJson(
            {"type": "Feature", "geometry": highlight["geometry"], "properties": {}},
            name=as_html(highlight["nama"]),
            style_function=lambda _: OUTLINE_STYLE,
            interactive=False,
        ).add_to(m)
    groups = _feature_groups(m, catalog, lang)
    folium.LayerControl(collapsed=True).add_to(m)
    return _render(m, groups=groups)


def editor_map(
    *,
    base: str,
    catalog: Catalog,
    lang: Language,
    basemap_url: str,
    basemap_note: str,
    kelurahan: dict[str, Any],
) -> MapParts:
    """The kelurahan outlined, its points per layer (filled by ``editor.js``), and Geoman's
    toolbar reduced to what a PIC does with points: place a marker, drag markers."""
    m = _base_map(base, basemap_url, basemap_note, kelurahan["bbox"])
    outline = folium.GeoJson(
        {"type": "Feature", "geometry": kelurahan["geometry"], "properties": {}},
        name=as_html(kelurahan["nama"]),
        style_function=lambda _: OUTLINE_STYLE,
        interactive=False,  # taps inside go to the map (placing a point), not to the outline
        pmIgnore=True,  # Geoman must not offer to drag or edit the boundary
    ).add_to(m)
    groups = _feature_groups(m, catalog, lang)
    toolbar = GeoMan(
        position="topleft",
        drawMarker=True,
        drawCircleMarker=False,
        drawPolyline=False,
        drawRectangle=False,
        drawPolygon=False,
        drawCircle=False,
        drawText=False,
        editMode=False,
        dragMode=True,
        cutPolygon=False,
        removalMode=False,
        rotateMode=False,
    )
    toolbar.default_js = [("leaflet_geoman_js", assets.GEOMAN.url(base, assets.GEOMAN.files[0]))]
    toolbar.default_css = [("leaflet_geoman_css", assets.GEOMAN.url(base, assets.GEOMAN.files[1]))]
    toolbar.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return _render(m, groups=groups, extra={"outline": outline.get_name()})


def review_map(
    *,
    base: str,
    basemap_url: str,
    basemap_note: str,
    boundaries_title: str,
    points: list[dict[str, Any]],
) -> MapParts:
    """The submitted points over the kelurahan outlines, so that the walidata sees where each
    one is."""
    bounds = None
    if points:
        xs = [p["geometry"]["coordinates"][0] for p in points]
        ys = [p["geometry"]["coordinates"][1] for p in points]
        pad = 0.002
        bounds = (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    m = _base_map(base, basemap_url, basemap_note, bounds)
    _boundary_tiles(m, base, boundaries_title)
    group = folium.FeatureGroup(name="submitted").add_to(m)
    return _render(m, extra={"points": group.get_name()})


def planner_map(
    *,
    base: str,
    catalog: Catalog,
    lang: Language,
    basemap_url: str,
    basemap_note: str,
    choropleth_title: str,
    bounds: Bounds | None,
) -> MapParts:
    """An indicator's choropleth (filled by ``planner.js`` from the choropleth GeoJSON, so that
    switching indicator, period or classes needs no new page) under the published points of
    each layer."""
    m = _base_map(base, basemap_url, basemap_note, bounds)
    choropleth = folium.FeatureGroup(name=as_html(choropleth_title), show=True).add_to(m)
    # hundreds of points per kota would hide the colours: one tap in the layer control away
    groups = _feature_groups(m, catalog, lang, show=False)
    folium.LayerControl(collapsed=True).add_to(m)
    return _render(m, groups=groups, extra={"choropleth": choropleth.get_name()})
