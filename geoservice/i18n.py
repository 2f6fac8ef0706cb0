"""User-facing text in Bahasa Indonesia (default) and English.

Messages are looked up by key and formatted with named parameters, so code never builds
user-facing sentences itself and every message exists in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Language = Literal["id", "en"]
DEFAULT_LANGUAGE: Language = "id"

MESSAGES: dict[str, dict[Language, str]] = {
    # generic HTTP problems
    "not_found": {"id": "Tidak ditemukan", "en": "Not found"},
    "not_found.path": {
        "id": "Alamat {path} tidak ada di layanan ini.",
        "en": "There is no {path} on this service.",
    },
    "bad_request": {"id": "Permintaan tidak valid", "en": "Bad request"},
    "bad_request.detail": {"id": "Parameter tidak valid: {detail}", "en": "Invalid: {detail}"},
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
    "service_busy": {"id": "Layanan sedang sibuk", "en": "Service busy"},
    "service_busy.detail": {
        "id": "Layanan sedang melayani terlalu banyak permintaan. Coba lagi dalam {seconds} detik.",
        "en": "The service is serving too many requests. Try again in {seconds} seconds.",
    },
    "cli.database_lost": {
        "id": "koneksi ke basis data terputus ({reason}); tidak ada yang disimpan.",
        "en": "the connection to the database was lost ({reason}); nothing was written.",
    },
    "cli.backup_done": {
        "id": "cadangan {file} ({size} MB) dibuat: {what}; revisi basis data {revision}.",
        "en": "backup {file} ({size} MB) written: {what}; database revision {revision}.",
    },
    "cli.backup_secret": {
        "id": "Simpan GEOSERVICE_SECRET_KEY bersama cadangan ini: token API dan sesi hanya "
        "berlaku dengan kunci yang sama (lihat PENTING.txt di dalamnya).",
        "en": "Keep GEOSERVICE_SECRET_KEY with this backup: API tokens and sessions only work "
        "with the same key (see PENTING.txt inside).",
    },
    "cli.restore_done": {
        "id": "{file} (dibuat {created}) dipulihkan: {what}. Isi sebelumnya ({before}) "
        "sudah diganti seluruhnya.",
        "en": "{file} (made {created}) restored: {what}. What the database held before "
        "({before}) was replaced entirely.",
    },
    "validation_failed": {"id": "Data tidak valid", "en": "Invalid data"},
    "method_not_allowed": {"id": "Metode tidak diizinkan", "en": "Method not allowed"},
    "method_not_allowed.detail": {
        "id": "Metode {method} tidak tersedia untuk {path}.",
        "en": "Method {method} is not available for {path}.",
    },
    "http.detail": {"id": "{detail}", "en": "{detail}"},
    "internal_error": {"id": "Kesalahan internal", "en": "Internal error"},
    "internal_error.detail": {
        "id": "Terjadi kesalahan di server. Kejadian ini sudah dicatat.",
        "en": "Something went wrong on the server. It has been logged.",
    },
    "database_unavailable": {"id": "Basis data tidak tersedia", "en": "Database unavailable"},
    "database_unavailable.detail": {
        "id": "Basis data tidak dapat dihubungi: {reason}",
        "en": "The database cannot be reached: {reason}",
    },
    "collection_not_found": {
        "id": "Koleksi '{collection}' tidak ada. Koleksi yang tersedia: {available}.",
        "en": "Collection '{collection}' does not exist. Available: {available}.",
    },
    "features.bbox": {
        "id": "bbox '{value}' tidak valid: gunakan minx,miny,maxx,maxy dalam derajat (CRS84), "
        "mis. 111.9,-7.9,112.1,-7.7",
        "en": "invalid bbox '{value}': use minx,miny,maxx,maxy in degrees (CRS84), "
        "e.g. 111.9,-7.9,112.1,-7.7",
    },
    "features.kode": {
        "id": "kode '{value}' bukan awalan kode Kemendagri (mis. 35.71 atau 35.71.01)",
        "en": "kode '{value}' is not a Kemendagri code prefix (e.g. 35.71 or 35.71.01)",
    },
    "features.limit": {
        "id": "limit '{value}' tidak valid: bilangan bulat 1 sampai {maximum}",
        "en": "invalid limit '{value}': a whole number from 1 to {maximum}",
    },
    "features.simplify": {
        "id": "simplify '{value}' tidak valid: toleransi dalam meter, di atas 0 s.d. {maximum}",
        "en": "invalid simplify '{value}': a tolerance in metres, above 0 up to {maximum}",
    },
    "features.offset": {
        "id": "offset '{value}' tidak valid: bilangan bulat 0 atau lebih",
        "en": "invalid offset '{value}': a whole number, 0 or more",
    },
    "features.unknown_property": {
        "id": "properti tidak dikenal: {names}; properti yang ada: {allowed}",
        "en": "unknown properties: {names}; available: {allowed}",
    },
    "features.filter_lang": {
        "id": "filter-lang '{value}' tidak didukung; gunakan cql2-text atau cql2-json",
        "en": "filter-lang '{value}' is not supported; use cql2-text or cql2-json",
    },
    "features.filter_syntax": {
        "id": "filter CQL2 tidak bisa dibaca: {reason}",
        "en": "the CQL2 filter cannot be parsed: {reason}",
    },
    "features.filter_unsupported": {
        "id": "filter CQL2 memakai operasi yang tidak didukung ({reason})",
        "en": "the CQL2 filter uses an operation that is not supported ({reason})",
    },
    "features.filter_types": {
        "id": "filter membandingkan properti dengan nilai bertipe lain (mis. teks dengan angka)",
        "en": "the filter compares a property with a value of another type (e.g. text with a "
        "number)",
    },
    "features.format": {
        "id": "format '{value}' tidak tersedia; pilih salah satu: {formats}",
        "en": "format '{value}' is not available; choose one of: {formats}",
    },
    "features.item_not_found": {
        "id": "fitur '{item}' tidak ada di koleksi '{collection}'",
        "en": "feature '{item}' is not in collection '{collection}'",
    },
    "tiles.zoom": {
        "id": "zoom {z} di luar rentang 0 sampai {maximum}",
        "en": "zoom {z} is outside 0 to {maximum}",
    },
    "tiles.index": {
        "id": "ubin {z}/{x}/{y} tidak ada: pada zoom {z}, x dan y bernilai 0 sampai {last}",
        "en": "there is no tile {z}/{x}/{y}: at zoom {z}, x and y run from 0 to {last}",
    },
    # Kemendagri codes
    "code.empty": {"id": "kode wilayah kosong", "en": "area code is empty"},
    "code.format": {
        "id": "kode wilayah '{code}' tidak sesuai format Kemendagri (mis. 35.71.01.1001)",
        "en": "area code '{code}' is not a Kemendagri code (e.g. 35.71.01.1001)",
    },
    "code.village_kind": {
        "id": "kode desa/kelurahan '{code}' harus diawali 1 (kelurahan), 2 (desa) atau "
        "3 (desa adat) pada bagian terakhir",
        "en": "desa/kelurahan code '{code}' must start its last part with 1 (kelurahan), "
        "2 (desa) or 3 (desa adat)",
    },
    "code.level_mismatch": {
        "id": "kode '{code}' adalah tingkat {actual}, bukan {expected}",
        "en": "code '{code}' is a {actual} code, not {expected}",
    },
    # boundary and point checks
    "geom.missing": {"id": "geometri kosong", "en": "geometry is missing"},
    "geom.not_polygon": {
        "id": "geometri bertipe {geom_type}, seharusnya (Multi)Polygon",
        "en": "geometry is a {geom_type}, expected a (Multi)Polygon",
    },
    "geom.not_point": {
        "id": "geometri bertipe {geom_type}, seharusnya Point",
        "en": "geometry is a {geom_type}, expected a Point",
    },
    "geom.repaired": {
        "id": "geometri tidak valid ({reason}) dan sudah diperbaiki dengan make_valid",
        "en": "invalid geometry ({reason}) repaired with make_valid",
    },
    "geom.unrepairable": {
        "id": "geometri tidak valid ({reason}) dan tidak bisa diperbaiki",
        "en": "invalid geometry ({reason}) that cannot be repaired",
    },
    "geom.swapped": {
        "id": "koordinat tampak tertukar (lintang/bujur): {bounds}; tukar kolomnya lalu impor lagi",
        "en": "coordinates look swapped (lat/lon): {bounds}; swap them and import again",
    },
    "geom.outside_indonesia": {
        "id": "koordinat di luar wilayah Indonesia: {bounds}",
        "en": "coordinates fall outside Indonesia: {bounds}",
    },
    "coord.missing": {
        "id": "koordinat kosong atau bukan angka (kolom {lat}/{lon})",
        "en": "coordinates missing or not numbers (columns {lat}/{lon})",
    },
    "area.duplicate_in_file": {
        "id": "kode {code} muncul lebih dari sekali dalam berkas (juga baris {other})",
        "en": "code {code} appears more than once in the file (also row {other})",
    },
    "area.missing_parent": {
        "id": "wilayah induk {parent} belum ada; impor dulu tingkat di atasnya atau pakai "
        "--derive-parents",
        "en": "parent area {parent} does not exist; import the level above first or use "
        "--derive-parents",
    },
    "area.name_missing": {"id": "nama wilayah kosong", "en": "area name is empty"},
    "area.name_control": {
        "id": "nama wilayah memuat karakter kendali (mis. NUL)",
        "en": "area name contains a control character (such as NUL)",
    },
    "area.derived": {
        "id": "dibentuk dengan menggabungkan (dissolve) {count} wilayah di bawahnya",
        "en": "derived by dissolving its {count} child areas",
    },
    "area.facility_moved": {
        "id": "batas {code} berubah: titik fasilitas {facility} kini berada di {new} dan "
        "dipindahkan ke sana",
        "en": "the boundary of {code} changed: facility point {facility} now lies in {new} and "
        "was moved there",
    },
    "area.facility_outside": {
        "id": "batas {code} berubah: titik fasilitas {facility} kini di luar semua desa/kelurahan; "
        "kodenya tetap {code}, periksa titiknya",
        "en": "the boundary of {code} changed: facility point {facility} now lies outside every "
        "desa/kelurahan; it keeps {code}, check the point",
    },
    "point.outside_kelurahan": {
        "id": "titik tidak berada di dalam kelurahan/desa mana pun yang tersimpan",
        "en": "the point lies outside every stored desa/kelurahan",
    },
    "point.near_duplicate": {
        "id": "kemungkinan duplikat: '{name}' ({other}) berjarak {distance:.0f} m "
        "dengan nama mirip",
        "en": "possible duplicate: '{name}' ({other}) is {distance:.0f} m away with a similar name",
    },
    "point.duplicate_key": {
        "id": "{fields} = {values} sudah dipakai di kelurahan {kelurahan} ({other})",
        "en": "{fields} = {values} is already used in kelurahan {kelurahan} ({other})",
    },
    "point.max_per_kelurahan": {
        "id": "kelurahan {kelurahan} sudah memiliki {limit} titik lapisan ini (batas)",
        "en": "kelurahan {kelurahan} already has {limit} point(s) of this layer (the limit)",
    },
    "attr.invalid": {"id": "atribut '{field}': {message}", "en": "attribute '{field}': {message}"},
    "attr.required": {"id": "wajib diisi", "en": "is required"},
    "attr.enum": {"id": "harus salah satu dari {choices}", "en": "must be one of {choices}"},
    "attr.type": {"id": "harus berupa {type}", "en": "must be a {type}"},
    "attr.min": {"id": "minimal {limit}", "en": "must be at least {limit}"},
    "attr.max": {"id": "maksimal {limit}", "en": "must be at most {limit}"},
    "attr.max_length": {"id": "maksimal {limit} karakter", "en": "at most {limit} characters"},
    "attr.integer_range": {
        "id": "harus antara {minimum} dan {maximum}",
        "en": "must be between {minimum} and {maximum}",
    },
    "input.surrogate_attr": {
        "id": "memuat separuh pasangan surrogate UTF-16, yang bukan teks yang dapat disimpan",
        "en": "holds half of a UTF-16 surrogate pair, which is not text that can be stored",
    },
    "attr.pattern": {"id": "tidak sesuai pola {pattern}", "en": "does not match {pattern}"},
    "attr.control": {
        "id": "memuat karakter kendali (mis. NUL) yang tidak diizinkan",
        "en": "contains a control character (such as NUL), which is not allowed",
    },
    "attr.unknown": {"id": "atribut tidak dikenal", "en": "is not an attribute of this layer"},
    "type.string": {"id": "teks", "en": "text"},
    "type.integer": {"id": "bilangan bulat", "en": "whole number"},
    "type.number": {"id": "angka", "en": "number"},
    "type.boolean": {"id": "ya/tidak", "en": "yes/no"},
    "type.date": {"id": "tanggal (YYYY-MM-DD)", "en": "date (YYYY-MM-DD)"},
    "import.ignored_columns": {
        "id": "kolom berikut tidak dipetakan ke atribut lapisan dan diabaikan: {columns}",
        "en": "these columns map to no layer attribute and were ignored: {columns}",
    },
    "file.not_found": {"id": "berkas {path} tidak ada", "en": "file {path} does not exist"},
    "file.unsupported": {
        "id": "format berkas {suffix} tidak didukung; gunakan {supported}",
        "en": "file format {suffix} is not supported; use {supported}",
    },
    "file.unreadable": {
        "id": "berkas {path} tidak bisa dibaca: {reason}",
        "en": "file {path} cannot be read: {reason}",
    },
    "file.layer_required": {
        "id": "berkas {path} berisi beberapa layer ({layers}); pilih satu dengan --layer",
        "en": "file {path} holds several layers ({layers}); choose one with --layer",
    },
    "file.no_crs": {
        "id": "berkas {path} tidak menyebutkan sistem koordinat (CRS) dan koordinatnya bukan "
        "derajat; sebutkan dengan --crs, mis. --crs EPSG:32749",
        "en": "file {path} declares no coordinate reference system and its coordinates are not "
        "degrees; give it with --crs, e.g. --crs EPSG:32749",
    },
    "file.crs_assumed": {
        "id": "berkas tidak menyebutkan CRS; koordinat dianggap WGS 84 (EPSG:4326)",
        "en": "the file declares no CRS; coordinates taken as WGS 84 (EPSG:4326)",
    },
    "file.bad_crs": {"id": "CRS '{crs}' tidak dikenal", "en": "unknown CRS '{crs}'"},
    "file.column_missing": {
        "id": "kolom {what} tidak ditemukan; kolom yang ada: {columns}. Sebutkan dengan {option}",
        "en": "no {what} column found; the file has: {columns}. Name it with {option}",
    },
    "file.column_unknown": {
        "id": "kolom '{column}' tidak ada di berkas; kolom yang ada: {columns}",
        "en": "column '{column}' is not in the file; it has: {columns}",
    },
    "file.reprojected": {
        "id": "koordinat diubah dari {crs} ke WGS 84 (EPSG:4326)",
        "en": "coordinates reprojected from {crs} to WGS 84 (EPSG:4326)",
    },
    "area.parent_name_unknown": {
        "id": "nama wilayah {code} tidak diketahui (dibentuk dari wilayah di bawahnya); "
        "impor tingkat tersebut untuk mengisi namanya",
        "en": "the name of {code} is unknown (derived from its child areas); import that "
        "level to set its name",
    },
    "import.no_rows": {"id": "berkas tidak berisi baris data", "en": "the file has no rows"},
}

MESSAGES.update(
    {
        # titles of the access and editing problems
        "unauthorized": {"id": "Perlu masuk (login)", "en": "Sign-in required"},
        "forbidden": {"id": "Tidak diizinkan", "en": "Forbidden"},
        "conflict": {"id": "Konflik dengan data yang ada", "en": "Conflict with existing data"},
        "precondition_failed": {
            "id": "Data sudah diubah orang lain",
            "en": "Changed by someone else",
        },
        "precondition_required": {"id": "If-Match diperlukan", "en": "If-Match required"},
        "payload_too_large": {"id": "Data terlalu besar", "en": "Payload too large"},
        "unsupported_media_type": {
            "id": "Jenis data tidak didukung",
            "en": "Unsupported media type",
        },
        "too_many_requests": {"id": "Terlalu banyak percobaan", "en": "Too many requests"},
        "invalid_fields.detail": {
            "id": "{count} isian tidak valid",
            "en": "{count} invalid field(s)",
        },
        # accounts and sign-in
        "auth.required": {
            "id": "Masuk (login) dulu, atau kirim token API sebagai 'Authorization: Bearer …'.",
            "en": "Sign in first, or send an API token as 'Authorization: Bearer …'.",
        },
        "auth.bearer_malformed": {
            "id": "Header Authorization harus berbentuk 'Bearer <token>'.",
            "en": "The Authorization header must read 'Bearer <token>'.",
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
            "id": "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {retry_after} detik.",
            "en": "Too many failed sign-in attempts; try again in {retry_after} seconds.",
        },
        "auth.csrf": {
            "id": "Token CSRF tidak ada atau salah: muat ulang halaman lalu coba lagi.",
            "en": "The CSRF token is missing or wrong: reload the page and try again.",
        },
        "auth.password_short": {
            "id": "Kata sandi minimal {minimum} karakter.",
            "en": "The password needs at least {minimum} characters.",
        },
        "auth.password_weak": {
            "id": "Kata sandi ini terlalu mudah ditebak.",
            "en": "This password is too easy to guess.",
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
        # writes of facility points
        "edit.media_type": {
            "id": "Jenis data '{media_type}' tidak didukung; kirim {expected}.",
            "en": "Media type '{media_type}' is not supported; send {expected}.",
        },
        "edit.body_too_large": {
            "id": "Isi permintaan lebih dari {limit} KB.",
            "en": "The request body is over {limit} KB.",
        },
        "edit.read_only": {
            "id": "Koleksi '{collection}' hanya bisa dibaca; yang bisa diubah: {layers}.",
            "en": "Collection '{collection}' is read-only; editable: {layers}.",
        },
        "edit.json": {
            "id": "Isi permintaan bukan JSON yang valid: {reason}",
            "en": "The body is not valid JSON: {reason}",
        },
        "edit.not_object": {
            "id": "Isi permintaan harus objek JSON, bukan {type}.",
            "en": "The body must be a JSON object, not {type}.",
        },
        "edit.not_feature": {
            "id": "GeoJSON harus bertipe Feature, bukan '{type}'.",
            "en": "The GeoJSON must be a Feature, not '{type}'.",
        },
        "edit.geometry_missing": {
            "id": "Feature tidak punya geometry (objek Point).",
            "en": "The Feature has no geometry (a Point object).",
        },
        "edit.not_point": {
            "id": "Geometri harus Point, bukan '{type}'.",
            "en": "The geometry must be a Point, not '{type}'.",
        },
        "edit.coordinates": {
            "id": "Koordinat {value} tidak valid: tulis [bujur, lintang] dalam derajat.",
            "en": "Invalid coordinates {value}: write [longitude, latitude] in degrees.",
        },
        "edit.properties": {
            "id": "properties harus objek JSON, bukan {type}.",
            "en": "properties must be a JSON object, not {type}.",
        },
        "edit.swapped": {
            "id": "koordinat tampak tertukar ({bounds}): GeoJSON menulis [bujur, lintang]",
            "en": "coordinates look swapped ({bounds}): GeoJSON writes [longitude, latitude]",
        },
        "edit.if_match_missing": {
            "id": "Kirim header If-Match berisi ETag titik ini (dari GET), agar perubahan "
            "orang lain tidak tertimpa.",
            "en": "Send an If-Match header with this point's ETag (from GET), so nobody's "
            "change is overwritten.",
        },
        "edit.if_match_star": {
            "id": "If-Match: * tidak diterima: kirim ETag titik ini (dari GET), agar perubahan "
            "orang lain tidak tertimpa.",
            "en": "If-Match: * is not accepted: send this point's ETag (from GET), so nobody's "
            "change is overwritten.",
        },
        "edit.if_match_malformed": {
            "id": "If-Match '{value}' bukan ETag titik ini (bentuknya \"<versi>\").",
            "en": "If-Match '{value}' is not an ETag of this point (it reads \"<version>\").",
        },
        "edit.stale": {
            "id": "Titik ini sudah diubah orang lain (versi {current}, Anda mengubah versi "
            "{expected}). Muat ulang, lalu ulangi perubahan Anda.",
            "en": "Someone else changed this point (version {current}; you edited version "
            "{expected}). Reload it, then make your change again.",
        },
        "edit.not_your_kelurahan": {
            "id": "Titik ini berada di kelurahan {kelurahan}; Anda ({role}) hanya boleh mengubah "
            "kelurahan {yours}.",
            "en": "This point lies in kelurahan {kelurahan}; you ({role}) may only edit {yours}.",
        },
        "edit.point_not_yours": {
            "id": "Titik berada di {kelurahan}, bukan kelurahan Anda ({yours}).",
            "en": "The point lies in {kelurahan}, not in your kelurahan ({yours}).",
        },
        "edit.admin_only": {
            "id": "Hanya admin (walidata) yang boleh melakukan ini; peran Anda {role}.",
            "en": "Only an admin (walidata) may do this; your role is {role}.",
        },
        "edit.near_duplicate": {
            "id": "Kemungkinan duplikat: '{name}' (id {other}) berjarak {distance:.0f} m dengan "
            "nama mirip. Jika memang titik lain, kirim lagi dengan allow_duplicate=true.",
            "en": "Possible duplicate: '{name}' (id {other}) is {distance:.0f} m away with a "
            "similar name. If it is another point, send again with allow_duplicate=true.",
        },
        "edit.transition": {
            "id": "Langkah '{step}' tidak bisa dari status '{status}' (hanya dari: {allowed}).",
            "en": "Step '{step}' is not possible from status '{status}' (only from: {allowed}).",
        },
        "edit.reason_missing": {
            "id": "alasan penolakan wajib diisi",
            "en": "a reason for the rejection is required",
        },
        "edit.history_not_yours": {
            "id": "Riwayat kelurahan {kelurahan} bukan untuk peran Anda ({role}).",
            "en": "The history of kelurahan {kelurahan} is not for your role ({role}).",
        },
        "edit.kelurahan_not_found": {
            "id": "Desa/kelurahan {kelurahan} tidak ada.",
            "en": "There is no desa/kelurahan {kelurahan}.",
        },
        "edit.date": {
            "id": "Tanggal '{value}' tidak valid: gunakan YYYY-MM-DD.",
            "en": "Invalid date '{value}': use YYYY-MM-DD.",
        },
        # the change log's columns and operations
        "changelog.changed_at": {"id": "waktu", "en": "changed_at"},
        "changelog.collection": {"id": "lapisan", "en": "layer"},
        "changelog.id": {"id": "id", "en": "id"},
        "changelog.version": {"id": "versi", "en": "version"},
        "changelog.operation": {"id": "operasi", "en": "operation"},
        "changelog.changed_by": {"id": "oleh", "en": "changed_by"},
        "changelog.status": {"id": "status", "en": "status"},
        "changelog.rejection_reason": {"id": "alasan_penolakan", "en": "rejection_reason"},
        "changelog.kelurahan": {"id": "kode_kelurahan", "en": "kelurahan_code"},
        "changelog.moved_m": {"id": "pindah_m", "en": "moved_m"},
        "changelog.changes": {"id": "perubahan", "en": "changes"},
        "changelog.lon": {"id": "bujur", "en": "lon"},
        "changelog.lat": {"id": "lintang", "en": "lat"},
        "operation.create": {"id": "dibuat", "en": "created"},
        "operation.update": {"id": "diubah", "en": "updated"},
        "operation.delete": {"id": "dihapus", "en": "deleted"},
        "operation.restore": {"id": "dipulihkan", "en": "restored"},
        "operation.submit": {"id": "diajukan", "en": "submitted"},
        "operation.verify": {"id": "diverifikasi", "en": "verified"},
        "operation.reject": {"id": "ditolak", "en": "rejected"},
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
            "id": "Akun Anda belum ditugaskan ke kelurahan mana pun. Hubungi walidata "
            "(Diskominfo).",
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
)

MESSAGES.update(
    {
        # indicator imports (row-by-row report) and indicator requests
        "indicator.no_value_columns": {
            "id": "tidak ada kolom indikator; kolom berkas: {columns}; kode indikator yang "
            "dikenal: {known}",
            "en": "no indicator column; the file's columns: {columns}; known indicator codes: "
            "{known}",
        },
        "indicator.no_key_column": {
            "id": "perlu kolom kode (kode Kemendagri) atau kelurahan/desa; kolom berkas: {columns}",
            "en": "a kode (Kemendagri code) or kelurahan/desa column is needed; the file's "
            "columns: {columns}",
        },
        "indicator.no_period": {
            "id": "periode tidak diketahui: beri kolom periode atau parameter periode (mis. 2025)",
            "en": "no period: add a periode column or give the period parameter (e.g. 2025)",
        },
        "indicator.bad_period_parameter": {
            "id": "periode '{period}' tidak valid; contoh: 2025, 2025-S1, 2025-Q3, 2025-03",
            "en": "period '{period}' is not valid; e.g. 2025, 2025-S1, 2025-Q3, 2025-03",
        },
        "indicator.bad_period": {
            "id": "periode '{value}' tidak valid; contoh: 2025, 2025-S1, 2025-Q3, 2025-03",
            "en": "period '{value}' is not valid; e.g. 2025, 2025-S1, 2025-Q3, 2025-03",
        },
        "indicator.empty_scope": {
            "id": "tidak ada desa/kelurahan dengan kode berawalan {scope}",
            "en": "no desa/kelurahan has a code starting with {scope}",
        },
        "indicator.ignored_columns": {
            "id": "kolom berikut bukan indikator atau kunci wilayah dan diabaikan: {columns}",
            "en": "these columns are neither indicators nor area keys and were ignored: {columns}",
        },
        "indicator.bad_code": {
            "id": "kode '{code}' bukan kode desa/kelurahan Kemendagri (PP.KK.CC.NNNN)",
            "en": "'{code}' is not a Kemendagri desa/kelurahan code (PP.KK.CC.NNNN)",
        },
        "indicator.unknown_code": {
            "id": "kode {code} tidak ada di antara desa/kelurahan (cakupan {scope})",
            "en": "code {code} is not among the desa/kelurahan (scope {scope})",
        },
        "indicator.no_key": {
            "id": "baris tanpa kode dan tanpa nama desa/kelurahan",
            "en": "the row has neither a code nor a desa/kelurahan name",
        },
        "indicator.fuzzy": {
            "id": "'{name}' dicocokkan dengan {official} ({code}), kemiripan {score}%",
            "en": "'{name}' matched to {official} ({code}), similarity {score}%",
        },
        "indicator.ambiguous_kelurahan": {
            "id": "nama '{name}' cocok dengan lebih dari satu desa/kelurahan: {candidates}; "
            "tambahkan kode atau kolom kecamatan/kabkota",
            "en": "the name '{name}' fits more than one desa/kelurahan: {candidates}; add the "
            "code or the kecamatan/kabkota columns",
        },
        "indicator.ambiguous_kecamatan": {
            "id": "kecamatan '{name}' cocok dengan lebih dari satu: {candidates}",
            "en": "kecamatan '{name}' fits more than one: {candidates}",
        },
        "indicator.ambiguous_kabkota": {
            "id": "kabupaten/kota '{name}' cocok dengan lebih dari satu: {candidates}",
            "en": "kabupaten/kota '{name}' fits more than one: {candidates}",
        },
        "indicator.unmatched_kelurahan": {
            "id": "desa/kelurahan '{name}' tidak ditemukan; paling mirip: {candidates}",
            "en": "no desa/kelurahan '{name}'; closest: {candidates}",
        },
        "indicator.unmatched_kecamatan": {
            "id": "kecamatan '{name}' tidak ditemukan; paling mirip: {candidates}",
            "en": "no kecamatan '{name}'; closest: {candidates}",
        },
        "indicator.unmatched_kabkota": {
            "id": "kabupaten/kota '{name}' tidak ditemukan; paling mirip: {candidates}",
            "en": "no kabupaten/kota '{name}'; closest: {candidates}",
        },
        "indicator.duplicate": {
            "id": "{code} periode {period} sudah ada di baris {other}",
            "en": "{code} for period {period} is already on row {other}",
        },
        "indicator.bad_number": {
            "id": "'{value}' bukan angka (format Indonesia: 1.234,5)",
            "en": "'{value}' is not a number (Indonesian format: 1.234,5)",
        },
        "indicator.empty_value": {
            "id": "kosong: tidak diimpor, nilai yang ada tetap",
            "en": "empty: not imported, any stored value stays",
        },
        "indicator.below_minimum": {
            "id": "{value} di bawah minimum {minimum}",
            "en": "{value} is below the minimum {minimum}",
        },
        "indicator.above_maximum": {
            "id": "{value} di atas maksimum {maximum}",
            "en": "{value} is above the maximum {maximum}",
        },
        "indicator.failed": {
            "id": "impor indikator gagal: {errors} masalah di baris {rows}; tidak ada yang "
            "disimpan",
            "en": "indicator import failed: {errors} problem(s) on rows {rows}; nothing was saved",
        },
        "indicator.unknown": {
            "id": "indikator '{code}' tidak ada",
            "en": "no indicator '{code}'",
        },
        "indicator.no_period_values": {
            "id": "indikator {code} tidak punya nilai untuk periode {period}; periode yang ada: "
            "{periods}",
            "en": "indicator {code} has no values for period {period}; periods: {periods}",
        },
        "indicator.not_aggregated": {
            "id": "indikator {code} hanya tersedia per desa/kelurahan, tidak dijumlahkan ke "
            "tingkat {level}",
            "en": "indicator {code} exists per desa/kelurahan only; it is not aggregated to "
            "{level}",
        },
        "indicator.bad_scope": {
            "id": "kode wilayah '{value}' tidak valid; contoh: 35, 35.71, 35.71.01",
            "en": "area code '{value}' is not valid; e.g. 35, 35.71, 35.71.01",
        },
        "indicator.too_many_features": {
            "id": "{count} wilayah terlalu banyak untuk GeoJSON (maks. {maximum}); persempit "
            "dengan kode atau gunakan vector tiles",
            "en": "{count} areas are too many for GeoJSON (max {maximum}); narrow it with kode "
            "or use the vector tiles",
        },
        "indicator.bad_classes": {
            "id": "jumlah kelas harus {minimum} sampai {maximum}",
            "en": "the number of classes must be {minimum} to {maximum}",
        },
        "indicator.same_period": {
            "id": "periode pembanding harus berbeda dari periode {period}",
            "en": "the comparison period must differ from period {period}",
        },
        "indicator.import_role": {
            "id": "impor indikator hanya untuk perencana dan admin; peran Anda {role}",
            "en": "indicator imports are for planners and admins; your role is {role}",
        },
        "indicator.bad_choice": {
            "id": "{name} '{value}' tidak dikenal; pilihan: {allowed}",
            "en": "unknown {name} '{value}'; choices: {allowed}",
        },
        "stats.no_period": {
            "id": "tidak ada nilai indikator untuk periode {period}; periode yang ada: {periods}",
            "en": "no indicator has values for period {period}; periods: {periods}",
        },
        "stats.kode": {"id": "Kode Kemendagri", "en": "Kemendagri code"},
        "stats.nama": {"id": "Desa/kelurahan", "en": "Desa/kelurahan"},
        "stats.kabkota": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "stats.count": {"id": "Jumlah {layer}", "en": "Number of {layer}"},
        "stats.points": {"id": "titik", "en": "points"},
        "stats.verified_source": {
            "id": "titik terverifikasi di geoservice",
            "en": "verified points in geoservice",
        },
        "stats.per_1000": {"id": "{layer} per 1.000 penduduk", "en": "{layer} per 1,000 people"},
        "stats.per_1000_unit": {"id": "per 1.000 jiwa", "en": "per 1,000 people"},
        "stats.column": {"id": "Kolom", "en": "Column"},
        "stats.title": {"id": "Judul", "en": "Title"},
        "stats.unit": {"id": "Satuan", "en": "Unit"},
        "stats.source": {"id": "Sumber", "en": "Source"},
        "stats.sheet_data": {"id": "Data", "en": "Data"},
        "stats.sheet_about": {"id": "Keterangan kolom", "en": "Columns"},
        "stats.sheet_notes": {"id": "Catatan", "en": "Notes"},
        "stats.note_period": {
            "id": "Periode indikator: {period}",
            "en": "Indicator period: {period}",
        },
        "stats.note_scope": {"id": "Wilayah: {scope}", "en": "Area: {scope}"},
        "stats.national": {"id": "seluruh Indonesia", "en": "all of Indonesia"},
        "stats.note_counts": {
            "id": "Jumlah fasilitas menghitung titik yang sudah diverifikasi walidata.",
            "en": "Facility counts include points verified by the walidata only.",
        },
        "stats.note_withheld": {
            "id": "Nilai yang disembunyikan untuk publik (di bawah ambang): {count}",
            "en": "Values withheld from the public (below the threshold): {count}",
        },
        "indicator.suppressed": {
            "id": "nilai di bawah {threshold} disembunyikan untuk publik",
            "en": "values below {threshold} are withheld from the public",
        },
    }
)

LEVEL_NAMES: dict[int, dict[Language, str]] = {
    1: {"id": "provinsi", "en": "province"},
    2: {"id": "kabupaten/kota", "en": "regency/city"},
    3: {"id": "kecamatan", "en": "district (kecamatan)"},
    4: {"id": "desa/kelurahan", "en": "village (desa/kelurahan)"},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message ``key`` in ``lang`` (falling back to Indonesian), formatted with ``params``."""
    entry = MESSAGES[key]
    template = entry.get(lang, entry[DEFAULT_LANGUAGE])  # type: ignore[call-overload]
    return template.format(**params) if params else template


def localized(text: Mapping[str, str], lang: str = DEFAULT_LANGUAGE) -> str:
    """Pick ``lang`` from a ``{id: ..., en: ...}`` map, falling back to Indonesian."""
    return text.get(lang) or text[DEFAULT_LANGUAGE]


def negotiate(query_lang: str | None, accept_language: str | None) -> Language:
    """Choose the response language: ``?lang=`` wins, then ``Accept-Language``, then Indonesian."""
    if query_lang in ("id", "en"):
        return query_lang  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("id") or tag.startswith("in"):
            return "id"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE


#: Labels of the HTML pages (geoservice/templates), per language.
PAGE_LABELS: dict[str, dict[Language, str]] = {
    "home": {"id": "Beranda", "en": "Home"},
    "collections": {"id": "Koleksi", "en": "Collections"},
    "items": {"id": "Fitur", "en": "Features"},
    "features_of": {"id": "Fitur dalam koleksi", "en": "Features of"},
    "count": {"id": "Jumlah", "en": "Count"},
    "extent": {"id": "Cakupan", "en": "Extent"},
    "formats": {"id": "Format lain", "en": "Other formats"},
    "next": {"id": "Berikutnya", "en": "Next"},
    "prev": {"id": "Sebelumnya", "en": "Previous"},
    "showing": {"id": "Menampilkan", "en": "Showing"},
    "of": {"id": "dari", "en": "of"},
    "about": {"id": "kira-kira", "en": "about"},
    "api": {"id": "Dokumentasi API", "en": "API documentation"},
    "conformance": {"id": "Kesesuaian standar", "en": "Conformance"},
    "tiles": {"id": "Vector tile (TileJSON)", "en": "Vector tiles (TileJSON)"},
    "property": {"id": "Atribut", "en": "Property"},
    "value": {"id": "Nilai", "en": "Value"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    "login": {"id": "Masuk", "en": "Sign in"},
    "login_intro": {
        "id": "Masuk dengan akun dari walidata (Diskominfo) untuk mengubah data kelurahan Anda.",
        "en": "Sign in with the account the walidata (Diskominfo) gave you to edit your "
        "kelurahan's data.",
    },
    "username": {"id": "Nama pengguna", "en": "Username"},
    "password": {"id": "Kata sandi", "en": "Password"},
    "sign_in": {"id": "Masuk", "en": "Sign in"},
    "sign_out": {"id": "Keluar", "en": "Sign out"},
    "signed_in_as": {"id": "Masuk sebagai", "en": "Signed in as"},
    "map_note": {
        "id": "Peta dasar © kontributor OpenStreetMap",
        "en": "Basemap © OpenStreetMap contributors",
    },
    "map": {"id": "Peta", "en": "Map"},
    "public_map": {"id": "Peta fasilitas kelurahan", "en": "Kelurahan facilities map"},
    "editor": {"id": "Sunting data", "en": "Edit data"},
    "editor_title": {"id": "Sunting titik kelurahan", "en": "Edit kelurahan points"},
    "review": {"id": "Verifikasi", "en": "Review"},
    "review_title": {"id": "Verifikasi titik yang diajukan", "en": "Review submitted points"},
    "boundaries": {"id": "Batas desa/kelurahan", "en": "Desa/kelurahan boundaries"},
    "search": {"id": "Cari", "en": "Search"},
    "search_label": {"id": "Cari kelurahan", "en": "Find a kelurahan"},
    "search_placeholder": {"id": "Nama atau kode kelurahan", "en": "Kelurahan name or code"},
    "kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "layer": {"id": "Lapisan", "en": "Layer"},
    "no_submissions": {
        "id": "Tidak ada titik yang menunggu verifikasi.",
        "en": "No points are waiting for review.",
    },
    "submitted_by": {"id": "Diajukan oleh", "en": "Submitted by"},
    "open_editor": {"id": "Buka di editor", "en": "Open in the editor"},
    "verify": {"id": "Verifikasi", "en": "Verify"},
    "reject": {"id": "Tolak", "en": "Reject"},
    "forbidden_title": {"id": "Tidak diizinkan", "en": "Not allowed"},
    # /accounts, the walidata's account management
    "accounts": {"id": "Akun", "en": "Accounts"},
    "accounts_title": {"id": "Kelola akun", "en": "Manage accounts"},
    "account_username": {"id": "Nama pengguna", "en": "Username"},
    "account_name": {"id": "Nama lengkap", "en": "Full name"},
    "account_role": {"id": "Peran", "en": "Role"},
    "account_kelurahan": {"id": "Kelurahan yang boleh diedit", "en": "Kelurahan they may edit"},
    "account_state": {"id": "Status", "en": "State"},
    "account_active": {"id": "Aktif", "en": "Active"},
    "account_disabled": {"id": "Nonaktif", "en": "Disabled"},
    "account_disable": {"id": "Nonaktifkan", "en": "Disable"},
    "account_enable": {"id": "Aktifkan", "en": "Enable"},
    "account_revoke": {"id": "Cabut", "en": "Take away"},
    "account_add_kelurahan": {"id": "Kode kelurahan", "en": "Kelurahan code"},
    "account_add": {"id": "Tambah", "en": "Add"},
    "account_password": {"id": "Kata sandi", "en": "Password"},
    "account_new_password": {"id": "Kata sandi baru", "en": "New password"},
    "account_set_password": {"id": "Ganti kata sandi", "en": "Set the password"},
    "account_create": {"id": "Buat akun", "en": "Create an account"},
    "account_password_hint": {
        "id": "Minimal {minimum} karakter. Sampaikan kepada pemilik akun secara langsung.",
        "en": "At least {minimum} characters. Give it to the account's owner in person.",
    },
    "account_kelurahan_hint": {
        "id": "Untuk PIC: kode Kemendagri, dipisah spasi atau koma (mis. 35.71.01.1001).",
        "en": "For a PIC: Kemendagri codes, separated by spaces or commas (e.g. 35.71.01.1001).",
    },
    "role.admin": {"id": "Admin (walidata)", "en": "Admin (walidata)"},
    "role.pic": {"id": "PIC kelurahan", "en": "Kelurahan PIC"},
    "role.planner": {"id": "Perencana", "en": "Planner"},
    "not_found_title": {"id": "Tidak ditemukan", "en": "Not found"},
    "planner": {"id": "Peta indikator", "en": "Indicator map"},
    "planner_title": {
        "id": "Peta indikator sosial dan kemiskinan",
        "en": "Social and poverty indicator map",
    },
    "statistics": {"id": "Tabel kelurahan", "en": "Kelurahan table"},
    "statistics_title": {
        "id": "Fasilitas dan indikator per desa/kelurahan",
        "en": "Facilities and indicators per desa/kelurahan",
    },
    "period": {"id": "Periode", "en": "Period"},
    "area": {"id": "Wilayah", "en": "Area"},
    "download": {"id": "Unduh", "en": "Download"},
    "withheld_note": {
        "id": "Nilai kecil disembunyikan untuk publik demi kerahasiaan: {count}.",
        "en": "Small values withheld from the public for privacy: {count}.",
    },
    "no_rows": {"id": "Tidak ada desa/kelurahan di wilayah ini.", "en": "No desa/kelurahan here."},
    "no_indicators": {
        "id": "Belum ada nilai indikator. Perencana dapat mengimpornya (CSV/XLSX).",
        "en": "No indicator values yet. Planners can import them (CSV/XLSX).",
    },
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "restricted": {"id": "terbatas", "en": "restricted"},
    "import_title": {
        "id": "Impor nilai indikator (CSV/XLSX)",
        "en": "Import indicator values (CSV/XLSX)",
    },
    "import_file": {"id": "Berkas", "en": "File"},
    "import_period": {
        "id": "Periode (jika berkas tanpa kolom periode)",
        "en": "Period (when the file has no periode column)",
    },
    "import_scope": {
        "id": "Cocokkan nama hanya di wilayah (kode)",
        "en": "Match names only within (area code)",
    },
    "import_check": {"id": "Periksa dulu", "en": "Check first"},
    "import_save": {"id": "Impor", "en": "Import"},
    "compare_with": {"id": "Bandingkan dengan periode", "en": "Compare with period"},
    "no_compare": {"id": "(tidak dibandingkan)", "en": "(no comparison)"},
    "method": {"id": "Metode klasifikasi", "en": "Classification method"},
    "classes": {"id": "Jumlah kelas", "en": "Number of classes"},
    "show": {"id": "Tampilkan", "en": "Show"},
    "quantiles": {"id": "Kuantil", "en": "Quantiles"},
    "equal_interval": {"id": "Interval sama", "en": "Equal interval"},
    "fisher_jenks": {"id": "Natural breaks (Fisher-Jenks)", "en": "Natural breaks (Fisher-Jenks)"},
    "std_mean": {"id": "Simpangan baku", "en": "Standard deviation"},
}

#: Text the map pages' scripts show, handed to them in the page (``{name}`` is filled in there).
SCRIPT_LABELS: dict[str, dict[Language, str]] = {
    "no_data": {"id": "Tidak ada data", "en": "No data"},
    "import_checked": {
        "id": "Pemeriksaan: {rows} baris, semua cocok; belum disimpan.",
        "en": "Check: {rows} rows, all matched; nothing saved yet.",
    },
    "import_problems": {
        "id": "{errors} masalah; tidak ada yang disimpan:",
        "en": "{errors} problems; nothing was saved:",
    },
    "import_written": {
        "id": "Tersimpan: {inserted} nilai baru, {updated} diubah. Memuat ulang…",
        "en": "Saved: {inserted} new values, {updated} changed. Reloading…",
    },
    "import_row": {"id": "Baris {row}", "en": "Row {row}"},
    "import_file_level": {"id": "Berkas", "en": "File"},
    "withheld": {"id": "Disembunyikan (nilai kecil)", "en": "Withheld (small value)"},
    "change": {"id": "Perubahan {from} → {to}", "en": "Change {from} → {to}"},
    "sample_data": {
        "id": "Data contoh (sampel), bukan data resmi.",
        "en": "Sample data, not official figures.",
    },
    "facilities": {"id": "Fasilitas terverifikasi", "en": "Verified facilities"},
    "loading": {"id": "Memuat…", "en": "Loading…"},
    "source": {"id": "Sumber", "en": "Source"},
    "incomplete": {
        "id": "{n} dari {total} desa/kelurahan berdata",
        "en": "{n} of {total} desa/kelurahan have data",
    },
    "legend": {"id": "Legenda", "en": "Legend"},
    "account_done_create": {"id": "Akun {user} dibuat.", "en": "The account {user} was created."},
    "account_done_grant": {
        "id": "{user} kini boleh mengedit {code}.",
        "en": "{user} may now edit {code}.",
    },
    "account_done_revoke": {
        "id": "{code} dicabut dari {user}; titik-titiknya tetap ada.",
        "en": "{code} was taken away from {user}; its points stay.",
    },
    "account_done_disable": {
        "id": "Akun {user} dinonaktifkan: sesi dan token API-nya berhenti saat ini juga.",
        "en": "The account {user} was disabled: its sessions and API tokens stop now.",
    },
    "account_done_enable": {
        "id": "Akun {user} diaktifkan.",
        "en": "The account {user} was enabled.",
    },
    "account_done_password": {
        "id": "Kata sandi {user} diganti; sesi webnya berakhir.",
        "en": "The password of {user} was set; its web sessions ended.",
    },
    "no_results": {"id": "Tidak ada kelurahan yang cocok.", "en": "No kelurahan matches."},
    "kecamatan_of": {"id": "Kec. {name}", "en": "{name} district"},
    "area_code": {"id": "Kode Kemendagri {code}", "en": "Kemendagri code {code}"},
    "area_data": {"id": "Data wilayah ini", "en": "Data of this area"},
    "searching": {"id": "Mencari…", "en": "Searching…"},
    "zoom_in": {
        "id": "Perbesar peta untuk melihat titik fasilitas.",
        "en": "Zoom in to see the facility points.",
    },
    "partial": {
        "id": "{layer}: {shown} dari {total} titik di area ini ditampilkan; perbesar peta untuk "
        "melihat semuanya.",
        "en": "{layer}: {shown} of {total} points in this area are shown; zoom in to see all.",
    },
    "load_failed": {
        "id": "Titik {layer} tidak dapat dimuat: {reason}",
        "en": "The {layer} points could not be loaded: {reason}",
    },
    "network_error": {
        "id": "Tidak dapat terhubung ke server. Periksa koneksi, lalu coba lagi.",
        "en": "Cannot reach the server. Check the connection, then try again.",
    },
    "add_point": {"id": "Tambah titik", "en": "Add a point"},
    "add_hint": {
        "id": "Ketuk peta di dalam kelurahan untuk menaruh titik {layer}.",
        "en": "Tap the map inside the kelurahan to place the {layer} point.",
    },
    "my_location": {"id": "Gunakan lokasi saya", "en": "Use my location"},
    "locating": {"id": "Mencari lokasi Anda…", "en": "Finding your location…"},
    "location_failed": {
        "id": "Lokasi tidak dapat ditentukan ({reason}). Ketuk peta untuk menaruh titik.",
        "en": "Your location could not be found ({reason}). Tap the map to place the point.",
    },
    "location_accuracy": {
        "id": "Lokasi GPS (akurasi ±{metres} m). Geser penanda bila kurang tepat.",
        "en": "GPS location (accuracy ±{metres} m). Drag the marker if it is off.",
    },
    "new_point": {"id": "Titik baru: {layer}", "en": "New point: {layer}"},
    "edit_point": {"id": "{layer}: {name}", "en": "{layer}: {name}"},
    "select_hint": {
        "id": "Pilih titik di peta atau di daftar untuk mengubahnya, atau tambah titik baru.",
        "en": "Pick a point on the map or in the list to change it, or add a new one.",
    },
    "required_note": {"id": "* wajib diisi", "en": "* required"},
    "choose": {"id": "— pilih —", "en": "— choose —"},
    "save": {"id": "Simpan", "en": "Save"},
    "saving": {"id": "Menyimpan…", "en": "Saving…"},
    "saved": {
        "id": "Tersimpan sebagai draf. Ajukan untuk verifikasi bila sudah lengkap.",
        "en": "Saved as a draft. Submit it for review when it is complete.",
    },
    "cancel": {"id": "Batal", "en": "Cancel"},
    "delete": {"id": "Hapus", "en": "Delete"},
    "delete_confirm": {"id": "Yakin hapus? Tekan lagi", "en": "Really delete? Press again"},
    "deleted": {"id": "Titik dihapus.", "en": "The point was deleted."},
    "submit": {"id": "Ajukan verifikasi", "en": "Submit for review"},
    "submitted_ok": {
        "id": "Diajukan. Walidata akan memverifikasinya.",
        "en": "Submitted. The walidata will review it.",
    },
    "status": {"id": "Status", "en": "Status"},
    "status.draft": {"id": "Draf", "en": "Draft"},
    "status.submitted": {"id": "Diajukan", "en": "Submitted"},
    "status.verified": {"id": "Terverifikasi", "en": "Verified"},
    "status.rejected": {"id": "Ditolak", "en": "Rejected"},
    "rejection": {"id": "Alasan penolakan", "en": "Reason for rejection"},
    "version": {"id": "versi", "en": "version"},
    "moved": {
        "id": "Posisi diubah. Tekan Simpan untuk menyimpannya, atau Batal.",
        "en": "The position changed. Press Save to keep it, or Cancel.",
    },
    "conflict": {
        "id": "Titik ini sudah diubah orang lain sejak Anda membukanya. Muat ulang untuk melihat "
        "versi terbaru (perubahan Anda yang belum tersimpan akan hilang).",
        "en": "Someone else changed this point since you opened it. Reload to see the latest "
        "version (your unsaved changes will be lost).",
    },
    "reload": {"id": "Muat ulang titik", "en": "Reload the point"},
    "duplicate": {
        "id": "Mungkin titik ini sudah ada di dekatnya:",
        "en": "This point may already exist nearby:",
    },
    "save_anyway": {"id": "Tetap simpan sebagai titik baru", "en": "Save as a new point anyway"},
    "session_expired": {
        "id": "Sesi Anda sudah berakhir. Masuk lagi, lalu ulangi.",
        "en": "Your session has ended. Sign in again, then retry.",
    },
    "points_list": {"id": "Titik di kelurahan ini", "en": "Points in this kelurahan"},
    "no_points": {"id": "Belum ada titik.", "en": "No points yet."},
    "reason": {"id": "Alasan penolakan", "en": "Reason for rejection"},
    "send_reject": {"id": "Kirim penolakan", "en": "Send the rejection"},
    "verified_ok": {"id": "Terverifikasi dan tampil di peta publik.", "en": "Verified: public."},
    "rejected_ok": {"id": "Ditolak; PIC melihat alasannya.", "en": "Rejected; the PIC sees why."},
    "reason_required": {
        "id": "Tulis alasan penolakan agar PIC tahu apa yang harus diperbaiki.",
        "en": "Write the reason so that the PIC knows what to fix.",
    },
}
