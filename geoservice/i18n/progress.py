"""Progress of the data collection (``progress.*``) and its quality queue (``quality.*``):
plain sentences for the walidata."""

from __future__ import annotations

from geoservice.i18n.language import Messages

#: the message of each kind of quality finding
QUALITY_MESSAGES = {
    kind: f"quality.{kind}"
    for kind in ("number_double", "number_missing", "group_missing", "number_short",
                 "layer_empty", "near_duplicate", "name_mismatch")
}  # fmt: skip

MESSAGES: Messages = {
    "progress.role": {
        "id": "Pantauan pendataan hanya untuk walidata (admin) dan perencana; peran Anda {role}.",
        "en": "Progress monitoring is for the walidata (admin) and planners; your role is {role}.",
    },
    "progress.level": {
        "id": "level harus 1 (provinsi), 2 (kab/kota), 3 (kecamatan) atau 4 (desa/kelurahan).",
        "en": "level must be 1 (provinsi), 2 (kab/kota), 3 (kecamatan) or 4 (desa/kelurahan).",
    },
    "progress.format": {
        "id": "format laporan harus xlsx atau pdf, bukan '{value}'.",
        "en": "the report format must be xlsx or pdf, not '{value}'.",
    },
    "quality.decide_role": {
        "id": "Hanya walidata (admin) yang memutuskan temuan kualitas; peran Anda {role}.",
        "en": "Only the walidata (admin) decides quality findings; your role is {role}.",
    },
    "quality.unknown_item": {
        "id": "Temuan '{subject}' tidak ada (atau sudah tidak berlaku lagi).",
        "en": "There is no finding '{subject}' (or it no longer applies).",
    },
    "quality.decided": {
        "id": "Temuan '{subject}' sudah diputuskan sebelumnya; keputusan tidak ditanyakan lagi.",
        "en": "Finding '{subject}' was decided before; a decision is not asked again.",
    },
    "quality.decision_not_allowed": {
        "id": "Keputusan '{decision}' tidak berlaku untuk temuan ini; pilih salah satu: {allowed}.",
        "en": "Decision '{decision}' does not apply to this finding; choose one of: {allowed}.",
    },
    "quality.keep_not_in_item": {
        "id": "Titik {keep} bukan bagian dari temuan ini (titiknya: {ids}).",
        "en": "Point {keep} is not part of this finding (its points: {ids}).",
    },
    "quality.number_double": {
        "id": "{layer}: nomor {number} di RW {group} dipetakan {found} kali ({points}).",
        "en": "{layer}: number {number} in RW {group} is mapped {found} times ({points}).",
    },
    "quality.number_missing": {
        "id": "{layer}: nomor {number} di RW {group} belum ada titiknya.",
        "en": "{layer}: number {number} in RW {group} has no point yet.",
    },
    "quality.group_missing": {
        "id": "{layer}: RW {group} (profil mencatat {expected} RW) belum punya titik sama sekali.",
        "en": "{layer}: RW {group} (the profile counts {expected} RW) has no point at all.",
    },
    "quality.number_short": {
        "id": "{layer}: profil mencatat {expected}, baru {found} yang dipetakan.",
        "en": "{layer}: the profile counts {expected}, only {found} are mapped.",
    },
    "quality.layer_empty": {
        "id": "{layer}: kelurahan ini belum punya satu titik pun.",
        "en": "{layer}: this kelurahan has no point at all yet.",
    },
    "quality.near_duplicate": {
        "id": "{layer}: titik yang berdekatan dengan nama mirip, mungkin ganda ({points}).",
        "en": "{layer}: points close together with similar names, maybe doubled ({points}).",
    },
    "quality.name_mismatch": {
        "id": "{layer}: nama '{points}' menyebut '{place}', bukan kelurahan tempat titiknya.",
        "en": "{layer}: the name '{points}' names '{place}', not the kelurahan it lies in.",
    },
}

#: the column headers of the coordination report, in order
REPORT_COLUMNS = {
    name: f"report.col.{name}"
    for name in ("area", "kode", "campaign", "expected", "verified", "submitted", "draft",
                 "rejected", "completeness", "late_days", "timeliness", "last_change", "pics")
}  # fmt: skip

MESSAGES |= {
    "report.title": {"id": "Laporan progres pendataan", "en": "Data collection progress report"},
    "report.scope": {
        "id": "Wilayah: {name} ({kode}); dibuat {day}.",
        "en": "Area: {name} ({kode}); made on {day}.",
    },
    "report.sample": {
        "id": "Kegiatan bertanda (contoh) adalah contoh, bukan data resmi.",
        "en": "Campaigns marked (sample) are samples, not official data.",
    },
    "report.map": {
        "id": "Kelengkapan per desa/kelurahan (rata-rata semua kegiatan)",
        "en": "Completeness per desa/kelurahan (mean of all campaigns)",
    },
    "report.sheet.campaigns": {"id": "Kegiatan", "en": "Campaigns"},
    "report.sheet.kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "report.sheet.kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "report.sheet.map": {"id": "Peta", "en": "Map"},
    "report.col.area": {"id": "Wilayah", "en": "Area"},
    "report.col.kode": {"id": "Kode", "en": "Code"},
    "report.col.campaign": {"id": "Kegiatan", "en": "Campaign"},
    "report.col.expected": {"id": "Target", "en": "Expected"},
    "report.col.verified": {"id": "Terverifikasi", "en": "Verified"},
    "report.col.submitted": {"id": "Menunggu verifikasi", "en": "Waiting for review"},
    "report.col.draft": {"id": "Draf", "en": "Draft"},
    "report.col.rejected": {"id": "Ditolak", "en": "Rejected"},
    "report.col.completeness": {"id": "Kelengkapan (%)", "en": "Completeness (%)"},
    "report.col.late_days": {"id": "Terlambat (hari)", "en": "Late (days)"},
    "report.col.timeliness": {"id": "Ketepatan waktu", "en": "Timeliness"},
    "report.col.last_change": {"id": "Verifikasi terakhir", "en": "Last verified"},
    "report.col.pics": {"id": "PIC", "en": "PIC"},
}

MESSAGES |= {
    "pantauan.title": {"id": "Pantauan pendataan", "en": "Data collection monitor"},
    "pantauan.public_title": {
        "id": "Kelengkapan Satu Data per kelurahan",
        "en": "Satu Data coverage per kelurahan",
    },
    "pantauan.sample": {
        "id": "Kegiatan bertanda (contoh) adalah contoh; angkanya bukan data resmi.",
        "en": "Campaigns marked (sample) are samples; their figures are not official.",
    },
    "pantauan.kode": {"id": "Kode wilayah", "en": "Area code"},
    "pantauan.open": {"id": "Tampilkan", "en": "Show"},
    "pantauan.up": {"id": "Naik satu tingkat", "en": "Up one level"},
    "pantauan.map": {"id": "Peta kelengkapan", "en": "Completeness map"},
    "pantauan.table": {"id": "Kelengkapan per wilayah", "en": "Completeness per area"},
    "pantauan.area": {"id": "Wilayah", "en": "Area"},
    "pantauan.overall": {"id": "Rata-rata", "en": "Mean"},
    "pantauan.late_days": {"id": "Terlambat (hari)", "en": "Late (days)"},
    "pantauan.sort": {"id": "Urutkan", "en": "Sort"},
    "pantauan.late": {"id": "Yang terlambat", "en": "Who is late"},
    "pantauan.none_late": {"id": "Tidak ada yang terlambat.", "en": "Nobody is late."},
    "pantauan.no_pic": {"id": "belum ada PIC", "en": "no PIC yet"},
    "pantauan.editor": {"id": "buka editor", "en": "open the editor"},
    "pantauan.late_line": {
        "id": "{name}: {campaign}, {days} hari terlambat",
        "en": "{name}: {campaign}, {days} days late",
    },
    "pantauan.quality": {"id": "Antrean kualitas data", "en": "Data quality queue"},
    "pantauan.quality_empty": {"id": "Tidak ada temuan terbuka.", "en": "No open finding."},
    "pantauan.decision.keep_both": {"id": "Simpan keduanya", "en": "Keep both"},
    "pantauan.decision.merge": {"id": "Gabungkan", "en": "Merge"},
    "pantauan.decision.move": {"id": "Pindahkan", "en": "Move"},
    "pantauan.decision.correct": {"id": "Tandai benar", "en": "Mark as correct"},
    "pantauan.decided": {"id": "Keputusan tersimpan.", "en": "Decision saved."},
    "pantauan.report": {"id": "Laporan koordinasi", "en": "Coordination report"},
    "pantauan.network": {
        "id": "Tidak tersambung ke server; coba lagi.",
        "en": "Cannot reach the server; try again.",
    },
}
