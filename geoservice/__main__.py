"""Entry point of ``geoservice`` and ``python -m geoservice``; the commands are in
:mod:`geoservice.cli`."""

from __future__ import annotations

import logging
import sys

from geoservice.cli import app
from geoservice.cli.common import argv_lang, console, database_went_away


def main() -> None:
    """Run the command line; a database lost mid-command is one line and exit 1."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if not database_went_away(exc):
            raise
        # every command writes in one transaction: a lost connection rolled it back
        from geoservice.i18n import t

        lang = argv_lang()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        message = t("cli.database_lost", lang, reason=reason[0] if reason else type(exc).__name__)
        console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
