"""The tile fast path's connection pool on real PostgreSQL: how many connections it opens,
which it lends again, and that no waiter, failure or cancellation loses one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from geoservice.db.read_pool import PoolClosed, ReadPool
from tests.support import free_port

PID = "SELECT pg_backend_pid()"


@pytest.fixture(scope="module")
def dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def run(
    dsn: str,
    scenario: Callable[[ReadPool], Awaitable[None]],
    max_size: int = 2,
    acquire_timeout: float = 5.0,
) -> None:
    """Run ``scenario`` on a fresh pool, then check that closing the pool leaves no
    connection counted."""

    async def main() -> None:
        pool = ReadPool(dsn, max_size=max_size, acquire_timeout=acquire_timeout)
        try:
            await scenario(pool)
        finally:
            await pool.close()
        assert pool.size == 0

    asyncio.run(main())


def test_concurrent_users_share_at_most_max_size_connections(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        async def use() -> int:
            async with pool.connection() as conn:
                pid = int(await conn.fetchval(PID))
                await conn.execute("SELECT pg_sleep(0.05)")
                return pid

        pids = await asyncio.gather(*(use() for _ in range(6)))
        assert len(set(pids)) == 2 and pool.size == 2
        # one user at a time gets the connection used last, again and again
        assert len({await use() for _ in range(5)}) == 1
        assert pool.size == 2

    run(dsn, scenario)


def test_a_failed_use_closes_its_connection(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        with pytest.raises(asyncpg.UndefinedTableError):
            async with pool.connection() as conn:
                failed = conn
                await conn.fetchval("SELECT * FROM no_such_table")
        assert failed.is_closed() and pool.size == 0
        async with pool.connection() as conn:
            assert conn is not failed and await conn.fetchval("SELECT 1") == 1

    run(dsn, scenario)


def test_a_connection_the_server_closed_is_not_lent_again(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        async with pool.connection() as conn:
            first, pid = conn, await conn.fetchval(PID)
        killer = await asyncpg.connect(dsn)
        try:
            assert await killer.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await killer.close()
        async with asyncio.timeout(5):
            while not first.is_closed():  # the event loop reads the server's goodbye
                await asyncio.sleep(0.01)
        async with pool.connection() as conn:
            assert await conn.fetchval(PID) != pid
        assert pool.size == 1

    run(dsn, scenario)


def test_waiters_time_out_or_are_cancelled_without_losing_a_connection(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        held = await pool.acquire()
        with pytest.raises(TimeoutError):
            await pool.acquire()
        waiter = asyncio.create_task(pool.acquire())
        await asyncio.sleep(0.05)
        waiter.cancel()
        pool.release(held)  # with a cancelled waiter queued: the connection goes idle
        with pytest.raises(asyncio.CancelledError):
            await waiter
        async with asyncio.timeout(1):
            assert await pool.acquire() is held
        # handed to a waiter that is cancelled before it runs again: it gives it back
        waiter = asyncio.create_task(pool.acquire())
        await asyncio.sleep(0.05)
        pool.release(held)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        async with asyncio.timeout(1):
            assert await pool.acquire() is held
        pool.release(held)
        assert pool.size == 1

    run(dsn, scenario, max_size=1, acquire_timeout=0.2)


def test_a_discarded_connection_makes_room_for_a_waiter(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        held = await pool.acquire()
        waiter = asyncio.create_task(pool.acquire())
        await asyncio.sleep(0.05)
        assert not waiter.done()
        pool.release(held, discard=True)
        async with asyncio.timeout(5):
            other = await waiter  # it opened a connection of its own
        assert other is not held and held.is_closed()
        assert await other.fetchval("SELECT 1") == 1
        pool.release(other)
        assert pool.size == 1

    run(dsn, scenario, max_size=1)


def test_a_closed_pool_lends_nothing_and_closes_what_comes_back(dsn: str) -> None:
    async def scenario(pool: ReadPool) -> None:
        idle, lent = await pool.acquire(), await pool.acquire()
        pool.release(idle)
        await pool.close()
        assert idle.is_closed() and not lent.is_closed()
        with pytest.raises(PoolClosed):
            await pool.acquire()
        pool.release(lent)
        assert lent.is_closed()

    run(dsn, scenario)


def test_an_unreachable_server_leaves_no_connection_counted() -> None:
    port = free_port()  # nobody listens there

    async def scenario(pool: ReadPool) -> None:
        for _ in range(3):  # more attempts than max_size: none of them stays counted
            with pytest.raises(OSError):
                await pool.acquire()
        assert pool.size == 0

    run(f"postgresql://nobody@127.0.0.1:{port}/none", scenario)
