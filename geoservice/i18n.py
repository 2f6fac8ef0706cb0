"""User-facing text in Bahasa Indonesia (default) and English.

Messages are looked up by key and formatted with named parameters, so code never builds
user-facing sentences itself and every message exists in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from geoservice.services.profiles.messages import PROFILE_MESSAGES

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
    "bad_request.detail": {
        "id": "Permintaan tidak valid. {detail}",
        "en": "Invalid request. {detail}",
    },
    # request validation (geoservice/api/validation.py): one sentence per problem
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
        "id": "Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi.",
        "en": "The database cannot be reached at the moment. Try again shortly.",
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
    "features.bbox_projected": {
        "id": "bbox '{value}' tidak valid: gunakan minx,miny,maxx,maxy dalam {crs}",
        "en": "invalid bbox '{value}': use minx,miny,maxx,maxy in {crs}",
    },
    "features.crs": {
        "id": "{name} '{value}' tidak didukung; yang didukung: {supported}",
        "en": "{name} '{value}' is not supported; supported: {supported}",
    },
    "features.crs_domain": {
        "id": "koordinat di luar wilayah yang dicakup {crs}; pilih CRS zona setempat atau CRS84",
        "en": "coordinates outside the area {crs} covers; choose the local zone's CRS or CRS84",
    },
    "features.datetime": {
        "id": "datetime '{value}' tidak valid: gunakan tanggal atau waktu RFC 3339, atau "
        "selang awal/akhir (.. untuk terbuka), mis. 2025-01-01/.. atau 2025-03-01T08:00:00Z",
        "en": "invalid datetime '{value}': use an RFC 3339 date or date-time, or an interval "
        "start/end (.. when open), e.g. 2025-01-01/.. or 2025-03-01T08:00:00Z",
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
    "features.unknown_parameter": {
        "id": "parameter tidak dikenal: {names}; yang diterima: {allowed}",
        "en": "unknown parameters: {names}; accepted: {allowed}",
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
        "id": "koordinat kosong atau bukan angka desimal (kolom {lat}/{lon}: '{cells}')",
        "en": "coordinates missing or not decimal numbers (columns {lat}/{lon}: '{cells}')",
    },
    "coord.lost_decimal": {
        "id": "koordinat '{cells}' (kolom {lat}/{lon}) tampaknya kehilangan tanda desimalnya "
        "(mis. angka dari Excel); tulis dalam derajat desimal, mis. -7,816612",
        "en": "coordinates '{cells}' (columns {lat}/{lon}) seem to have lost their decimal "
        "point (e.g. numbers from Excel); write decimal degrees, e.g. -7.816612",
    },
    "area.duplicate_in_file": {
        "id": "kode {code} muncul lebih dari sekali dalam berkas (juga baris {other})",
        "en": "code {code} appears more than once in the file (also row {other})",
    },
    "area.missing_parent": {
        "id": "wilayah induk {parent} belum ada (lihat pesan pertama laporan)",
        "en": "parent area {parent} does not exist (see the report's first message)",
    },
    "area.parent_rejected": {
        "id": "wilayah induk {parent} ditolak karena induknya {root} belum ada",
        "en": "parent area {parent} was rejected because its parent {root} does not exist",
    },
    "area.parent_missing_group": {
        "id": "wilayah induk {code} ({level_name}) belum ada di basis data maupun di berkas: "
        "{count} baris bergantung padanya (baris {rows}). Impor dulu berkas tingkat tersebut, "
        "atau pakai --derive-parents",
        "en": "parent area {code} ({level_name}) is neither in the database nor in the files: "
        "{count} rows depend on it (rows {rows}). Import that level's file first, or use "
        "--derive-parents",
    },
    "area.derive_refused": {
        "id": "--derive-parents tidak membentuk provinsi {code} dari {count} kab/kota berkas "
        "ini saja (berkas tidak memuat kab/kota provinsi lain): garis batasnya hanya akan "
        "memuat kab/kota tersebut. Impor berkas provinsinya, atau pakai "
        "--allow-partial-parents bila memang sengaja",
        "en": "--derive-parents does not build provinsi {code} from only the {count} kab/kota "
        "of this file (it holds no kab/kota of another provinsi): its outline would hold only "
        "those. Import the provinsi file, or use --allow-partial-parents if that is intended",
    },
    "area.derived_partial": {
        "id": "PERHATIAN: provinsi {code} ('{name}') dibentuk hanya dari {count} kab/kota berkas "
        "ini; garis batas dan namanya tidak lengkap sampai berkas provinsinya diimpor",
        "en": "WARNING: provinsi {code} ('{name}') was built from only the {count} kab/kota of "
        "this file; its outline and name are incomplete until the provinsi file is imported",
    },
    "file.kode_selected": {
        "id": "{selected} dari {total} baris berkode awalan {kode} dipilih (--kode)",
        "en": "{selected} of {total} rows with codes starting {kode} selected (--kode)",
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
        "id": "Kelurahan {kelurahan} sudah memiliki {limit} titik lapisan ini, sebanyak yang "
        "diizinkan. Ubah titik yang sudah ada, jangan menambah yang baru.",
        "en": "Kelurahan {kelurahan} already has {limit} point(s) of this layer, as many as "
        "allowed. Change the existing point instead of adding a new one.",
    },
    "point.near_duplicate_in_file": {
        "id": "kemungkinan duplikat baris {other}: '{name}' berjarak {distance:.0f} m dengan "
        "nama mirip",
        "en": "possible duplicate of row {other}: '{name}' is {distance:.0f} m away with a "
        "similar name",
    },
    "point.near_duplicate_review": {
        "id": "kemungkinan duplikat titik tersimpan id {other} ('{name}', {distance:.0f} m); "
        "tetap dimuat dan masuk antrean pemeriksaan walidata",
        "en": "possible duplicate of stored point id {other} ('{name}', {distance:.0f} m); "
        "loaded and queued for the walidata's review",
    },
    "point.already_stored": {
        "id": "titik '{name}' (id {other}) sudah tersimpan di koordinat yang sama; untuk "
        "memperbarui titik yang pernah diimpor pakai --id-column",
        "en": "point '{name}' (id {other}) is already stored at the same coordinates; to update "
        "points imported before use --id-column",
    },
    "point.kelurahan_full": {
        "id": "{kelurahan} sudah memiliki {limit} titik lapisan ini di basis data (id {ids}), "
        "batasnya {limit}",
        "en": "{kelurahan} already has {limit} point(s) of this layer in the database (id "
        "{ids}), the limit",
    },
    "point.competition_lost": {
        "id": "baris {rows} berkas ini berebut {limit} tempat lapisan ini di {kelurahan}; "
        "dipilih baris {kept}, yang namanya sesuai kelurahan",
        "en": "rows {rows} of this file compete for the {limit} place(s) of this layer in "
        "{kelurahan}; row {kept}, whose name fits the kelurahan, was chosen",
    },
    "point.competition_none": {
        "id": "baris {rows} berkas ini berebut {limit} tempat lapisan ini di {kelurahan}; tidak "
        "ada satu pun yang namanya jelas sesuai kelurahan, jadi tidak ada yang dimuat: "
        "perbaiki atau hapus baris yang salah",
        "en": "rows {rows} of this file compete for the {limit} place(s) of this layer in "
        "{kelurahan}; no single one has a name that clearly fits the kelurahan, so none is "
        "loaded: fix or remove the wrong rows",
    },
    "point.competition_kept": {
        "id": "dipilih di antara baris {rows} yang berebut {limit} tempat lapisan ini di "
        "{kelurahan}: namanya sesuai kelurahan",
        "en": "chosen among rows {rows} competing for the {limit} place(s) of this layer in "
        "{kelurahan}: its name fits the kelurahan",
    },
    "point.id_missing": {
        "id": "id sumber kosong (kolom {column})",
        "en": "the source id is empty (column {column})",
    },
    "point.id_repeated": {
        "id": "id sumber '{value}' sudah dipakai baris {other}",
        "en": "source id '{value}' is already used on row {other}",
    },
    "name.other_kelurahan": {
        "id": "nama '{name}' menyebut {other}, tetapi titiknya berada di {here}; periksa "
        "letak titik atau namanya",
        "en": "the name '{name}' names {other}, but the point lies in {here}; check the "
        "point's position or its name",
    },
    "name.mismatch": {
        "id": "nama '{name}' ('{place}') tidak sesuai dengan {here}, tempat titik berada",
        "en": "the name '{name}' ('{place}') does not fit {here}, where the point lies",
    },
    "name.no_place": {
        "id": "nama '{name}' tidak menyebut kelurahan; titiknya berada di {here}",
        "en": "the name '{name}' names no kelurahan; the point lies in {here}",
    },
    "name.former": {
        "id": "nama '{name}' menandai tempat lama (eks/bekas/lama) di {here}",
        "en": "the name '{name}' marks a former place (eks/bekas/lama) in {here}",
    },
    "name.variant": {
        "id": "nama '{name}' diterima sebagai ejaan lain dari {here} (kemiripan {score}%)",
        "en": "the name '{name}' accepted as another spelling of {here} (similarity {score}%)",
    },
    "attr.invalid": {"id": "{field}: {message}", "en": "{field}: {message}"},
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
    "attr.pattern": {
        "id": "tidak sesuai bentuk yang diminta",
        "en": "is not in the form asked for",
    },
    "attr.control": {
        "id": "memuat karakter kendali (mis. NUL) yang tidak diizinkan",
        "en": "contains a control character (such as NUL), which is not allowed",
    },
    "attr.unknown": {
        "id": "bukan isian lapisan ini",
        "en": "is not a field of this layer",
    },
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
    "file.upload_unreadable": {
        "id": "Berkas {name} tidak bisa dibaca sebagai CSV atau XLSX. Simpan ulang dari Excel "
        "(CSV UTF-8 atau Buku Kerja Excel), lalu unggah lagi.",
        "en": "The file {name} cannot be read as CSV or XLSX. Save it again from Excel (CSV "
        "UTF-8 or Excel Workbook), then upload it again.",
    },
    "file.unreadable": {
        "id": "berkas {path} tidak bisa dibaca: {reason}",
        "en": "file {path} cannot be read: {reason}",
    },
    "file.layer_required": {
        "id": "berkas {path} berisi beberapa layer ({layers}); pilih satu dengan --layer",
        "en": "file {path} holds several layers ({layers}); choose one with --layer",
    },
    "file.projected_without_crs": {
        "id": "koordinat berkas {path} bukan derajat ({bounds}) tetapi berkas tidak menyebutkan "
        "sistem koordinatnya (CRS); kemungkinan: {likely}. Sebutkan dengan --crs, mis. "
        "--crs EPSG:32749",
        "en": "the coordinates of {path} are not degrees ({bounds}) but the file declares no "
        "coordinate reference system; likely: {likely}. Give it with --crs, e.g. "
        "--crs EPSG:32749",
    },
    "file.crs_declared": {
        "id": "berkas {path} menyebutkan CRS {declared}; --crs {crs} tidak menggantinya kecuali "
        "ditambah --force-crs",
        "en": "file {path} declares CRS {declared}; --crs {crs} does not override it without "
        "--force-crs",
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
        "precondition_required": {
            "id": "Versi titik diperlukan",
            "en": "The point's version is required",
        },
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
        "bad_request.host": {
            "id": "Layanan ini tidak melayani alamat (Host) yang diminta.",
            "en": "This service does not answer for the requested host name.",
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
            "id": "Perubahan harus menyebut versi titik yang Anda lihat, agar perubahan orang "
            "lain tidak tertimpa. Muat ulang titiknya, lalu ubah lagi.",
            "en": "A change must name the version of the point you saw, so that nobody's change "
            "is overwritten. Reload the point, then change it again.",
        },
        "edit.if_match_star": {
            "id": "Perubahan harus menyebut versi tertentu titik ini (bukan sembarang versi), "
            "agar perubahan orang lain tidak tertimpa. Muat ulang titiknya, lalu ubah lagi.",
            "en": "A change must name one version of this point (not any version), so that "
            "nobody's change is overwritten. Reload the point, then change it again.",
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
            "id": "Mungkin titik ini sudah ada: \u201c{name}\u201d berjarak {distance:.0f} m "
            "dengan nama yang mirip. Jika ini memang titik lain, simpan sekali lagi untuk "
            "menegaskannya.",
            "en": "This point may already exist: \u201c{name}\u201d is {distance:.0f} m away "
            "with a similar name. If this is another point, save once more to confirm it.",
        },
        "edit.name_warning": {
            "id": "Periksa nama: {text}. Jika memang benar, simpan sekali lagi untuk "
            "menegaskannya.",
            "en": "Check the name: {text}. If it is right, save once more to confirm it.",
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
        "indicator.no_value_columns_proposed": {
            "id": "tidak ada kolom yang dinamai dengan kode indikator; kolom berkas: {columns}; "
            "usulan pemetaan menurut judulnya: {proposed}",
            "en": "no column is headed by an indicator code; the file's columns: {columns}; "
            "mapping proposed from their titles: {proposed}",
        },
        "indicator.proposal": {
            "id": "kolom '{column}' tampaknya indikator {code} ({title}); untuk mengimpornya "
            "pakai {map}",
            "en": "column '{column}' looks like indicator {code} ({title}); to import it use {map}",
        },
        "indicator.cli_summary": {
            "id": "{source}: {rows} baris (cocok menurut {matches}); periode {periods}",
            "en": "{source}: {rows} rows (matched by {matches}); periods {periods}",
        },
        "indicator.cli_written": {
            "id": "disimpan: {inserted} baru, {updated} berubah, {unchanged} tetap (impor {id})",
            "en": "written: {inserted} new, {updated} changed, {unchanged} unchanged (import {id})",
        },
        "indicator.status.kode": {"id": "kode", "en": "code"},
        "indicator.status.nama": {"id": "nama", "en": "name"},
        "indicator.status.fuzzy": {"id": "nama mirip", "en": "similar name"},
        "indicator.status.ambiguous": {"id": "ambigu", "en": "ambiguous"},
        "indicator.status.unmatched": {"id": "tidak ditemukan", "en": "not found"},
        "indicator.status.invalid": {"id": "tidak valid", "en": "invalid"},
        "indicator.bad_map": {
            "id": "pemetaan kolom '{item}' tidak valid; tulis KOLOM=kode_indikator, mis. "
            '"Jumlah Penduduk=penduduk"',
            "en": "column mapping '{item}' is not valid; write COLUMN=indicator_code, e.g. "
            '"Jumlah Penduduk=penduduk"',
        },
        "indicator.map_unknown": {
            "id": "kolom '{column}' dipetakan ke '{code}', yang bukan indikator; indikator yang "
            "dikenal: {known}",
            "en": "column '{column}' is mapped to '{code}', which is no indicator; known "
            "indicators: {known}",
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
    "items_of": {"id": "Daftar {kind}", "en": "{kind}: list"},
    # headings of the properties on the pages (the JSON keeps the names)
    "prop.kode": {"id": "Kode Kemendagri", "en": "Kemendagri code"},
    "prop.nama": {"id": "Nama", "en": "Name"},
    "prop.tingkat": {"id": "Tingkat wilayah", "en": "Administrative level"},
    "prop.jenis": {"id": "Jenis", "en": "Kind"},
    "prop.kode_induk": {"id": "Kode wilayah induk", "en": "Parent area code"},
    "prop.kode_kelurahan": {"id": "Kode kelurahan", "en": "Kelurahan code"},
    "prop.status": {"id": "Status", "en": "Status"},
    "prop.versi": {"id": "Versi", "en": "Version"},
    "prop.alasan_penolakan": {"id": "Alasan penolakan", "en": "Reason for rejection"},
    "prop.diubah": {"id": "Terakhir diubah", "en": "Last changed"},
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
    "changes_since": {
        "id": "Berubah sejak versi terbit ({when}, diverifikasi {who})",
        "en": "Changed since the published version ({when}, verified by {who})",
    },
    "never_published": {
        "id": "Titik baru: belum pernah terbit.",
        "en": "A new point: never published.",
    },
    "no_attribute_changes": {"id": "Isian tidak berubah.", "en": "No field changed."},
    "moved_metres": {"id": "Dipindah {metres} m", "en": "Moved {metres} m"},
    "empty_value": {"id": "(kosong)", "en": "(empty)"},
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
    "account_add_kelurahan": {"id": "Cari kelurahan", "en": "Find a kelurahan"},
    "account_pick_placeholder": {
        "id": "ketik nama, mis. Bandar Lor",
        "en": "type a name, e.g. Bandar Lor",
    },
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
        "id": "Untuk PIC: ketik nama kelurahan lalu pilih dari daftar (kodenya tampil di sana).",
        "en": "For a PIC: type the kelurahan's name, then choose it from the list (its code "
        "shows there).",
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
    "account_pick_unknown": {
        "id": "Kelurahan \u201c{text}\u201d tidak ditemukan. Ketik sebagian namanya, lalu pilih "
        "dari daftar.",
        "en": "No kelurahan \u201c{text}\u201d was found. Type part of its name, then choose "
        "from the list.",
    },
    "account_pick_ambiguous": {
        "id": "Ada beberapa kelurahan bernama \u201c{text}\u201d. Pilih yang tepat dari daftar "
        "(kecamatan dan kodenya tertulis di sana).",
        "en": "Several kelurahan are called \u201c{text}\u201d. Choose the right one from the "
        "list (its kecamatan and code are shown there).",
    },
    "account_remove": {"id": "Hapus", "en": "Remove"},
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
    "layer_control": {"id": "Lapisan peta", "en": "Map layers"},
    "add_hint": {
        "id": "Ketuk peta di dalam kelurahan untuk menaruh titik {layer}.",
        "en": "Tap the map inside the kelurahan to place the {layer} point.",
    },
    "my_location": {"id": "Gunakan lokasi saya", "en": "Use my location"},
    "locating": {"id": "Mencari lokasi Anda…", "en": "Finding your location…"},
    "location_denied": {
        "id": "Izin lokasi ditolak di peramban ini. Izinkan lokasi di pengaturan peramban, "
        "atau ketuk peta untuk menaruh titik.",
        "en": "This browser was not allowed to share your location. Allow it in the browser's "
        "settings, or tap the map to place the point.",
    },
    "location_failed": {
        "id": "Lokasi Anda tidak dapat ditemukan. Coba lagi di tempat terbuka, atau ketuk peta "
        "untuk menaruh titik.",
        "en": "Your location could not be found. Try again in the open, or tap the map to "
        "place the point.",
    },
    "location_elsewhere": {
        "id": "Lokasi Anda ada di {place}, bukan di {mine}. Titik hanya bisa disimpan di "
        "{mine}: geser penanda ke dalam batasnya, atau ketuk peta di sana.",
        "en": "Your location is in {place}, not in {mine}. Points can only be saved in "
        "{mine}: drag the marker inside its boundary, or tap the map there.",
    },
    "location_outside": {
        "id": "Lokasi Anda berada di luar semua desa/kelurahan yang tercatat.",
        "en": "Your location is outside every recorded desa/kelurahan.",
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

MESSAGES.update(PROFILE_MESSAGES)  # type: ignore[arg-type]
