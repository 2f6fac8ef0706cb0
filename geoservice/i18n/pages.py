"""Finding a kelurahan, and the map pages."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    # finding a kelurahan; the map pages
    "search.query": {
        "id": "Kata pencarian harus {minimum} sampai {maximum} karakter: sebagian nama "
        "kelurahan (mis. bandar) atau awalan kode (mis. 35.71.01).",
        "en": "The search text must be {minimum} to {maximum} characters: part of a "
        "kelurahan name (e.g. bandar) or a code prefix (e.g. 35.71.01).",
    },
    "search.limit": {
        "id": "limit harus bilangan bulat 1 sampai {maximum}.",
        "en": "limit must be a whole number from 1 to {maximum}.",
    },
    "search.at": {
        "id": "at '{value}' tidak valid: gunakan bujur,lintang dalam derajat (CRS84), "
        "mis. 112.0098,-7.8120",
        "en": "invalid at '{value}': use longitude,latitude in degrees (CRS84), "
        "e.g. 112.0098,-7.8120",
    },
    "search.query_or_at": {
        "id": "Berikan salah satu: q (nama atau kode) atau at (bujur,lintang), tidak keduanya.",
        "en": "Give one of q (a name or code) and at (longitude,latitude), not both.",
    },
    "search.unknown_kelurahan": {
        "id": "Tidak ada desa/kelurahan dengan kode {code}.",
        "en": "There is no desa/kelurahan with code {code}.",
    },
    "pages.editor_role": {
        "id": "Editor hanya untuk PIC kelurahan dan admin; peran Anda {role} hanya dapat "
        "melihat data.",
        "en": "The editor is for kelurahan PICs and admins; your role {role} can only view "
        "the data.",
    },
    "pages.not_your_kelurahan": {
        "id": "Anda tidak ditugaskan untuk kelurahan {code}. Kelurahan Anda: {mine}.",
        "en": "You are not assigned to kelurahan {code}. Yours: {mine}.",
    },
    "pages.no_kelurahan": {
        "id": "Akun Anda belum ditugaskan ke kelurahan mana pun. Hubungi walidata (Diskominfo).",
        "en": "Your account has no kelurahan assigned yet. Ask the walidata (Diskominfo).",
    },
    "pages.accounts_admin": {
        "id": "Pengelolaan akun hanya untuk admin (walidata); peran Anda {role}.",
        "en": "Account management is for admins (walidata) only; your role is {role}.",
    },
    "pages.review_admin": {
        "id": "Halaman verifikasi hanya untuk admin (walidata); peran Anda {role}.",
        "en": "The review page is for admins (walidata) only; your role is {role}.",
    },
}
