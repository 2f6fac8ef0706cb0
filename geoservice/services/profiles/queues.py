"""Profiles as others list them: the walidata's verification queue (and its /review rows) and
the verified public fields of a period as kelurahan features."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from geoservice.catalog import Catalog
from geoservice.i18n import t
from geoservice.services.auth import Principal
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
    form: ProfileForm,
    period: str,
    prefix: str | None,
    catalog: Catalog | None = None,
) -> list[dict[str, Any]]:
    """The verified profiles of ``period`` as GeoJSON features of their kelurahan, with the
    public fields only, for everyone (restricted fields and unverified drafts never appear).
    With ``catalog``, the derived fields too, computed by PostGIS as the collection does."""
    public = form.visible_fields(restricted=False)
    if catalog is not None:
        found = published_rows(conn, catalog, form, period, prefix)
        shapes = dict(
            conn.execute(
                select(AREA.c.code, func.ST_AsGeoJSON(AREA.c.geom, 6)).where(
                    AREA.c.code.in_([r.code for r in found])
                )
            ).all()
        )
        return [
            {
                "type": "Feature",
                "id": r.code,
                "geometry": json.loads(shapes[r.code]),
                "properties": {"kode": r.code, "nama": r.name, "periode": period, **r.values,
                               "diverifikasi": r.verified_at, "contoh": r.sample},
            }
            for r in found
        ]  # fmt: skip
    statement = (
        select(
            AREA.c.code, AREA.c.name, func.ST_AsGeoJSON(AREA.c.geom, 6),
            PROFILE.c.verified_values, PROFILE.c.verified_at, PROFILE.c.is_sample,
        )
        .join(PROFILE, PROFILE.c.kelurahan_code == AREA.c.code)
        .where(
            PROFILE.c.form_id == form.id,
            PROFILE.c.period == period,
            PROFILE.c.verified_values.is_not(None),
        )
        .order_by(AREA.c.code)
    )  # fmt: skip
    if prefix is not None:
        statement = statement.where(AREA.c.code.startswith(prefix, autoescape=True))
    features = []
    for code, name, geometry, verified, verified_at, sample in conn.execute(statement):
        properties: dict[str, Any] = {"kode": code, "nama": name, "periode": period}
        for field_name, item in public.items():
            if item.derived is None:
                properties[field_name] = verified.get(field_name)
        properties["diverifikasi"] = verified_at.isoformat() if verified_at else None
        properties["contoh"] = bool(sample or form.sample)
        features.append(
            {"type": "Feature", "id": code, "geometry": json.loads(geometry),
             "properties": properties}
        )  # fmt: skip
    return features
