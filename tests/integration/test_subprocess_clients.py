"""``subprocess_async_client``/``subprocess_sync_client``: an app served by ``trioweb run``.

Real processes, sockets and time (no autojump clock).
"""

import os
from pathlib import Path

import pytest

from tests.integration._reading import read_until
from trioweb.testing import subprocess_async_client, subprocess_sync_client
from trioweb.testing.client.subprocess_client import StartupError

ROOT = Path(__file__).resolve().parents[2]

APP = """\
import trio
from trioweb import Litestar, get
from trioweb.response import Stream


@get("/")
async def index() -> str:
    return "served"


@get("/endless")
async def endless() -> Stream:
    async def ticks():
        n = 0
        while True:
            yield f"tick {n}\\n"
            n += 1
            await trio.sleep(0.01)

    return Stream(ticks())


app = Litestar([index, endless])
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "served_app.py").write_text(APP)
    # the subprocess imports trioweb from this checkout, wherever the test runs from
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return tmp_path


async def test_the_async_client_talks_to_a_real_server_and_can_leave_an_endless_stream(
    workdir: Path,
) -> None:
    async with subprocess_async_client(workdir, "served_app:app", capture_output=False) as client:
        assert (await client.get("/")).text == "served"
        async with client.stream("GET", "/endless") as response:
            received = await read_until(response, lambda body: b"tick 3\n" in body, timeout=10)
        assert received.startswith(b"tick 0\ntick 1\ntick 2\ntick 3\n")


def test_the_sync_client_talks_to_a_real_server(workdir: Path) -> None:
    with subprocess_sync_client(workdir, "served_app:app", capture_output=False) as client:
        assert client.get("/").text == "served"


async def test_an_app_that_cannot_start_is_a_startup_error(workdir: Path) -> None:
    with pytest.raises(StartupError, match="exited"):
        async with subprocess_async_client(workdir, "no_such_module:app", capture_output=False):
            pass  # pragma: no cover
