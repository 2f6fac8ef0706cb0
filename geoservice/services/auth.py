"""Accounts, kelurahan grants, API tokens, web sessions and sign-in rate limiting; and the
authorization rules, written once in :class:`Principal`.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106). Session cookies and API
tokens are random secrets of 256 bits; the database keeps only an HMAC-SHA256 of each, keyed by
``GEOSERVICE_SECRET_KEY``, so a copy of the database signs nobody in and looking a secret up is
one indexed query (no argon2 cost per request). Failed sign-ins are rows in ``login_failure``,
so the limit holds across service processes.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, text
from zxcvbn import zxcvbn

from geoservice.db.models import ROLES
from geoservice.errors import (
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from geoservice.services.viewer import Viewer
from geoservice.settings import WEAK_PASSWORDS, Settings

Role = Literal["admin", "pic", "planner"]
TOKEN_PREFIX = "gs_"
MIN_PASSWORD_LENGTH = 10
#: A client may fail this many times more often than one username (a shared office NAT).
CLIENT_FAILURE_FACTOR = 4

_hasher = PasswordHasher()
#: Verified against when the username is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash("not the password of anyone")


@dataclass(frozen=True)
class Principal:
    """A signed-in user and what they may do: the one place authorization is decided."""

    id: int
    username: str
    role: Role
    kelurahan: frozenset[str]
    #: the session's CSRF token when signed in by cookie; None for a bearer token
    csrf_token: str | None = None

    def may_edit(self, kelurahan_code: str) -> bool:
        """Create, move, change or delete points in this desa/kelurahan."""
        return self.role == "admin" or (self.role == "pic" and kelurahan_code in self.kelurahan)

    def may_review(self) -> bool:
        """Verify or reject submitted points, restore deleted ones, manage accounts."""
        return self.role == "admin"

    def may_import_indicators(self) -> bool:
        """Load indicator values (planners of Bappeda/Dinas Sosial and the walidata)."""
        return self.role in ("admin", "planner")

    def may_read_internal(self, kelurahan_code: str) -> bool:
        """See drafts, restricted attributes and history of this desa/kelurahan."""
        return self.role in ("admin", "planner") or kelurahan_code in self.kelurahan

    def viewer(self) -> Viewer:
        """What this user sees in items, tiles and pages."""
        if self.role in ("admin", "planner"):
            return Viewer(internal=True, username=self.username)
        return Viewer(own=self.kelurahan, username=self.username)


# -- passwords -----------------------------------------------------------------------------------


#: zxcvbn's score a new password must reach: 3 is "safely unguessable: moderate protection
#: from an offline slow-hash scenario" (its guess estimate is above 10^8).
MIN_PASSWORD_SCORE = 3
#: Words of this service that make a password easier to guess (zxcvbn's ``user_inputs``).
SERVICE_WORDS = ("geoservice", "satudata", "satu data", "kelurahan", "walidata", "diskominfo")


def check_new_password(password: str, username: str) -> None:
    """ValidationFailed unless ``password`` is long enough, does not contain the username,
    and is not guessable by zxcvbn's estimate (common passwords, names, keyboard patterns,
    dates, l33t spellings and repeats, with the username and this service's words as
    dictionary entries)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("auth.password_short", minimum=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    name = username.lower()
    if name and (name in lowered or any(len(p) >= 5 and p in lowered for p in _parts(name))):
        raise ValidationFailed("auth.password_has_username")
    if lowered in WEAK_PASSWORDS:
        raise ValidationFailed("auth.password_weak")
    # zxcvbn looks at the first 100 characters only (longer inputs cost quadratic time)
    estimate = zxcvbn(password[:100], user_inputs=[name, *_parts(name), *SERVICE_WORDS])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        raise ValidationFailed("auth.password_weak")


def _parts(username: str) -> list[str]:
    """The words of a username such as ``pic.bandarlor`` (``pic``, ``bandarlor``)."""
    return [p for p in re.split(r"[._@-]+", username) if p]


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when ``password`` is the one hashed (a malformed hash never matches)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _keyed(settings: Settings, secret: str) -> bytes:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).digest()


# -- accounts ------------------------------------------------------------------------------------


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


def _user(conn: Connection, username: str) -> Any:
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
    user = _user(conn, username)
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
    user = _user(conn, username)
    check_new_password(password, user.username)
    conn.execute(
        text("UPDATE app_user SET password_hash = :h, password_changed_at = now() WHERE id = :id"),
        {"h": hash_password(password), "id": user.id},
    )
    conn.execute(text("DELETE FROM web_session WHERE user_id = :id"), {"id": user.id})


def change_own_password(conn: Connection, principal: Principal, current: str, new: str) -> None:
    """A user's own password change: the current one must be given (422 otherwise)."""
    stored = conn.execute(
        text("SELECT password_hash FROM app_user WHERE id = :id"), {"id": principal.id}
    ).scalar_one()
    if not password_matches(stored, current):
        raise ValidationFailed("auth.current_password_wrong")
    set_password(conn, principal.username, new)


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
    user = _user(conn, username)
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
    user = _user(conn, username)
    removed = conn.execute(
        text(
            "DELETE FROM user_kelurahan WHERE user_id = :id AND kelurahan_code = ANY(:c)"
            " RETURNING kelurahan_code"
        ),
        {"id": user.id, "c": sorted({c.strip() for c in codes})},
    ).scalars()
    return sorted(removed)


# -- API tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenRow:
    """A token as listed (never its secret)."""

    id: int
    username: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked: bool


def create_token(
    conn: Connection, settings: Settings, username: str, name: str, days: int | None = None
) -> tuple[int, str]:
    """A new bearer token for ``username``: its id and the secret, shown this once only."""
    user = _user(conn, username)
    if user.disabled_at is not None:
        raise ValidationFailed("auth.user_disabled", username=user.username)
    days = settings.token_days if days is None else days
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = conn.execute(
        text(
            "INSERT INTO api_token (user_id, name, secret_hash, expires_at)"
            " VALUES (:u, :n, :h, CASE WHEN :d > 0 THEN now() + make_interval(days => :d) END)"
            " RETURNING id"
        ),
        {"u": user.id, "n": name.strip() or "token", "h": _keyed(settings, secret), "d": days},
    ).scalar_one()
    return int(token_id), secret


def list_tokens(conn: Connection, username: str | None = None) -> list[TokenRow]:
    """Tokens of one user, or of everyone."""
    rows = conn.execute(
        text(
            "SELECT t.id, u.username, t.name, t.created_at, t.expires_at, t.last_used_at,"
            "       t.revoked_at IS NOT NULL"
            "  FROM api_token t JOIN app_user u ON u.id = t.user_id"
            " WHERE CAST(:u AS text) IS NULL OR lower(u.username) = lower(:u) ORDER BY t.id"
        ),
        {"u": username},
    ).all()
    return [TokenRow(*r) for r in rows]


def revoke_token(conn: Connection, token_id: int, username: str | None = None) -> None:
    """Revoke a token (of ``username`` only, when given); NotFound when there is none."""
    done = conn.execute(
        text(
            "UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, now()) FROM app_user u"
            " WHERE t.id = :id AND u.id = t.user_id"
            "   AND (CAST(:u AS text) IS NULL OR lower(u.username) = lower(:u))"
        ),
        {"id": token_id, "u": username},
    ).rowcount
    if not done:
        raise NotFound("auth.token_not_found", token=token_id)


_PRINCIPAL_COLUMNS = """
u.id, u.username, u.role, u.disabled_at IS NOT NULL,
ARRAY(SELECT g.kelurahan_code FROM user_kelurahan g WHERE g.user_id = u.id)
"""


def _principal(row: Any, csrf_token: str | None = None) -> Principal:
    return Principal(
        id=row[0], username=row[1], role=row[2], kelurahan=frozenset(row[4]), csrf_token=csrf_token
    )


def authenticate_token(conn: Connection, settings: Settings, secret: str) -> Principal:
    """The owner of a bearer token; Unauthorized saying why when it is not valid."""
    row = conn.execute(
        text(
            f"SELECT {_PRINCIPAL_COLUMNS}, t.id, t.revoked_at IS NOT NULL,"
            "       t.expires_at IS NOT NULL AND t.expires_at <= now(),"
            "       t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'"
            "  FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.secret_hash = :h"
        ),
        {"h": _keyed(settings, secret)},
    ).first()
    if row is None:
        raise Unauthorized("auth.token_unknown", bearer_error="invalid_token")
    if row[6]:
        raise Unauthorized("auth.token_revoked", bearer_error="invalid_token")
    if row[7]:
        raise Unauthorized("auth.token_expired", bearer_error="invalid_token")
    if row[3]:
        raise Unauthorized("auth.account_disabled", bearer_error="invalid_token")
    if row[8]:  # "last used" kept to the minute: not one write per request
        conn.execute(
            text("UPDATE api_token SET last_used_at = now() WHERE id = :id"), {"id": row[5]}
        )
        conn.commit()
    return _principal(row)


def authenticate_basic(conn: Connection, settings: Settings, credentials: str) -> Principal:
    """The user of HTTP Basic credentials: a username and one of their API tokens as the
    password (QGIS 3.22, ArcGIS and ``curl -u`` sign in this way). The account's password is
    refused: it would travel with every request and skip the sign-in rate limit."""
    try:
        username, colon, secret = (
            base64.b64decode(credentials, validate=True).decode().partition(":")
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise _basic(Unauthorized("auth.basic_malformed")) from exc
    if not colon or not username:
        raise _basic(Unauthorized("auth.basic_malformed"))
    if not secret.startswith(TOKEN_PREFIX):
        raise _basic(Unauthorized("auth.basic_password"))
    try:
        principal = authenticate_token(conn, settings, secret)
    except Unauthorized as exc:
        raise _basic(exc) from None
    if principal.username.casefold() != username.casefold():  # another user's token
        raise _basic(Unauthorized("auth.token_unknown"))
    return principal


def _basic(error: Unauthorized) -> Unauthorized:
    """``error`` challenging for Basic credentials, as the client sent."""
    error.headers["WWW-Authenticate"] = 'Basic realm="geoservice", charset="UTF-8"'
    return error


# -- web sessions and sign-in ------------------------------------------------------------------


def authenticate_session(conn: Connection, settings: Settings, secret: str) -> Principal | None:
    """The user of a session cookie, or None when it is unknown or expired (signed out)."""
    row = conn.execute(
        text(
            f"SELECT {_PRINCIPAL_COLUMNS}, s.csrf_token, s.expires_at > now()"
            "  FROM web_session s JOIN app_user u ON u.id = s.user_id"
            " WHERE s.secret_hash = :h"
        ),
        {"h": _keyed(settings, secret)},
    ).first()
    if row is None or (not row[6] and not row[3]):
        return None  # unknown, or ended (signed out)
    if row[3]:
        # the walidata disabled the account while it was signed in: the pages read it as
        # signed out; a change it sends is told why (require_user), not that a session ended
        raise AccountDisabled("auth.account_disabled")
    return _principal(row, csrf_token=row[5])


class AccountDisabled(Unauthorized):
    """The session's account has been disabled: its own problem type, so that a page script
    tells the user so instead of asking them to sign in again."""

    problem = "account-disabled"


#: After this many failures in the window (per client, or per username from every client),
#: each further attempt waits twice as long as the one before, up to ``BACKOFF_MAX_SECONDS``.
BACKOFF_MAX_SECONDS = 60


def _sign_in_wait(conn: Connection, settings: Settings, username: str, client: str) -> int:
    """Seconds this attempt must wait (0: it may go ahead).

    Failures lock one username *from one client* for the rest of the window: guessing one
    account's password from one place stops, while colleagues behind the same office NAT sign
    in as usual. A client that fails for many usernames, and a username that fails from many
    clients (a distributed guess), back off instead: each further attempt waits 2, 4, 8 …
    seconds (at most a minute) after the last failure, which slows guessing to a crawl
    without locking anyone out (ASVS 2.2.1).
    """
    window = settings.login_window_minutes
    row = conn.execute(
        text(
            "SELECT count(*) FILTER (WHERE lower(username) = lower(:u) AND client = :c),"
            "       ceil(extract(epoch FROM min(at) FILTER (WHERE lower(username) = lower(:u)"
            "            AND client = :c) + make_interval(mins => :w) - now())),"
            "       count(*) FILTER (WHERE client = :c),"
            "       extract(epoch FROM now() - max(at) FILTER (WHERE client = :c)),"
            "       count(*) FILTER (WHERE lower(username) = lower(:u)),"
            "       extract(epoch FROM now() - max(at) FILTER (WHERE lower(username) = lower(:u)))"
            "  FROM login_failure"
            " WHERE at > now() - make_interval(mins => :w)"
            "   AND (lower(username) = lower(:u) OR client = :c)"
        ),
        {"u": username, "c": client, "w": window},
    ).one()
    pair, pair_retry, by_client, since_client, by_user, since_user = row
    if pair >= settings.login_max_failures:
        return max(int(pair_retry or 1), 1)
    wait = 0.0
    threshold = settings.login_max_failures * CLIENT_FAILURE_FACTOR
    for failures, since in ((by_client, since_client), (by_user, since_user)):
        if failures >= threshold and since is not None:
            backoff = min(2.0 ** (failures - threshold + 1), BACKOFF_MAX_SECONDS)
            wait = max(wait, backoff - float(since))
    return max(int(wait + 0.999), 0)


def sign_in(
    engine: Engine, settings: Settings, username: str, password: str, client: str
) -> tuple[Principal, str]:
    """Check the password and open a web session: the user and the cookie's secret.

    TooManyRequests while this username has failed too often from this client, or while
    the client (or the username, from anywhere) must back off; Unauthorized (the same
    message whether the username exists or not) otherwise.
    """
    window = settings.login_window_minutes
    with engine.begin() as conn:
        wait = _sign_in_wait(conn, settings, username, client)
        if wait > 0:
            if wait >= 60:  # people think in minutes, not in "470 detik"
                minutes = (wait + 59) // 60
                raise TooManyRequests(
                    "auth.too_many_attempts_minutes", retry_after=wait, minutes=minutes
                )
            raise TooManyRequests("auth.too_many_attempts", retry_after=wait)
        row = conn.execute(
            text(
                f"SELECT {_PRINCIPAL_COLUMNS}, u.password_hash FROM app_user u"
                " WHERE lower(u.username) = lower(:u)"
            ),
            {"u": username},
        ).first()
        ok = password_matches(row[5] if row is not None else _DUMMY_HASH, password)
        if row is None or not ok or row[3]:
            conn.execute(
                text("INSERT INTO login_failure (username, client) VALUES (:u, :c)"),
                {"u": username[:200], "c": client[:200]},
            )
    # outside the transaction above, so the failure it recorded is committed
    if row is None or not ok:
        raise Unauthorized("auth.login_failed")
    if row[3]:
        raise Unauthorized("auth.account_disabled")
    principal = _principal(row)
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO web_session (secret_hash, user_id, csrf_token, expires_at)"
                " VALUES (:h, :u, :c, now() + make_interval(hours => :hours))"
            ),
            {
                "h": _keyed(settings, secret),
                "u": principal.id,
                "c": csrf,
                "hours": settings.session_hours,
            },
        )
        # housekeeping: expired sessions and old failures go
        conn.execute(text("DELETE FROM web_session WHERE expires_at < now() - interval '1 day'"))
        conn.execute(
            text("DELETE FROM login_failure WHERE at < now() - make_interval(mins => :w)"),
            {"w": window},
        )
    return dataclasses.replace(principal, csrf_token=csrf), secret


def sign_out(conn: Connection, settings: Settings, secret: str) -> None:
    """End the session of this cookie secret."""
    conn.execute(
        text("DELETE FROM web_session WHERE secret_hash = :h"), {"h": _keyed(settings, secret)}
    )


def csrf_matches(principal: Principal, presented: str | None) -> bool:
    """True when ``presented`` is the session's CSRF token (constant-time comparison)."""
    return (
        principal.csrf_token is not None
        and presented is not None
        and hmac.compare_digest(principal.csrf_token.encode(), presented.encode())
    )


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
