"""The atomic Redis lock store under contention from several processes (real Redis).

4 processes x 50 turns on one conversation, each turn a read-increment-write of a shared
counter inside the lock: the count is exact and tickets are served in the order they were
issued. The same test with a broken lock loses updates (so it can fail). A holder killed
with SIGKILL blocks the others for its lease at most.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.stores.redis_lock_store import AtomicRedisLockStore, conversation_key
from tests.bot import lock_workers
from tests.support import redis_client

PROCESSES = 4
TURNS = 50
PHONE = "+33612345678"
spawn = multiprocessing.get_context("spawn")


@pytest.fixture
def red() -> redis.Redis:
    return redis_client()


@pytest.fixture
def prefix(red: redis.Redis) -> Iterator[str]:
    name = f"test-lock-{uuid.uuid4().hex[:8]}"
    yield name
    keys = list(red.scan_iter(f"{name}*"))
    if keys:
        red.delete(*keys)


def run_processes(prefix: str, broken: bool) -> None:
    workers = [
        spawn.Process(target=lock_workers.turns, args=(prefix, PHONE, TURNS, broken))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0, f"worker ended with {worker.exitcode}"


def test_processes_in_contention_count_exactly_and_in_ticket_order(
    red: redis.Redis, prefix: str
) -> None:
    started = time.monotonic()
    run_processes(prefix, broken=False)
    elapsed = time.monotonic() - started
    served = [int(t) for t in red.lrange(f"{prefix}:served", 0, -1)]
    print(f"\n{PROCESSES}x{TURNS} turns: counter={int(red.get(f'{prefix}:counter') or 0)}, "
          f"{len(served)} served, in {elapsed:.1f} s")  # fmt: skip
    assert int(red.get(f"{prefix}:counter") or 0) == PROCESSES * TURNS
    assert served == sorted(served) and len(set(served)) == PROCESSES * TURNS  # FIFO, no repeat
    assert not red.exists(*AtomicRedisLockStore(client=red, key_prefix=prefix).keys(PHONE)[1:])


def test_the_contention_test_catches_a_broken_lock(red: redis.Redis, prefix: str) -> None:
    run_processes(prefix, broken=True)
    count = int(red.get(f"{prefix}:counter") or 0)
    print(f"\nbroken lock: counter={count} of {PROCESSES * TURNS}")
    assert count < PROCESSES * TURNS  # lost updates


def test_a_killed_holder_blocks_others_for_its_lease_at_most(red: redis.Redis, prefix: str) -> None:
    lease_s = 1.0
    holder = spawn.Process(target=lock_workers.hold_forever, args=(prefix, PHONE, lease_s))
    holder.start()
    try:
        deadline = time.monotonic() + 60
        while not red.exists(f"{prefix}:held"):
            assert time.monotonic() < deadline and holder.is_alive(), "the holder never held"
            time.sleep(0.05)
        waiter = spawn.Process(target=lock_workers.wait_in_line, args=(prefix, PHONE, lease_s))
        waiter.start()
        time.sleep(3 * lease_s)  # the holder's heartbeat keeps it: the waiter still waits
        assert not red.exists(f"{prefix}:served_at")
        assert holder.pid is not None
        os.kill(holder.pid, signal.SIGKILL)
        killed_at = time.time()
        waiter.join(timeout=30)
        assert waiter.exitcode == 0
        freed_after = float(red.get(f"{prefix}:served_at") or 0) - killed_at
        print(f"\nlock freed {freed_after:.2f} s after SIGKILL (lease {lease_s} s)")
        assert 0 < freed_after <= lease_s + 0.5
    finally:
        if holder.is_alive():
            holder.kill()
        holder.join()


def test_rasa_builds_it_from_endpoints_yml(red: redis.Redis) -> None:
    config = EndpointConfig(
        url="127.0.0.1",
        type="bot.stores.redis_lock_store.AtomicRedisLockStore",
        port="6379",
        db="15",
        lease_s="2.5",
    )
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.lease_ms == 2500
    store.check_connection()


def test_rasa_interface_and_no_phone_in_keys(red: redis.Redis, prefix: str) -> None:
    store = AtomicRedisLockStore(client=red, key_prefix=prefix)
    first = store.issue_ticket(PHONE)
    second = store.issue_ticket(PHONE)
    assert second == first + 1
    assert store.is_someone_waiting(PHONE)
    lock = store.get_or_create_lock(PHONE)
    assert [t.number for t in lock.tickets] == [first, second] and lock.now_serving == first
    assert store.holds(PHONE, first) and not store.holds(PHONE, second)
    assert all(PHONE.encode() not in key for key in red.scan_iter(f"{prefix}*"))
    assert conversation_key(PHONE) in store.keys(PHONE)[0]
    store.cleanup(PHONE, first)
    assert store.holds(PHONE, second)
    store.cleanup(PHONE, second)
    assert not store.is_someone_waiting(PHONE) and store.get_lock(PHONE) is None
    assert store.issue_ticket(PHONE) == second + 1  # fencing tokens only grow


def test_turns_of_one_process_wait_their_turn(red: redis.Redis, prefix: str) -> None:
    store = AtomicRedisLockStore(client=red, key_prefix=prefix)
    order: list[str] = []

    async def turn(name: str, hold_s: float) -> None:
        async with store.lock(PHONE):
            order.append(f"{name}+")
            await asyncio.sleep(hold_s)
            order.append(f"{name}-")

    async def main() -> None:
        first = asyncio.create_task(turn("a", 0.2))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, turn("b", 0.0))

    asyncio.run(main())
    assert order == ["a+", "a-", "b+", "b-"]


def test_redis_down_fails_the_turn_loudly() -> None:
    store = AtomicRedisLockStore(client=redis.Redis(port=1, socket_connect_timeout=0.2))

    async def main() -> None:
        async with store.lock(PHONE):
            raise AssertionError("served without a lock")

    with pytest.raises(LockError):
        asyncio.run(main())


def test_an_uncontended_turn_costs_one_round_trip_to_take(red: redis.Redis, prefix: str) -> None:
    store = AtomicRedisLockStore(client=red, key_prefix=prefix)
    turns = 200

    async def main() -> float:
        started = time.perf_counter()
        for n in range(turns):
            async with store.lock(f"{PHONE}-{n % 20}"):
                pass
        return (time.perf_counter() - started) / turns

    per_turn = asyncio.run(main())
    print(f"\nuncontended lock + release: {per_turn * 1000:.2f} ms per turn")
    assert per_turn < 0.05


def test_rasa_s_own_redis_type_builds_the_atomic_store(red: redis.Redis) -> None:
    from bot.rasa_patches import apply

    apply()
    store = LockStore.create(EndpointConfig(url="127.0.0.1", type="redis", port="6379", db="15"))
    assert isinstance(store, AtomicRedisLockStore)


def test_without_redis_rasa_does_not_start() -> None:
    config = EndpointConfig(
        url="127.0.0.1", type="bot.stores.redis_lock_store.AtomicRedisLockStore", port="1"
    )
    with pytest.raises(LockError, match="Verrou des conversations injoignable"):
        LockStore.create(config)
