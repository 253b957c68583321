"""docs/websockets.md: its snippets do what the page says."""

from __future__ import annotations

import pytest
import trio

from docs.snippets import websockets
from trioweb.exceptions import WebSocketDisconnect
from trioweb.testing import AsyncTestClient, WebSocketDenialResponse


@pytest.fixture(autouse=True)
def _fresh_log() -> None:
    websockets.LOG.clear()


async def wait_logged(line: str) -> None:
    with trio.fail_after(2):
        while line not in websockets.LOG:
            await trio.sleep(0.001)


async def test_echo() -> None:
    async with AsyncTestClient(websockets.app) as client:
        async with client.websocket_connect("/echo/lobby?shout=true") as ws:
            await ws.send_text("hi")
            assert await ws.receive_text() == "lobby: HI"
            await ws.close(1001)
        await wait_logged("echo: client left with 1001")


async def test_listeners() -> None:
    async with AsyncTestClient(websockets.app) as client:
        async with client.websocket_connect("/orders") as ws:
            await ws.send_json({"item": "tea", "quantity": 2})
            assert await ws.receive_json() == {"accepted": "tea", "total": 4}
        async with client.websocket_connect("/upper") as ws:
            await ws.send_text("shh")
            assert await ws.receive_text() == "SHH"
        await wait_logged("upper: gone")
    assert websockets.LOG == ["upper: accepted", "upper: gone"]


async def test_countdown_stream() -> None:
    async with AsyncTestClient(websockets.app) as client:
        async with client.websocket_connect("/countdown?start=2") as ws:
            assert [await ws.receive_json(), await ws.receive_json()] == [{"n": 2}, {"n": 1}]
            with pytest.raises(WebSocketDisconnect) as info:
                await ws.receive_json()
    assert info.value.code == 1000
    assert websockets.LOG == ["countdown: generator closed"]


async def test_ticker_task_is_cancelled_by_stop_or_by_leaving() -> None:
    async with AsyncTestClient(websockets.app) as client:
        async with client.websocket_connect("/ticker") as ws:
            assert await ws.receive_json() == {"tick": 1}
            await ws.send_text("stop")
            with pytest.raises(WebSocketDisconnect):
                while True:
                    await ws.receive_json()
        await wait_logged("ticker: tick task cancelled")
        websockets.LOG.clear()
        async with client.websocket_connect("/ticker") as ws:
            assert await ws.receive_json() == {"tick": 1}
        await wait_logged("ticker: client left")
        await wait_logged("ticker: tick task cancelled")


async def test_private_refuses_with_401() -> None:
    async with AsyncTestClient(websockets.app) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/private"):
                pass
        async with client.websocket_connect("/private?token=s3cret") as ws:
            assert await ws.receive_text() == "welcome"
    assert info.value.status_code == 401
    assert info.value.json() == {"status_code": 401, "detail": "a token is needed"}
