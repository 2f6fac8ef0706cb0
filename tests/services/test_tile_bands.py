"""The precomputed tile geometry of Kota Kediri's real boundaries: within a quarter pixel of the
stored geometry, a point where an area is smaller than a pixel, the same whether the import
made it or ``geoservice db generalize`` rebuilt it."""

from __future__ import annotations

from sqlalchemy import Engine, text

from geoservice.db.models import GENERALIZED_BANDS
from geoservice.services.tiles import METRES_PER_PIXEL_Z0, generalize
from tests.support import count


def pixel(band: int) -> float:
    """One pixel at the band's deepest zoom, in Mercator metres."""
    return float(METRES_PER_PIXEL_Z0 / 2**band)


def test_each_band_stays_within_a_quarter_pixel_of_the_boundary(kediri_db: Engine) -> None:
    with kediri_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT g.band, a.level, GeometryType(g.geom), "
                "       ST_HausdorffDistance(g.geom, ST_Transform(a.geom, 3857)), "
                "       ST_NPoints(g.geom), ST_NPoints(a.geom), ST_NumGeometries(a.geom), "
                "       ST_Intersects(g.geom, ST_Transform(ST_Envelope(a.geom), 3857)), "
                "       ST_Area(ST_Transform(a.geom, 3857)) "
                "  FROM admin_area_generalized g JOIN admin_area a USING (code)"
            )
        ).all()
    assert {band for band, *_ in rows} == set(GENERALIZED_BANDS)
    assert len(rows) == len(GENERALIZED_BANDS) * count(kediri_db, "SELECT count(*) FROM admin_area")
    for band, level, kind, distance, points, source_points, parts, inside_bbox, _ in rows:
        assert inside_bbox  # what lets the tiles find the bands through admin_area's index
        if kind == "POINT":
            continue
        assert kind == "MULTIPOLYGON"
        assert points <= source_points
        # Douglas-Peucker keeps source vertices and drops only those within its tolerance: a
        # quarter pixel of this band and of each finer band it was simplified from (an island
        # of a provinsi too small for the band is kept as a sliver of its own vertices)
        tolerance = sum(pixel(b) / 4 for b in GENERALIZED_BANDS if b >= band)
        if parts == 1:
            assert distance <= tolerance, (band, level)
    # an area below one pixel of the band is its centroid there, never lost; a kelurahan of
    # Kediri (0.1-5 km2) is below a pixel at zoom 5 (4.9 km), most are polygons at zoom 8
    for band, level, kind, *_, area in rows:
        if area < 0.9 * pixel(band) ** 2:
            assert kind == "POINT", (band, level, area)
        elif area > 1.1 * pixel(band) ** 2:
            assert kind != "POINT", (band, level, area)
    kelurahan = [(band, kind) for band, level, kind, *_ in rows if level == 4]
    assert {kind for band, kind in kelurahan if band == 5} == {"POINT"}
    assert sum(kind != "POINT" for band, kind in kelurahan if band == 8) >= 35


def test_rebuilding_the_bands_gives_what_the_import_wrote(kediri_db: Engine) -> None:
    sql = text(
        "SELECT code, band, level, ST_AsEWKB(geom) FROM admin_area_generalized ORDER BY 1, 2"
    )
    with kediri_db.connect() as conn:
        imported = conn.execute(sql).all()
    with kediri_db.begin() as conn:
        written = generalize(conn)
    with kediri_db.connect() as conn:
        rebuilt = conn.execute(sql).all()
    assert written == len(imported) > 0
    assert rebuilt == imported
