"""Text the map pages' scripts show, handed to them in the page (``{name}`` is filled in there)."""

from __future__ import annotations

from geoservice.i18n.language import Messages

SCRIPT_LABELS: Messages = {
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
    "import_mapping_title": {
        "id": "Kolom yang judulnya mirip indikator",
        "en": "Columns whose titles look like an indicator",
    },
    "import_mapping_column": {"id": "Kolom “{column}” berisi", "en": "Column “{column}” holds"},
    "import_mapping_skip": {"id": "(jangan dipakai)", "en": "(do not use)"},
    "import_mapping_hint": {
        "id": "Periksa pilihan ini, lalu tekan Periksa lagi atau Simpan: pilihan ikut terkirim.",
        "en": "Check these choices, then press Check again or Save: they are sent along.",
    },
    "withheld": {"id": "Disembunyikan (nilai kecil)", "en": "Withheld (small value)"},
    "change": {"id": "Perubahan {from} → {to}", "en": "Change {from} → {to}"},
    "sample_data": {
        "id": "Data contoh (sampel), bukan data resmi.",
        "en": "Sample data, not official figures.",
    },
    "facilities": {"id": "Fasilitas terverifikasi", "en": "Verified facilities"},
    "yes": {"id": "Ya", "en": "Yes"},
    "no": {"id": "Tidak", "en": "No"},
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
    "precondition_failed.detail": {
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

#: Each status of a point (db.models.FACILITY_STATUSES) as the editor names it
#: (editor.js: ``label("status." + status)``).
STATUS_LABELS: dict[str, str] = {
    "draft": "status.draft",
    "submitted": "status.submitted",
    "verified": "status.verified",
    "rejected": "status.rejected",
}
