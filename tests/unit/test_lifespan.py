"""Startup and shutdown: hooks, lifespan managers, state and the app nursery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import trio

from trioweb import Request, TrioWeb, get
from trioweb.datastructures import State
from trioweb.testing import AsyncTestClient


async def test_hooks_and_lifespan_managers_run_in_order() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def resource(app: TrioWeb) -> AsyncIterator[None]:
        events.append("enter")
        app.state.db = "connected"
        try:
            yield
        finally:
            events.append("exit")

    def on_startup(app: TrioWeb) -> None:
        events.append(f"startup:{app.state.db}")

    async def on_shutdown() -> None:
        events.append("shutdown")

    @get("/")
    async def index(state: State) -> str:
        return str(state.db)

    app = TrioWeb([index], lifespan=[resource], on_startup=[on_startup], on_shutdown=[on_shutdown])
    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).text == "connected"
        assert events == ["enter", "startup:connected"]
    assert events == ["enter", "startup:connected", "shutdown", "exit"]


async def test_app_nursery_runs_app_lifetime_tasks_and_bounds_shutdown() -> None:
    ticks: list[int] = []
    cancelled = trio.Event()

    async def ticker() -> None:
        try:
            while True:
                ticks.append(1)
                await trio.sleep(0.01)
        finally:
            cancelled.set()

    async def start(app: TrioWeb) -> None:
        assert app.nursery is not None
        app.nursery.start_soon(ticker)

    @get("/")
    async def index(request: Request) -> int:
        return len(ticks)

    app = TrioWeb([index], on_startup=[start], shutdown_timeout=0.05)
    with trio.fail_after(2):
        async with AsyncTestClient(app) as client:
            await trio.sleep(0.03)
            assert (await client.get("/")).json() > 0
    assert cancelled.is_set()
    assert app.nursery is None


async def test_startup_failure_is_reported() -> None:
    def broken() -> None:
        raise RuntimeError("no database")

    app = TrioWeb([], on_startup=[broken])
    with pytest.raises(Exception, match="no database"):
        async with AsyncTestClient(app):
            pass  # pragma: no cover


async def test_app_tasks_are_drained_before_lifespan_resources_close() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def database(app: TrioWeb) -> AsyncIterator[None]:
        app.state.db_open = True
        try:
            yield
        finally:
            events.append(f"db closed; worker done={'worker done' in events}")
            app.state.db_open = False

    async def worker(app: TrioWeb) -> None:
        try:
            await trio.sleep_forever()
        finally:
            assert app.state.db_open
            events.append("worker done")

    def start(app: TrioWeb) -> None:
        assert app.nursery is not None
        app.nursery.start_soon(worker, app)

    app = TrioWeb([], lifespan=[database], on_startup=[start], shutdown_timeout=0.01)
    async with AsyncTestClient(app):
        pass
    assert events == ["worker done", "db closed; worker done=True"]
