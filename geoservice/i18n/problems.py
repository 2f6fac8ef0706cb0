"""Titles and details of the HTTP problems any endpoint may answer with, and the limits on
request bodies."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    # generic HTTP problems
    "not_found.title": {"id": "Tidak ditemukan", "en": "Not found"},
    "not_found.path": {
        "id": "Alamat {path} tidak ada di layanan ini.",
        "en": "There is no {path} on this service.",
    },
    "bad_request.title": {"id": "Permintaan tidak valid", "en": "Bad request"},
    "bad_request.detail": {
        "id": "Permintaan tidak valid. {detail}",
        "en": "Invalid request. {detail}",
    },
    "bad_request.nul_text": {
        "id": "Teks yang dikirim memuat karakter NUL (0x00), yang tidak dapat disimpan.",
        "en": "The text sent contains a NUL character (0x00), which cannot be stored.",
    },
    "bad_request.nul": {
        "id": "Parameter {name} memuat karakter NUL (0x00), yang tidak dapat dicari.",
        "en": "Parameter {name} contains a NUL character (0x00), which cannot be searched.",
    },
    "input.json_depth": {
        "id": "Isi permintaan bersarang lebih dari {limit} tingkat.",
        "en": "The body nests deeper than {limit} levels.",
    },
    "input.digits": {
        "id": "Isi permintaan memuat bilangan bulat lebih dari {limit} digit.",
        "en": "The body holds an integer of more than {limit} digits.",
    },
    "input.surrogate": {
        "id": "'{field}' memuat separuh pasangan surrogate UTF-16 (mis. \\ud800), yang bukan "
        "teks yang dapat disimpan.",
        "en": "'{field}' holds half of a UTF-16 surrogate pair (such as \\ud800), which is not "
        "text that can be stored.",
    },
    "input.cql2_clauses": {
        "id": "filter CQL2 memuat lebih dari {limit} klausa",
        "en": "the CQL2 filter has more than {limit} clauses",
    },
    "input.cql2_depth": {
        "id": "filter CQL2 bersarang lebih dari {limit} tingkat",
        "en": "the CQL2 filter nests deeper than {limit} levels",
    },
    "service_busy.title": {"id": "Layanan sedang sibuk", "en": "Service busy"},
    "service_busy.detail": {
        "id": "Layanan sedang melayani terlalu banyak permintaan. Coba lagi dalam {seconds} detik.",
        "en": "The service is serving too many requests. Try again in {seconds} seconds.",
    },
    "validation_failed.title": {"id": "Data tidak valid", "en": "Invalid data"},
    "method_not_allowed.title": {"id": "Metode tidak diizinkan", "en": "Method not allowed"},
    "method_not_allowed.detail": {
        "id": "Metode {method} tidak tersedia untuk {path}.",
        "en": "Method {method} is not available for {path}.",
    },
    "http.detail": {"id": "{detail}", "en": "{detail}"},
    "internal_error.title": {"id": "Kesalahan internal", "en": "Internal error"},
    "internal_error.detail": {
        "id": "Terjadi kesalahan di server. Kejadian ini sudah dicatat.",
        "en": "Something went wrong on the server. It has been logged.",
    },
    "database_unavailable.title": {"id": "Basis data tidak tersedia", "en": "Database unavailable"},
    "database_unavailable.detail": {
        "id": "Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi.",
        "en": "The database cannot be reached at the moment. Try again shortly.",
    },
    # titles of the access and editing problems
    "unauthorized.title": {"id": "Perlu masuk (login)", "en": "Sign-in required"},
    "forbidden.title": {"id": "Tidak diizinkan", "en": "Forbidden"},
    "conflict.title": {"id": "Konflik dengan data yang ada", "en": "Conflict with existing data"},
    "precondition_failed.title": {
        "id": "Data sudah diubah orang lain",
        "en": "Changed by someone else",
    },
    "precondition_required.title": {
        "id": "Versi titik diperlukan",
        "en": "The point's version is required",
    },
    "payload_too_large.title": {"id": "Data terlalu besar", "en": "Payload too large"},
    "unsupported_media_type.title": {
        "id": "Jenis data tidak didukung",
        "en": "Unsupported media type",
    },
    "too_many_requests.title": {"id": "Terlalu banyak percobaan", "en": "Too many requests"},
    "invalid_fields.detail": {
        "id": "{count} isian tidak valid",
        "en": "{count} invalid field(s)",
    },
    "bad_request.host": {
        "id": "Layanan ini tidak melayani alamat (Host) yang diminta.",
        "en": "This service does not answer for the requested host name.",
    },
}
