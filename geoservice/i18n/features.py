"""OGC API Features: collections, items, queries and their parameters."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    "collection_not_found": {
        "id": "Koleksi '{collection}' tidak ada. Koleksi yang tersedia: {available}.",
        "en": "Collection '{collection}' does not exist. Available: {available}.",
    },
    "features.bbox": {
        "id": "bbox '{value}' tidak valid: gunakan minx,miny,maxx,maxy dalam derajat (CRS84), "
        "mis. 111.9,-7.9,112.1,-7.7",
        "en": "invalid bbox '{value}': use minx,miny,maxx,maxy in degrees (CRS84), "
        "e.g. 111.9,-7.9,112.1,-7.7",
    },
    "features.bbox_projected": {
        "id": "bbox '{value}' tidak valid: gunakan minx,miny,maxx,maxy dalam {crs}",
        "en": "invalid bbox '{value}': use minx,miny,maxx,maxy in {crs}",
    },
    "features.crs": {
        "id": "{name} '{value}' tidak didukung; yang didukung: {supported}",
        "en": "{name} '{value}' is not supported; supported: {supported}",
    },
    "features.crs_domain": {
        "id": "koordinat di luar wilayah yang dicakup {crs}; pilih CRS zona setempat atau CRS84",
        "en": "coordinates outside the area {crs} covers; choose the local zone's CRS or CRS84",
    },
    "features.datetime": {
        "id": "datetime '{value}' tidak valid: gunakan tanggal atau waktu RFC 3339, atau "
        "selang awal/akhir (.. untuk terbuka), mis. 2025-01-01/.. atau 2025-03-01T08:00:00Z",
        "en": "invalid datetime '{value}': use an RFC 3339 date or date-time, or an interval "
        "start/end (.. when open), e.g. 2025-01-01/.. or 2025-03-01T08:00:00Z",
    },
    "features.kode": {
        "id": "kode '{value}' bukan awalan kode Kemendagri (mis. 35.71 atau 35.71.01)",
        "en": "kode '{value}' is not a Kemendagri code prefix (e.g. 35.71 or 35.71.01)",
    },
    "features.limit": {
        "id": "limit '{value}' tidak valid: bilangan bulat 1 sampai {maximum}",
        "en": "invalid limit '{value}': a whole number from 1 to {maximum}",
    },
    "features.simplify": {
        "id": "simplify '{value}' tidak valid: toleransi dalam meter, di atas 0 s.d. {maximum}",
        "en": "invalid simplify '{value}': a tolerance in metres, above 0 up to {maximum}",
    },
    "features.offset": {
        "id": "offset '{value}' tidak valid: bilangan bulat 0 atau lebih",
        "en": "invalid offset '{value}': a whole number, 0 or more",
    },
    "features.unknown_property": {
        "id": "properti tidak dikenal: {names}; properti yang ada: {allowed}",
        "en": "unknown properties: {names}; available: {allowed}",
    },
    "features.unknown_parameter": {
        "id": "parameter tidak dikenal: {names}; yang diterima: {allowed}",
        "en": "unknown parameters: {names}; accepted: {allowed}",
    },
    "features.filter_lang": {
        "id": "filter-lang '{value}' tidak didukung; gunakan cql2-text atau cql2-json",
        "en": "filter-lang '{value}' is not supported; use cql2-text or cql2-json",
    },
    "features.filter_syntax": {
        "id": "filter CQL2 tidak bisa dibaca: {reason}",
        "en": "the CQL2 filter cannot be parsed: {reason}",
    },
    "features.filter_unsupported": {
        "id": "filter CQL2 memakai operasi yang tidak didukung ({reason})",
        "en": "the CQL2 filter uses an operation that is not supported ({reason})",
    },
    "features.filter_types": {
        "id": "filter membandingkan properti dengan nilai bertipe lain (mis. teks dengan angka)",
        "en": "the filter compares a property with a value of another type (e.g. text with a "
        "number)",
    },
    "features.format": {
        "id": "format '{value}' tidak tersedia; pilih salah satu: {formats}",
        "en": "format '{value}' is not available; choose one of: {formats}",
    },
    "features.item_not_found": {
        "id": "fitur '{item}' tidak ada di koleksi '{collection}'",
        "en": "feature '{item}' is not in collection '{collection}'",
    },
}
