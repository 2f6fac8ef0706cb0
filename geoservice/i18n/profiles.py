"""The kelurahan profile (``profile.*``): value checks, the form and period of a request, the
workflow and the differences with the map. Plain sentences for a kelurahan PIC."""

from __future__ import annotations

from geoservice.i18n.language import Messages

#: the message of a value that is not of its field's type, per field type
TYPE_MESSAGES = {
    "integer": "profile.type.integer",
    "decimal": "profile.type.decimal",
    "text": "profile.type.text",
    "yes_no": "profile.type.yes_no",
    "date": "profile.type.date",
}

MESSAGES: Messages = {
    "profile.invalid": {"id": "{field}: {message}", "en": "{field}: {message}"},
    "profile.unknown": {
        "id": "isian ini tidak ada dalam formulir.",
        "en": "this field is not part of the form.",
    },
    "profile.derived": {
        "id": "angka ini dihitung otomatis dari peta dan data lain, jadi tidak perlu diisi.",
        "en": "this figure is computed from the map and other data; it is not filled in.",
    },
    "profile.required": {"id": "wajib diisi.", "en": "is required."},
    "profile.type.integer": {
        "id": "isi dengan bilangan bulat, misalnya 12.",
        "en": "enter a whole number, for example 12.",
    },
    "profile.type.decimal": {
        "id": "isi dengan angka, misalnya 2,5.",
        "en": "enter a number, for example 2.5.",
    },
    "profile.type.text": {"id": "isi dengan teks.", "en": "enter text."},
    "profile.type.yes_no": {"id": "pilih ya atau tidak.", "en": "choose yes or no."},
    "profile.type.date": {
        "id": "isi dengan tanggal, misalnya 2025-08-17.",
        "en": "enter a date, for example 2025-08-17.",
    },
    "profile.min": {"id": "paling sedikit {limit}.", "en": "must be at least {limit}."},
    "profile.max": {"id": "paling banyak {limit}.", "en": "must be at most {limit}."},
    "profile.max_length": {
        "id": "paling banyak {limit} karakter.",
        "en": "takes at most {limit} characters.",
    },
    "profile.control": {
        "id": "berisi karakter tersembunyi yang tidak bisa disimpan; ketik ulang isiannya.",
        "en": "holds hidden characters that cannot be stored; type it again.",
    },
    "profile.choice": {
        "id": "pilih salah satu dari: {choices}.",
        "en": "choose one of: {choices}.",
    },
    "profile.choices": {
        "id": "pilih satu atau lebih dari: {choices}.",
        "en": "choose one or more of: {choices}.",
    },
    "profile.constraint": {
        "id": "isiannya tidak memenuhi aturan formulir.",
        "en": "the value breaks a rule of the form.",
    },
    "profile.form_unknown": {
        "id": "Formulir profil \u201c{form}\u201d tidak ada. Formulir yang ada: {forms}.",
        "en": "There is no profile form \u201c{form}\u201d. The forms are: {forms}.",
    },
    "profile.kelurahan_unknown": {
        "id": "Desa/kelurahan dengan kode {code} tidak ada.",
        "en": "There is no desa/kelurahan with code {code}.",
    },
    "profile.period": {
        "id": "Periode \u201c{period}\u201d tidak sesuai dengan formulir ini; tulis periodenya "
        "seperti {example}.",
        "en": "Period \u201c{period}\u201d does not fit this form; write it like {example}.",
    },
    "profile.not_your_kelurahan": {
        "id": "Anda tidak dapat mengubah profil desa/kelurahan {code}; yang dapat Anda ubah: "
        "{yours}.",
        "en": "You cannot change the profile of desa/kelurahan {code}; yours: {yours}.",
    },
    "profile.review_only": {
        "id": "Hanya walidata (admin) yang dapat memverifikasi atau menolak profil.",
        "en": "Only the walidata (admin) verifies or rejects a profile.",
    },
    "profile.not_found": {
        "id": "Profil {form} desa/kelurahan {code} periode {period} belum pernah diisi.",
        "en": "The {form} profile of desa/kelurahan {code} for {period} has not been filled in.",
    },
    "profile.body": {
        "id": 'Kirim objek JSON seperti {{"values": {{"jumlah_rt": 19}}}}.',
        "en": 'Send a JSON object such as {{"values": {{"jumlah_rt": 19}}}}.',
    },
    "profile.transition": {
        "id": "Profil berstatus {status} tidak dapat di-{step}; hanya dari status: {allowed}.",
        "en": "A profile in status {status} cannot be {step}ed; only from: {allowed}.",
    },
    "profile.reason_missing": {
        "id": "Tuliskan alasan penolakan agar PIC tahu apa yang harus diperbaiki.",
        "en": "Write the reason for the rejection, so the PIC knows what to fix.",
    },
    "profile.difference": {
        "id": "{typed_title} diisi {typed}, sedangkan di peta ada {derived} ({derived_title}); "
        "mohon periksa atau jelaskan selisihnya.",
        "en": "{typed_title} is {typed}, while the map holds {derived} ({derived_title}); "
        "please check or explain the difference.",
    },
}
