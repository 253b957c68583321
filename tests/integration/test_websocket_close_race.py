"""hypercorn 0.18's trio close race, reproduced, and trioweb's fix proven on a real server.

The defect (``trioweb/_hypercorn_patch.py`` explains it): when an app and its client close a
WebSocket at the same moment, ``TCPServer._close`` half-closes the socket outside the send
lock, the read loop's ``send_all`` raises ``trio.BusyResourceError``, and the whole worker
dies. ``tests.integration._closers`` makes every connection such a simultaneous close.

Each test first shows the race is real (the unfixed server dies within a few dozen closes),
then that the fixed one survives thousands, in both documented ways of serving: hypercorn's
own CLI with the trio worker, and ``trioweb run``.
"""

from __future__ import annotations

import os
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import trio
from hypercorn.trio import serve

from tests.integration._closers import hammer
from tests.integration._server import make_config, open_server
from tests.integration.apps.ws_close_app import app
from trioweb import _hypercorn_patch

ROOT = Path(__file__).resolve().parents[2]
APP = "tests.integration.apps.ws_close_app:app"
RAW_APP = "tests.integration.apps.ws_close_app:raw_app"
HYPERCORN = Path(sys.executable).with_name("hypercorn")
STARTUP_TIMEOUT = 30.0
RACE_PATH = "/raw-close"  # the raw ASGI route: the timing that hits the race soonest

pytestmark = pytest.mark.skipif(
    _hypercorn_patch.apply(force_import=True).state == "not-needed",
    reason="this hypercorn's TCPServer._close already serialises with its send lock",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_the_unfixed_trio_worker_dies_on_simultaneous_closes() -> None:
    died: BaseExceptionGroup[BaseException] | None = None
    outcomes: Counter[str] = Counter()
    with _hypercorn_patch.unpatched():
        try:
            async with trio.open_nursery() as nursery:
                binds = await nursery.start(serve, app, make_config())
                port = int(binds[0].rsplit(":", 1)[1])
                outcomes = await hammer(port, 2000, path=RACE_PATH)
                nursery.cancel_scope.cancel()
        except BaseExceptionGroup as group:
            died = group
    assert died is not None, f"the race did not reproduce in 2000 closes: {outcomes}"
    busy, _ = died.split(trio.BusyResourceError)
    assert busy is not None


async def test_the_fixed_server_survives_thousands_of_simultaneous_closes() -> None:
    assert _hypercorn_patch.apply().state == "patched"
    async with open_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        raw = await hammer(port, 1000, path=RACE_PATH)
        handler = await hammer(port, 200, path="/close")
        async with httpx.AsyncClient() as client:
            response = await client.get(base + "/")
    assert raw == {"closed": 1000}
    assert handler == {"closed": 200}
    assert response.text == "up"


def hypercorn_command(port: int) -> list[str]:
    return [str(HYPERCORN), "--worker-class", "trio", "--bind", f"127.0.0.1:{port}", APP]


def trioweb_command(port: int) -> list[str]:
    return [sys.executable, "-m", "trioweb", "run", APP, "--port", str(port)]


def trioweb_raw_command(port: int) -> list[str]:
    # a plain ASGI app: only `trioweb run` itself can install the fix
    return [sys.executable, "-m", "trioweb", "run", RAW_APP, "--port", str(port)]


@asynccontextmanager
async def serving(
    command: Callable[[int], list[str]], tmp_path: Path, **env: str
) -> AsyncIterator[tuple[trio.Process, str, Path]]:
    """Start a server subprocess, wait until it answers, and always stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = await trio.lowlevel.open_process(
            command(port), cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )
    try:
        with trio.fail_after(STARTUP_TIMEOUT):
            async with httpx.AsyncClient() as client:
                while True:
                    assert process.poll() is None, log.read_text()
                    try:
                        await client.get(url + "/", timeout=1.0)
                        break
                    except httpx.TransportError:
                        await trio.sleep(0.05)
        yield process, url, log
    finally:
        with trio.CancelScope(shield=True):
            if process.poll() is None:
                process.terminate()
                with trio.move_on_after(10):
                    await process.wait()
            if process.poll() is None:
                process.kill()
                await process.wait()


async def test_hypercorn_cli_without_the_fix_goes_down(tmp_path: Path) -> None:
    async with serving(hypercorn_command, tmp_path, **{_hypercorn_patch.ENV_OPT_OUT: "0"}) as (
        process,
        url,
        log,
    ):
        port = int(url.rsplit(":", 1)[1])
        await hammer(port, 2000, path=RACE_PATH)
        with trio.fail_after(10):
            await process.wait()  # the server exits: every connection dropped
    assert "BusyResourceError" in log.read_text()


@pytest.mark.parametrize(
    "command",
    [hypercorn_command, trioweb_command, trioweb_raw_command],
    ids=["hypercorn", "trioweb", "trioweb-plain-asgi-app"],
)
async def test_both_documented_ways_of_serving_survive(
    command: Callable[[int], list[str]], tmp_path: Path
) -> None:
    async with serving(command, tmp_path) as (process, url, log):
        port = int(url.rsplit(":", 1)[1])
        outcomes = await hammer(port, 2000, path=RACE_PATH)
        async with httpx.AsyncClient() as client:
            response = await client.get(url + "/")
        assert process.poll() is None
    assert outcomes == {"closed": 2000}
    assert response.text == "up"
    assert "BusyResourceError" not in log.read_text()
