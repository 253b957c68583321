"""Generator dependencies on a real hypercorn trio server: they outlive the streamed body.

The session opened by a dependency is used by the stream until its last chunk (or until the
client leaves), then committed and closed; a stream that fails mid-way rolls it back. Real
sockets, so real clocks: ``WAIT`` bounds what should happen "at once" on loopback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import trio

from tests.integration._reading import read_until
from tests.integration._server import open_server
from trioweb import TrioWeb, get
from trioweb.di import Provide
from trioweb.response import ServerSentEvent, Stream

WAIT = 5.0


class Session:
    """A stand-in for a database session; querying it after close fails."""

    def __init__(self) -> None:
        self.closed = False

    async def query(self, n: int) -> str:
        assert not self.closed, "the session was closed while the stream still used it"
        await trio.sleep(0)
        return f"row {n}\n"


def make_app(events: list[str], cancel_on_disconnect: bool) -> TrioWeb:
    async def provide_session() -> AsyncIterator[Session]:
        session = Session()
        events.append("open")
        try:
            yield session
        except Exception as exc:
            events.append(f"rollback: {exc}")
            raise
        else:
            events.append("commit")
        finally:
            session.closed = True
            events.append("close")

    @get("/rows")
    async def rows(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            for n in range(50):
                yield await session.query(n)
                await trio.sleep(0.001)

        return Stream(produce())

    @get("/forever")
    async def forever(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            n = 0
            while True:
                yield await session.query(n)
                n += 1
                await trio.sleep(0.01)

        return Stream(produce())

    @get("/events/forever")
    async def events_forever(session: Session) -> ServerSentEvent:
        async def produce() -> AsyncIterator[str]:
            n = 0
            while True:
                yield (await session.query(n)).strip()
                n += 1
                await trio.sleep(0.01)

        return ServerSentEvent(produce())

    @get("/fails")
    async def fails(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            yield await session.query(0)
            raise LookupError("row 1 vanished")

        return Stream(produce())

    @get("/events")
    async def stream_events(session: Session) -> ServerSentEvent:
        async def produce() -> AsyncIterator[str]:
            for n in range(3):
                yield (await session.query(n)).strip()

        return ServerSentEvent(produce())

    return TrioWeb(
        [rows, forever, events_forever, fails, stream_events],
        dependencies={"session": Provide(provide_session)},
        cancel_on_disconnect=cancel_on_disconnect,
    )


async def wait_for(events: list[str], last: str) -> None:
    with trio.fail_after(WAIT):
        while not events or events[-1] != last:
            await trio.sleep(0.01)


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_stream_and_sse_use_the_session_to_the_end(cancel_on_disconnect: bool) -> None:
    events: list[str] = []
    app = make_app(events, cancel_on_disconnect)
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            rows = await client.get("/rows")
            await wait_for(events, "close")
            sse = await client.get("/events")
            await wait_for(events, "close")
    assert rows.text == "".join(f"row {n}\n" for n in range(50))
    assert "data: row 2" in sse.text
    assert events == ["open", "commit", "close"] * 2


@pytest.mark.parametrize("path", ["/forever", "/events/forever"])
@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_client_leaving_mid_stream_still_cleans_up(
    cancel_on_disconnect: bool, path: str
) -> None:
    events: list[str] = []
    app = make_app(events, cancel_on_disconnect)
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        async with client.stream("GET", path) as response:
            await read_until(response, lambda received: b"row 3" in received)
        await wait_for(events, "close")
        with trio.fail_after(WAIT):
            again = await client.get("/rows")  # the server carries on
    assert events[:3] == ["open", "commit", "close"]
    assert again.status_code == 200


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_stream_failing_mid_way_rolls_back(cancel_on_disconnect: bool) -> None:
    events: list[str] = []
    app = make_app(events, cancel_on_disconnect)
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get("/fails")
            await wait_for(events, "close")
    assert events == ["open", "rollback: row 1 vanished", "close"]


async def test_handler_cancelled_by_a_disconnect_rolls_back() -> None:
    events: list[str] = []
    started = trio.Event()

    async def provide_session() -> AsyncIterator[Session]:
        events.append("open")
        try:
            yield Session()
        except Exception as exc:
            events.append(f"rollback: {type(exc).__name__}")
            raise
        else:
            events.append("commit")
        finally:
            events.append("close")

    @get("/slow", dependencies={"session": Provide(provide_session)}, cancel_on_disconnect=True)
    async def slow(session: Session) -> str:
        started.set()
        await trio.sleep(30)
        return "too late"

    async with open_server(TrioWeb([slow])) as url, httpx.AsyncClient(base_url=url) as client:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(client.get, "/slow")
            with trio.fail_after(WAIT):
                await started.wait()
            nursery.cancel_scope.cancel()  # the client closes its connection
        await wait_for(events, "close")
    assert events == ["open", "rollback: ClientDisconnectedException", "close"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_server_shutdown_mid_handler_closes_without_commit(
    cancel_on_disconnect: bool,
) -> None:
    # hypercorn's graceful shutdown cancels a handler still running after graceful_timeout:
    # the dependency is closed then (finally runs), and nothing is committed.
    events: list[str] = []
    started = trio.Event()

    async def provide_session() -> AsyncIterator[Session]:
        events.append("open")
        try:
            yield Session()
            events.append("commit")
        finally:
            events.append("close")

    @get(
        "/slow",
        dependencies={"session": Provide(provide_session)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def slow(session: Session) -> str:
        started.set()
        await trio.sleep(30)
        return "too late"

    async with trio.open_nursery() as nursery:
        async with open_server(TrioWeb([slow]), graceful_timeout=0.2) as url:
            client = httpx.AsyncClient(base_url=url)

            async def request() -> None:
                async with client:
                    with pytest.raises(httpx.HTTPError):
                        await client.get("/slow")

            nursery.start_soon(request)
            with trio.fail_after(WAIT):
                await started.wait()
        # open_server has returned: the server stopped, the handler was cancelled
        assert events == ["open", "close"]
