"""Headless Chromium for tests: find it, run it on a page, talk to the page over DevTools.

``require_chromium()`` returns the binary or skips the test (``.ci/run`` installs Debian's
``chromium``; ``$TRIOWEB_CHROMIUM`` names another one). ``browsing(...)`` runs it on a URL
for the duration of a block. With ``devtools=True`` it also listens for DevTools on a free
loopback port, and :func:`evaluate` runs an expression in the page.

Traffic stays on 127.0.0.1: background networking is off and every other host name fails
to resolve. Chromium runs in a session of its own, so its helper processes share one
process group, which is stopped as a whole on exit (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio
from trio_websocket import open_websocket_url

__all__ = ("Browser", "browsing", "evaluate", "require_chromium")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    # a page left for another would stay alive, its EventSource connected, in the
    # back-forward cache; leaving a page must close its connections here
    "--disable-features=BackForwardCache",
)
START_TIMEOUT = 30.0  # a shared 2-core machine


def chromium_binary() -> str | None:
    names = [os.environ.get("TRIOWEB_CHROMIUM", ""), "chromium", "chromium-browser"]
    names += ["google-chrome", "google-chrome-stable"]
    for name in names:
        if name and (path := shutil.which(name)):
            return path
    return None


def require_chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no Chromium installed (apt-get install chromium; .ci/run does)")
    return binary


@dataclass
class Browser:
    log: Path
    profile: Path
    devtools: str | None = None  # http://127.0.0.1:PORT once listening

    def tail(self) -> str:
        """The end of Chromium's output, for failure messages."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-30:])


@asynccontextmanager
async def browsing(
    binary: str, url: str, tmp_path: Path, *, devtools: bool = False
) -> AsyncIterator[Browser]:
    """Run headless Chromium on ``url`` for the block."""
    browser = Browser(log=tmp_path / "chromium.log", profile=tmp_path / "profile")
    command = [binary, *FLAGS, f"--user-data-dir={browser.profile}"]
    if devtools:
        command += ["--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
    with browser.log.open("wb") as out:
        process = await trio.lowlevel.open_process(
            [*command, url],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if devtools:
            browser.devtools = await _devtools_address(browser)
        yield browser
    finally:
        with trio.CancelScope(shield=True):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with trio.move_on_after(5):
                await process.wait()
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # helpers that outlived the browser
            await process.wait()


async def _devtools_address(browser: Browser) -> str:
    # Chromium writes the port it chose to <profile>/DevToolsActivePort
    active = browser.profile / "DevToolsActivePort"
    with trio.move_on_after(START_TIMEOUT):
        while True:
            lines = active.read_text().split() if active.exists() else []
            if lines:
                return f"http://127.0.0.1:{lines[0]}"
            await trio.sleep(0.05)
    raise AssertionError("Chromium did not open its DevTools port:\n" + browser.tail())


_ids = itertools.count(1)


async def evaluate(browser: Browser, expression: str) -> Any:
    """The value of ``expression`` (JSON-able) in the browser's first page."""
    assert browser.devtools is not None, "browsing(..., devtools=True)"
    async with httpx.AsyncClient() as client:
        targets = (await client.get(browser.devtools + "/json/list")).json()
    [page] = [target for target in targets if target["type"] == "page"]
    async with open_websocket_url(page["webSocketDebuggerUrl"]) as socket:
        request_id = next(_ids)
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        await socket.send_message(
            json.dumps({"id": request_id, "method": "Runtime.evaluate", "params": params})
        )
        while True:
            reply = json.loads(await socket.get_message())
            if reply.get("id") == request_id:
                break
    result = reply["result"]
    if "exceptionDetails" in result:
        raise AssertionError(f"{expression!r} raised in the page: {result['exceptionDetails']}")
    return result["result"].get("value")
