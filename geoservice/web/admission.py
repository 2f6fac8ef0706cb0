"""Admission control: at most ``slots`` requests are served at once, ``queue`` more wait for a
slot (at most ``wait_seconds``), and any request beyond that is answered at once with a 503
problem and ``Retry-After``.

Without it the service froze under 64 concurrent 1,000-feature pages: the routes and their
dependencies run in AnyIO's worker threads (40) and take connections from SQLAlchemy's pool
(20); with more requests than connections, threads blocked waiting up to 30 s for a connection
while the requests that held one waited for a thread, and ``/health`` queued behind them and
answered 500 after 30 s. With at most ``slots`` requests past this point, the pool is sized for
them (``create_app``: two connections a request, a session check and the route's, and never a
wait for a thread), so they never wait for each other; the rest wait here, where waiting costs
no thread and no connection, and are told to come back when waiting would take too long.

``/health`` is exempt (it has its own connection, see ``api/health.py``), and the tile fast
path answers before this (its own asyncpg pool).
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from typing import Any

from geoservice.errors import ServiceBusy
from geoservice.web.asgi import send_problem

#: Seconds a request waits before it is refused because the queue is full.
REFUSAL_DELAY = 0.25


class Admission:
    """ASGI middleware: a counted slot per request, a bounded FIFO queue, then 503."""

    def __init__(
        self,
        app: Any,
        *,
        slots: int,
        queue: int,
        wait_seconds: float,
        exempt: tuple[str, ...] = ("/health",),
    ):
        self.app = app
        self.slots = slots
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.exempt = exempt
        self.active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        #: requests answered 503 because the queue was full or the wait too long
        self.refused = 0

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot."""
        return len(self._waiters)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve the request in a slot, or queue it, or refuse it."""
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.active < self.slots and not self._waiters:
            self.active += 1
        else:
            admitted, receive = await self._wait(receive)
            if admitted is None:
                return  # the client went away while it waited: nobody to answer
            if not admitted:
                self.refused += 1
                retry = max(1, math.ceil(self.wait_seconds))
                error = ServiceBusy("service_busy.detail", retry_after=retry)
                await send_problem(scope, send, error)
                return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    async def _wait(self, receive: Any) -> tuple[bool | None, Any]:
        """Wait in the queue: True when handed a slot, False when the queue is full or the
        wait too long, None when the client disconnected meanwhile (its place is given up at
        once: a queue of requests nobody waits for any more would refuse live ones). Returns
        the ``receive`` the app must use (it replays what was read while waiting)."""
        if len(self._waiters) >= self.queue:
            # a moment before the refusal: a client that retries at once (wrk, a script, a
            # reloading browser) would otherwise turn the refusals into the load, taking the
            # event loop from the requests being served and from /health (at 256 connections
            # 3,500 refusals/s; a timer costs nothing meanwhile)
            await asyncio.sleep(REFUSAL_DELAY)
            return False, receive
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        messages: list[dict[str, Any]] = []

        async def watch() -> None:
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] == "http.disconnect":
                    return

        watcher = asyncio.ensure_future(watch())
        try:
            await asyncio.wait({waiter, watcher}, timeout=self.wait_seconds,
                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        except BaseException:  # cancelled (shutdown): leave the queue, pass on a slot
            if waiter.done() and not waiter.cancelled():
                self._release()
            else:
                waiter.cancel()
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            raise
        finally:
            watcher.cancel()
        if waiter.done() and not waiter.cancelled():
            if watcher.done() and not watcher.cancelled() and watcher.exception() is None:
                self._release()  # handed a slot, but the client is gone: pass it on
                return None, receive
            pending = list(messages)

            async def replay() -> dict[str, Any]:
                if pending:
                    return pending.pop(0)
                return await receive()  # type: ignore[no-any-return]

            return True, replay
        waiter.cancel()
        if waiter in self._waiters:
            self._waiters.remove(waiter)
        if watcher.done() and not watcher.cancelled() and watcher.exception() is None:
            return None, receive
        return False, receive

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on: ``active`` stays as it is
                return
        self.active -= 1
