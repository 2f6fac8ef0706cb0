"""The admission queue on its own (an ASGI app that waits for a signal): slots, a bounded
queue, a 503 with Retry-After beyond it, and a place given up when its client goes away."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from geoservice.web.admission import Admission


def _scope(path: str = "/collections") -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}


class Client:
    """One request: its receive (a disconnect when told) and what was sent back."""

    def __init__(self) -> None:
        self.gone = asyncio.Event()
        self.sent: list[dict[str, Any]] = []
        self.first = True

    async def receive(self) -> dict[str, Any]:
        if self.first:
            self.first = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int | None:
        return next((m["status"] for m in self.sent if m["type"] == "http.response.start"), None)


def test_slots_queue_refusal_and_a_place_given_up() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def app(_scope: Any, receive: Any, send: Any) -> None:
            assert (await receive())["type"] == "http.request"  # replayed after the wait
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        admission = Admission(app, slots=1, queue=1, wait_seconds=5)
        serving, queued, refused, later = Client(), Client(), Client(), Client()
        first = asyncio.create_task(admission(_scope(), serving.receive, serving.send))
        await asyncio.sleep(0)
        second = asyncio.create_task(admission(_scope(), queued.receive, queued.send))
        await asyncio.sleep(0)
        assert (admission.active, admission.waiting) == (1, 1)
        await admission(_scope(), refused.receive, refused.send)  # the queue is full
        assert refused.status == 503
        start = refused.sent[0]
        assert (b"retry-after", b"5") in start["headers"]
        assert json.loads(refused.sent[1]["body"])["type"].endswith("/service-busy")
        queued.gone.set()  # its client leaves: the place is free again at once
        await second
        assert queued.sent == [] and admission.waiting == 0
        third = asyncio.create_task(admission(_scope(), later.receive, later.send))
        await asyncio.sleep(0)
        assert admission.waiting == 1
        release.set()
        await asyncio.gather(first, third)
        assert (serving.status, later.status) == (200, 200)
        assert (admission.active, admission.waiting) == (0, 0)
        health = Client()
        release.clear()
        # /health never waits in the queue
        blocked = asyncio.create_task(admission(_scope(), Client().receive, Client().send))
        await asyncio.sleep(0)
        exempt = asyncio.create_task(admission(_scope("/health"), health.receive, health.send))
        await asyncio.sleep(0)
        assert admission.waiting == 0 and not exempt.done()  # it runs (and waits for release)
        release.set()
        await asyncio.gather(blocked, exempt)
        assert health.status == 200

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_a_wait_too_long_is_a_503() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def app(_scope: Any, _receive: Any, send: Any) -> None:
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        admission = Admission(app, slots=1, queue=5, wait_seconds=0.2)
        busy, waiting = Client(), Client()
        first = asyncio.create_task(admission(_scope(), busy.receive, busy.send))
        await asyncio.sleep(0)
        await admission(_scope(), waiting.receive, waiting.send)
        assert waiting.status == 503 and admission.waiting == 0
        release.set()
        await first
        assert admission.active == 0

    asyncio.run(asyncio.wait_for(scenario(), 10))
