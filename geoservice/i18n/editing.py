"""Writes of facility points, their review, and the change log."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
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
        "id": "Periksa nama: {text}. Jika memang benar, simpan sekali lagi untuk menegaskannya.",
        "en": "Check the name: {text}. If it is right, save once more to confirm it.",
    },
    "edit.transition": {
        "id": "Langkah '{step}' tidak bisa dari status '{status}' (hanya dari: {allowed}).",
        "en": "Step '{step}' is not possible from status '{status}' (only from: {allowed}).",
    },
    "edit.reason_missing": {
        "id": "Tuliskan alasan penolakan agar PIC tahu apa yang harus diperbaiki.",
        "en": "Write the reason for the rejection, so the PIC knows what to fix.",
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
}

#: The header of each column of the change log (points.history.CHANGE_LOG_COLUMNS).
CHANGE_LOG_HEADERS: dict[str, str] = {
    "changed_at": "changelog.changed_at",
    "collection": "changelog.collection",
    "id": "changelog.id",
    "version": "changelog.version",
    "operation": "changelog.operation",
    "changed_by": "changelog.changed_by",
    "status": "changelog.status",
    "rejection_reason": "changelog.rejection_reason",
    "kelurahan": "changelog.kelurahan",
    "moved_m": "changelog.moved_m",
    "changes": "changelog.changes",
    "lon": "changelog.lon",
    "lat": "changelog.lat",
}

#: Each operation of a point's history (db.models.HISTORY_OPERATIONS), as the change log says it.
OPERATIONS: dict[str, str] = {
    "create": "operation.create",
    "update": "operation.update",
    "delete": "operation.delete",
    "restore": "operation.restore",
    "submit": "operation.submit",
    "verify": "operation.verify",
    "reject": "operation.reject",
}
