"""Messages of the service workers and the read replicas (``geoservice serve --workers``,
``geoservice db replica``)."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    "replicas.too_many_connections": {
        "id": "{workers} proses layanan membuka hingga {needed} koneksi ke {server} ({each} per "
        "proses), tetapi server itu hanya menerima {available} (max_connections {max} dikurangi "
        "{reserved} untuk superuser). Kurangi GEOSERVICE_WORKERS atau "
        "GEOSERVICE_MAX_ACTIVE_REQUESTS, atau naikkan max_connections server.",
        "en": "{workers} service processes open up to {needed} connections to {server} ({each} "
        "per process), but that server accepts only {available} (max_connections {max} minus "
        "{reserved} reserved for superusers). Lower GEOSERVICE_WORKERS or "
        "GEOSERVICE_MAX_ACTIVE_REQUESTS, or raise the server's max_connections.",
    },
    "replicas.connections_ok": {
        "id": "{workers} proses layanan x {each} koneksi = {needed} dari {available} koneksi "
        "{server}.",
        "en": "{workers} service processes x {each} connections = {needed} of {server}'s "
        "{available} connections.",
    },
    "replicas.standby_started": {
        "id": "replika siaga (hot standby) berjalan di 127.0.0.1:{port} (data di {path}); "
        "GEOSERVICE_REPLICA_URLS={url}",
        "en": "hot standby running on 127.0.0.1:{port} (data in {path}); "
        "GEOSERVICE_REPLICA_URLS={url}",
    },
    "replicas.standby_running": {
        "id": "replika siaga di 127.0.0.1:{port} sudah berjalan",
        "en": "the hot standby on 127.0.0.1:{port} is already running",
    },
    "replicas.standby_stopped": {
        "id": "replika siaga di 127.0.0.1:{port} dihentikan",
        "en": "the hot standby on 127.0.0.1:{port} stopped",
    },
    "replicas.standby_status": {
        "id": "replika 127.0.0.1:{port}: {state}; WAL diputar ulang sampai {replayed}, primer di "
        "{primary}",
        "en": "standby 127.0.0.1:{port}: {state}; WAL replayed up to {replayed}, primary at "
        "{primary}",
    },
    "replicas.not_embedded": {
        "id": "GEOSERVICE_DATABASE_URL diisi: replika lokal hanya dibuat dari klaster bawaan; "
        "untuk server lain gunakan pg_basebackup -R sendiri (lihat docs/replicas.md)",
        "en": "GEOSERVICE_DATABASE_URL is set: a local standby is only made of the embedded "
        "cluster; for another server run pg_basebackup -R yourself (see docs/replicas.md)",
    },
}
