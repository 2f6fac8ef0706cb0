"""Vector tiles: zoom and tile index."""

from __future__ import annotations

from geoservice.i18n.language import Messages

MESSAGES: Messages = {
    "tiles.zoom": {
        "id": "zoom {z} di luar rentang 0 sampai {maximum}",
        "en": "zoom {z} is outside 0 to {maximum}",
    },
    "tiles.index": {
        "id": "ubin {z}/{x}/{y} tidak ada: pada zoom {z}, x dan y bernilai 0 sampai {last}",
        "en": "there is no tile {z}/{x}/{y}: at zoom {z}, x and y run from 0 to {last}",
    },
}
