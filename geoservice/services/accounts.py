"""Accounts and their kelurahan grants: create, list, disable, change passwords, grant and
revoke (the ``users`` commands and the walidata's account pages)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert

from geoservice.db import any_of
from geoservice.db.models import ROLES, AdminArea, AppUser, UserKelurahan, WebSession
from geoservice.errors import NotFound, ValidationFailed
from geoservice.services.passwords import check_new_password, hash_password, password_matches


@dataclass(frozen=True)
class UserRow:
    """An account as ``users list`` shows it."""

    id: int
    username: str
    full_name: str | None
    role: str
    kelurahan: list[str]
    disabled: bool
    created_at: dt.datetime


def add_user(
    conn: Connection,
    username: str,
    role: str,
    password: str,
    *,
    full_name: str | None = None,
    kelurahan: Iterable[str] = (),
    granted_by: str | None = None,
    check_password: bool = True,
) -> int:
    """Create an account (and its grants); ValidationFailed on a bad name, role or password."""
    if role not in ROLES:
        raise ValidationFailed("auth.role_unknown", role=role, roles=", ".join(ROLES))
    if not _valid_username(username):
        raise ValidationFailed("auth.username_format", username=username)
    if check_password:
        check_new_password(password, username)
    exists = conn.execute(select(AppUser.id).where(_named(username))).first()
    if exists:
        raise ValidationFailed("auth.username_taken", username=username)
    user_id = int(
        conn.execute(
            insert(AppUser)
            .values(
                username=username,
                full_name=full_name,
                role=role,
                password_hash=hash_password(password),
                password_changed_at=func.now(),
            )
            .returning(AppUser.id)
        ).scalar_one()
    )
    codes = list(kelurahan)
    if codes:
        grant(conn, username, codes, granted_by=granted_by)
    return user_id


def _named(username: str) -> ColumnElement[bool]:
    """The account of ``username``, in any case (the unique index is on ``lower(username)``)."""
    return func.lower(AppUser.username) == func.lower(username)


def _valid_username(username: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}", username) is not None


def find_user(conn: Connection, username: str) -> Any:
    """The account row (id, username, role, disabled_at); NotFound when there is none."""
    row = conn.execute(
        select(AppUser.id, AppUser.username, AppUser.role, AppUser.disabled_at).where(
            _named(username)
        )
    ).first()
    if row is None:
        raise NotFound("auth.user_not_found", username=username)
    return row


def list_users(conn: Connection, username: str | None = None) -> list[UserRow]:
    """Every account (or the one named) with its grants, by username."""
    code = UserKelurahan.kelurahan_code
    query = (
        select(
            AppUser.id,
            AppUser.username,
            AppUser.full_name,
            AppUser.role,
            AppUser.disabled_at.is_not(None),
            AppUser.created_at,
            func.array_agg(aggregate_order_by(code, code)).filter(code.is_not(None)),
        )
        .outerjoin(UserKelurahan, UserKelurahan.user_id == AppUser.id)
        .group_by(AppUser.id)
        .order_by(func.lower(AppUser.username))
    )
    if username is not None:
        query = query.where(_named(username))
    rows = conn.execute(query).all()
    return [
        UserRow(
            id=r[0],
            username=r[1],
            full_name=r[2],
            role=r[3],
            disabled=r[4],
            created_at=r[5],
            kelurahan=list(r[6] or ()),
        )
        for r in rows
    ]


def set_disabled(conn: Connection, username: str, disabled: bool = True) -> None:
    """Disable (sign out everywhere, tokens stop working) or enable an account."""
    user = find_user(conn, username)
    conn.execute(
        update(AppUser)
        .where(AppUser.id == user.id)
        .values(disabled_at=func.coalesce(AppUser.disabled_at, func.now()) if disabled else None)
    )
    if disabled:
        # the sessions end now (expired, never valid again, even if the account is enabled);
        # they stay a day, so that a page still open is told why (authenticate_session)
        conn.execute(
            update(WebSession).where(WebSession.user_id == user.id).values(expires_at=func.now())
        )


def set_password(conn: Connection, username: str, password: str) -> None:
    """Change the password and end the account's web sessions."""
    user = find_user(conn, username)
    check_new_password(password, user.username)
    conn.execute(
        update(AppUser)
        .where(AppUser.id == user.id)
        .values(password_hash=hash_password(password), password_changed_at=func.now())
    )
    conn.execute(delete(WebSession).where(WebSession.user_id == user.id))


def user_row(conn: Connection, username: str) -> UserRow:
    """One account as listed; NotFound when there is none."""
    found = list_users(conn, username)
    if not found:
        raise NotFound("auth.user_not_found", username=username)
    return found[0]


def grant(
    conn: Connection, username: str, codes: Iterable[str], granted_by: str | None = None
) -> list[str]:
    """Let a PIC edit these desa/kelurahan; returns the codes newly granted."""
    user = find_user(conn, username)
    if user.role != "pic":
        raise ValidationFailed("auth.grant_role", username=user.username, role=user.role)
    wanted = sorted({c.strip() for c in codes})
    known = set(
        conn.execute(
            select(AdminArea.code).where(AdminArea.level == 4, AdminArea.code == any_of(wanted))
        ).scalars()
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound("auth.kelurahan_unknown", codes=", ".join(unknown))
    if not wanted:
        return []
    added = conn.execute(
        pg_insert(UserKelurahan)
        .values(
            [{"user_id": user.id, "kelurahan_code": c, "granted_by": granted_by} for c in wanted]
        )
        .on_conflict_do_nothing()
        .returning(UserKelurahan.kelurahan_code)
    ).scalars()
    return sorted(added)


def revoke(conn: Connection, username: str, codes: Iterable[str]) -> list[str]:
    """Take these desa/kelurahan away from a user; returns the codes that were granted."""
    user = find_user(conn, username)
    removed = conn.execute(
        delete(UserKelurahan)
        .where(
            UserKelurahan.user_id == user.id,
            UserKelurahan.kelurahan_code == any_of(sorted({c.strip() for c in codes})),
        )
        .returning(UserKelurahan.kelurahan_code)
    ).scalars()
    return sorted(removed)


def demo_passwords_in_use(conn: Connection, accounts: dict[str, str]) -> list[str]:
    """Enabled accounts among ``accounts`` (username -> password) that still have it."""
    rows = conn.execute(
        select(AppUser.username, AppUser.password_hash).where(
            AppUser.disabled_at.is_(None),
            func.lower(AppUser.username) == any_of([u.lower() for u in accounts]),
        )
    ).all()
    return [u for u, h in rows if password_matches(h, accounts.get(u, accounts.get(u.lower(), "")))]
