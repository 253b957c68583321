"""The test clients drive the ASGI lifespan protocol the way hypercorn's trio worker does."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import trio

from trioweb.testing import AsyncTestClient
from trioweb.types import Receive, Scope, Send


def _lifespan_app(
    log: list[str],
    *,
    startup: str = "lifespan.startup.complete",
    shutdown: str = "lifespan.shutdown.complete",
    raise_after_failed: Exception | None = None,
) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            log.append(f"request state={scope['state']}")
            scope["state"]["mutated"] = True  # a copy: must not leak into later requests
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        assert scope["asgi"] == {"version": "3.0", "spec_version": "2.0"}
        message = await receive()
        log.append(message["type"])
        scope["state"]["db"] = "connected"
        await send({"type": startup, "message": "no database"})
        if startup.endswith("failed") and raise_after_failed is not None:
            raise raise_after_failed
        message = await receive()
        log.append(message["type"])
        await send({"type": shutdown, "message": "flush failed"})

    return app


async def test_startup_and_shutdown_wrap_the_client_and_share_state() -> None:
    log: list[str] = []
    async with AsyncTestClient(_lifespan_app(log)) as client:
        assert log == ["lifespan.startup"]
        assert client.lifespan_state == {"db": "connected"}
        await client.get("/")
        await client.get("/")
    assert log == [
        "lifespan.startup",
        "request state={'db': 'connected'}",
        "request state={'db': 'connected'}",
        "lifespan.shutdown",
    ]


async def test_failed_startup_raises_with_the_apps_message() -> None:
    log: list[str] = []
    app = _lifespan_app(log, startup="lifespan.startup.failed")
    with pytest.raises(RuntimeError, match="no database"):
        async with AsyncTestClient(app):
            pytest.fail("the block must not run")  # pragma: no cover
    assert log == ["lifespan.startup"]


async def test_failed_startup_raises_the_apps_own_exception() -> None:
    app = _lifespan_app([], startup="lifespan.startup.failed", raise_after_failed=KeyError("db"))
    with pytest.raises(KeyError) as info:
        async with AsyncTestClient(app):
            pass  # pragma: no cover
    assert info.value.__notes__ == ["lifespan.startup.failed: 'no database'"]


async def test_failed_shutdown_raises_when_the_client_closes() -> None:
    app = _lifespan_app([], shutdown="lifespan.shutdown.failed")
    with pytest.raises(RuntimeError, match="flush failed"):
        async with AsyncTestClient(app):
            pass


async def test_an_app_that_raises_on_lifespan_runs_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http", "no lifespan support"
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).status_code == 204
        assert client.lifespan_state == {}
    assert "continuing without lifespan" in caplog.text
    assert "no lifespan support" in caplog.text


async def test_an_app_that_returns_on_lifespan_runs_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).status_code == 204
    assert [r for r in caplog.records if r.name == "trioweb.testing"] == []


async def test_startup_that_never_answers_times_out(autojump_clock: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await trio.sleep_forever()

    with pytest.raises(TimeoutError, match="lifespan startup within 3 s"):
        async with AsyncTestClient(app, lifespan_timeout=3):
            pass  # pragma: no cover


async def test_shutdown_that_never_answers_times_out(autojump_clock: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await trio.sleep_forever()

    with pytest.raises(TimeoutError, match="lifespan shutdown within 3 s"):
        async with AsyncTestClient(app, lifespan_timeout=3):
            pass


async def test_unexpected_lifespan_messages_are_errors() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.shutdown.complete"})

    # The app's send() raises, so the call ends without answering: no lifespan support.
    async with AsyncTestClient(app):
        pass


async def test_shutdown_comes_after_open_connections_are_disconnected() -> None:
    log: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            log.append((await receive())["type"])
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert (await receive())["more_body"] is False
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        log.append((await receive())["type"])

    async with AsyncTestClient(app) as client:
        await client.send(client.build_request("GET", "/"), stream=True)  # never closed
    assert log == ["http.disconnect", "lifespan.shutdown"]


async def test_the_lifespan_call_is_cancelled_after_shutdown_complete() -> None:
    cancelled = False

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal cancelled
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        try:
            await trio.sleep_forever()  # hypercorn cancels its lifespan nursery here too
        except trio.Cancelled:
            cancelled = True
            raise

    async with AsyncTestClient(app):
        pass
    assert cancelled


async def test_a_lifespan_call_that_crashes_while_running_is_reported_at_shutdown() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await receive()
        await send({"type": "lifespan.startup.complete"})
        raise ZeroDivisionError("background task died")

    with pytest.raises(ZeroDivisionError):
        async with AsyncTestClient(app) as client:
            await client.get("/")
