"""The kelurahan profile (``profile.*``): value checks, the form and period of a request, the
workflow and the differences with the map. Plain sentences for a kelurahan PIC."""

from __future__ import annotations

from geoservice.i18n.language import Messages

#: the message of a value that is not of its field's type, per field type
TYPE_MESSAGES = {
    "integer": "profile.type.integer",
    "decimal": "profile.type.decimal",
    "text": "profile.type.text",
    "yes_no": "profile.type.yes_no",
    "date": "profile.type.date",
}

MESSAGES: Messages = {
    "profile.unknown": {
        "id": "isian ini tidak ada dalam formulir.",
        "en": "this field is not part of the form.",
    },
    "profile.derived": {
        "id": "angka ini dihitung otomatis dari peta dan data lain, jadi tidak perlu diisi.",
        "en": "this figure is computed from the map and other data; it is not filled in.",
    },
    "profile.required": {"id": "wajib diisi.", "en": "is required."},
    "profile.type.integer": {
        "id": "isi dengan bilangan bulat, misalnya 12.",
        "en": "enter a whole number, for example 12.",
    },
    "profile.type.decimal": {
        "id": "isi dengan angka, misalnya 2,5.",
        "en": "enter a number, for example 2.5.",
    },
    "profile.type.text": {"id": "isi dengan teks.", "en": "enter text."},
    "profile.type.yes_no": {"id": "pilih ya atau tidak.", "en": "choose yes or no."},
    "profile.type.date": {
        "id": "isi dengan tanggal, misalnya 2025-08-17.",
        "en": "enter a date, for example 2025-08-17.",
    },
    "profile.min": {"id": "paling sedikit {limit}.", "en": "must be at least {limit}."},
    "profile.max": {"id": "paling banyak {limit}.", "en": "must be at most {limit}."},
    "profile.max_length": {
        "id": "paling banyak {limit} karakter.",
        "en": "takes at most {limit} characters.",
    },
    "profile.control": {
        "id": "berisi karakter tersembunyi yang tidak bisa disimpan; ketik ulang isiannya.",
        "en": "holds hidden characters that cannot be stored; type it again.",
    },
    "profile.choice": {
        "id": "pilih salah satu dari: {choices}.",
        "en": "choose one of: {choices}.",
    },
    "profile.choices": {
        "id": "pilih satu atau lebih dari: {choices}.",
        "en": "choose one or more of: {choices}.",
    },
    "profile.constraint": {
        "id": "isiannya tidak memenuhi aturan formulir.",
        "en": "the value breaks a rule of the form.",
    },
    "profile.form_unknown": {
        "id": "Formulir profil \u201c{form}\u201d tidak ada. Formulir yang ada: {forms}.",
        "en": "There is no profile form \u201c{form}\u201d. The forms are: {forms}.",
    },
    "profile.kelurahan_unknown": {
        "id": "Desa/kelurahan dengan kode {code} tidak ada.",
        "en": "There is no desa/kelurahan with code {code}.",
    },
    "profile.period": {
        "id": "Periode \u201c{period}\u201d tidak sesuai dengan formulir ini; tulis periodenya "
        "seperti {example}.",
        "en": "Period \u201c{period}\u201d does not fit this form; write it like {example}.",
    },
    "profile.not_your_kelurahan": {
        "id": "Anda tidak dapat mengubah profil desa/kelurahan {code}; yang dapat Anda ubah: "
        "{yours}.",
        "en": "You cannot change the profile of desa/kelurahan {code}; yours: {yours}.",
    },
    "profile.review_only": {
        "id": "Hanya walidata (admin) yang dapat memverifikasi atau menolak profil.",
        "en": "Only the walidata (admin) verifies or rejects a profile.",
    },
    "profile.not_found": {
        "id": "Profil {form} desa/kelurahan {code} periode {period} belum pernah diisi.",
        "en": "The {form} profile of desa/kelurahan {code} for {period} has not been filled in.",
    },
    "profile.body": {
        "id": 'Kirim objek JSON seperti {{"values": {{"jumlah_rt": 19}}}}.',
        "en": 'Send a JSON object such as {{"values": {{"jumlah_rt": 19}}}}.',
    },
    "profile.transition": {
        "id": "Profil berstatus {status} tidak dapat di-{step}; hanya dari status: {allowed}.",
        "en": "A profile in status {status} cannot be {step}ed; only from: {allowed}.",
    },
    "profile.difference": {
        "id": "{typed_title} diisi {typed}, sedangkan di peta ada {derived} ({derived_title}); "
        "mohon periksa atau jelaskan selisihnya.",
        "en": "{typed_title} is {typed}, while the map holds {derived} ({derived_title}); "
        "please check or explain the difference.",
    },
    # the /profil page and its script
    "profile.page.title": {"id": "Profil desa/kelurahan", "en": "Desa/kelurahan profile"},
    "profile.page.kelurahan": {"id": "Desa/kelurahan", "en": "Desa/kelurahan"},
    "profile.page.period": {"id": "Periode", "en": "Period"},
    "profile.page.open": {"id": "Buka", "en": "Open"},
    "profile.page.code_hint": {
        "id": "Kode Kemendagri, misalnya 35.71.01.1001",
        "en": "Kemendagri code, for example 35.71.01.1001",
    },
    "profile.page.sample": {
        "id": "Formulir dan isian contoh, bukan data resmi.",
        "en": "A sample form with sample values, not official data.",
    },
    "profile.page.no_kelurahan": {
        "id": "Akun Anda belum diberi desa/kelurahan; hubungi walidata.",
        "en": "Your account has no desa/kelurahan yet; ask the walidata.",
    },
    "profile.page.derived": {
        "id": "dihitung otomatis dari peta dan data lain",
        "en": "computed from the map and other data",
    },
    "profile.page.choose": {"id": "\u2014 pilih \u2014", "en": "\u2014 choose \u2014"},
    "profile.page.yes": {"id": "Ya", "en": "Yes"},
    "profile.page.no": {"id": "Tidak", "en": "No"},
    "profile.page.save": {"id": "Simpan draf", "en": "Save draft"},
    "profile.page.submit": {"id": "Kirim untuk verifikasi", "en": "Submit for verification"},
    "profile.page.verify": {"id": "Verifikasi", "en": "Verify"},
    "profile.page.reject": {"id": "Tolak", "en": "Reject"},
    "profile.page.reason": {"id": "Alasan penolakan", "en": "Reason for rejection"},
    "profile.page.previous": {"id": "Periode {period}: {value}", "en": "Period {period}: {value}"},
    "profile.page.prefilled": {
        "id": "Isian diambil dari periode {period}. Periksa, ubah yang berubah, lalu simpan.",
        "en": "Values taken from period {period}. Check them, change what changed, then save.",
    },
    "profile.page.saved": {"id": "Draf tersimpan.", "en": "Draft saved."},
    "profile.page.sent": {"id": "Terkirim untuk verifikasi.", "en": "Submitted for verification."},
    "profile.page.verified": {"id": "Profil diverifikasi.", "en": "Profile verified."},
    "profile.page.rejected": {"id": "Profil ditolak.", "en": "Profile rejected."},
    "profile.page.stale": {
        "id": "Profil ini baru saja diubah orang lain. Muat ulang halaman untuk melihat isian "
        "terbaru.",
        "en": "Someone else just changed this profile. Reload the page to see the latest values.",
    },
    "profile.page.network": {
        "id": "Tidak tersambung ke server; isian belum tersimpan. Coba lagi.",
        "en": "No connection to the server; nothing was saved. Try again.",
    },
    "profile.page.read_only": {
        "id": "Anda hanya dapat melihat profil ini.",
        "en": "You can only read this profile.",
    },
    "profile.page.changes": {
        "id": "Diubah sejak verifikasi terakhir",
        "en": "Changed since the last verification",
    },
    "profile.page.differences": {
        "id": "Selisih dengan peta",
        "en": "Differences with the map",
    },
    "profile.page.status": {"id": "Status: {status}", "en": "Status: {status}"},
    "profile.page.status_none": {"id": "belum diisi", "en": "not filled in"},
    "profile.page.status_draft": {"id": "draf", "en": "draft"},
    "profile.page.status_submitted": {
        "id": "menunggu verifikasi",
        "en": "waiting for verification",
    },
    "profile.page.status_verified": {"id": "terverifikasi", "en": "verified"},
    "profile.page.status_rejected": {"id": "ditolak: {reason}", "en": "rejected: {reason}"},
    "profile.page.waiting": {
        "id": "Profil menunggu verifikasi",
        "en": "Profiles waiting for verification",
    },
    "profile.page.changed_fields": {
        "id": "{count} isian berubah",
        "en": "{count} field(s) changed",
    },
    "profile.stats.title": {"id": "{title} (profil)", "en": "{title} (profile)"},
    "profile.collection.description": {
        "id": "Profil desa/kelurahan yang sudah diverifikasi walidata, periode {period} (pilih "
        "periode lain dengan ?period=); isian terbatas hanya untuk perencana dan admin.",
        "en": "Desa/kelurahan profiles verified by the walidata, period {period} (another "
        "period with ?period=); restricted fields for planners and admins only.",
    },
    "profile.field_unknown": {
        "id": "Formulir {form} tidak punya isian angka \u201c{field}\u201d yang bisa dipetakan. "
        "Isian yang bisa: {fields}.",
        "en": "Form {form} has no numeric field \u201c{field}\u201d to map. The fields are: "
        "{fields}.",
    },
    "profile.no_period_values": {
        "id": "Belum ada profil {form} yang diverifikasi untuk periode {period}; periode yang ada: "
        "{periods}.",
        "en": "No profile {form} is verified for period {period}; the periods are: {periods}.",
    },
    "profile.no_compare": {
        "id": "Peta isian profil tidak membandingkan dua periode; hapus parameter {name}.",
        "en": "A profile field's map does not compare periods; leave out {name}.",
    },
}
