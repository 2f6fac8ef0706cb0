"""Indicator imports (the row-by-row report), indicator requests and statistics tables."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    # indicator imports (row-by-row report) and indicator requests
    "indicator.no_value_columns": {
        "id": "tidak ada kolom indikator; kolom berkas: {columns}; kode indikator yang "
        "dikenal: {known}",
        "en": "no indicator column; the file's columns: {columns}; known indicator codes: {known}",
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
        "id": "impor indikator gagal: {errors} masalah di baris {rows}; tidak ada yang disimpan",
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
        "en": "indicator {code} exists per desa/kelurahan only; it is not aggregated to {level}",
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
}

#: How rows matched their kelurahan (imports.matching.MatchStatus, and ``invalid``), in the summary.
MATCH_STATUSES: dict[str, str] = {
    "kode": "indicator.status.kode",
    "nama": "indicator.status.nama",
    "fuzzy": "indicator.status.fuzzy",
    "ambiguous": "indicator.status.ambiguous",
    "unmatched": "indicator.status.unmatched",
    "invalid": "indicator.status.invalid",
}

#: The name that matched several areas, by the level it names (imports.matching.Match.part).
AMBIGUOUS: dict[str, str] = {
    "kelurahan": "indicator.ambiguous_kelurahan",
    "kecamatan": "indicator.ambiguous_kecamatan",
    "kabkota": "indicator.ambiguous_kabkota",
}

#: The name that matched no area, by the level it names (imports.matching.Match.part).
UNMATCHED: dict[str, str] = {
    "kelurahan": "indicator.unmatched_kelurahan",
    "kecamatan": "indicator.unmatched_kecamatan",
    "kabkota": "indicator.unmatched_kabkota",
}
