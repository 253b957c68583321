"""The real-server harness, and the hypercorn behaviour trioweb relies on (notes/engine.md §1).

Real sockets throughout, so real clocks: no ``autojump_clock`` here.
"""

from contextlib import aclosing

import httpx
import pytest
import trio

from tests.integration._server import make_config, open_server

WAIT = 5.0  # generous bound for anything that should happen "at once" on loopback


async def say_hello(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


class Recorder:
    """A raw ASGI app: lifespan done properly (and recorded), HTTP handled by ``handler``."""

    def __init__(self, handler):
        self.handler = handler
        self.lifespan = []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.lifespan.append(message["type"])
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await self.handler(scope, receive, send)


hello_app = Recorder(say_hello)


def _port(url):
    return int(url.rsplit(":", 1)[1])


async def test_serves_over_real_socket_with_lifespan():
    app = Recorder(say_hello)
    async with open_server(app) as url:
        assert url.startswith("http://127.0.0.1:")
        assert app.lifespan == ["lifespan.startup"]
        async with httpx.AsyncClient() as client:
            response = await client.get(url + "/")
    assert response.status_code == 200
    assert response.text == "hello"
    assert app.lifespan == ["lifespan.startup", "lifespan.shutdown"]


async def test_fixture_is_the_same_helper(serve):
    async with serve(hello_app) as url, httpx.AsyncClient() as client:
        assert (await client.get(url)).text == "hello"


async def test_server_is_stopped_after_the_block():
    async with open_server(hello_app) as url:
        pass
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(url)


async def test_config_overrides_reach_hypercorn():
    seen = {}

    async def app(scope, receive, send):
        seen["root_path"] = scope["root_path"]
        await say_hello(scope, receive, send)

    async with open_server(Recorder(app), root_path="/api") as url, httpx.AsyncClient() as client:
        await client.get(url + "/api/x")
    assert seen == {"root_path": "/api"}


def test_defaults_and_unknown_override():
    config = make_config()
    assert config.bind == ["127.0.0.1:0"]
    assert config.read_timeout is None
    assert config.graceful_timeout == 1.0
    assert make_config(graceful_timeout=0.2).graceful_timeout == 0.2
    with pytest.raises(TypeError, match="no option 'graceful_timeut'"):
        make_config(graceful_timeut=0.2)


async def test_body_exception_propagates_unwrapped():
    with pytest.raises(ZeroDivisionError):
        async with open_server(hello_app):
            1 / 0  # noqa: B018


async def test_streaming_body_arrives_incrementally():
    proceed = trio.Event()

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await proceed.wait()  # the second chunk exists only after the client saw the first
        await send({"type": "http.response.body", "body": b"second", "more_body": False})

    async with open_server(Recorder(app)) as url, httpx.AsyncClient() as client:
        with trio.fail_after(WAIT):
            async with (
                client.stream("GET", url) as response,
                aclosing(response.aiter_raw()) as chunks,
            ):
                assert await anext(chunks) == b"first"
                proceed.set()
                assert [chunk async for chunk in chunks] == [b"second"]


async def test_client_closing_mid_stream_delivers_http_disconnect():
    received = []
    done = trio.Event()

    async def app(scope, receive, send):
        assert (await receive())["type"] == "http.request"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"tick", "more_body": True})
        received.append(await receive())  # blocks until the client goes away
        done.set()

    # A raw socket, not httpx: leaving httpx's aiter_*() early abandons its inner async
    # generators, which trio's finalizer reports as a ResourceWarning (an error here).
    async with open_server(Recorder(app)) as url:
        with trio.fail_after(WAIT):
            async with await trio.open_tcp_stream("127.0.0.1", _port(url)) as stream:
                await stream.send_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
                received_bytes = b""
                while b"tick" not in received_bytes:
                    received_bytes += await stream.receive_some()
            await done.wait()
    assert received == [{"type": "http.disconnect"}]


async def test_http_disconnect_follows_a_complete_response_on_kept_alive_connection():
    received = []
    done = trio.Event()

    async def app(scope, receive, send):
        await say_hello(scope, receive, send)
        assert (await receive())["type"] == "http.request"
        received.append(await receive())
        done.set()

    async with open_server(Recorder(app)) as url, httpx.AsyncClient() as client:
        await client.get(url)
        with trio.fail_after(WAIT):
            await done.wait()  # while the client still holds the keep-alive connection
        assert (await client.get(url)).text == "hello"  # and it is still usable
    assert received[0] == {"type": "http.disconnect"}


async def test_shutdown_cancels_in_flight_request_after_graceful_timeout():
    outcome = []
    waiting = trio.Event()

    async def app(scope, receive, send):
        assert (await receive())["type"] == "http.request"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"tick", "more_body": True})
        waiting.set()
        try:
            outcome.append(await receive())
        except trio.Cancelled:
            outcome.append("cancelled")
            raise

    async def hold_stream(url):
        try:
            async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
                async for _ in response.aiter_raw():
                    pass
        except httpx.HTTPError:
            pass

    graceful = 0.5
    async with trio.open_nursery() as clients:
        async with open_server(Recorder(app), graceful_timeout=graceful) as url:
            clients.start_soon(hold_stream, url)
            with trio.fail_after(WAIT):
                await waiting.wait()
            started = trio.current_time()
        stopped_after = trio.current_time() - started
        clients.cancel_scope.cancel()
    # Hypercorn does not send http.disconnect at shutdown: it cancels the app task.
    assert outcome == ["cancelled"]
    assert graceful <= stopped_after < graceful + 2.0


async def test_app_returning_from_lifespan_scope_crashes_server_startup():
    # A canary for a hypercorn 0.18 trio quirk: an app must raise on a lifespan scope it does
    # not support (hypercorn then serves without lifespan); returning closes the lifespan
    # channel before hypercorn sends "lifespan.startup", and serve() fails.
    async def no_lifespan(scope, receive, send):
        if scope["type"] == "http":
            await say_hello(scope, receive, send)

    with pytest.raises(BaseExceptionGroup) as caught:
        async with open_server(no_lifespan):
            pass
    assert caught.value.subgroup(trio.ClosedResourceError) is not None


async def test_app_raising_on_lifespan_scope_is_served_without_lifespan():
    async def no_lifespan(scope, receive, send):
        if scope["type"] == "lifespan":
            raise RuntimeError("lifespan not supported")
        await say_hello(scope, receive, send)

    async with open_server(no_lifespan) as url, httpx.AsyncClient() as client:
        assert (await client.get(url)).text == "hello"
