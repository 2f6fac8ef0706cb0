"""``geoservice import profile-form``: an XLSForm spreadsheet turned into a profile form YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoservice.cli.common import fail, out
from geoservice.settings import Settings


def import_profile_form_cmd(
    file: Annotated[Path, typer.Argument(help="XLSForm spreadsheet (.xlsx) of a profile form.")],
    layers_dir: Annotated[
        Path | None, typer.Option(help="Layers folder (the form goes to its profiles/).")
    ] = None,
    check: Annotated[bool, typer.Option(help="Only check the spreadsheet; write nothing.")] = False,
) -> None:
    """Check an XLSForm and write it as layers/profiles/<form_id>.yaml (the service picks it up)."""
    from geoservice.catalog import CatalogError, load_catalog
    from geoservice.services.profiles.forms import PROFILE_FOLDER
    from geoservice.services.profiles.xlsform import form_yaml, read_xlsform

    folder = layers_dir or Settings().layers_dir
    try:
        form = read_xlsform(file, load_catalog(folder))
    except CatalogError as exc:
        raise fail(str(exc)) from exc
    target = folder / PROFILE_FOLDER / f"{form.id}.yaml"
    fields = len(form.fields)
    if check:
        out.print(f"{file}: profile form {form.id} is valid ({fields} field(s)); nothing written")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(form_yaml(form, file.name), encoding="utf-8")
    out.print(f"profile form {form.id} ({fields} field(s)) written to {target}")
