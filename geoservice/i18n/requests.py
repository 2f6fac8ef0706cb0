"""Request validation: one sentence per pydantic error type, and the API's fields as people
call them."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    # request validation (geoservice/web/validation.py): one sentence per problem
    "request.invalid": {
        "id": "{field}: nilainya tidak sesuai.",
        "en": "{field}: the value is not valid.",
    },
    "request.missing": {"id": "{field} wajib diisi.", "en": "{field} is required."},
    "request.string_pattern_mismatch": {
        "id": "{field}: bentuknya tidak sesuai.",
        "en": "{field}: not in the expected form.",
    },
    "request.kelurahan_code": {
        "id": "\u201c{value}\u201d bukan kode Kemendagri sebuah desa/kelurahan; bentuknya seperti "
        "35.71.01.1001.",
        "en": "\u201c{value}\u201d is not the Kemendagri code of a desa/kelurahan; it looks like "
        "35.71.01.1001.",
    },
    "request.string_too_short": {
        "id": "{field} minimal {min_length} karakter.",
        "en": "{field} needs at least {min_length} characters.",
    },
    "request.string_too_long": {
        "id": "{field} paling banyak {max_length} karakter.",
        "en": "{field} takes at most {max_length} characters.",
    },
    "request.string_type": {"id": "{field} harus berupa teks.", "en": "{field} must be text."},
    "request.int_parsing": {
        "id": "{field} harus berupa bilangan bulat.",
        "en": "{field} must be a whole number.",
    },
    "request.int_type": {
        "id": "{field} harus berupa bilangan bulat.",
        "en": "{field} must be a whole number.",
    },
    "request.int_from_float": {
        "id": "{field} harus berupa bilangan bulat.",
        "en": "{field} must be a whole number.",
    },
    "request.float_parsing": {
        "id": "{field} harus berupa angka.",
        "en": "{field} must be a number.",
    },
    "request.float_type": {"id": "{field} harus berupa angka.", "en": "{field} must be a number."},
    "request.bool_parsing": {
        "id": "{field} harus ya (true) atau tidak (false).",
        "en": "{field} must be yes (true) or no (false).",
    },
    "request.bool_type": {
        "id": "{field} harus ya (true) atau tidak (false).",
        "en": "{field} must be yes (true) or no (false).",
    },
    "request.literal_error": {
        "id": "{field}: pilih salah satu dari {expected}.",
        "en": "{field}: choose one of {expected}.",
    },
    "request.greater_than_equal": {
        "id": "{field} minimal {ge}.",
        "en": "{field} must be at least {ge}.",
    },
    "request.less_than_equal": {
        "id": "{field} maksimal {le}.",
        "en": "{field} must be at most {le}.",
    },
    "request.greater_than": {
        "id": "{field} harus lebih dari {gt}.",
        "en": "{field} must be more than {gt}.",
    },
    "request.less_than": {
        "id": "{field} harus kurang dari {lt}.",
        "en": "{field} must be less than {lt}.",
    },
    "request.json_invalid": {
        "id": "Isi permintaan bukan JSON yang sah.",
        "en": "The request body is not valid JSON.",
    },
    "request.list_type": {"id": "{field} harus berupa daftar.", "en": "{field} must be a list."},
    "request.dict_type": {
        "id": "{field} harus berupa objek JSON.",
        "en": "{field} must be a JSON object.",
    },
    "request.model_attributes_type": {
        "id": "Isi permintaan harus berupa objek JSON.",
        "en": "The request body must be a JSON object.",
    },
    # fields of the API's request bodies and parameters, as people call them
    "field.username": {"id": "Nama pengguna", "en": "Username"},
    "field.password": {"id": "Kata sandi", "en": "Password"},
    "field.full_name": {"id": "Nama lengkap", "en": "Full name"},
    "field.role": {"id": "Peran", "en": "Role"},
    "field.kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "field.reason": {"id": "Alasan penolakan", "en": "Reason for rejection"},
    "field.name": {"id": "Nama", "en": "Name"},
    "field.days": {"id": "Masa berlaku (hari)", "en": "Lifetime (days)"},
    "field.current": {"id": "Kata sandi sekarang", "en": "Current password"},
    "field.new": {"id": "Kata sandi baru", "en": "New password"},
    "field.disabled": {"id": "Nonaktif", "en": "Disabled"},
    "field.file": {"id": "Berkas", "en": "File"},
    "field.period": {"id": "Periode", "en": "Period"},
}

#: pydantic's error types that have a sentence of their own; any other is ``request.invalid``.
#: (``request.kelurahan_code`` is chosen by the field, not by the type.)
REQUEST_ERRORS: dict[str, str] = {
    "missing": "request.missing",
    "string_pattern_mismatch": "request.string_pattern_mismatch",
    "string_too_short": "request.string_too_short",
    "string_too_long": "request.string_too_long",
    "string_type": "request.string_type",
    "int_parsing": "request.int_parsing",
    "int_type": "request.int_type",
    "int_from_float": "request.int_from_float",
    "float_parsing": "request.float_parsing",
    "float_type": "request.float_type",
    "bool_parsing": "request.bool_parsing",
    "bool_type": "request.bool_type",
    "literal_error": "request.literal_error",
    "greater_than_equal": "request.greater_than_equal",
    "less_than_equal": "request.less_than_equal",
    "greater_than": "request.greater_than",
    "less_than": "request.less_than",
    "json_invalid": "request.json_invalid",
    "list_type": "request.list_type",
    "dict_type": "request.dict_type",
    "model_attributes_type": "request.model_attributes_type",
}

#: The API's fields (the last name of a validation error's ``loc``) that have a title; any
#: other is shown by its name in quotes.
FIELD_TITLES: dict[str, str] = {
    "username": "field.username",
    "password": "field.password",
    "full_name": "field.full_name",
    "role": "field.role",
    "kelurahan": "field.kelurahan",
    "reason": "field.reason",
    "name": "field.name",
    "days": "field.days",
    "current": "field.current",
    "new": "field.new",
    "disabled": "field.disabled",
    "file": "field.file",
    "period": "field.period",
}
