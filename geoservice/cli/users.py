"""``geoservice users …`` (accounts, roles, kelurahan grants) and ``geoservice tokens …``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from geoservice.cli.common import console, fail, migrated_engine, out
from geoservice.settings import Settings

users_app = typer.Typer(help="Accounts, roles and kelurahan grants.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for scripts and QGIS.", no_args_is_help=True)


KelurahanOption = Annotated[
    list[str] | None,
    typer.Option("--kelurahan", "-k", help="Kemendagri code of a desa/kelurahan (repeatable)."),
]
PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _accounts(action: Callable[[Any], Any]) -> Any:
    """Run ``action(conn)`` in one transaction; a ServiceError exits 1 with its message."""
    from geoservice.errors import ServiceError

    engine = migrated_engine(Settings())
    try:
        with engine.begin() as conn:
            return action(conn)
    except ServiceError as exc:
        raise fail(exc.detail(Settings().language)) from exc


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, pic or planner.")],
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    kelurahan: KelurahanOption = None,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Create an account (a PIC with the kelurahan it may edit)."""
    from geoservice.services.accounts import add_user

    password = _read_password(password_stdin)
    _accounts(
        lambda c: add_user(
            c, username, role, password, full_name=name, kelurahan=kelurahan or [], granted_by="cli"
        )
    )
    console.print(f"user {username} ({role}) created")


@users_app.command("list")
def users_list() -> None:
    """Every account with its role, kelurahan and state."""
    from geoservice.services.accounts import list_users

    table = Table("username", "name", "role", "kelurahan", "state")
    for user in _accounts(list_users):
        table.add_row(
            user.username,
            user.full_name or "",
            user.role,
            ", ".join(user.kelurahan),
            "disabled" if user.disabled else "active",
        )
    out.print(table)


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account: its sessions end and its tokens stop working."""
    from geoservice.services.accounts import set_disabled

    _accounts(lambda c: set_disabled(c, username, True))
    console.print(f"user {username} disabled")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled account again."""
    from geoservice.services.accounts import set_disabled

    _accounts(lambda c: set_disabled(c, username, False))
    console.print(f"user {username} enabled")


@users_app.command("set-password")
def users_set_password(username: str, password_stdin: PasswordStdinOption = False) -> None:
    """Set a new password (the account's web sessions end)."""
    from geoservice.services.accounts import set_password

    password = _read_password(password_stdin)
    _accounts(lambda c: set_password(c, username, password))
    console.print(f"password of {username} changed")


@users_app.command("grant")
def users_grant(username: str, codes: Annotated[list[str], typer.Argument()]) -> None:
    """Let a PIC edit these desa/kelurahan."""
    from geoservice.services.accounts import grant

    added = _accounts(lambda c: grant(c, username, codes, granted_by="cli"))
    console.print(f"{username} may now edit {', '.join(codes)} ({len(added)} new)")


@users_app.command("revoke")
def users_revoke(username: str, codes: Annotated[list[str], typer.Argument()]) -> None:
    """Take desa/kelurahan away from a PIC."""
    from geoservice.services.accounts import revoke

    removed = _accounts(lambda c: revoke(c, username, codes))
    console.print(f"{username} no longer edits {', '.join(removed) or '(none of them)'}")


@tokens_app.command("create")
def tokens_create(
    username: str,
    name: Annotated[str, typer.Option(help="What it is for, e.g. QGIS.")] = "token",
    days: Annotated[
        int | None, typer.Option(help="Lifetime in days (0 = no expiry; default from settings).")
    ] = None,
) -> None:
    """Create a bearer token; the secret is printed once, on standard output."""
    from geoservice.services.auth import create_token

    settings = Settings()
    token_id, secret = _accounts(lambda c: create_token(c, settings, username, name, days))
    console.print(f"token {token_id} for {username} (shown once; keep it secret):")
    out.print(secret, highlight=False)


@tokens_app.command("list")
def tokens_list(username: Annotated[str | None, typer.Argument()] = None) -> None:
    """Tokens of one user or of everyone (never their secrets)."""
    from geoservice.services.auth import list_tokens

    table = Table("id", "user", "name", "created", "expires", "last used", "state")
    for row in _accounts(lambda c: list_tokens(c, username)):
        table.add_row(
            str(row.id),
            row.username,
            row.name,
            f"{row.created_at:%Y-%m-%d}",
            f"{row.expires_at:%Y-%m-%d}" if row.expires_at else "never",
            f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "-",
            "revoked" if row.revoked else "active",
        )
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke a token: it stops working at once."""
    from geoservice.services.auth import revoke_token

    _accounts(lambda c: revoke_token(c, token_id))
    console.print(f"token {token_id} revoked")
