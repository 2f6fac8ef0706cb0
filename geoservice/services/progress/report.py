"""The coordination report of ``GET /progress/report``: per campaign (the kab/kota or the whole
scope), per kecamatan and per desa/kelurahan, with a completeness map, as XLSX (openpyxl) or
PDF (fpdf2); the map is drawn with matplotlib (Agg backend). Cells are formula-safe
(:func:`geoservice.services.exports.safe_cell`); the PDF uses the DejaVu Sans font matplotlib
ships, so every name prints as it is.

The map is drawn once per report; the figures are the three roll-up statements of
:mod:`~geoservice.services.progress.figures`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import matplotlib
from sqlalchemy import Connection, func, select

from geoservice.catalog import Catalog
from geoservice.db.models import AdminArea
from geoservice.i18n import t
from geoservice.i18n.progress import REPORT_COLUMNS
from geoservice.services import features
from geoservice.services.exports import safe_row
from geoservice.services.progress import figures

matplotlib.use("Agg")

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _rows(data: dict[str, Any], catalog: Catalog, lang: str, people: bool) -> list[list[Any]]:
    out = []
    for area in data["areas"]:
        for part in ("layers", "profile"):
            for f in area[part].values():
                c = catalog.campaigns[f["campaign"]]
                title = c.title.get(lang)
                row = [area["nama"], area["kode"], title, f["expected"], f["verified"],
                       f["submitted"], f["draft"], f["rejected"], round(100 * f["completeness"], 1),
                       f["late_days"], f.get("timeliness", ""), f["last_change"] or ""]  # fmt: skip
                if people:
                    row.append(", ".join(p["name"] or p["username"] for p in area.get("pics", [])))
                out.append(row)
    return out


def _header(lang: str, people: bool) -> list[str]:
    names = list(REPORT_COLUMNS)
    if not people:
        names.remove("pics")
    return [t(REPORT_COLUMNS[n], lang) for n in names]


def map_png(conn: Connection, data: dict[str, Any], kode: str) -> bytes:
    """The completeness of each desa/kelurahan of ``data`` as a PNG choropleth."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    share = {a["kode"]: a["completeness"] for a in data["areas"]}
    shapes = conn.execute(
        select(
            AdminArea.code,
            func.ST_AsGeoJSON(
                func.ST_Multi(func.ST_SimplifyPreserveTopology(AdminArea.geom, 0.0003))
            ),
        ).where(AdminArea.level == 4, AdminArea.code.like(features.like_prefix(kode)))
    ).all()
    fig = Figure(figsize=(7, 6), dpi=110)
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["RdYlGn"]
    for code, geojson in shapes:
        value = share.get(code)
        colour = "#dddddd" if value is None else cmap(value)
        for polygon in json.loads(geojson)["coordinates"]:
            ax.add_patch(Polygon(polygon[0], closed=True, facecolor=colour, edgecolor="#555555",
                                 linewidth=0.4))  # fmt: skip
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    mappable = matplotlib.cm.ScalarMappable(cmap=cmap, norm=matplotlib.colors.Normalize(0, 100))
    fig.colorbar(mappable, ax=ax, shrink=0.6, label="%")
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def _sections(conn: Connection, catalog: Catalog, kode: str, lang: str) -> dict[str, Any]:
    day = figures.today()
    top = figures.progress(conn, catalog, kode, min(2, len(kode) // 3 + 1), lang, day)
    kecamatan = figures.progress(conn, catalog, kode, 3, lang, day)
    kelurahan = figures.progress(conn, catalog, kode, 4, lang, day)
    name = conn.execute(select(AdminArea.name).where(AdminArea.code == kode)).scalar() or kode
    sample = any(c.sample for c in catalog.campaigns.values())
    return {
        "title": t("report.title", lang),
        "scope": t("report.scope", lang, name=name, kode=kode, day=day.isoformat()),
        "sample": t("report.sample", lang) if sample else None,
        "sheets": [
            (t("report.sheet.campaigns", lang), _rows(top, catalog, lang, False), False),
            (t("report.sheet.kecamatan", lang), _rows(kecamatan, catalog, lang, False), False),
            (t("report.sheet.kelurahan", lang), _rows(kelurahan, catalog, lang, True), True),
        ],
        "map": map_png(conn, kelurahan, kode),
        "map_title": t("report.map", lang),
    }


def xlsx(conn: Connection, catalog: Catalog, kode: str, lang: str = "id") -> bytes:
    """The report as an XLSX workbook: one sheet per level, and the map."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image

    parts = _sections(conn, catalog, kode, lang)
    book = Workbook()
    first = True
    for title, rows, people in parts["sheets"]:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title
        sheet.append([parts["title"]])
        sheet.append([parts["scope"]])
        if parts["sample"]:
            sheet.append([parts["sample"]])
        sheet.append(_header(lang, people))
        for row in rows:
            sheet.append(safe_row(row))
    picture = book.create_sheet(t("report.sheet.map", lang))
    picture.append([parts["map_title"]])
    picture.add_image(Image(io.BytesIO(parts["map"])), "A2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(conn: Connection, catalog: Catalog, kode: str, lang: str = "id") -> bytes:
    """The report as a PDF: title, map, then one table per level."""
    from fpdf import FPDF

    parts = _sections(conn, catalog, kode, lang)
    doc = FPDF(orientation="landscape", format="A4")
    doc.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    doc.set_font("DejaVu", size=14)
    doc.add_page()
    doc.cell(text=parts["title"], new_x="LMARGIN", new_y="NEXT")
    doc.set_font(size=9)
    doc.cell(text=parts["scope"], new_x="LMARGIN", new_y="NEXT")
    if parts["sample"]:
        doc.cell(text=parts["sample"], new_x="LMARGIN", new_y="NEXT")
    doc.cell(text=parts["map_title"], new_x="LMARGIN", new_y="NEXT")
    doc.image(io.BytesIO(parts["map"]), h=150)
    for title, rows, people in parts["sheets"]:
        doc.add_page()
        doc.set_font(size=12)
        doc.cell(text=title, new_x="LMARGIN", new_y="NEXT")
        doc.set_font(size=6.5)
        with doc.table(first_row_as_headings=True) as table:
            for row in [_header(lang, people), *rows]:
                cells = table.row()
                for value in row:
                    cells.cell("" if value is None else str(value))
    return bytes(doc.output())


def today_stamp() -> str:
    """For the file name: the day the report's figures are of (Asia/Jakarta)."""
    return figures.today().isoformat()
