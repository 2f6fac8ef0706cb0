"""Accounts, sign-in, sessions and API tokens."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    # accounts and sign-in
    "auth.required": {
        "id": "Masuk (login) dulu, atau kirim token API sebagai 'Authorization: Bearer …'.",
        "en": "Sign in first, or send an API token as 'Authorization: Bearer …'.",
    },
    "auth.bearer_malformed": {
        "id": "Header Authorization harus berbentuk 'Bearer <token>'.",
        "en": "The Authorization header must read 'Bearer <token>'.",
    },
    "auth.basic_malformed": {
        "id": "Header Authorization Basic harus memuat nama pengguna dan token API "
        "(base64 dari 'nama:token').",
        "en": "A Basic Authorization header must carry a username and an API token "
        "(base64 of 'name:token').",
    },
    "auth.basic_password": {
        "id": "Dengan autentikasi Basic, kata sandi adalah token API (gs_…), bukan kata "
        "sandi akun. Buat token di /auth/tokens atau dengan `geoservice tokens create`.",
        "en": "With Basic authentication the password is an API token (gs_…), never the "
        "account's password. Create one at /auth/tokens or with `geoservice tokens create`.",
    },
    "auth.token_unknown": {
        "id": "Token API tidak dikenal.",
        "en": "The API token is not known.",
    },
    "auth.token_revoked": {
        "id": "Token API ini sudah dicabut.",
        "en": "This API token has been revoked.",
    },
    "auth.token_expired": {
        "id": "Token API ini sudah kedaluwarsa; buat token baru.",
        "en": "This API token has expired; create a new one.",
    },
    "auth.account_disabled": {
        "id": "Akun ini dinonaktifkan; hubungi walidata.",
        "en": "This account is disabled; contact the walidata.",
    },
    "auth.login_failed": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong username or password.",
    },
    "auth.too_many_attempts": {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {retry_after} detik.",
        "en": "Too many failed sign-in attempts. Try again in {retry_after} seconds.",
    },
    "auth.too_many_attempts_minutes": {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
        "en": "Too many failed sign-in attempts. Try again in {minutes} minutes.",
    },
    "auth.csrf": {
        "id": "Halaman ini sudah terlalu lama terbuka atau berasal dari sesi lain. Muat "
        "ulang halaman, lalu coba lagi.",
        "en": "This page has been open too long or belongs to another session. Reload the "
        "page, then try again.",
    },
    "auth.login_origin": {
        "id": "Formulir masuk ini tidak dikirim dari halaman layanan ini. Buka halaman "
        "masuk layanan ini, lalu coba lagi.",
        "en": "This sign-in form was not sent from this service's own page. Open this "
        "service's sign-in page, then try again.",
    },
    "auth.password_short": {
        "id": "Kata sandi minimal {minimum} karakter.",
        "en": "The password needs at least {minimum} characters.",
    },
    "auth.password_weak": {
        "id": "Kata sandi ini terlalu mudah ditebak. Pakai gabungan beberapa kata yang "
        "tidak berhubungan, misalnya tiga kata dan satu angka.",
        "en": "This password is too easy to guess. Use several unrelated words, for example "
        "three words and a number.",
    },
    "auth.password_has_username": {
        "id": "Kata sandi tidak boleh memuat nama pengguna.",
        "en": "The password must not contain the username.",
    },
    "auth.role_unknown": {
        "id": "Peran '{role}' tidak dikenal; pilih salah satu: {roles}.",
        "en": "Unknown role '{role}'; choose one of: {roles}.",
    },
    "auth.username_format": {
        "id": "Nama pengguna '{username}' tidak valid: 2-64 huruf, angka, titik, @, _ atau -.",
        "en": "Invalid username '{username}': 2-64 letters, digits, dots, @, _ or -.",
    },
    "auth.username_taken": {
        "id": "Nama pengguna '{username}' sudah dipakai.",
        "en": "The username '{username}' is taken.",
    },
    "auth.user_not_found": {
        "id": "Pengguna '{username}' tidak ada.",
        "en": "There is no user '{username}'.",
    },
    "auth.user_disabled": {
        "id": "Pengguna '{username}' dinonaktifkan.",
        "en": "User '{username}' is disabled.",
    },
    "auth.grant_role": {
        "id": "'{username}' berperan {role}: hanya PIC yang diberi kelurahan.",
        "en": "'{username}' is a {role}: only PICs are granted kelurahan.",
    },
    "auth.kelurahan_unknown": {
        "id": "Kode desa/kelurahan tidak ada: {codes}.",
        "en": "No such desa/kelurahan: {codes}.",
    },
    "auth.current_password_wrong": {
        "id": "Kata sandi saat ini salah.",
        "en": "The current password is wrong.",
    },
    "auth.admin_only": {
        "id": "Hanya admin (walidata) yang boleh mengelola akun; peran Anda {role}.",
        "en": "Only an admin (walidata) may manage accounts; your role is {role}.",
    },
    "auth.token_not_found": {
        "id": "Token {token} tidak ada.",
        "en": "There is no token {token}.",
    },
}
