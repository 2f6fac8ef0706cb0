"""Profile values per desa/kelurahan, form and period: reading, writing with JSON merge patch,
and the workflow of points (draft -> submitted -> verified, or rejected with a reason).

Who may do what is :class:`~geoservice.services.auth.Principal`'s answer, as for points: the PIC
of the kelurahan and admins write and submit, admins (the walidata) verify and reject;
planners and admins read everything; everyone else reads the last verified values of the
public fields only (restricted fields never leave the service for them). A write locks the row
(``SELECT ... FOR UPDATE``) and compares ``If-Match`` with its version, so two PICs saving at
once get 412 instead of a lost update; a profile not yet written has version 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from geoservice.catalog import Catalog
from geoservice.db.models import CODE_PATTERNS, AdminArea, KelurahanProfile, KelurahanProfileHistory
from geoservice.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidFields,
    NotFound,
    PreconditionFailed,
)
from geoservice.services.auth import Principal
from geoservice.services.points.payload import merge_patch, rejection_reason
from geoservice.services.profiles.derived import DerivedValue, derived_values, differences
from geoservice.services.profiles.forms import PERIOD_EXAMPLES, ProfileForm, check_values

PROFILE = cast(Table, KelurahanProfile.__table__)
HISTORY = cast(Table, KelurahanProfileHistory.__table__)
AREA = cast(Table, AdminArea.__table__)

#: Verification steps: the statuses each may start from, and the status it leads to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "rejected"), "submitted"),
    "verify": (("submitted",), "verified"),
    "reject": (("submitted",), "rejected"),
}


def form_of(catalog: Catalog, form_id: str) -> ProfileForm:
    """The form ``form_id``; 404 naming the forms there are."""
    form = catalog.profiles.get(form_id)
    if form is None:
        raise NotFound(
            "profile.form_unknown", form=form_id, forms=", ".join(catalog.profiles) or "-"
        )
    return form


def period_of(form: ProfileForm, period: str | None) -> str:
    """``period`` checked against the form's period kind (the current one when omitted)."""
    if period is None:
        return form.current_period()
    if not form.period_valid(period):
        raise BadRequest(
            "profile.period",
            period=period[:20],
            example=PERIOD_EXAMPLES[form.period],
        )
    return period


def _kelurahan(conn: Connection, code: str) -> str:
    """The name of desa/kelurahan ``code``; 404 when there is none."""
    name = None
    if re.fullmatch(CODE_PATTERNS[4], code):
        name = conn.execute(
            select(AREA.c.name).where(AREA.c.code == code, AREA.c.level == 4)
        ).scalar()
    if name is None:
        raise NotFound("profile.kelurahan_unknown", code=code[:20])
    return str(name)


@dataclass(frozen=True)
class _Row:
    id: int
    version: int
    values: dict[str, Any]
    status: str
    rejection_reason: str | None
    verified_values: dict[str, Any] | None
    verified_version: int | None
    verified_at: Any
    updated_at: Any
    updated_by: str | None
    is_sample: bool


_COLUMNS = (
    PROFILE.c.id, PROFILE.c.version, PROFILE.c["values"], PROFILE.c.status,
    PROFILE.c.rejection_reason, PROFILE.c.verified_values, PROFILE.c.verified_version,
    PROFILE.c.verified_at, PROFILE.c.updated_at, PROFILE.c.updated_by, PROFILE.c.is_sample,
)  # fmt: skip


def _where(form: ProfileForm, code: str, period: str) -> tuple[Any, ...]:
    return (
        PROFILE.c.form_id == form.id,
        PROFILE.c.kelurahan_code == code,
        PROFILE.c.period == period,
    )


def _load(
    conn: Connection, form: ProfileForm, code: str, period: str, *, lock: bool = False
) -> _Row | None:
    statement = select(*_COLUMNS).where(*_where(form, code, period))
    row = conn.execute(statement.with_for_update() if lock else statement).first()
    return None if row is None else _Row(*row)


def etag(version: int) -> str:
    """The strong ETag of a profile version (``"0"``: not written yet)."""
    return f'"{version}"'


def public_etag(verified_version: int | None) -> str:
    """The ETag of the public view: never one a write's If-Match can name."""
    return f'"p{verified_version or 0}"'


def changes(form: ProfileForm, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Fields whose value differs, in form order: ``{field, old, new}``."""
    return [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in form.fields
        if old.get(name) != new.get(name)
    ]


def read(
    conn: Connection,
    catalog: Catalog,
    form: ProfileForm,
    code: str,
    period: str,
    principal: Principal | None,
    lang: str,
) -> tuple[dict[str, Any], str]:
    """The profile as its reader may see it, and its ETag."""
    name = _kelurahan(conn, code)
    internal = principal is not None and principal.may_read_internal(code)
    row = _load(conn, form, code, period)
    fields = form.visible_fields(restricted=internal)
    derived = derived_values(conn, catalog, form, code, period)
    body: dict[str, Any] = {
        "form": form.id,
        "kelurahan": {"kode": code, "nama": name},
        "period": period,
        "sample": form.sample or bool(row and row.is_sample),
    }
    if internal:
        values = row.values if row else {}
        previous = _previous(conn, form, code, period)
        # what the walidata compares with: the last verified values of this period, or else of
        # the period before (a new year's profile shows what changed since last year)
        verified = row.verified_values if row and row.verified_values is not None else None
        if verified is None:
            verified = last_verified(conn, form, code, period)
        body.update(
            status=row.status if row else None,
            version=row.version if row else 0,
            rejection_reason=row.rejection_reason if row else None,
            updated_at=row.updated_at.isoformat() if row else None,
            updated_by=row.updated_by if row else None,
            verified_at=row.verified_at.isoformat() if row and row.verified_at else None,
            values=values,
            derived={k: v.as_json() for k, v in derived.items()},
            differences=differences(form, values, derived, lang),
            changes_since_verified=changes(form, verified, values) if row else [],
            previous=previous,
            editable=principal is not None and principal.may_edit(code),
        )
        return body, etag(row.version if row else 0)
    verified_values = (row.verified_values if row else None) or {}
    for name in list(derived):  # an indicator's visibility and privacy rules hold here too
        source = form.fields[name].derived
        indicator = catalog.indicators.get(source.indicator or "") if source else None
        if indicator is None:
            continue
        value = derived[name].value
        if indicator.visibility == "restricted":
            del derived[name]
        elif indicator.suppress_below and value is not None and value < indicator.suppress_below:
            derived[name] = DerivedValue(None, derived[name].period)
    body.update(
        status="verified" if verified_values else None,
        verified_at=row.verified_at.isoformat() if row and row.verified_at else None,
        values={k: v for k, v in verified_values.items() if k in fields},
        derived={k: v.as_json() for k, v in derived.items() if k in fields},
    )
    return body, public_etag(row.verified_version if row else None)


def _previous(conn: Connection, form: ProfileForm, code: str, period: str) -> dict[str, Any] | None:
    """The latest earlier period's values (to prefill a new period), or None."""
    row = conn.execute(
        select(PROFILE.c.period, PROFILE.c["values"], PROFILE.c.status)
        .where(
            PROFILE.c.form_id == form.id,
            PROFILE.c.kelurahan_code == code,
            PROFILE.c.period < period,
        )
        .order_by(PROFILE.c.period.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    typed = form.typed_fields()
    return {
        "period": row[0],
        "status": row[2],
        "values": {k: v for k, v in row[1].items() if k in typed},
    }


def last_verified(conn: Connection, form: ProfileForm, code: str, period: str) -> dict[str, Any]:
    """The values last verified for an earlier period ({} when none was)."""
    found = conn.execute(
        select(PROFILE.c.verified_values)
        .where(
            PROFILE.c.form_id == form.id,
            PROFILE.c.kelurahan_code == code,
            PROFILE.c.period < period,
            PROFILE.c.verified_values.is_not(None),
        )
        .order_by(PROFILE.c.period.desc())
        .limit(1)
    ).scalar()
    return dict(found or {})


def _require_edit(principal: Principal, code: str) -> None:
    if not principal.may_edit(code):
        raise Forbidden(
            "profile.not_your_kelurahan",
            code=code,
            yours=", ".join(sorted(principal.kelurahan)) or "-",
        )


def _require_version(current_version: int, expected: int) -> None:
    if current_version != expected:
        raise PreconditionFailed(
            "edit.stale", expected=expected, current=current_version
        ).with_extra(current_etag=etag(current_version))


def write(
    conn: Connection,
    form: ProfileForm,
    code: str,
    period: str,
    principal: Principal,
    expected_version: int,
    body: Any,
) -> int:
    """Apply ``{"values": {...}}`` as a JSON merge patch (``null`` clears a value); the profile
    becomes a draft. Returns the new version (the caller commits)."""
    _kelurahan(conn, code)
    _require_edit(principal, code)
    if not isinstance(body, dict) or not isinstance(body.get("values"), dict) or len(body) != 1:
        raise BadRequest("profile.body")
    row = _load(conn, form, code, period, lock=True)
    _require_version(row.version if row else 0, expected_version)
    merged = merge_patch(row.values if row else {}, body["values"])
    clean, issues = check_values(form, merged, complete=False)
    if issues:
        raise InvalidFields(list(issues))
    if row is None:
        created = conn.execute(
            pg_insert(PROFILE)
            .values(
                form_id=form.id,
                kelurahan_code=code,
                period=period,
                values=clean,
                is_sample=form.sample,
                created_by=principal.username,
                updated_by=principal.username,
            )
            .on_conflict_do_nothing()
            .returning(PROFILE.c.version)
        ).scalar()
        if created is None:  # someone created it since we looked: our If-Match is stale
            _require_version(1, expected_version)
        return int(created or 1)
    version = conn.execute(
        update(PROFILE)
        .where(PROFILE.c.id == row.id)
        .values(values=clean, status="draft", rejection_reason=None, updated_by=principal.username)
        .returning(PROFILE.c.version)
    ).scalar()
    return row.version if version is None else int(version)  # None: nothing changed


def transition(
    conn: Connection,
    form: ProfileForm,
    code: str,
    period: str,
    principal: Principal,
    expected_version: int,
    step: str,
    reason: str | None = None,
) -> int:
    """Submit (the kelurahan's editors: every required field must be filled), verify or reject
    with a reason (admins). Returns the new version."""
    _kelurahan(conn, code)
    if step == "submit":
        _require_edit(principal, code)
    elif not principal.may_review():
        raise Forbidden("profile.review_only")
    row = _load(conn, form, code, period, lock=True)
    if row is None:
        raise NotFound("profile.not_found", form=form.id, code=code, period=period)
    _require_version(row.version, expected_version)
    sources, target = TRANSITIONS[step]
    if row.status not in sources:
        raise Conflict("profile.transition", step=step, status=row.status,
                       allowed=", ".join(sources))  # fmt: skip
    changes: dict[str, Any] = {"status": target, "updated_by": principal.username}
    if step == "submit":
        _, issues = check_values(form, row.values, complete=True)
        if issues:
            raise InvalidFields(list(issues))
        changes["rejection_reason"] = None
    elif step == "reject":
        changes["rejection_reason"] = rejection_reason(reason)
    else:
        changes.update(
            verified_values=row.values,
            verified_version=row.version + 1,  # the version this update makes
            verified_at=func.now(),
            verified_by=principal.username,
            rejection_reason=None,
        )
    return int(
        conn.execute(
            update(PROFILE).where(PROFILE.c.id == row.id).values(**changes)
            .returning(PROFILE.c.version)
        ).scalar_one()
    )  # fmt: skip


def history(
    conn: Connection, form: ProfileForm, code: str, period: str, principal: Principal
) -> list[dict[str, Any]]:
    """Every version, oldest first: who, when, the operation and the fields changed."""
    _kelurahan(conn, code)
    if not principal.may_read_internal(code):
        raise Forbidden("profile.not_your_kelurahan", code=code,
                        yours=", ".join(sorted(principal.kelurahan)) or "-")  # fmt: skip
    row = _load(conn, form, code, period)
    if row is None:
        return []
    versions = []
    previous: dict[str, Any] = {}
    for version, operation, values, status, reason, changed_at, changed_by in conn.execute(
        select(
            HISTORY.c.version, HISTORY.c.operation, HISTORY.c["values"], HISTORY.c.status,
            HISTORY.c.rejection_reason, HISTORY.c.changed_at, HISTORY.c.changed_by,
        ).where(HISTORY.c.profile_id == row.id).order_by(HISTORY.c.version)
    ):  # fmt: skip
        versions.append(
            {
                "version": version,
                "operation": operation,
                "status": status,
                "rejection_reason": reason,
                "changed_at": changed_at.isoformat(),
                "changed_by": changed_by,
                "changes": changes(form, previous, values),
            }
        )
        previous = values
    return versions


def sample_values(conn: Connection, form: ProfileForm, code: str, period: str,
                  values: dict[str, Any], username: str = "contoh") -> None:  # fmt: skip
    """Store ``values`` as a verified sample profile (the demo's), replacing one there."""
    clean, issues = check_values(form, values, complete=True)
    if issues:
        raise InvalidFields(list(issues))
    conn.execute(PROFILE.delete().where(*_where(form, code, period)))
    conn.execute(
        insert(PROFILE).values(
            form_id=form.id, kelurahan_code=code, period=period, values=clean, status="verified",
            verified_values=clean, verified_version=1, verified_at=func.now(),
            verified_by=username, is_sample=True, created_by=username, updated_by=username,
        )
    )  # fmt: skip


def has_profiles(conn: Connection, form: ProfileForm) -> bool:
    """True when some profile of ``form`` is stored."""
    return bool(
        conn.execute(select(PROFILE.c.id).where(PROFILE.c.form_id == form.id).limit(1)).first()
    )
