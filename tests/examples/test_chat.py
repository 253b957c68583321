"""examples/chat.py: rooms fanned out with memory channels, in-process and on a real server."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio
import trio_websocket

from examples.chat import Rooms, create_app
from tests.integration._server import open_server
from trioweb.exceptions import WebSocketDisconnect
from trioweb.testing import AsyncTestClient

ROOT = Path(__file__).resolve().parents[2]


async def wait_for_members(app: Any, room: str, names: list[str]) -> None:
    with trio.fail_after(2):
        while app.state.rooms.names(room) != names:
            await trio.sleep(0.001)


async def test_the_page_talks_websocket_to_its_room() -> None:
    async with AsyncTestClient(create_app()) as client:
        page = await client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert "new WebSocket(url)" in page.text
    assert "/ws/${encodeURIComponent(room)}" in page.text


async def test_messages_fan_out_to_the_room_and_leaving_is_announced() -> None:
    app = create_app()
    async with AsyncTestClient(app) as client:
        async with client.websocket_connect("/ws/trio?name=ann") as ann:
            assert await ann.receive_json() == {"event": "welcome", "names": ["ann"]}
            async with client.websocket_connect("/ws/trio?name=bob") as bob:
                assert await bob.receive_json() == {"event": "welcome", "names": ["ann", "bob"]}
                assert await ann.receive_json() == {"event": "joined", "name": "bob"}
                async with client.websocket_connect("/ws/other?name=eve") as eve:
                    assert (await eve.receive_json())["names"] == ["eve"]
                    await bob.send_json({"text": "hi all"})
                    said = {"event": "said", "name": "bob", "text": "hi all"}
                    assert await ann.receive_json() == said
                    assert await bob.receive_json() == said
            assert await ann.receive_json() == {"event": "left", "name": "bob"}
            await wait_for_members(app, "trio", ["ann"])
        await wait_for_members(app, "trio", [])
        with trio.fail_after(2):
            # eve's room never saw the others
            assert app.state.rooms.names("other") == []


async def test_a_taken_name_or_a_bad_message_closes_with_4000() -> None:
    app = create_app()
    async with AsyncTestClient(app) as client, client.websocket_connect("/ws/r?name=ann") as ann:
        await ann.receive_json()
        async with client.websocket_connect("/ws/r?name=ann") as twin:
            with pytest.raises(WebSocketDisconnect) as taken:
                await twin.receive_json()
        await ann.send_json({"no": "text"})
        with pytest.raises(WebSocketDisconnect) as bad:
            await ann.receive_json()
    assert (taken.value.code, taken.value.detail) == (4000, "'ann' is already in 'r'")
    assert bad.value.code == 4000


async def test_a_member_that_falls_behind_is_dropped_not_waited_for() -> None:
    rooms = Rooms(buffer=2)
    with rooms.join("r", "slow") as inbox, rooms.join("r", "quick"):
        for i in range(2):  # "slow" already holds "joined": {"n": 1} overflows it
            rooms.publish("r", {"n": i})
        assert rooms.names("r") == ["quick"]
        received = [message async for message in inbox]  # the channel was closed
    assert received == [{"event": "joined", "name": "quick"}, {"n": 0}]


async def test_chat_on_a_real_server_with_a_real_client() -> None:
    async with open_server(create_app()) as base:
        url = base.replace("http://", "ws://") + "/ws/lobby?name="
        async with (
            trio_websocket.open_websocket_url(url + "ann") as ann,
            trio_websocket.open_websocket_url(url + "bob") as bob,
        ):
            with trio.fail_after(5):
                await ann.get_message()  # welcome
                await bob.get_message()  # welcome
                assert await ann.get_message() == '{"event":"joined","name":"bob"}'
                await ann.send_message('{"text":"hello"}')
                expected = '{"event":"said","name":"ann","text":"hello"}'
                assert await bob.get_message() == expected
                assert await ann.get_message() == expected


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_runnable_with_trioweb_run(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "log"
    with log.open("wb") as out:
        process = await trio.lowlevel.open_process(
            [sys.executable, "-m", "trioweb", "run", "examples.chat:app", "--port", str(port)],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=out,
            stderr=out,
        )
    try:
        with trio.fail_after(30):
            async with httpx.AsyncClient() as client:
                while True:
                    assert process.poll() is None, log.read_text()
                    try:
                        page = await client.get(f"http://127.0.0.1:{port}/", timeout=1)
                        break
                    except httpx.TransportError:
                        await trio.sleep(0.05)
        assert "trioweb chat" in page.text
    finally:
        with trio.CancelScope(shield=True):
            process.terminate()
            with trio.move_on_after(10):
                await process.wait()
            if process.poll() is None:
                process.kill()
                await process.wait()
