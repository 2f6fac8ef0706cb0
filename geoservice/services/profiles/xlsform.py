"""Profile forms from and to XLSForm spreadsheets, so a walidata changes a form in Excel.

The spreadsheet is the XLSForm ODK and KoboToolbox users already write: ``survey`` (one row
per question; ``begin group`` / ``end group`` around each section), ``choices`` and
``settings``. pyxform reads it and checks it is a valid XLSForm; the columns XLSForm has no
word for are extra columns, which pyxform keeps:

============================  ===============================================================
``type``                      ``integer``, ``decimal``, ``text``, ``date``, ``select_one L``,
                              ``select_multiple L``; a ``select_one`` of a list whose values
                              are ``ya``/``tidak`` (or ``yes``/``no``) is a yes/no field
``name``, ``label::… (id)``   the field id and its title (``(en)`` columns for English)
``hint::… (id)``              the definition of the variable
``required``, ``constraint``, ``constraint_message::… (id)``, ``relevant``   as in XLSForm
``unit::… (id)``, ``kode_referensi``, ``visibility``, ``minimum``, ``maximum``,
``max_length``                the Satu Data metadata and ranges (extra columns)
``derived``, ``compares``     ``area_km2``, ``verified_points <layer>`` or ``indicator <code>``
                              (with ``read_only`` yes), and the typed field it checks
============================  ===============================================================

``settings``: ``form_id``, ``form_title`` (Indonesian), and the extra columns ``title_en``,
``description``, ``description_en``, ``period``, ``sample`` and ``metadata`` (the Satu Data
metadata block as JSON). Every mistake names the sheet,
the row and the column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from geoservice.catalog import CatalogError
from geoservice.services.profiles.forms import ProfileForm, reference_problems

if TYPE_CHECKING:
    from geoservice.catalog import Catalog

YES_NO_LISTS = ({"ya", "tidak"}, {"yes", "no"})
#: the columns of the ``survey`` sheet written by :func:`write_xlsform`, in order
SURVEY_COLUMNS = (
    "type", "name", "label::Bahasa Indonesia (id)", "label::English (en)",
    "hint::Bahasa Indonesia (id)", "hint::English (en)", "required", "relevant", "constraint",
    "constraint_message::Bahasa Indonesia (id)", "constraint_message::English (en)",
    "read_only", "unit::Bahasa Indonesia (id)", "unit::English (en)", "kode_referensi",
    "visibility", "minimum", "maximum", "max_length", "derived", "compares",
)  # fmt: skip
CHOICE_COLUMNS = ("list_name", "name", "label::Bahasa Indonesia (id)", "label::English (en)")
SETTINGS_COLUMNS = (
    "form_id", "form_title", "title_en", "description", "description_en", "period", "sample",
    "metadata",
)  # fmt: skip
_TYPES = {"integer", "decimal", "text", "date"}
_LANGUAGE = re.compile(r"^(?P<base>[a-z_]+)(?:::(?P<lang>.*))?$")


class XLSFormError(CatalogError):
    """The spreadsheet is not a profile form; the message names sheet, row and column."""


@dataclass(frozen=True)
class _Where:
    sheet: str
    row: int
    column: str

    def __str__(self) -> str:
        return f"sheet '{self.sheet}', row {self.row}, column '{self.column}'"


def _language(column: str) -> tuple[str, str | None]:
    """``label::English (en)`` -> (``label``, ``en``); ``label`` -> (``label``, ``id``)."""
    match = _LANGUAGE.match(column.strip().lower())
    if match is None:
        return column, None
    lang = match.group("lang")
    if lang is None:
        return match.group("base"), "id"
    code = re.search(r"\((\w+)\)\s*$", lang)
    word = (code.group(1) if code else lang).strip()
    if word in ("id", "indonesian", "bahasa indonesia", "indonesia"):
        return match.group("base"), "id"
    if word in ("en", "english"):
        return match.group("base"), "en"
    return match.group("base"), None


def _texts(row: Mapping[str, Any], base: str) -> dict[str, str] | None:
    """The ``{id, en}`` text of the ``base`` columns of a row (None when it has none)."""
    found: dict[str, str] = {}
    for column, value in row.items():
        name, lang = _language(column)
        if name == base and lang is not None and value not in (None, ""):
            found.setdefault(lang, str(value))
    if not found:
        return None
    if "id" not in found:
        found = {"id": found["en"], **found}
    return found


def _column_of(row: Mapping[str, Any], base: str) -> str:
    for column in row:
        if _language(column)[0] == base:
            return column
    return base


def _yes(value: Any) -> bool:
    return str(value).strip().lower() in ("yes", "ya", "true", "true()", "1", "y")


def read_xlsform(path: Path, catalog: Catalog | None = None) -> ProfileForm:
    """The profile form of the XLSForm at ``path``; :class:`XLSFormError` naming sheet, row and
    column of every mistake (with ``catalog``, also derived fields of unknown layers or
    indicators)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import parse_file_to_json
    from pyxform.xls2json_backends import xlsx_to_dict

    try:
        book = xlsx_to_dict(str(path))
    except PyXFormError as exc:
        raise XLSFormError(f"{path}: cannot be read as an XLSForm (.xlsx): {exc}") from exc
    for sheet in ("survey", "settings"):
        if sheet not in book:
            raise XLSFormError(f"{path}: sheet '{sheet}' is missing")
    try:
        parse_file_to_json(str(path), warnings=[])
    except PyXFormError as exc:  # an XLSForm mistake ODK would refuse too
        raise XLSFormError(f"{path}: not a valid XLSForm: {exc}") from exc
    data, rows = _to_form_data(path, book)
    try:
        form = ProfileForm.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc, message = err["loc"], _message(err)
            if len(loc) == 2 and loc[0] == "fields":  # a rule across keys: the likeliest column
                column = next((k for words, k in _GUESSES if words in message), "name")
                loc = (*loc, column)
            lines.append(f"{path}: {_locate(loc, rows)}: {message}")
        raise XLSFormError("\n".join(lines)) from exc
    problems = reference_problems(form, catalog) if catalog is not None else []
    if problems:
        raise XLSFormError("\n".join(
            f"{path}: {_locate(('fields', name, key), rows)}: {message}"
            for name, key, message in problems
        ))  # fmt: skip
    return form


#: words of a rule across keys, and the column to look at
_GUESSES = (
    ("minimum is greater", "maximum"), ("minimum/maximum", "minimum"),
    ("constraint_message", "constraint_message"), ("choices", "type"),
    ("max_length", "max_length"), ("derived", "derived"),
)  # fmt: skip


def _message(err: Mapping[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key (check its spelling)"
    if err["type"] == "missing":
        return "required value is missing"
    return str(err["msg"])


#: the form's keys and the columns they come from
_COLUMNS = {
    "title": "label", "definition": "hint", "unit": "unit",
    "constraint_message": "constraint_message",
}  # fmt: skip


def _locate(loc: tuple[Any, ...], rows: Mapping[str, tuple[int, Mapping[str, Any]]]) -> str:
    """Where a model error comes from: the row of its field and the column of its key."""
    parts = [str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "fields" and parts[1] in rows:
        row, cells = rows[parts[1]]
        part = parts[2] if len(parts) > 2 else "name"
        column = _column_of(cells, _COLUMNS.get(part, part))
        if part in ("section", "choices"):
            column = "type"
        elif part in ("layer", "indicator", "kind") or (part == "derived" and len(parts) > 3):
            column = "derived"
        return f"{_Where('survey', row, column)} ({parts[1]})"
    if parts and parts[0] in ("id", "title", "period", "sample", "description"):
        column = {"id": "form_id", "title": "form_title"}.get(parts[0], parts[0])
        return str(_Where("settings", 2, column))
    if parts and parts[0] == "fields":
        return "sheet 'survey'"
    return ".".join(parts) or "(form)"


def _to_form_data(
    path: Path, book: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[int, Mapping[str, Any]]]]:
    """The form as the dict the model reads, and each field's row (spreadsheet numbering)."""
    settings = (book.get("settings") or [{}])[0]

    def fail(where: _Where, message: str) -> XLSFormError:
        return XLSFormError(f"{path}: {where}: {message}")

    lists: dict[str, list[dict[str, Any]]] = {}
    for index, row in enumerate(book.get("choices") or []):
        if not row:
            continue
        list_name = str(row.get("list_name", "")).strip()
        label = _texts(row, "label")
        if label is None:
            raise fail(_Where("choices", index + 2, "label"), "a choice needs a label")
        lists.setdefault(list_name, []).append({"value": str(row.get("name", "")), "label": label})

    sections: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    rows: dict[str, tuple[int, Mapping[str, Any]]] = {}
    section: str | None = None
    for index, row in enumerate(book["survey"]):
        number = index + 2
        if not row:
            continue
        kind = " ".join(str(row.get("type", "")).split()).lower()
        name = str(row.get("name", "")).strip()
        if kind in ("begin group", "begin_group"):
            if section is not None:
                raise fail(_Where("survey", number, "type"), "a section inside a section")
            title = _texts(row, "label")
            if title is None:
                raise fail(_Where("survey", number, "label"), "a section needs a label")
            section = name
            sections[name] = {"title": title}
            continue
        if kind in ("end group", "end_group"):
            section = None
            continue
        if section is None:
            raise fail(
                _Where("survey", number, "type"),
                f"'{name}' lies outside every section (put it between begin group and end group)",
            )
        item: dict[str, Any] = {"section": section}
        base, _, list_name = kind.partition(" ")
        if base in _TYPES and not list_name:
            item["type"] = base
        elif base in ("select_one", "select_multiple") and list_name:
            choices = lists.get(list_name)
            if choices is None:
                raise fail(_Where("survey", number, "type"), f"no choices list '{list_name}'")
            values = {c["value"].lower() for c in choices}
            if base == "select_one" and values in YES_NO_LISTS:
                item["type"] = "yes_no"
            else:
                item["type"] = base
                item["choices"] = choices
        else:
            raise fail(
                _Where("survey", number, "type"),
                f"type '{kind}' is not one of integer, decimal, text, date, select_one <list>, "
                "select_multiple <list>",
            )
        for key, base_column in _COLUMNS.items():
            text = _texts(row, base_column)
            if text is not None:
                item[key] = text
        for key in ("constraint", "relevant", "kode_referensi", "visibility"):
            if row.get(key) not in (None, ""):
                item[key] = str(row[key]).strip()
        if row.get("required") not in (None, "") and _yes(row["required"]):
            item["required"] = True
        for key in ("minimum", "maximum", "max_length"):
            if row.get(key) not in (None, ""):
                try:
                    number_value = float(str(row[key]).replace(",", "."))
                except ValueError as exc:
                    raise fail(_Where("survey", number, key), "not a number") from exc
                item[key] = int(number_value) if key == "max_length" else number_value
        if row.get("derived") not in (None, ""):
            derived_kind, _, argument = str(row["derived"]).strip().partition(" ")
            derived: dict[str, Any] = {"kind": derived_kind}
            if derived_kind == "verified_points":
                derived["layer"] = argument.strip()
            elif derived_kind == "indicator":
                derived["indicator"] = argument.strip()
            if row.get("compares") not in (None, ""):
                derived["compares"] = str(row["compares"]).strip()
            item["derived"] = derived
        if name in fields:
            raise fail(_Where("survey", number, "name"), f"'{name}' is used twice")
        fields[name] = item
        rows[name] = (number, row)

    data: dict[str, Any] = {
        "id": str(settings.get("form_id", "")).strip(),
        "title": {"id": str(settings.get("form_title", "")).strip()},
        "sections": sections,
        "fields": fields,
    }
    if settings.get("title_en"):
        data["title"]["en"] = str(settings["title_en"])
    if settings.get("description"):
        data["description"] = {"id": str(settings["description"])}
        if settings.get("description_en"):
            data["description"]["en"] = str(settings["description_en"])
    if settings.get("period"):
        data["period"] = str(settings["period"]).strip()
    if settings.get("sample") not in (None, ""):
        data["sample"] = _yes(settings["sample"])
    if settings.get("metadata") not in (None, ""):
        # the Satu Data metadata block as JSON (XLSForm has no place for it); the form
        # model checks it like the YAML's
        try:
            data["metadata"] = json.loads(str(settings["metadata"]))
        except ValueError:
            data["metadata"] = str(settings["metadata"])
    return data, rows


def _metadata_cell(form: ProfileForm) -> str | None:
    """The form's ``metadata:`` block as JSON for the settings sheet."""
    if form.metadata is None:
        return None
    return json.dumps(form.metadata.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


def form_yaml(form: ProfileForm, source: str | None = None) -> str:
    """The YAML file of ``form`` (``layers/profiles/<id>.yaml``), defaults left out."""
    data = form.model_dump(mode="json", exclude_defaults=True)
    head = f"# Imported from the XLSForm {source}; edit the spreadsheet and import it again.\n"
    return (head if source else "") + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_xlsform(form: ProfileForm, path: Path) -> None:
    """``form`` as an XLSForm spreadsheet (what :func:`read_xlsform` reads back)."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(list(SURVEY_COLUMNS))
    choices = book.create_sheet("choices")
    choices.append(list(CHOICE_COLUMNS))
    settings = book.create_sheet("settings")
    settings.append(list(SETTINGS_COLUMNS))
    description = form.description
    settings.append([
        form.id, form.title.id, form.title.en, description.id if description else None,
        description.en if description else None, form.period, "yes" if form.sample else "no",
        _metadata_cell(form),
    ])  # fmt: skip
    if any(f.type == "yes_no" for f in form.fields.values()):
        for value, id_label, en_label in (("ya", "Ya", "Yes"), ("tidak", "Tidak", "No")):
            choices.append(["ya_tidak", value, id_label, en_label])
    for section_id, section in form.sections.items():
        survey.append(["begin group", section_id, section.title.id, section.title.en])
        for name, item in form.fields.items():
            if item.section != section_id:
                continue
            kind: str = item.type
            if item.type == "yes_no":
                kind = "select_one ya_tidak"
            elif item.choices is not None:
                kind = f"{item.type} {name}"
                for choice in item.choices:
                    choices.append([name, choice.value, choice.label.id, choice.label.en])
            derived = item.derived
            derived_text = None
            if derived is not None:
                derived_text = " ".join(
                    part for part in (derived.kind, derived.layer or derived.indicator) if part
                )
            cells: dict[str, Any] = {
                "type": kind,
                "name": name,
                "required": "yes" if item.required else None,
                "relevant": item.relevant,
                "constraint": item.constraint,
                "read_only": "yes" if derived is not None else None,
                "kode_referensi": item.kode_referensi,
                "visibility": item.visibility if item.visibility != "public" else None,
                "minimum": _cell(item.minimum),
                "maximum": _cell(item.maximum),
                "max_length": item.max_length,
                "derived": derived_text,
                "compares": derived.compares if derived is not None else None,
            }
            for key, base in _COLUMNS.items():
                text = getattr(item, key)
                cells[f"{base}::Bahasa Indonesia (id)"] = text.id if text else None
                cells[f"{base}::English (en)"] = text.en if text else None
            survey.append([cells.get(column) for column in SURVEY_COLUMNS])
        survey.append(["end group"])
    book.save(path)
