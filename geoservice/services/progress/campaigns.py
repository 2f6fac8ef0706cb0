"""Data collection campaigns ("kegiatan pendataan") as data: ``layers/campaigns/<id>.yaml``.

A campaign says what the walidata asks for (the points of a layer, or a profile form), from
which desa/kelurahan (``scope``: code prefixes; every one in the database by default), how many
(``expected``: a number, or a field of the kelurahan's last verified profile such as
``jumlah_rt``; without it, at least one), by when (``due`` plus ``timely_days`` of grace) and
how often it must be refreshed (``frekuensi``). Files are strict like layer files, and a
campaign naming an unknown layer, form or field is an error at start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from geoservice.catalog import IDENTIFIER, CatalogError, LocalizedText
from geoservice.catalog.loading import _load_model
from geoservice.catalog.models import _Strict

if TYPE_CHECKING:
    from geoservice.catalog import Catalog

#: Where campaign files live, inside the layers folder.
CAMPAIGN_FOLDER = "campaigns"
Frekuensi = Literal["yearly", "semester", "quarterly", "monthly"]
#: the days after which a verified change stops being fresh, per frekuensi (twice: stale)
FRESH_DAYS: dict[str, int] = {"yearly": 365, "semester": 182, "quarterly": 91, "monthly": 30}
_SCOPE = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[123][0-9]{3})?)?)?$"


class FromProfile(_Strict):
    """An expected count read from the kelurahan's last verified profile."""

    from_profile: Annotated[str, StringConstraints(pattern=IDENTIFIER)]
    #: the form holding the field; by default the one form that has it
    form: Annotated[str, StringConstraints(pattern=IDENTIFIER)] | None = None


class Numbering(_Strict):
    """Numbered points (RT within RW): gaps and doubles go to the quality queue."""

    #: the attribute with the number (``rt``)
    number: Annotated[str, StringConstraints(pattern=IDENTIFIER)]
    #: the attribute of the group the number counts within (``rw``)
    within: Annotated[str, StringConstraints(pattern=IDENTIFIER)] | None = None
    #: the profile field with the number of groups (``jumlah_rw``)
    within_expected: Annotated[str, StringConstraints(pattern=IDENTIFIER)] | None = None


class Campaign(_Strict):
    """One campaign, as declared in ``layers/campaigns/<id>.yaml``."""

    id: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=60)]
    title: LocalizedText
    description: LocalizedText | None = None
    #: a layer id or a profile form id
    target: Annotated[str, StringConstraints(pattern=IDENTIFIER)]
    #: code prefixes of the desa/kelurahan that must deliver; empty: all in the database
    scope: list[Annotated[str, StringConstraints(pattern=_SCOPE)]] = Field(default_factory=list)
    expected: Annotated[int, Field(ge=0, le=100_000)] | FromProfile | None = None
    due: dt.date
    timely_days: int = Field(default=0, ge=0, le=366)
    frekuensi: Frekuensi = "yearly"
    #: the period of a profile campaign (its form's current period by default)
    period: Annotated[str, StringConstraints(max_length=20)] | None = None
    numbering: Numbering | None = None
    #: invented (the demo's): pages say so
    sample: bool = False

    @model_validator(mode="after")
    def _numbering_within(self) -> Campaign:
        if self.numbering and self.numbering.within_expected and not self.numbering.within:
            raise ValueError("numbering.within_expected needs numbering.within")
        return self

    @property
    def deadline(self) -> dt.date:
        """The last day that still counts as on time."""
        return self.due + dt.timedelta(days=self.timely_days)

    def kind(self, catalog: Catalog) -> Literal["layer", "profile"]:
        """Whether the campaign collects points of a layer or a profile form."""
        return "layer" if self.target in catalog.layers else "profile"

    def expected_form(self, catalog: Catalog) -> str | None:
        """The form whose verified values give the expected counts (None: no such field)."""
        if isinstance(self.expected, FromProfile):
            return self.expected.form or _forms_with(catalog, self.expected.from_profile)[0]
        if self.numbering and self.numbering.within_expected:
            return _forms_with(catalog, self.numbering.within_expected)[0]
        return None

    def profile_period(self, catalog: Catalog, today: dt.date | None = None) -> str | None:
        """The period a profile campaign asks for."""
        form = catalog.profiles.get(self.target)
        if form is None:
            return None
        return self.period or form.current_period(today)


def _forms_with(catalog: Catalog, field: str) -> list[str]:
    return [f.id for f in catalog.profiles.values() if field in f.fields]


def load_campaign(path: Path) -> Campaign:
    """One campaign file, validated."""
    return _load_model(path, Campaign, "campaign", "id")


def check_references(c: Campaign, catalog: Catalog, path: Path) -> list[str]:
    """What ``c`` names that the catalog lacks: target, profile fields, numbering attributes."""
    errors: list[str] = []
    where = f"{path}: "
    layer = catalog.layers.get(c.target)
    form = catalog.profiles.get(c.target)
    if layer is None and form is None:
        known = ", ".join([*catalog.layers, *catalog.profiles])
        errors.append(f"{where}target: '{c.target}' is neither a layer nor a form ({known})")
    if form is not None and c.period is not None and not form.period_valid(c.period):
        errors.append(f"{where}period: '{c.period}' is not a {form.period} period of the form")
    profile_fields = []
    if isinstance(c.expected, FromProfile):
        profile_fields.append(("expected.from_profile", c.expected.from_profile, c.expected.form))
    if c.numbering is not None:
        if layer is None:
            errors.append(f"{where}numbering: applies to a layer target only")
        else:
            for key in ("number", "within"):
                name = getattr(c.numbering, key)
                attr = layer.attributes.get(name) if name else None
                if name and (attr is None or attr.type != "integer"):
                    errors.append(f"{where}numbering.{key}: '{name}' is not an integer attribute")
        if c.numbering.within_expected:
            profile_fields.append(("numbering.within_expected", c.numbering.within_expected, None))
    for key, name, form_id in profile_fields:
        forms = [form_id] if form_id else _forms_with(catalog, name)
        holder = catalog.profiles.get(forms[0]) if len(forms) == 1 else None
        if holder is None or name not in holder.fields:
            errors.append(f"{where}{key}: no single profile form has the field '{name}'")
        elif holder.fields[name].type != "integer":
            errors.append(f"{where}{key}: '{name}' is not an integer field")
    return errors


def load_campaigns(folder: Path, catalog: Catalog) -> tuple[dict[str, Campaign], list[str]]:
    """Every campaign of ``folder`` (none when it does not exist) and the errors of all files.
    Two campaigns may not share a target: the figures are keyed by it."""
    campaigns: dict[str, Campaign] = {}
    errors: list[str] = []
    targets: dict[str, str] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            campaign = load_campaign(path)
        except CatalogError as exc:
            errors.append(str(exc))
            continue
        found = check_references(campaign, catalog, path)
        if campaign.target in targets:
            found.append(f"{path}: target: '{campaign.target}' has a campaign already "
                         f"({targets[campaign.target]})")  # fmt: skip
        errors += found
        if not found:
            targets[campaign.target] = campaign.id
            campaigns[campaign.id] = campaign
    return campaigns, errors


def scope_patterns(c: Campaign) -> str:
    """The campaign's scope as LIKE patterns joined by ``|`` (one bound value per campaign)."""
    prefixes = c.scope or [""]
    return "|".join(p + ("." if p and len(p) < 13 else "") + "%" for p in prefixes)
