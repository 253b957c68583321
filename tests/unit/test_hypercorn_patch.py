"""The guarded fix for hypercorn's trio close race (``trioweb._hypercorn_patch``).

The race itself is reproduced against a real server in
``tests/integration/test_websocket_close_race.py``; these tests pin the guard and the
patched ``_close`` with fakes.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import trio
import trio.testing
from hypercorn.trio.tcp_server import TCPServer

from trioweb import _hypercorn_patch as patch


class FakeStream:
    def __init__(self, *, eof_blocks: bool = False) -> None:
        self.calls: list[str] = []
        self.eof_blocks = eof_blocks

    async def send_eof(self) -> None:
        self.calls.append("send_eof")
        if self.eof_blocks:
            await trio.sleep_forever()
        await trio.lowlevel.checkpoint()

    async def aclose(self) -> None:
        self.calls.append("aclose")
        await trio.lowlevel.checkpoint()


class FakeServer:
    def __init__(self, stream: FakeStream) -> None:
        self.stream = stream
        self.send_lock = trio.Lock()


def patch_state_after(code: str) -> str:
    """The patch state a fresh interpreter reports after running ``code``."""
    probe = code + "\nfrom trioweb import _hypercorn_patch\nprint(_hypercorn_patch.patch_status().state)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_importing_trioweb_under_hypercorns_trio_worker_installs_the_fix() -> None:
    # `hypercorn --worker-class trio module:app` imports its trio worker, then the app
    # module: importing trioweb there installs the fix before anything is served.
    assert patch_state_after("import hypercorn.trio.run\nimport trioweb") == "patched"
    # Imported the other way round (`trioweb run`, or a script that imports trioweb
    # first), the CLI, the app's lifespan and its first WebSocket install it instead.
    assert patch_state_after("import trioweb\nimport hypercorn.trio") == "not-loaded"
    assert patch_state_after("import trioweb.cli") == "not-loaded"


def test_an_app_installs_the_fix_at_lifespan_startup_and_on_a_websocket() -> None:
    lifespan = """
import trio, trioweb, hypercorn.trio
from trioweb.testing import AsyncTestClient
async def main():
    async with AsyncTestClient(trioweb.TrioWeb([])):
        pass
trio.run(main)
"""
    websocket = """
import trio, trioweb, hypercorn.trio
async def main():
    app = trioweb.TrioWeb([])
    messages = [{"type": "websocket.connect"}]
    async def receive():
        return messages.pop() if messages else {"type": "websocket.disconnect", "code": 1000}
    async def send(message):
        pass
    scope = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}
    await app(scope, receive, send)
trio.run(main)
"""
    assert patch_state_after(lifespan) == "patched"
    assert patch_state_after(websocket) == "patched"


def test_the_guard_reads_hypercorns_code_not_its_version() -> None:
    with patch.unpatched() as original:
        assert patch.defect_present(original) == (
            True,
            "TCPServer._close calls send_eof outside send_lock",
        )

    class Fixed:
        def __init__(self) -> None:
            self.send_lock = trio.Lock()

        async def protocol_send(self, event: Any) -> None: ...

        async def _close(self) -> None:
            async with self.send_lock:
                await self.stream.send_eof()  # type: ignore[attr-defined]

    class Reshaped:
        async def _close(self) -> None: ...

    assert patch.defect_present(Fixed) == (False, "TCPServer._close already takes send_lock")
    assert patch.defect_present(Reshaped)[0] is False


def test_the_fix_is_installed_in_this_test_session() -> None:
    status = patch.apply()
    assert status.state == "patched"
    assert status.hypercorn_version is not None
    assert getattr(TCPServer._close, "__trioweb_patched__", False)


def test_opting_out_leaves_hypercorn_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patch, "_status", patch.PatchStatus("not-loaded"))
    monkeypatch.setenv(patch.ENV_OPT_OUT, "0")
    assert patch.apply().state == "disabled"


async def test_half_close_holds_the_send_lock_so_a_concurrent_send_waits() -> None:
    stream = FakeStream()
    server = FakeServer(stream)
    order: list[str] = []

    async def sender() -> None:
        async with server.send_lock:
            order.append("send")

    async with trio.open_nursery() as nursery:
        nursery.start_soon(patch._close, server)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(sender)
    assert stream.calls == ["send_eof", "aclose"]
    assert order == ["send"]
    assert not server.send_lock.locked()


async def test_half_close_is_skipped_while_another_task_is_sending() -> None:
    stream = FakeStream()
    server = FakeServer(stream)
    async with server.send_lock:  # "another task" holds it; run _close from a child
        async with trio.open_nursery() as nursery:
            nursery.start_soon(patch._close, server)
    assert stream.calls == ["aclose"]


async def test_the_sender_itself_may_half_close() -> None:
    stream = FakeStream()
    server = FakeServer(stream)
    async with server.send_lock:
        await patch._close(server)
    assert stream.calls == ["send_eof", "aclose"]


async def test_the_socket_is_closed_even_if_the_half_close_is_cancelled() -> None:
    stream = FakeStream(eof_blocks=True)
    server = FakeServer(stream)
    with trio.move_on_after(0.01):
        await patch._close(server)
    assert stream.calls == ["send_eof", "aclose"]
    assert not server.send_lock.locked()
