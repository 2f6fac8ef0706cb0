"""A lean pool of asyncpg connections for read-only statements (the anonymous tile fast path).

``asyncpg.Pool`` does a good deal per use that a read-only statement does not need: each
release runs in a shielded task of its own, under a timeout context, resets the connection,
and arms an inactivity timer that the next acquire cancels. On this project's 2-core machine
that bookkeeping cost about 120 microseconds of CPU per tile in this process, as much as the
query itself (one z14 tile at a time: 250 microseconds through ``asyncpg.Pool``, 130 on a bare
connection); with this pool, uncached z14 tiles under ``scripts/bench_api_national``'s load
went from 0.556 to 0.628 of the bare SQL's rate. This pool only hands out idle
connections, last used first, opens one when none is idle and fewer than ``max_size`` are
open, and otherwise queues the caller. A connection is never reset, so a user must leave no
session state behind; one whose use raised is closed, since its state is then unknown.

Connections stay open while the service runs, as the SQLAlchemy pool's do; one the server
closed is dropped when it is next taken.
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType
from typing import Any

import asyncpg


class PoolClosed(RuntimeError):
    """The pool was closed; no connection is handed out any more."""


class ReadPool:
    """Up to ``max_size`` asyncpg connections to ``dsn``, opened on demand (``connect_kwargs``
    go to :func:`asyncpg.connect`). ``async with pool.connection() as conn:`` lends one;
    waiting for it longer than ``acquire_timeout`` seconds raises TimeoutError."""

    def __init__(
        self, dsn: str, *, max_size: int, acquire_timeout: float, **connect_kwargs: Any
    ) -> None:
        self._dsn = dsn
        self._connect_kwargs = connect_kwargs
        self.max_size = max_size
        self.acquire_timeout = acquire_timeout
        self._idle: list[asyncpg.Connection] = []  # a stack: the warmest connection on top
        self._waiters: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self._open = 0  # connections lent, idle, or being opened
        self._closed = False

    @property
    def size(self) -> int:
        """Connections open (lent or idle) or being opened."""
        return self._open

    def connection(self) -> _Lease:
        """An async context manager lending one connection."""
        return _Lease(self)

    async def acquire(self) -> asyncpg.Connection:
        """An idle connection, a new one, or the next one released (see :meth:`release`)."""
        while not self._closed:
            while self._idle:
                conn = self._idle.pop()
                if not conn.is_closed():
                    return conn
                self._open -= 1  # the server closed it while it was idle
            if self._open < self.max_size:
                return await self._connect()
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                async with asyncio.timeout(self.acquire_timeout):
                    conn = await waiter
            except BaseException:
                # cancelled or timed out, perhaps just after a connection was handed over
                if waiter.done() and not waiter.cancelled():
                    self._give_back(waiter.result())
                raise
            if conn is not None:
                return conn
            # None: a connection was dropped, leaving room to open another
        raise PoolClosed("the connection pool is closed")

    def release(self, conn: asyncpg.Connection, *, discard: bool = False) -> None:
        """Take ``conn`` back: hand it to the longest waiting caller, or keep it idle. With
        ``discard`` (its use failed), or once the pool is closed, close it instead."""
        if discard or self._closed or conn.is_closed():
            conn.terminate()
            self._open -= 1
            self._give_back(None)  # a waiter may open a connection in its place
        else:
            self._give_back(conn)

    async def close(self) -> None:
        """Close the idle connections now and each lent one when it comes back."""
        self._closed = True
        idle, self._idle = self._idle, []
        self._open -= len(idle)
        for waiter in self._waiters:
            waiter.cancel()
        self._waiters.clear()
        await asyncio.gather(*(conn.close(timeout=5) for conn in idle), return_exceptions=True)

    async def _connect(self) -> asyncpg.Connection:
        self._open += 1
        try:
            return await asyncpg.connect(self._dsn, **self._connect_kwargs)
        except BaseException:
            self._open -= 1
            self._give_back(None)
            raise

    def _give_back(self, conn: asyncpg.Connection | None) -> None:
        """Hand ``conn`` (None: room for a new connection) to the first live waiter."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is not None:
            if self._closed:
                conn.terminate()
                self._open -= 1
            else:
                self._idle.append(conn)


class _Lease:
    """``async with``: one connection of a :class:`ReadPool`, closed if its use raised."""

    __slots__ = ("_pool", "_conn")

    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool
        self._conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        self._conn = await self._pool.acquire()
        return self._conn

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        self._pool.release(self._conn, discard=exc_type is not None)
        self._conn = None
