"""Clients for an app served by ``trioweb run`` in a subprocess (Litestar's helpers).

``subprocess_async_client(workdir, "app:app")`` and ``subprocess_sync_client(...)`` start
``python -m trioweb --app APP run`` in ``workdir`` on a free loopback port, wait until it
answers, and yield an httpx client whose ``base_url`` is the server. Leaving the block sends
SIGTERM (graceful shutdown, lifespan shutdown included) and kills the server if it has not
exited within ``stop_timeout`` seconds.

trioweb's in-process clients already stream, so these are for tests that want a real
server and process boundary, and for test suites ported from Litestar.

Error handling: a server that does not answer within ``retry_count`` times ``retry_timeout``
seconds (or exits first) is killed and :class:`StartupError` is raised.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import trio

__all__ = ("StartupError", "run_app", "subprocess_async_client", "subprocess_sync_client")

_STOP_TIMEOUT = 10.0


class StartupError(RuntimeError):
    """The app did not start serving."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _command(app: str, port: int) -> list[str]:
    return [sys.executable, "-m", "trioweb", "--app", app, "run", "--port", str(port)]


@contextmanager
def run_app(
    workdir: Path,
    app: str,
    capture_output: bool,
    retry_count: int = 100,
    retry_timeout: float = 0.1,
    stop_timeout: float = _STOP_TIMEOUT,
) -> Iterator[str]:
    """Serve ``app`` from ``workdir`` in a subprocess; yield its base URL."""
    port = _free_port()
    output = None if capture_output else subprocess.DEVNULL
    with subprocess.Popen(
        _command(app, port), stdout=output, stderr=output, cwd=workdir
    ) as process:
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(retry_count):
                if process.poll() is not None:
                    break
                try:
                    httpx.get(url, timeout=retry_timeout)
                except httpx.TransportError:
                    time.sleep(retry_timeout)
                else:
                    break
            else:
                raise StartupError(f"{app} did not start serving on {url}")
            if process.poll() is not None:
                raise StartupError(f"{app} exited with {process.returncode} before serving")
            yield url
        finally:
            _stop(process, stop_timeout)


def _stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@asynccontextmanager
async def subprocess_async_client(
    workdir: Path,
    app: str,
    capture_output: bool = True,
    *,
    retry_count: int = 100,
    retry_timeout: float = 0.1,
    stop_timeout: float = _STOP_TIMEOUT,
) -> AsyncIterator[httpx.AsyncClient]:
    """An ``httpx.AsyncClient`` for ``app`` served from ``workdir`` (waits on trio)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    output = None if capture_output else subprocess.DEVNULL
    process = await trio.lowlevel.open_process(
        _command(app, port), stdout=output, stderr=output, cwd=workdir
    )
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(retry_count):
                if process.poll() is not None:
                    raise StartupError(f"{app} exited with {process.returncode} before serving")
                try:
                    await client.get("/", timeout=retry_timeout)
                except httpx.TransportError:
                    await trio.sleep(retry_timeout)
                else:
                    break
            else:
                raise StartupError(f"{app} did not start serving on {url}")
            yield client
    finally:
        with trio.CancelScope(shield=True):
            if process.poll() is None:
                process.terminate()
                with trio.move_on_after(stop_timeout):
                    await process.wait()
            if process.poll() is None:
                process.kill()
                await process.wait()


@contextmanager
def subprocess_sync_client(
    workdir: Path, app: str, capture_output: bool = True
) -> Iterator[httpx.Client]:
    """An ``httpx.Client`` for ``app`` served from ``workdir``."""
    with (
        run_app(workdir=workdir, app=app, capture_output=capture_output) as url,
        httpx.Client(base_url=url) as client,
    ):
        yield client
