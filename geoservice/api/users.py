"""Accounts over HTTP for the walidata (admins), and a user's own password: the same rules as
``geoservice users``, for offices without shell access to the server."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Response
from pydantic import BaseModel, Field

from geoservice.db.models import CODE_PATTERNS
from geoservice.deps import AdminUser, ConnectionDep, CurrentUser, require_admin
from geoservice.services import accounts, auth

router = APIRouter(tags=["accounts"])
#: every /users route is for admins only, whether or not it needs the admin's name
admin_router = APIRouter(tags=["accounts"], dependencies=[Depends(require_admin)])
KELURAHAN = CODE_PATTERNS[4]


class NewUser(BaseModel):
    """An account to create."""

    username: str = Field(min_length=2, max_length=64, examples=["pic.bandarlor"])
    role: Literal["admin", "pic", "planner"]
    password: str = Field(min_length=1, max_length=200)
    full_name: str | None = Field(default=None, max_length=200)
    kelurahan: list[Annotated[str, Field(pattern=KELURAHAN)]] = Field(
        default_factory=list, description="Codes a PIC may edit"
    )


class UserChange(BaseModel):
    """What an admin may change of an account (fields left out stay as they are)."""

    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=200)


class PasswordChange(BaseModel):
    """A user's own new password, with the current one."""

    current: str = Field(min_length=1, max_length=200)
    new: str = Field(min_length=1, max_length=200)


def _as_json(user: accounts.UserRow) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "kelurahan": user.kelurahan,
        "disabled": user.disabled,
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }


@admin_router.get("/users", summary="Every account (admin)")
def list_users(conn: ConnectionDep) -> list[dict[str, Any]]:
    """Username, name, role, kelurahan and state of every account."""
    return [_as_json(u) for u in accounts.list_users(conn)]


@admin_router.post("/users", status_code=201, summary="Create an account (admin)")
def create_user(body: NewUser, admin: AdminUser, conn: ConnectionDep) -> dict[str, Any]:
    """A PIC with the kelurahan they may edit, a planner or another admin."""
    accounts.add_user(
        conn,
        body.username,
        body.role,
        body.password,
        full_name=body.full_name,
        kelurahan=body.kelurahan,
        granted_by=admin.username,
    )
    conn.commit()
    return _as_json(accounts.user_row(conn, body.username))


@admin_router.patch("/users/{username}", summary="Disable, enable or reset the password (admin)")
def change_user(username: str, body: UserChange, conn: ConnectionDep) -> dict[str, Any]:
    """Disabling ends the account's sessions and stops its tokens at once."""
    if body.password is not None:
        accounts.set_password(conn, username, body.password)
    if body.disabled is not None:
        accounts.set_disabled(conn, username, body.disabled)
    conn.commit()
    return _as_json(accounts.user_row(conn, username))


@admin_router.put(
    "/users/{username}/kelurahan/{code}",
    summary="Let a PIC edit a desa/kelurahan (admin)",
)
def grant_kelurahan(
    username: str, code: str, admin: AdminUser, conn: ConnectionDep
) -> dict[str, Any]:
    """Idempotent: granting twice changes nothing."""
    accounts.grant(conn, username, [code], granted_by=admin.username)
    conn.commit()
    return _as_json(accounts.user_row(conn, username))


@admin_router.delete(
    "/users/{username}/kelurahan/{code}",
    summary="Take a desa/kelurahan away from a PIC (admin)",
)
def revoke_kelurahan(username: str, code: str, conn: ConnectionDep) -> dict[str, Any]:
    """The PIC can no longer edit its points (the points stay)."""
    accounts.revoke(conn, username, [code])
    conn.commit()
    return _as_json(accounts.user_row(conn, username))


@router.post("/auth/password", status_code=204, summary="Change one's own password")
def change_password(
    user: CurrentUser, conn: ConnectionDep, body: Annotated[PasswordChange, Body()]
) -> Response:
    """Signs the account out of every browser session (tokens keep working)."""
    auth.change_own_password(conn, user, body.current, body.new)
    conn.commit()
    return Response(status_code=204)
