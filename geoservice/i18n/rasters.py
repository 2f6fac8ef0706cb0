"""Rasters (``raster.*``): the import's checks and stages, the API's answers and the sample
note. Plain sentences for whoever prepares the file."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    "raster.unknown": {
        "id": "raster '{id}' tidak ada",
        "en": "there is no raster '{id}'",
    },
    "raster.unknown_id": {
        "id": "raster '{id}' tidak terdaftar di layers/rasters/; yang ada: {known}",
        "en": "raster '{id}' is not declared in layers/rasters/; declared: {known}",
    },
    "raster.not_imported": {
        "id": "raster '{id}' belum diimpor (geoservice import raster {id} BERKAS)",
        "en": "raster '{id}' has not been imported yet (geoservice import raster {id} FILE)",
    },
    "raster.unknown_scope": {
        "id": "tidak ada wilayah dengan kode {kode}",
        "en": "there is no area with code {kode}",
    },
    "raster.scope_required": {
        "id": "sebutkan wilayahnya dengan kode, misalnya kode=35.71",
        "en": "name the area by its code, for example kode=35.71",
    },
    "raster.unreadable": {
        "id": "berkas {name} bukan GeoTIFF yang bisa dibaca",
        "en": "{name} is not a readable GeoTIFF",
    },
    "raster.no_crs": {
        "id": "berkas tidak menyebut sistem koordinatnya (CRS); simpan ulang dengan CRS, "
        "misalnya EPSG:4326 atau EPSG:32749",
        "en": "the file names no coordinate reference system (CRS); save it again with one, "
        "for example EPSG:4326 or EPSG:32749",
    },
    "raster.no_georeference": {
        "id": "berkas tidak punya georeferensi (letak sel di peta tidak diketahui)",
        "en": "the file has no georeference (where its cells lie is unknown)",
    },
    "raster.bands": {
        "id": "berkas punya {bands} band; raster di sini harus satu band",
        "en": "the file has {bands} bands; a raster here must have exactly one",
    },
    "raster.no_nodata": {
        "id": "berkas tidak menyebut nilai nodata, dan layers/rasters/ juga tidak (nodata:)",
        "en": "neither the file nor its layers/rasters/ file (nodata:) names the nodata value",
    },
    "raster.nodata_differs": {
        "id": "nodata berkas ({file}) berbeda dengan yang dideklarasikan ({declared})",
        "en": "the file's nodata ({file}) differs from the declared one ({declared})",
    },
    "raster.outside": {
        "id": "raster berada di luar Indonesia (batas {bounds}); periksa CRS-nya",
        "en": "the raster lies outside Indonesia (bounds {bounds}); check its CRS",
    },
    "raster.categorical_dtype": {
        "id": "raster kategori harus berisi bilangan bulat, bukan {dtype}",
        "en": "a categorical raster must hold integers, not {dtype}",
    },
    "raster.unknown_classes": {
        "id": "raster berisi kelas {values} yang tidak dideklarasikan (kelas: {classes})",
        "en": "the raster holds classes {values} that are not declared (classes: {classes})",
    },
    "raster.stage.check": {"id": "memeriksa berkas", "en": "checking the file"},
    "raster.stage.cog": {
        "id": "menulis COG dan overview",
        "en": "writing the COG and its overviews",
    },
    "raster.stage.checksum": {"id": "menghitung SHA-256", "en": "computing SHA-256"},
    "raster.stage.statistics": {
        "id": "statistik per desa/kelurahan",
        "en": "statistics per desa/kelurahan",
    },
    "raster.cli_written": {
        "id": "{id}: {path} ({size} byte, sha256 {sha256}, {crs}, {width}×{height} sel)",
        "en": "{id}: {path} ({size} bytes, sha256 {sha256}, {crs}, {width}×{height} cells)",
    },
    "raster.cli_indicators": {
        "id": "{raster}: {count} nilai indikator ditulis ({codes}), periode {year}",
        "en": "{raster}: {count} indicator values written ({codes}), period {year}",
    },
    "raster.cli_waiting": {
        "id": "{raster}: indikator menunggu raster {needs} diimpor",
        "en": "{raster}: its indicators wait for raster {needs} to be imported",
    },
    "raster.page.title": {"id": "Lapisan raster", "en": "Raster overlay"},
    "raster.page.none": {"id": "Tanpa raster", "en": "No raster"},
    "raster.page.opacity": {"id": "Kepekatan", "en": "Opacity"},
    "raster.page.no_legend": {
        "id": "Legenda tidak dapat dimuat.",
        "en": "The legend could not be loaded.",
    },
    "raster.sample_note": {
        "id": "Data contoh: nilai dibangkitkan, bukan hasil sensus atau pengukuran.",
        "en": "Sample data: generated values, not a census or a measurement.",
    },
}
