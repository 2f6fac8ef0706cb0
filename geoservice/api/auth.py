"""Sign-in for the web pages (a session cookie) and the caller's own API tokens."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, field_validator

from geoservice import assets
from geoservice.catalog import has_control_characters
from geoservice.deps import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    ConnectionDep,
    CurrentUser,
    EngineDep,
    LanguageDep,
    PrincipalDep,
    SettingsDep,
    connect,
    cookie_name,
    cookies_secure,
)
from geoservice.errors import Forbidden, ServiceError
from geoservice.i18n import t
from geoservice.services import auth
from geoservice.settings import Settings
from geoservice.web import html, static

router = APIRouter(tags=["accounts"])
#: A sign-in form's double-submit token: in a ``__Host-`` cookie (see ``deps.cookie_name``) and
#: in the form. One token per browser, kept while it is valid, so two open sign-in tabs both work.
_LOGIN_TOKEN_BYTES = 32


def _safe_next(target: str | None) -> str:
    """Only a path on this service (no open redirect to another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_token(request: Request, settings: Settings) -> str:
    """The browser's sign-in token: the one its cookie holds, or a new one."""
    current = request.cookies.get(cookie_name(request, settings, LOGIN_COOKIE), "")
    if len(current) == 43 and current.replace("-", "").replace("_", "").isalnum():
        return current
    return secrets.token_urlsafe(_LOGIN_TOKEN_BYTES)


def _prefetch(base: str, next_path: str) -> list[str]:
    """The scripts and stylesheets of the page the sign-in leads to, which the browser fetches
    while the PIC types: on a slow phone link the editor is then usable about two seconds
    sooner after *Masuk* (``scripts/bench_pages``)."""
    page = next_path.split("?", 1)[0]
    script = {"/editor": "editor.js", "/review": "review.js", "/accounts": "accounts.js"}.get(page)
    if script is None:
        return []
    urls = [static.own(base, name) for name in ("pages.css", "common.js", script)]
    if page == "/editor":
        urls += [assets.GEOMAN.url(base, name) for name in assets.GEOMAN.files[:2]]
    return urls


def _same_origin(request: Request) -> bool:
    """A browser's form post names the page it came from in ``Origin`` (or, failing that,
    ``Referer``); a sign-in form posted from another site or port is refused (login CSRF).
    A client that sends neither is not a browser, and no browser can be made to omit both."""
    own = str(request.base_url).rstrip("/")
    own_origin = "{0.scheme}://{0.netloc}".format(urlsplit(own))
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own_origin
    referer = request.headers.get("referer")
    if referer is not None:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own_origin
    return True


def _login_page(
    request: Request,
    lang: Any,
    settings: Settings,
    next_path: str,
    error: str | None = None,
    username: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    token = _login_token(request, settings)
    context = {
        "csrf_token": token,
        "next": next_path,
        "error": error,
        "username": username,
        "prefetch": _prefetch(str(request.base_url), next_path),
    }
    title = html.LABELS["login"][lang]
    response = html.page(request, "login.html", lang, title, context)
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(
        cookie_name(request, settings, LOGIN_COOKIE),
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="strict",
        secure=cookies_secure(request, settings),
        path="/",
    )
    return response


@router.get("/login", response_class=HTMLResponse, summary="Sign-in page")
def login_page(
    request: Request, lang: LanguageDep, settings: SettingsDep, next: str | None = None
) -> HTMLResponse:
    """The sign-in form (Bahasa Indonesia by default)."""
    return _login_page(request, lang, settings, _safe_next(next))


@router.post("/login", response_class=HTMLResponse, summary="Sign in (form post)")
def login(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    lang: LanguageDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (rate-limited), open a session, set its cookie, go to ``next``."""
    if not _same_origin(request):
        error = t("auth.login_origin", lang)
        return _login_page(request, lang, settings, _safe_next(next), error, None, 403)
    cookie = request.cookies.get(cookie_name(request, settings, LOGIN_COOKIE), "")
    if not cookie or not secrets.compare_digest(cookie.encode(), csrf_token.encode()):
        return _login_page(
            request, lang, settings, _safe_next(next), t("auth.csrf", lang), username, 403
        )
    client = request.client.host if request.client else "-"
    try:
        _, secret = auth.sign_in(engine, settings, username.strip(), password, client)
    except ServiceError as exc:
        return _login_page(
            request,
            lang,
            settings,
            _safe_next(next),
            exc.detail(lang),
            username,
            exc.status,
            exc.headers,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        cookie_name(request, settings, SESSION_COOKIE),
        secret,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request, settings),
        path="/",
    )
    # a new session gets a new sign-in token next time (no token outlives its use)
    response.delete_cookie(
        cookie_name(request, settings, LOGIN_COOKIE),
        path="/",
        secure=cookies_secure(request, settings),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout", summary="Sign out (form post with the CSRF token)")
def logout(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """End the session of this browser. It takes the session's CSRF token: without it, any
    site could sign a user out. A request that carries no session changes nothing (a
    cross-site post carries no cookie: the answer must not delete it either)."""
    name = cookie_name(request, settings, SESSION_COOKIE)
    cookie = request.cookies.get(name)
    response = RedirectResponse("/", status_code=303)
    if cookie is None:
        return response
    if principal is not None:
        presented = csrf_token or request.headers.get("x-csrf-token")
        if principal.csrf_token is None or not auth.csrf_matches(principal, presented):
            raise Forbidden("auth.csrf")
        with connect(engine) as conn:
            auth.sign_out(conn, settings, cookie)
            conn.commit()
    response.delete_cookie(
        name, path="/", secure=cookies_secure(request, settings), httponly=True, samesite="lax"
    )
    return response


@router.get("/auth/me", summary="The signed-in user, their kelurahan and CSRF token")
def me(user: CurrentUser) -> dict[str, Any]:
    """For scripts and the editor: who this is, what they may edit, and the token a cookie
    session sends as ``X-CSRF-Token`` with every change."""
    return {
        "username": user.username,
        "role": user.role,
        "kelurahan": sorted(user.kelurahan),
        "csrf_token": user.csrf_token,
    }


class NewToken(BaseModel):
    """A token to create."""

    name: str = Field(min_length=1, max_length=100, description="What it is for, e.g. QGIS")
    days: int | None = Field(
        default=None, ge=0, le=3650, description="Lifetime in days; 0 = no expiry"
    )

    @field_validator("name")
    @classmethod
    def _plain_text(cls, name: str) -> str:
        if has_control_characters(name):
            raise ValueError("must not contain control characters (such as NUL)")
        return name


@router.get("/auth/tokens", summary="The caller's API tokens")
def list_tokens(user: CurrentUser, conn: ConnectionDep) -> list[dict[str, Any]]:
    """Id, name, dates and whether revoked; never the secret."""
    return [
        {
            "id": row.id,
            "name": row.name,
            "created_at": row.created_at.isoformat(timespec="seconds"),
            "expires_at": row.expires_at.isoformat(timespec="seconds") if row.expires_at else None,
            "last_used_at": (
                row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else None
            ),
            "revoked": row.revoked,
        }
        for row in auth.list_tokens(conn, user.username)
    ]


@router.post("/auth/tokens", status_code=201, summary="Create an API token for the caller")
def create_token(
    body: NewToken, user: CurrentUser, conn: ConnectionDep, settings: SettingsDep
) -> dict[str, Any]:
    """The secret is in this answer only: keep it (send it as ``Authorization: Bearer``)."""
    token_id, secret = auth.create_token(conn, settings, user.username, body.name, body.days)
    conn.commit()
    return {"id": token_id, "name": body.name, "token": secret}


@router.delete(
    "/auth/tokens/{token_id}", status_code=204, summary="Revoke one of the caller's tokens"
)
def revoke_token(token_id: int, user: CurrentUser, conn: ConnectionDep) -> Response:
    """It stops working at once."""
    auth.revoke_token(conn, token_id, user.username)
    conn.commit()
    return Response(status_code=204)
