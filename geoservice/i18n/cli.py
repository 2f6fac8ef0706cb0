"""Messages of the command line (imports, backup and restore)."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
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
    "cli.column.file": {"id": "berkas", "en": "file"},
    "cli.column.rows": {"id": "baris", "en": "rows"},
    "cli.column.loaded": {"id": "dimuat", "en": "loaded"},
    "cli.column.new": {"id": "baru", "en": "new"},
    "cli.column.updated": {"id": "berubah", "en": "updated"},
    "cli.column.unchanged": {"id": "tetap", "en": "unchanged"},
    "cli.column.repaired": {"id": "diperbaiki", "en": "repaired"},
    "cli.column.rejected": {"id": "ditolak", "en": "rejected"},
    "cli.derived": {"id": "dibentuk dengan dissolve", "en": "derived by dissolve"},
    "cli.row": {"id": "baris {row}", "en": "row {row}"},
    "cli.file_level": {"id": "berkas", "en": "file"},
    "cli.more": {"id": "… {more} lagi", "en": "… {more} more"},
    "cli.report_written": {"id": "laporan: {path}", "en": "report: {path}"},
    "cli.rows_rejected": {
        "id": "{rejected} baris ditolak: tidak ada yang disimpan (perbaiki, atau pakai "
        "--skip-bad-rows)",
        "en": "{rejected} row(s) rejected: nothing was written (fix them, or use --skip-bad-rows)",
    },
    "cli.rows_skipped": {"id": "{rejected} baris dilewati", "en": "{rejected} row(s) skipped"},
    "cli.errors_nothing_written": {
        "id": "{errors} kesalahan: tidak ada yang disimpan",
        "en": "{errors} error(s): nothing was written",
    },
    "cli.dry_run": {
        "id": "uji coba: tidak ada yang disimpan",
        "en": "dry run: nothing was written",
    },
}
