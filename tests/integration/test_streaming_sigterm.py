"""SIGTERM with streams of every kind open: every ``finally`` runs, the process exits in time.

Both documented ways of serving: ``trioweb run`` and ``hypercorn --worker-class trio``.

A subprocess, as a user runs it; real sockets and real time.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import trio

from tests.integration.test_cli import EXIT_MARGIN, HYPERCORN, running

APP = "tests.integration.apps.streams_app:app"
KINDS = ("async", "sync", "sse", "feed")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def trioweb_command(port: int, *args: str) -> list[str]:
    return [sys.executable, "-m", "trioweb", "run", APP, "--port", str(port), *args]


def hypercorn_command(port: int, *args: str) -> list[str]:
    return [str(HYPERCORN), "--worker-class", "trio", "--bind", f"127.0.0.1:{port}", *args, APP]


@pytest.mark.parametrize(
    "command", [trioweb_command, hypercorn_command], ids=["trioweb", "hypercorn"]
)
async def test_sigterm_with_streams_open_runs_every_finally_within_the_graceful_timeout(
    tmp_path: Path, command: Callable[..., list[str]]
) -> None:
    graceful = 1  # hypercorn parses --graceful-timeout as an int
    marker = tmp_path / "marker"  # `running` points $TRIOWEB_TEST_MARKER at it

    def events() -> list[str]:
        return marker.read_text().split() if marker.exists() else []

    async with running(tmp_path, command, "--graceful-timeout", str(graceful)) as server:

        async def hold(path: str) -> None:
            async with await trio.open_tcp_stream("127.0.0.1", server.port) as stream:
                await stream.send_all(f"GET {path} HTTP/1.1\r\nhost: test\r\n\r\n".encode())
                try:
                    while await stream.receive_some():
                        pass
                except trio.BrokenResourceError:
                    pass

        async with trio.open_nursery() as clients:
            for kind in KINDS:
                clients.start_soon(hold, "/" + kind)
            with trio.fail_after(10):
                while not all(f"{kind}-started" in events() for kind in KINDS):
                    await trio.sleep(0.02)
            started = trio.current_time()
            server.process.send_signal(signal.SIGTERM)
            with trio.fail_after(graceful + EXIT_MARGIN + 5):
                await server.process.wait()
            elapsed = trio.current_time() - started
            clients.cancel_scope.cancel()
    assert server.process.returncode == 0
    assert elapsed < graceful + EXIT_MARGIN
    finished = [event for event in events() if event.endswith("-finally")]
    assert sorted(finished) == sorted(f"{kind}-finally" for kind in KINDS)
    assert events()[-1] == "shutdown"
