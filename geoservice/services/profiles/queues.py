"""Profiles as others list them: the walidata's verification queue (and its /review rows) and
the verified public fields of a period as kelurahan features."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from geoservice.catalog import Catalog
from geoservice.i18n import t
from geoservice.services.auth import Principal
from geoservice.services.indicators.choropleth import outlines
from geoservice.services.profiles.forms import ProfileForm
from geoservice.services.profiles.published import rows as published_rows
from geoservice.services.profiles.values import AREA, PROFILE, changes, etag, last_verified


def submissions(
    conn: Connection, catalog: Catalog, principal: Principal, prefix: str | None
) -> list[dict[str, Any]]:
    """Submitted profiles waiting for the walidata, oldest first, each with its fields changed
    since the last verification (old -> new) and the ETag its verify or reject needs. A PIC
    sees their own kelurahan's."""
    statement = (
        select(
            PROFILE.c.form_id, PROFILE.c.kelurahan_code, AREA.c.name, PROFILE.c.period,
            PROFILE.c.version, PROFILE.c["values"], PROFILE.c.verified_values,
            PROFILE.c.updated_at, PROFILE.c.updated_by,
        )
        .join(AREA, AREA.c.code == PROFILE.c.kelurahan_code)
        .where(PROFILE.c.status == "submitted", PROFILE.c.form_id.in_(list(catalog.profiles)))
        .order_by(PROFILE.c.updated_at, PROFILE.c.id)
    )  # fmt: skip
    if prefix is not None:
        statement = statement.where(PROFILE.c.kelurahan_code.startswith(prefix, autoescape=True))
    found = []
    for form_id, code, name, period, version, values, verified, at, by in conn.execute(statement):
        if not principal.may_read_internal(code):
            continue
        form = catalog.profiles[form_id]
        if verified is None:
            verified = last_verified(conn, form, code, period)
        found.append(
            {
                "form": form_id,
                "kelurahan": {"kode": code, "nama": name},
                "period": period,
                "etag": etag(version),
                "submitted_at": at.isoformat(),
                "submitted_by": by,
                "changes": changes(form, verified, values),
            }
        )
    return found


def profile_queue(
    conn: Connection, catalog: Catalog, principal: Principal, prefix: str | None, lang: str
) -> dict[str, Any]:
    """The submitted profiles as the /review page lists them: a heading and, per profile, its
    kelurahan, period, how many fields changed and the /profil link to verify it."""
    items = [
        {
            **item,
            "title": catalog.profiles[item["form"]].title.get(lang),
            "changed": t("profile.page.changed_fields", lang, count=len(item["changes"])),
        }
        for item in submissions(conn, catalog, principal, prefix)
    ]
    return {"heading": t("profile.page.waiting", lang), "items": items}


def published(
    conn: Connection,
    catalog: Catalog,
    form: ProfileForm,
    period: str,
    prefix: str | None,
    geometry: bool = True,
) -> list[dict[str, Any]]:
    """The verified profiles of ``period`` as GeoJSON features of their kelurahan, with the
    public fields only (derived ones computed by PostGIS, as the collection does), for
    everyone: restricted fields and unverified drafts never appear. Without ``geometry`` (a
    CSV), the outlines are not read."""
    found = published_rows(conn, catalog, form, period, prefix)
    shapes = outlines(conn, [r.code for r in found], 4) if geometry else {}
    return [
        {
            "type": "Feature",
            "id": r.code,
            "geometry": json.loads(shapes[r.code]) if geometry else None,
            "properties": {"kode": r.code, "nama": r.name, "periode": period, **r.values,
                           "diverifikasi": r.verified_at, "contoh": r.sample},
        }
        for r in found
    ]  # fmt: skip
