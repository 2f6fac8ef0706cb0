"""Who a request is: API tokens, HTTP Basic, web sessions and sign-in; and the authorization
rules, written once in :class:`Principal`.

Secrets are kept as HMACs and sign-in is throttled (:mod:`~geoservice.services.passwords`);
accounts and grants are :mod:`~geoservice.services.accounts`.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update

from geoservice.db.models import ApiToken, AppUser, LoginFailure, UserKelurahan, WebSession
from geoservice.errors import (
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from geoservice.services.accounts import find_user, set_password
from geoservice.services.passwords import DUMMY_HASH, keyed, password_matches, sign_in_wait
from geoservice.services.viewer import Viewer
from geoservice.settings import Settings

Role = Literal["admin", "pic", "planner"]
TOKEN_PREFIX = "gs_"


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


# -- a signed-in user's own password --------------------------------------------------------------


def change_own_password(conn: Connection, principal: Principal, current: str, new: str) -> None:
    """A user's own password change: the current one must be given (422 otherwise)."""
    stored = conn.execute(
        select(AppUser.password_hash).where(AppUser.id == principal.id)
    ).scalar_one()
    if not password_matches(stored, current):
        raise ValidationFailed("auth.current_password_wrong")
    set_password(conn, principal.username, new)


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
    user = find_user(conn, username)
    if user.disabled_at is not None:
        raise ValidationFailed("auth.user_disabled", username=user.username)
    days = settings.token_days if days is None else days
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = conn.execute(
        insert(ApiToken)
        .values(
            user_id=user.id,
            name=name.strip() or "token",
            secret_hash=keyed(settings, secret),
            expires_at=func.now() + dt.timedelta(days=days) if days > 0 else None,
        )
        .returning(ApiToken.id)
    ).scalar_one()
    return int(token_id), secret


def list_tokens(conn: Connection, username: str | None = None) -> list[TokenRow]:
    """Tokens of one user, or of everyone."""
    query = (
        select(
            ApiToken.id,
            AppUser.username,
            ApiToken.name,
            ApiToken.created_at,
            ApiToken.expires_at,
            ApiToken.last_used_at,
            ApiToken.revoked_at.is_not(None),
        )
        .join(AppUser, AppUser.id == ApiToken.user_id)
        .order_by(ApiToken.id)
    )
    if username is not None:
        query = query.where(func.lower(AppUser.username) == func.lower(username))
    rows = conn.execute(query).all()
    return [TokenRow(*r) for r in rows]


def revoke_token(conn: Connection, token_id: int, username: str | None = None) -> None:
    """Revoke a token (of ``username`` only, when given); NotFound when there is none."""
    revoke = (
        update(ApiToken)
        .where(ApiToken.id == token_id, AppUser.id == ApiToken.user_id)
        .values(revoked_at=func.coalesce(ApiToken.revoked_at, func.now()))
    )
    if username is not None:
        revoke = revoke.where(func.lower(AppUser.username) == func.lower(username))
    done = conn.execute(revoke).rowcount
    if not done:
        raise NotFound("auth.token_not_found", token=token_id)


#: A principal's columns: id, username, role, disabled, granted kelurahan (null for none).
_PRINCIPAL_COLUMNS = (
    AppUser.id,
    AppUser.username,
    AppUser.role,
    AppUser.disabled_at.is_not(None),
    select(func.array_agg(UserKelurahan.kelurahan_code))
    .where(UserKelurahan.user_id == AppUser.id)
    .scalar_subquery(),
)


def _principal(row: Any, csrf_token: str | None = None) -> Principal:
    return Principal(
        id=row[0],
        username=row[1],
        role=row[2],
        kelurahan=frozenset(row[4] or ()),
        csrf_token=csrf_token,
    )


def authenticate_token(conn: Connection, settings: Settings, secret: str) -> Principal:
    """The owner of a bearer token; Unauthorized saying why when it is not valid."""
    row = conn.execute(
        select(
            *_PRINCIPAL_COLUMNS,
            ApiToken.id,
            ApiToken.revoked_at.is_not(None),
            and_(ApiToken.expires_at.is_not(None), ApiToken.expires_at <= func.now()),
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < func.now() - dt.timedelta(minutes=1),
            ),
        )
        .join(AppUser, AppUser.id == ApiToken.user_id)
        .where(ApiToken.secret_hash == keyed(settings, secret))
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
        conn.execute(update(ApiToken).where(ApiToken.id == row[5]).values(last_used_at=func.now()))
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
        select(*_PRINCIPAL_COLUMNS, WebSession.csrf_token, WebSession.expires_at > func.now())
        .join(AppUser, AppUser.id == WebSession.user_id)
        .where(WebSession.secret_hash == keyed(settings, secret))
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
        wait = sign_in_wait(conn, settings, username, client)
        if wait > 0:
            if wait >= 60:  # people think in minutes, not in "470 detik"
                minutes = (wait + 59) // 60
                raise TooManyRequests(
                    "auth.too_many_attempts_minutes", retry_after=wait, minutes=minutes
                )
            raise TooManyRequests("auth.too_many_attempts", retry_after=wait)
        row = conn.execute(
            select(*_PRINCIPAL_COLUMNS, AppUser.password_hash).where(
                func.lower(AppUser.username) == func.lower(username)
            )
        ).first()
        ok = password_matches(row[5] if row is not None else DUMMY_HASH, password)
        if row is None or not ok or row[3]:
            conn.execute(insert(LoginFailure).values(username=username[:200], client=client[:200]))
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
            insert(WebSession).values(
                secret_hash=keyed(settings, secret),
                user_id=principal.id,
                csrf_token=csrf,
                expires_at=func.now() + dt.timedelta(hours=settings.session_hours),
            )
        )
        # housekeeping: expired sessions and old failures go
        conn.execute(
            delete(WebSession).where(WebSession.expires_at < func.now() - dt.timedelta(days=1))
        )
        conn.execute(
            delete(LoginFailure).where(LoginFailure.at < func.now() - dt.timedelta(minutes=window))
        )
    return dataclasses.replace(principal, csrf_token=csrf), secret


def sign_out(conn: Connection, settings: Settings, secret: str) -> None:
    """End the session of this cookie secret."""
    conn.execute(delete(WebSession).where(WebSession.secret_hash == keyed(settings, secret)))


def csrf_matches(principal: Principal, presented: str | None) -> bool:
    """True when ``presented`` is the session's CSRF token (constant-time comparison)."""
    return (
        principal.csrf_token is not None
        and presented is not None
        and hmac.compare_digest(principal.csrf_token.encode(), presented.encode())
    )
