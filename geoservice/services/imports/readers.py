"""Reading input files for the importers (geopandas + pyogrio; pandas/openpyxl for tables)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geoservice.errors import BadRequest

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".parquet", ".geoparquet", ".fgb")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")

#: A note for the report: a message key and its parameters.
Note = tuple[str, dict[str, Any]]


class InputError(BadRequest):
    """A whole file cannot be used (missing, unreadable, ambiguous); ``extra`` carries more
    members for an API's problem body (e.g. proposals an upload form offers)."""

    def message(self, lang: str = "id") -> str:
        """The reason in ``lang`` (what the CLI prints)."""
        return self.detail(lang)


def parse_crs(value: str) -> CRS:
    """``EPSG:32749``, ``32749`` or any PROJ/WKT string."""
    try:
        return CRS.from_user_input(int(value) if value.isdigit() else value)
    except CRSError as exc:
        raise InputError("file.bad_crs", crs=value) from exc


def read_vector(
    path: Path, *, layer: str | None = None, crs: str | None = None, force_crs: bool = False
) -> tuple[gpd.GeoDataFrame, list[Note]]:
    """Read a GIS file into a GeoDataFrame in EPSG:4326, with notes on what was assumed."""
    notes: list[Note] = []
    if not path.exists():
        raise InputError("file.not_found", path=str(path))
    suffix = path.suffix.lower()
    if suffix not in VECTOR_SUFFIXES:
        raise InputError(
            "file.unsupported", suffix=suffix or "(none)", supported=", ".join(VECTOR_SUFFIXES)
        )
    try:
        _require_one_layer(path, suffix, layer)
        gdf = _read_with_wkb(path, suffix, layer)
    except InputError:
        raise
    except Exception as exc:  # pyogrio/arrow raise many types; the message is what matters
        raise InputError("file.unreadable", path=str(path), reason=str(exc)) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise InputError("file.unreadable", path=str(path), reason="no geometry column")
    return to_wgs84(gdf, path, crs, notes, force_crs=force_crs), notes


def _require_one_layer(path: Path, suffix: str, layer: str | None) -> None:
    """A GeoPackage or zipped shapefiles with several layers must be told which one to read."""
    if layer is None and suffix in (".gpkg", ".zip"):
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        if len(layers) > 1:
            raise InputError("file.layer_required", path=str(path), layers=", ".join(layers))


#: Column holding each feature's WKB as read from the file, so that unchanged geometries are
#: written to PostGIS without being encoded again (1.2 s for the whole country).
WKB_COLUMN = "__wkb__"


def _parquet_geometry(schema: pa.Schema) -> tuple[str, Any] | None:
    """The WKB geometry column of a GeoParquet schema and its CRS; None for GeoArrow-native
    encodings (which geopandas decodes)."""
    meta = json.loads((schema.metadata or {}).get(b"geo", b"{}"))
    column = meta.get("primary_column")
    info = meta.get("columns", {}).get(column, {})
    if not column or info.get("encoding", "WKB").upper() != "WKB":
        return None
    crs: Any = info.get("crs", "OGC:CRS84")
    return column, CRS.from_json_dict(crs) if isinstance(crs, dict) else crs


def _read_with_wkb(path: Path, suffix: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read through Arrow: attributes, shapely geometries and the original WKB."""
    if suffix in (".parquet", ".geoparquet"):
        table = pq.read_table(path)
        geometry = _parquet_geometry(table.schema)
        if geometry is None:
            return gpd.read_parquet(path)
        column, crs = geometry
    else:
        read_meta, table = pyogrio.read_arrow(path, layer=layer)
        column = read_meta.get("geometry_name") or "wkb_geometry"
        crs = read_meta.get("crs")
    return _with_wkb(table, column, crs)


def _with_wkb(table: pa.Table | pa.RecordBatch, column: str, crs: Any) -> gpd.GeoDataFrame:
    """A GeoDataFrame of Arrow data with its WKB column decoded, keeping the WKB itself."""
    wkb = table.column(column).to_numpy(zero_copy_only=False)
    frame = table.drop_columns([column]).to_pandas()
    geometry = gpd.GeoSeries(shapely.from_wkb(wkb), crs=crs, index=frame.index)
    frame[WKB_COLUMN] = wkb
    return gpd.GeoDataFrame(frame, geometry=geometry)


@dataclass
class VectorBatches:
    """A GIS file read in batches (:func:`read_vector_batches`): its feature count, the notes
    on what was assumed, and the batches, each in EPSG:4326 (iterate once)."""

    rows: int
    notes: list[Note]
    batches: Iterator[gpd.GeoDataFrame]


def read_vector_batches(
    path: Path,
    batch_rows: int,
    *,
    layer: str | None = None,
    crs: str | None = None,
    force_crs: bool = False,
) -> VectorBatches:
    """Read a GIS file in batches of ``batch_rows``, so that a caller can work on the first
    while the rest is read. GeoParquet and GeoPackage files that need no ``crs`` are streamed
    through Arrow (both always declare theirs); any other file is read whole, as by
    :func:`read_vector`, and handed over in slices."""
    suffix = path.suffix.lower()

    def whole() -> VectorBatches:
        gdf, notes = read_vector(path, layer=layer, crs=crs, force_crs=force_crs)
        slices = (gdf.iloc[i : i + batch_rows] for i in range(0, len(gdf), batch_rows))
        return VectorBatches(rows=len(gdf), notes=notes, batches=slices)

    if crs is not None or suffix not in (".parquet", ".geoparquet", ".gpkg") or not path.exists():
        return whole()
    try:
        if suffix == ".gpkg":
            _require_one_layer(path, suffix, layer)
            rows = int(pyogrio.read_info(path, layer=layer)["features"])
        else:
            parquet = pq.ParquetFile(path)
            if _parquet_geometry(parquet.schema_arrow) is None:  # GeoArrow-native
                return whole()
            rows = parquet.metadata.num_rows
        arrow = _arrow_batches(path, suffix, layer, batch_rows)
        first = next(arrow, None)
    except InputError:
        raise
    except Exception as exc:  # pyogrio/arrow raise many types; the message is what matters
        raise InputError("file.unreadable", path=str(path), reason=str(exc)) from exc
    notes: list[Note] = []
    if first is None:
        empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
        return VectorBatches(rows=0, notes=notes, batches=iter([empty]))
    first = to_wgs84(first, path, None, notes)

    def batches() -> Iterator[gpd.GeoDataFrame]:
        yield first
        try:
            for batch in arrow:
                yield to_wgs84(batch, path, None, [])  # the first batch made the notes
        except InputError:
            raise
        except Exception as exc:
            raise InputError("file.unreadable", path=str(path), reason=str(exc)) from exc

    return VectorBatches(rows=rows, notes=notes, batches=batches())


def _arrow_batches(
    path: Path, suffix: str, layer: str | None, batch_rows: int
) -> Iterator[gpd.GeoDataFrame]:
    """The batches of a GeoParquet (WKB) or GeoPackage file, as GeoDataFrames in their CRS."""
    if suffix == ".gpkg":
        with pyogrio.raw.open_arrow(path, layer=layer, batch_size=batch_rows, use_pyarrow=True) as (
            meta,
            reader,
        ):
            column = meta.get("geometry_name") or "wkb_geometry"
            for batch in reader:
                yield _with_wkb(batch, column, meta.get("crs"))
    else:
        parquet = pq.ParquetFile(path)
        geometry = _parquet_geometry(parquet.schema_arrow)
        assert geometry is not None
        column, crs = geometry
        for batch in parquet.iter_batches(batch_size=batch_rows):
            yield _with_wkb(batch, column, crs)


def to_wgs84(
    gdf: gpd.GeoDataFrame, path: Path, crs: str | None, notes: list[Note], force_crs: bool = False
) -> gpd.GeoDataFrame:
    """Set a missing CRS (from ``crs`` or, for degree-like coordinates, WGS 84) and reproject.

    A file whose coordinates are not degrees although it declares none, or declares degrees
    (GeoJSON without a ``crs`` member means WGS 84), is refused with one message naming the
    likely CRS, instead of one "outside Indonesia" per row. ``crs`` does not override a CRS the
    file declares (and its coordinates fit) unless ``force_crs``."""
    in_degrees = len(gdf) == 0 or _looks_like_degrees(gdf.total_bounds)
    declared = (
        gdf.crs if gdf.crs is not None and (in_degrees or not gdf.crs.is_geographic) else None
    )
    if crs is not None:
        given = parse_crs(crs)
        if declared is not None and not force_crs and not declared.equals(given):
            raise InputError(
                "file.crs_declared", path=str(path), declared=declared.to_string(), crs=crs
            )
        gdf = gdf.set_crs(given, allow_override=True)
    elif declared is None:
        if len(gdf) == 0:
            return gdf.set_crs(4326, allow_override=True)
        if not in_degrees:
            raise InputError(
                "file.projected_without_crs",
                path=str(path),
                bounds=_bounds_text(gdf.total_bounds),
                likely=likely_crs(gdf.total_bounds),
            )
        if gdf.crs is None:
            notes.append(("file.crs_assumed", {}))
        gdf = gdf.set_crs(4326, allow_override=True)
    if gdf.crs is not None and _is_wgs84_lonlat(gdf.crs):
        gdf = gdf.set_crs(4326, allow_override=True)  # OGC:CRS84 and EPSG:4326: same data
    elif gdf.crs is not None:
        notes.append(("file.reprojected", {"crs": gdf.crs.to_string()}))
        gdf = gdf.to_crs(4326)
        if WKB_COLUMN in gdf:
            gdf[WKB_COLUMN] = None  # coordinates changed
    return gdf


def _looks_like_degrees(bounds: Any) -> bool:
    """Both axes within ±180: degrees, possibly with latitude and longitude swapped (which
    the row checks name as such)."""
    minx, miny, maxx, maxy = bounds
    return bool(-180 <= minx and maxx <= 180 and -180 <= miny and maxy <= 180)


def _bounds_text(bounds: Any) -> str:
    minx, miny, maxx, maxy = bounds
    return f"x {minx:.0f}..{maxx:.0f}, y {miny:.0f}..{maxy:.0f}"


#: UTM zones of Indonesia and the places in each (their central meridians: 93°, 99° … 141°).
_UTM_ZONES = {
    46: "Aceh bagian barat",
    47: "Aceh, Sumatera Utara, Sumatera Barat, Riau",
    48: "Jambi, Sumatera Selatan, Bangka, Lampung, Jakarta, Banten, Jawa Barat",
    49: "Jawa Tengah, Yogyakarta, Jawa Timur, Kalimantan Barat, Kalimantan Tengah",
    50: "Jawa Timur bagian timur, Bali, NTB, Kalimantan Selatan, Kalimantan Timur, "
    "Sulawesi Selatan",
    51: "NTT, Sulawesi Tengah, Sulawesi Tenggara, Sulawesi Utara",
    52: "Maluku, Maluku Utara",
    53: "Papua Barat, Papua bagian barat",
    54: "Papua",
}


def likely_crs(bounds: Any) -> str:
    """The CRS that projected coordinates of Indonesia most likely use, as text for a message:
    Web Mercator is told by its size; UTM by the hemisphere of its northing (the zone cannot
    be read from the coordinates, so the zones are listed with their regions)."""
    minx, miny, maxx, maxy = bounds
    if 10_000_000 <= minx and maxx <= 16_000_000 and -1_400_000 <= miny and maxy <= 800_000:
        return "EPSG:3857 (Web Mercator)"
    if 100_000 <= minx and maxx <= 900_000:
        south = 8_600_000 <= miny and maxy <= 10_000_000
        north = 0 <= miny and maxy <= 800_000
        if south or north:
            base, letter = (32700, "S") if south else (32600, "N")
            zones = "; ".join(
                f"EPSG:{base + zone} (UTM {zone}{letter}: {places})"
                for zone, places in _UTM_ZONES.items()
            )
            return f"UTM ({zones})"
    return "-"


def _is_wgs84_lonlat(crs: CRS) -> bool:
    """EPSG:4326 or OGC:CRS84: both mean WGS 84 degrees (files store lon, lat either way)."""
    return crs.to_epsg() == 4326 or crs.to_string() in ("OGC:CRS84", "EPSG:4326")


def read_table(path: Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (separator sniffed: , ; tab |) or XLSX sheet as text cells."""
    if not path.exists():
        raise InputError("file.not_found", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("cp1252")
            sample = text[:20000]
            try:
                sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                sep = ","
            from io import StringIO

            frame = pd.read_csv(
                StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=True
            )
        else:
            raise InputError(
                "file.unsupported",
                suffix=suffix or "(none)",
                supported=", ".join(TABLE_SUFFIXES + VECTOR_SUFFIXES),
            )
    except InputError:
        raise
    except Exception as exc:
        raise InputError("file.unreadable", path=str(path), reason=str(exc)) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def find_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    """The first of ``candidates`` present in ``columns``, compared case-insensitively."""
    lowered = {c.lower(): c for c in columns}
    for candidate in candidates:
        if candidate in lowered:
            return lowered[candidate]
    return None
