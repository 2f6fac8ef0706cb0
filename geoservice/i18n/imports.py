"""Imports of boundaries and points: Kemendagri codes, geometry, files, rows, names, and the
layer attributes (which the editor checks too)."""

from __future__ import annotations

from geoservice.i18n.language import Language, Messages

MESSAGES: Messages = {
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

#: The four administrative levels, as the reports name them.
LEVEL_NAMES: dict[int, dict[Language, str]] = {
    1: {"id": "provinsi", "en": "province"},
    2: {"id": "kabupaten/kota", "en": "regency/city"},
    3: {"id": "kecamatan", "en": "district (kecamatan)"},
    4: {"id": "desa/kelurahan", "en": "village (desa/kelurahan)"},
}

#: How each attribute type of a layer file (catalog.AttributeType) is called in a message.
ATTRIBUTE_TYPES: dict[str, str] = {
    "string": "type.string",
    "integer": "type.integer",
    "number": "type.number",
    "boolean": "type.boolean",
    "date": "type.date",
}
