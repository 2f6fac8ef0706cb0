"""The data catalog (``dataset.*``, ``/katalog``): its problems and the labels of its pages."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    "dataset.unknown": {
        "id": "Dataset '{id}' tidak ada di katalog. Daftar dataset ada di /datasets.",
        "en": "There is no dataset '{id}' in the catalogue. /datasets lists them.",
    },
}

#: the labels of /katalog and /katalog/{id} (handed whole to their templates as ``k``)
CATALOG_LABELS: Messages = {
    "cat.title": {"id": "Katalog data", "en": "Data catalogue"},
    "cat.intro": {
        "id": "Semua dataset yang dapat Anda lihat, dengan metadata Satu Data Indonesia. "
        "Portal data (CKAN) memanen katalog ini dari {dcat}.",
        "en": "Every dataset you may see, with its Satu Data Indonesia metadata. Data portals "
        "(CKAN) harvest this catalogue from {dcat}.",
    },
    "cat.search": {"id": "Cari kata", "en": "Search words"},
    "cat.theme": {"id": "Tema", "en": "Theme"},
    "cat.opd": {"id": "Produsen data (OPD)", "en": "Data producer (OPD)"},
    "cat.area": {"id": "Wilayah", "en": "Area"},
    "cat.all": {"id": "Semua", "en": "All"},
    "cat.apply": {"id": "Cari", "en": "Search"},
    "cat.found": {"id": "dataset ditemukan", "en": "datasets found"},
    "cat.none": {"id": "Tidak ada dataset yang cocok.", "en": "No dataset matches."},
    "cat.quality": {"id": "Kualitas metadata", "en": "Metadata quality"},
    "cat.sample": {"id": "CONTOH", "en": "SAMPLE"},
    "cat.restricted": {"id": "Terbatas", "en": "Restricted"},
    "cat.closed": {"id": "Tertutup", "en": "Closed"},
    "cat.metadata": {"id": "Metadata", "en": "Metadata"},
    "cat.downloads": {"id": "Unduh", "en": "Download"},
    "cat.services": {"id": "API dan tile untuk GIS", "en": "API and tiles for GIS"},
    "cat.preview": {"id": "Pratinjau peta", "en": "Map preview"},
    "cat.missing": {"id": "Metadata yang belum diisi", "en": "Metadata still missing"},
    "cat.back": {"id": "Kembali ke katalog", "en": "Back to the catalogue"},
    "cat.count": {"id": "Jumlah data", "en": "Records"},
    "cat.modified": {"id": "Perubahan terakhir", "en": "Last change"},
    "cat.temporal": {"id": "Cakupan waktu", "en": "Time covered"},
    "cat.bbox": {"id": "Batas koordinat (bbox)", "en": "Bounding box"},
    "field.judul": {"id": "Judul", "en": "Title"},
    "field.deskripsi": {"id": "Deskripsi", "en": "Description"},
    "field.produsen_data": {"id": "Produsen data", "en": "Data producer"},
    "field.walidata": {"id": "Walidata", "en": "Data steward (walidata)"},
    "field.pembina_data": {"id": "Pembina data", "en": "Data supervisor (pembina)"},
    "field.kode_referensi": {"id": "Kode referensi", "en": "Reference code"},
    "field.konsep": {"id": "Konsep", "en": "Concept"},
    "field.definisi": {"id": "Definisi", "en": "Definition"},
    "field.satuan": {"id": "Satuan", "en": "Unit"},
    "field.klasifikasi": {"id": "Klasifikasi", "en": "Classification"},
    "field.frekuensi": {"id": "Frekuensi", "en": "Frequency"},
    "field.cakupan_wilayah": {"id": "Cakupan wilayah", "en": "Area covered"},
    "field.tingkat_penyajian": {"id": "Tingkat penyajian", "en": "Level of presentation"},
    "field.periode": {"id": "Periode", "en": "Period"},
    "field.lisensi": {"id": "Lisensi", "en": "Licence"},
    "field.kontak": {"id": "Kontak", "en": "Contact"},
    "field.sifat": {"id": "Sifat data", "en": "Access"},
    "field.kata_kunci": {"id": "Kata kunci", "en": "Keywords"},
    "field.tema": {"id": "Tema", "en": "Themes"},
    "rating.sangat_baik": {"id": "sangat baik", "en": "excellent"},
    "rating.baik": {"id": "baik", "en": "good"},
    "rating.cukup": {"id": "cukup", "en": "sufficient"},
    "rating.kurang": {"id": "kurang", "en": "poor"},
    "dim.findability": {"id": "Mudah ditemukan", "en": "Findability"},
    "dim.accessibility": {"id": "Mudah diakses", "en": "Accessibility"},
    "dim.interoperability": {"id": "Interoperabilitas", "en": "Interoperability"},
    "dim.reusability": {"id": "Dapat digunakan ulang", "en": "Reusability"},
    "dim.contextuality": {"id": "Konteks", "en": "Contextuality"},
    # the checks of the quality score (services/datasets/quality.py WEIGHTS), as the walidata
    # reads them in "what is still missing"
    "check.kata_kunci": {"id": "Kata kunci", "en": "Keywords"},
    "check.tema": {"id": "Tema", "en": "Themes"},
    "check.cakupan_wilayah": {"id": "Cakupan wilayah", "en": "Area covered"},
    "check.cakupan_waktu": {"id": "Cakupan waktu (periode)", "en": "Time covered (period)"},
    "check.access_url": {"id": "Alamat akses (API)", "en": "Access address (API)"},
    "check.download_url": {"id": "Tautan unduhan", "en": "Download link"},
    "check.format": {"id": "Format setiap unduhan", "en": "Format of every download"},
    "check.format_terbuka": {
        "id": "Unduhan dalam format terbuka",
        "en": "A download in an open format",
    },
    "check.tipe_media": {
        "id": "Tipe media setiap distribusi",
        "en": "Media type of every distribution",
    },
    "check.kode_referensi": {"id": "Kode referensi", "en": "Reference code"},
    "check.lisensi": {"id": "Lisensi", "en": "Licence"},
    "check.lisensi_kosakata": {
        "id": "Lisensi dari daftar baku (mis. CC-BY-4.0)",
        "en": "A licence from the standard list (e.g. CC-BY-4.0)",
    },
    "check.sifat": {"id": "Sifat data", "en": "Access"},
    "check.kontak": {"id": "Kontak", "en": "Contact"},
    "check.produsen_data": {"id": "Produsen data", "en": "Data producer"},
    "check.walidata": {"id": "Walidata", "en": "Data steward (walidata)"},
    "check.pembina_data": {"id": "Pembina data", "en": "Data supervisor (pembina)"},
    "check.deskripsi": {"id": "Deskripsi", "en": "Description"},
    "check.konsep": {"id": "Konsep", "en": "Concept"},
    "check.definisi": {"id": "Definisi", "en": "Definition"},
    "check.satuan": {"id": "Satuan", "en": "Unit"},
    "check.klasifikasi": {"id": "Klasifikasi", "en": "Classification"},
    "check.frekuensi": {"id": "Frekuensi", "en": "Frequency"},
    "check.perubahan_terakhir": {
        "id": "Tanggal perubahan terakhir (belum ada data)",
        "en": "Date of the last change (no data yet)",
    },
    "cat.score": {"id": "Skor", "en": "Score"},
    "cat.dataset": {"id": "Dataset", "en": "Dataset"},
    "cat.monitor": {
        "id": "Kualitas metadata dataset, dari yang paling kurang. Lengkapi metadata di berkas "
        "YAML dataset (blok metadata:) atau di layers/catalog.yaml.",
        "en": "Metadata quality of each dataset, weakest first. Complete the metadata in the "
        "dataset's YAML file (its metadata: block) or in layers/catalog.yaml.",
    },
    "kind.boundary": {"id": "Batas wilayah", "en": "Boundaries"},
    "kind.layer": {"id": "Titik fasilitas", "en": "Facility points"},
    "kind.indicator": {"id": "Indikator", "en": "Indicator"},
    "kind.profile": {"id": "Profil kelurahan", "en": "Kelurahan profile"},
    "kind.raster": {"id": "Raster", "en": "Raster"},
}
