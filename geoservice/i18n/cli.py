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
}
