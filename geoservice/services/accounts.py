"""Accounts and their kelurahan grants: create, list, disable, change passwords, grant and
revoke (the ``users`` commands and the walidata's account pages)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from geoservice.db.models import ROLES
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
    exists = conn.execute(
        text("SELECT 1 FROM app_user WHERE lower(username) = lower(:u)"), {"u": username}
    ).first()
    if exists:
        raise ValidationFailed("auth.username_taken", username=username)
    user_id = int(
        conn.execute(
            text(
                "INSERT INTO app_user (username, full_name, role, password_hash, "
                "password_changed_at) VALUES (:u, :n, :r, :h, now()) RETURNING id"
            ),
            {"u": username, "n": full_name, "r": role, "h": hash_password(password)},
        ).scalar_one()
    )
    codes = list(kelurahan)
    if codes:
        grant(conn, username, codes, granted_by=granted_by)
    return user_id


def _valid_username(username: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}", username) is not None


def find_user(conn: Connection, username: str) -> Any:
    """The account row (id, username, role, disabled_at); NotFound when there is none."""
    row = conn.execute(
        text(
            "SELECT id, username, role, disabled_at FROM app_user WHERE lower(username) = lower(:u)"
        ),
        {"u": username},
    ).first()
    if row is None:
        raise NotFound("auth.user_not_found", username=username)
    return row


def list_users(conn: Connection, username: str | None = None) -> list[UserRow]:
    """Every account (or the one named) with its grants, by username."""
    rows = conn.execute(
        text(
            "SELECT u.id, u.username, u.full_name, u.role, u.disabled_at IS NOT NULL, u.created_at,"
            "       coalesce(array_agg(g.kelurahan_code ORDER BY g.kelurahan_code)"
            "                FILTER (WHERE g.kelurahan_code IS NOT NULL), '{}')"
            "  FROM app_user u LEFT JOIN user_kelurahan g ON g.user_id = u.id"
            " WHERE CAST(:u AS text) IS NULL OR lower(u.username) = lower(:u)"
            " GROUP BY u.id ORDER BY lower(u.username)"
        ),
        {"u": username},
    ).all()
    return [
        UserRow(
            id=r[0],
            username=r[1],
            full_name=r[2],
            role=r[3],
            disabled=r[4],
            created_at=r[5],
            kelurahan=list(r[6]),
        )
        for r in rows
    ]


def set_disabled(conn: Connection, username: str, disabled: bool = True) -> None:
    """Disable (sign out everywhere, tokens stop working) or enable an account."""
    user = find_user(conn, username)
    conn.execute(
        text(
            "UPDATE app_user SET disabled_at = CASE WHEN :d THEN coalesce(disabled_at, now()) END"
            " WHERE id = :id"
        ),
        {"d": disabled, "id": user.id},
    )
    if disabled:
        # the sessions end now (expired, never valid again, even if the account is enabled);
        # they stay a day, so that a page still open is told why (authenticate_session)
        conn.execute(
            text("UPDATE web_session SET expires_at = now() WHERE user_id = :id"), {"id": user.id}
        )


def set_password(conn: Connection, username: str, password: str) -> None:
    """Change the password and end the account's web sessions."""
    user = find_user(conn, username)
    check_new_password(password, user.username)
    conn.execute(
        text("UPDATE app_user SET password_hash = :h, password_changed_at = now() WHERE id = :id"),
        {"h": hash_password(password), "id": user.id},
    )
    conn.execute(text("DELETE FROM web_session WHERE user_id = :id"), {"id": user.id})


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
            text("SELECT code FROM admin_area WHERE level = 4 AND code = ANY(:c)"), {"c": wanted}
        ).scalars()
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound("auth.kelurahan_unknown", codes=", ".join(unknown))
    added = conn.execute(
        text(
            "INSERT INTO user_kelurahan (user_id, kelurahan_code, granted_by)"
            " SELECT :id, unnest(CAST(:c AS text[])), :by ON CONFLICT DO NOTHING"
            " RETURNING kelurahan_code"
        ),
        {"id": user.id, "c": wanted, "by": granted_by},
    ).scalars()
    return sorted(added)


def revoke(conn: Connection, username: str, codes: Iterable[str]) -> list[str]:
    """Take these desa/kelurahan away from a user; returns the codes that were granted."""
    user = find_user(conn, username)
    removed = conn.execute(
        text(
            "DELETE FROM user_kelurahan WHERE user_id = :id AND kelurahan_code = ANY(:c)"
            " RETURNING kelurahan_code"
        ),
        {"id": user.id, "c": sorted({c.strip() for c in codes})},
    ).scalars()
    return sorted(removed)


def demo_passwords_in_use(conn: Connection, accounts: dict[str, str]) -> list[str]:
    """Enabled accounts among ``accounts`` (username -> password) that still have it."""
    rows = conn.execute(
        text(
            "SELECT username, password_hash FROM app_user"
            " WHERE disabled_at IS NULL AND lower(username) = ANY(:u)"
        ),
        {"u": [u.lower() for u in accounts]},
    ).all()
    return [u for u, h in rows if password_matches(h, accounts.get(u, accounts.get(u.lower(), "")))]
