"""Derived figures per desa/kelurahan: verified facility points of every layer, the same per
1,000 people where the population is known, and the values of every indicator the viewer may
see, for one period, and the verified fields of the kelurahan profiles (restricted ones for
planners and admins only). Exported as CSV, XLSX (with a sheet that says where each column
comes from) and GeoPackage (with the boundaries), built by pandas, openpyxl and geopandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, func, select

from geoservice.catalog import Catalog
from geoservice.db import any_of
from geoservice.db.models import AdminArea
from geoservice.errors import NotFound
from geoservice.i18n import t
from geoservice.services.areas import kelurahan_with_parents
from geoservice.services.exports import CsvLocale, csv_text, geopackage, xlsx
from geoservice.services.indicators import values as indicator_values
from geoservice.services.indicators import visibility
from geoservice.services.profiles import published
from geoservice.services.viewer import Viewer

KELURAHAN = 4


@dataclass
class Column:
    """A column of the table: its name, title, unit and where it comes from."""

    name: str
    title: str
    unit: str = ""
    source: str = ""


@dataclass
class Table:
    """The per-kelurahan table of one scope and period, as ``viewer`` may see it."""

    period: str | None
    scope: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    withheld: int
    #: the name of the area ``scope`` codes ("Kota Kediri"); empty for the whole country
    scope_name: str = ""

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame, columns in order."""
        return pd.DataFrame(self.rows, columns=[c.name for c in self.columns])


def table(
    conn: Connection,
    catalog: Catalog,
    viewer: Viewer,
    *,
    scope: str,
    period: str | None,
    lang: str = "id",
) -> Table:
    """Counts, rates and indicator values per desa/kelurahan of ``scope`` for ``period`` (the
    latest period with any visible values when None)."""
    shown = visibility.visible_indicators(catalog, viewer)
    known = indicator_values.all_periods(conn)
    available = sorted({p for i in shown for p in known.get(i.code, [])})
    if period is None:
        period = available[-1] if available else None
    elif period not in available:
        raise NotFound("stats.no_period", period=period, periods=", ".join(available) or "-")
    areas = kelurahan_with_parents(conn, scope)
    columns = [
        Column("kode", t("stats.kode", lang)),
        Column("nama", t("stats.nama", lang)),
        Column("kecamatan", "Kecamatan"),
        Column("kabkota", t("stats.kabkota", lang)),
    ]
    rows: dict[str, dict[str, Any]] = {
        code: {"kode": code, "nama": name, "kecamatan": kec, "kabkota": kab}
        for code, name, kec, kab in areas
    }
    counts = indicator_values.facility_counts(conn, catalog, KELURAHAN, scope)
    for layer in catalog:
        columns.append(
            Column(
                f"jumlah_{layer.id}",
                t("stats.count", lang, layer=layer.title.get(lang)),
                t("stats.points", lang),
                t("stats.verified_source", lang),
            )
        )
        for code, row in rows.items():
            row[f"jumlah_{layer.id}"] = counts.get(code, {}).get(layer.id, 0)
    withheld = 0
    population = next((i for i in shown if i.population), None)
    values_by_indicator: dict[str, dict[str, float | None]] = {}
    for indicator in shown:
        if period is None or period not in known.get(indicator.code, []):
            values_by_indicator[indicator.code] = {}
            continue
        found = indicator_values.values(conn, indicator, period, KELURAHAN, scope, viewer)
        withheld += sum(1 for a in found if a.withheld)
        values_by_indicator[indicator.code] = {a.code: a.value for a in found}
    if population is not None:
        people = values_by_indicator[population.code]
        for layer in catalog:
            columns.append(
                Column(
                    f"{layer.id}_per_1000",
                    t("stats.per_1000", lang, layer=layer.title.get(lang)),
                    t("stats.per_1000_unit", lang),
                    f"{population.source} ({population.code})",
                )
            )
            for code, row in rows.items():
                pop = people.get(code)
                row[f"{layer.id}_per_1000"] = (
                    round(row[f"jumlah_{layer.id}"] * 1000 / pop, 3) if pop else None
                )
    for indicator in shown:
        columns.append(
            Column(
                indicator.code,
                indicator.title.get(lang),
                indicator.unit.get(lang),
                indicator.source,
            )
        )
        found_values = values_by_indicator[indicator.code]
        for code, row in rows.items():
            row[indicator.code] = found_values.get(code)
    for extra in published.table_columns(
        conn, catalog, scope, period, lang, internal=viewer.internal, anonymous=viewer.anonymous
    ):  # verified profile fields, restricted ones for planners and admins only
        columns.append(Column(extra.name, extra.title, extra.unit, extra.source))
        for code, row in rows.items():
            row[extra.name] = extra.values.get(code)
    scope_name = conn.execute(select(AdminArea.name).where(AdminArea.code == scope)).scalar()
    return Table(period, scope, columns, list(rows.values()), withheld, scope_name or "")


def to_csv(data: Table, locale: CsvLocale = "id") -> bytes:
    """CSV in UTF-8 with a byte-order mark, separators and decimal mark of ``locale``."""
    names = [c.name for c in data.columns]
    rows = ([row.get(name) for name in names] for row in data.rows)
    return csv_text(names, rows, locale).encode("utf-8")


def to_xlsx(data: Table, lang: str = "id") -> bytes:
    """An XLSX workbook: the table, and a sheet describing every column."""
    about = pd.DataFrame(
        [[c.name, c.title, c.unit, c.source] for c in data.columns],
        columns=[t(k, lang) for k in ("stats.column", "stats.title", "stats.unit", "stats.source")],
    )
    notes = pd.DataFrame(
        {
            t("stats.sheet_notes", lang): [
                t("stats.note_period", lang, period=data.period or "-"),
                t(
                    "stats.note_scope",
                    lang,
                    scope=f"{data.scope_name} ({data.scope})"
                    if data.scope
                    else t("stats.national", lang),
                ),
                t("stats.note_counts", lang),
                t("stats.note_withheld", lang, count=data.withheld),
            ]
        }
    )
    return xlsx(
        {
            t("stats.sheet_data", lang): data.frame(),
            t("stats.sheet_about", lang): about,
            t("stats.sheet_notes", lang): notes,
        }
    )


def to_geopackage(conn: Connection, data: Table) -> bytes:
    """A GeoPackage of the table with each desa/kelurahan's boundary (EPSG:4326)."""
    codes = [row["kode"] for row in data.rows]
    shapes: dict[str, bytes] = dict(
        conn.execute(
            select(AdminArea.code, func.ST_AsBinary(AdminArea.geom)).where(
                AdminArea.code == any_of(codes)
            )
        ).all()
    )
    geometry = shapely.from_wkb([bytes(shapes[code]) for code in codes])
    frame = gpd.GeoDataFrame(data.frame(), geometry=geometry, crs="EPSG:4326")
    return geopackage(frame, "statistik_kelurahan")
