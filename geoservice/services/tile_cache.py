"""The in-process cache of built vector tiles, and what empties exactly the tiles that changed.

A tile is cached under (collection, z, x, y, internal), ``collection`` being ``*`` for the
composite tile. Changes reach the cache from PostgreSQL: the facility table announces every
committed change on channel ``geoservice_tiles`` (migration 0002) with the layer and the old and
new position, and the boundary import announces that boundaries changed. A listener thread per
process drops, for every zoom, the few tiles whose buffered extent holds such a point (and the
composite tiles at the same addresses); a boundary change drops every boundary and composite
tile. So whoever writes (this process, another worker, a CLI import), the next request sees it.

A tile built from a snapshot older than an invalidation that happened meanwhile is not stored
(the cache's generation moved on), so an edit racing a tile build never sticks in the cache.
With hot standbys (``geoservice.db.servers``) the listener listens on the primary (standbys
do not replay NOTIFY) and notes the primary's WAL position after each change; a tile built on
a standby that had not replayed that far when the build began is served but not stored, so a
dropped tile never comes back stale from a standby that lags.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from geoservice.db.servers import parse_lsn

log = logging.getLogger("geoservice.tiles")

CHANNEL = "geoservice_tiles"
COMPOSITE = "*"
MAX_ZOOM = 22
#: The tile buffer of the tile queries (64 of 4096 units): a point this close to a tile's edge
#: is drawn in the neighbouring tile too.
BUFFER = 64 / 4096

TileKey = tuple[str, int, int, int, bool]


@dataclass
class CachedTile:
    """A built tile and its strong ETag (and, once served from the cache, its encoded
    response headers, so a hit encodes nothing)."""

    content: bytes
    etag: str
    raw_headers: list[tuple[bytes, bytes]] | None = field(default=None, compare=False, repr=False)


class TileCache:
    """A thread-safe LRU of tiles bounded in bytes, with per-tile invalidation."""

    def __init__(
        self, max_bytes: int = 256 * 1024 * 1024, boundary_collections: tuple[str, ...] = ()
    ):
        self.max_bytes = max_bytes
        self.boundary_collections = boundary_collections
        self._tiles: OrderedDict[TileKey, CachedTile] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        #: Counts invalidations; a build started under an older generation is not stored.
        self.generation = 0
        #: Counts announced boundary changes (and emptyings, after which anything may have
        #: changed): whatever a process derives from the boundaries is stale when it moves.
        self.boundary_generation = 0
        self.hits = 0
        self.misses = 0
        #: False while the change listener is away: nothing is answered from the cache or
        #: stored in it then, since a change made meanwhile would not reach it
        self.online = True
        #: the primary's WAL position after the last change heard: a tile built on a standby
        #: that had replayed less is not stored
        self.required_lsn = 0

    def __len__(self) -> int:
        return len(self._tiles)

    def get(self, key: TileKey) -> CachedTile | None:
        """The cached tile, or None (counted as a hit or a miss)."""
        with self._lock:
            found = self._tiles.get(key) if self.online else None
            if found is None:
                self.misses += 1
                return None
            self._tiles.move_to_end(key)
            self.hits += 1
            return found

    def put(
        self, key: TileKey, tile: CachedTile, generation: int, replayed: int | None = None
    ) -> None:
        """Store ``tile`` unless the cache was invalidated since ``generation`` was read, or
        it was built on a standby that had replayed the WAL only up to ``replayed`` (None:
        built on the primary) when the last change heard needs more."""
        if not self.max_bytes or len(tile.content) > self.max_bytes // 16:
            return  # the cache is off, or the tile would crowd out too many others
        with self._lock:
            if generation != self.generation or not self.online:
                return
            if replayed is not None and replayed < self.required_lsn:
                return
            old = self._tiles.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._tiles[key] = tile
            self._bytes += len(tile.content)
            while self._bytes > self.max_bytes:
                _, evicted = self._tiles.popitem(last=False)
                self._bytes -= len(evicted.content)

    def _drop(self, keys: list[TileKey]) -> int:
        """Drop ``keys``; the caller holds the lock."""
        dropped = 0
        for key in keys:
            old = self._tiles.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
                dropped += 1
        self.generation += 1
        self._changed.notify_all()
        return dropped

    def invalidate_points(self, layer: str, points: list[tuple[float, float]]) -> int:
        """Drop the tiles of ``layer`` and the composite tiles that show any of ``points``."""
        keys = [
            (collection, z, x, y, internal)
            for lon, lat in points
            for z in range(MAX_ZOOM + 1)
            for x, y in tiles_showing(lon, lat, z)
            for collection in (layer, COMPOSITE)
            for internal in (False, True)
        ]
        with self._lock:
            return self._drop(keys)

    def invalidate_collections(self, collections: tuple[str, ...]) -> int:
        """Drop every tile of ``collections`` and every composite tile."""
        wanted = {*collections, COMPOSITE}
        with self._lock:
            return self._drop([k for k in self._tiles if k[0] in wanted])

    def boundaries_changed(self) -> int:
        """Boundaries changed: drop every boundary and composite tile."""
        with self._lock:
            self.boundary_generation += 1
        return self.invalidate_collections(self.boundary_collections)

    def clear(self) -> None:
        """Drop every tile."""
        with self._lock:
            self._tiles.clear()
            self._bytes = 0
            self.generation += 1
            self.boundary_generation += 1
            self._changed.notify_all()

    def set_online(self, online: bool) -> None:
        """Go offline (the listener lost its connection) or back online (it listens again);
        either way every tile is dropped, as anything may have changed meanwhile."""
        with self._lock:
            self._tiles.clear()
            self._bytes = 0
            self.online = online
            self.generation += 1
            self.boundary_generation += 1
            self._changed.notify_all()

    def require_lsn(self, lsn: int) -> None:
        """The primary had written up to ``lsn`` when a change was heard (before applying it)."""
        with self._lock:
            self.required_lsn = max(self.required_lsn, lsn)

    def wait_for_change(self, generation: int, timeout: float) -> bool:
        """Block until an invalidation after ``generation`` (tests and tools); True if one came."""
        with self._changed:
            return self._changed.wait_for(lambda: self.generation != generation, timeout)

    def apply(self, payload: str) -> None:
        """Apply one notification of channel ``geoservice_tiles``."""
        try:
            message: dict[str, Any] = json.loads(payload)
            if message.get("boundaries"):
                self.boundaries_changed()
            else:
                points = [(float(lon), float(lat)) for lon, lat in message["points"]]
                self.invalidate_points(str(message["layer"]), points)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable tile notification %r: emptying the tile cache", payload[:200])
            self.clear()


def tiles_showing(lon: float, lat: float, z: int) -> list[tuple[int, int]]:
    """The WebMercatorQuad tiles of zoom ``z`` whose buffered extent holds the point."""
    n = 2**z
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    xs = range(max(0, math.floor(fx - BUFFER)), min(n - 1, math.floor(fx + BUFFER)) + 1)
    ys = range(max(0, math.floor(fy - BUFFER)), min(n - 1, math.floor(fy + BUFFER)) + 1)
    return [(x, y) for x in xs for y in ys]


def notify_boundaries_changed(conn: Connection) -> None:
    """Announce (at commit) that boundaries changed: every process drops its boundary tiles."""
    conn.execute(select(func.pg_notify(CHANNEL, json.dumps({"boundaries": True}))))


class Listener:
    """A daemon thread that LISTENs on ``geoservice_tiles`` and applies what arrives to the
    cache. While it has no connection the cache is offline (answers nothing, stores nothing),
    because notifications sent meanwhile are lost; it reconnects within a second of the
    database coming back, empties the cache and only then puts it back online. (It once
    kept answering from the cache while away and retried at growing delays up to 10 s: a
    second process showed an edited point in its tiles for 8 s after a 17 s outage.)"""

    #: seconds between attempts to reconnect
    RETRY_SECONDS = 0.25

    def __init__(self, dsn: str, cache: TileCache, track_lsn: bool = False):
        self.dsn = dsn
        self.cache = cache
        #: note the primary's WAL position at each change (there are standbys)
        self.track_lsn = track_lsn
        self._stop = threading.Event()
        self.listening = threading.Event()
        #: times the connection was lost (tests, logs)
        self.disconnects = 0
        self._thread = threading.Thread(target=self._run, name="tile-listener", daemon=True)

    def start(self) -> None:
        """Start listening in the background (the cache is offline until it listens)."""
        self.cache.set_online(False)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening (within half a second)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                # keepalives: a connection that died silently (no FIN) is noticed in seconds
                with psycopg.connect(
                    self.dsn,
                    autocommit=True,
                    connect_timeout=2,
                    keepalives=1,
                    keepalives_idle=5,
                    keepalives_interval=2,
                    keepalives_count=2,
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    # from here on every change is heard: drop what may have changed before
                    self.cache.set_online(True)
                    self.listening.set()
                    while not self._stop.is_set():
                        notes = list(conn.notifies(timeout=0.5, stop_after=1))
                        if notes and self.track_lsn:
                            # at or after the change's commit: what a standby must have replayed
                            row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
                            self.cache.require_lsn(parse_lsn(row[0] if row else None) or 0)
                        for note in notes:
                            self.cache.apply(note.payload)
            except psycopg.Error as exc:
                self.cache.set_online(False)
                if self.listening.is_set():
                    self.disconnects += 1
                    log.warning("tile cache listener lost its connection (%s); retrying", exc)
                self.listening.clear()
                self._stop.wait(self.RETRY_SECONDS)
