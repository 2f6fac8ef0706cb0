"""The ``geoservice`` command: ``serve | db | migrate | import | load-demo | validate-layers |
users | tokens | backup | restore | assets``, one module per command group.

Commands parse arguments, call the services and print results; they hold no domain logic.
"""

from __future__ import annotations

import typer

from geoservice.cli import assets, backup, db, imports, layers, profiles, rasters, serve, users

app = typer.Typer(
    help="geoservice: kelurahan boundaries and facility layers on PostGIS.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# the order of `geoservice --help`: the commands, then the groups
app.command()(db.migrate)
app.command("validate-layers")(layers.validate_layers)
app.command("load-demo")(imports.load_demo_cmd)
app.command("backup")(backup.backup_cmd)
app.command("restore")(backup.restore_cmd)
app.command()(serve.serve)
app.add_typer(db.app, name="db")
imports.app.command("profile-form")(profiles.import_profile_form_cmd)
imports.app.command("raster")(rasters.import_raster_cmd)
app.add_typer(imports.app, name="import")
app.add_typer(users.users_app, name="users")
app.add_typer(users.tokens_app, name="tokens")
app.add_typer(assets.app, name="assets")
