"""Stores (``trioweb.stores``): Litestar's key/value interface, the memory store, the registry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from trioweb import TrioWeb, get
from trioweb.stores import memory
from trioweb.stores.base import StorageObject, Store
from trioweb.stores.memory import MemoryStore
from trioweb.stores.registry import StoreRegistry
from trioweb.testing import AsyncTestClient


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The memory store's clock, as a list whose one item a test moves."""
    now = [1000.0]
    monkeypatch.setattr(memory, "_now", lambda: now[0])
    return now


async def test_set_get_delete_and_delete_all() -> None:
    store = MemoryStore()
    await store.set("a", "text")
    await store.set("b", b"\x00bytes")
    assert await store.get("a") == b"text"  # a str is stored UTF-8 encoded
    assert await store.get("b") == b"\x00bytes"
    assert await store.get("missing") is None
    assert await store.exists("a") and not await store.exists("missing")
    await store.delete("a")
    await store.delete("a")  # deleting a missing key is no error
    assert await store.get("a") is None
    await store.delete_all()
    assert await store.get("b") is None


async def test_values_expire_after_expires_in(clock: list[float]) -> None:
    store = MemoryStore()
    await store.set("k", b"v", expires_in=10)
    await store.set("forever", b"v")
    assert await store.expires_in("k") == 10
    assert await store.expires_in("forever") is None
    assert await store.expires_in("missing") is None
    clock[0] += 9.5
    assert await store.get("k") == b"v"
    clock[0] += 0.5
    assert await store.get("k") is None
    assert not await store.exists("k")
    assert await store.get("forever") == b"v"


async def test_renew_for_restarts_the_expiry_of_values_that_have_one(clock: list[float]) -> None:
    store = MemoryStore()
    await store.set("k", b"v", expires_in=timedelta(seconds=10))
    await store.set("forever", b"v")
    clock[0] += 8
    assert await store.get("k", renew_for=10) == b"v"
    assert await store.get("forever", renew_for=10) == b"v"
    assert await store.expires_in("forever") is None  # no expiry was set: renewing adds none
    clock[0] += 8
    assert await store.get("k") == b"v"  # 16 s after set, 8 s after the renewal
    clock[0] += 2
    assert await store.get("k") is None


async def test_delete_expired_sweeps_values_nobody_reads(clock: list[float]) -> None:
    store = MemoryStore()
    for i in range(2500):
        await store.set(f"old{i}", b"v", expires_in=1)
    await store.set("new", b"v", expires_in=100)
    clock[0] += 5
    await store.delete_expired()
    assert list(store._store) == ["new"]


async def test_storage_object_round_trips_with_its_expiry() -> None:
    stored = StorageObject.new(b"data", expires_in=60)
    loaded = StorageObject.from_bytes(stored.to_bytes())
    assert loaded.data == b"data" and not loaded.expired
    assert 58 <= loaded.expires_in <= 60
    assert StorageObject.new(b"x", None).expires_in == -1


def test_the_registry_creates_a_memory_store_per_unknown_name() -> None:
    registry = StoreRegistry()
    sessions = registry.get("sessions")
    assert isinstance(sessions, MemoryStore)
    assert registry.get("sessions") is sessions
    assert registry.get("other") is not sessions
    mine = MemoryStore()
    with pytest.raises(ValueError, match="already exists"):
        registry.register("sessions", mine)
    registry.register("sessions", mine, allow_override=True)
    assert registry.get("sessions") is mine


class RecordingStore(MemoryStore):
    __slots__ = ("events",)

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    async def __aenter__(self) -> None:
        self.events.append("enter")

    async def __aexit__(self, *exc_info: Any) -> None:
        self.events.append("exit")


async def test_app_stores_are_named_and_entered_for_the_apps_lifetime() -> None:
    store = RecordingStore()

    @get("/")
    async def handler() -> list[str]:
        return store.events

    app = TrioWeb([handler], stores={"sessions": store})
    assert app.stores.get("sessions") is store
    assert isinstance(app.stores.get("cache"), MemoryStore)
    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).json() == ["enter"]
    assert store.events == ["enter", "exit"]


def test_an_app_takes_a_ready_registry_and_has_one_without_stores() -> None:
    registry = StoreRegistry()
    assert TrioWeb([], stores=registry).stores is registry
    assert isinstance(TrioWeb([]).stores.get("sessions"), Store)
