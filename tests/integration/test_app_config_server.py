"""The app-level configs against a real hypercorn trio server and a real httpx client.

CORS preflights and headers, gzip that keeps a stream live, allowed hosts, the OpenAPI
document, and an unhandled error's traceback on stderr with no logging configuration.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import httpx
import trio

from tests.integration._server import open_server
from trioweb import TrioWeb, get
from trioweb.config.compression import CompressionConfig
from trioweb.config.cors import CORSConfig
from trioweb.response import ServerSentEvent

ROOT = Path(__file__).resolve().parents[2]
HYPERCORN = Path(sys.executable).with_name("hypercorn")
ORIGIN = "https://app.example.com"


def make_app(gate: trio.Event) -> TrioWeb:
    @get("/data")
    async def data() -> dict[str, list[int]]:
        return {"numbers": list(range(500))}

    @get("/events")
    async def events() -> ServerSentEvent:
        async def source() -> Any:
            yield "first"
            await gate.wait()
            yield "second"

        return ServerSentEvent(source())

    return TrioWeb(
        [data, events],
        cors_config=CORSConfig(allow_origins=[ORIGIN], allow_credentials=True),
        compression_config=CompressionConfig(backend="gzip"),
        allowed_hosts=["127.0.0.1"],
    )


async def test_cors_compression_hosts_and_schema_over_a_real_server() -> None:
    gate = trio.Event()
    async with open_server(make_app(gate)) as url, httpx.AsyncClient(base_url=url) as client:
        preflight = await client.options(
            "/data", headers={"origin": ORIGIN, "access-control-request-method": "GET"}
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert preflight.headers["access-control-allow-credentials"] == "true"

        refused = await client.options("/data", headers={"origin": "https://evil.com"})
        assert (refused.status_code, refused.text) == (400, "Disallowed CORS Origin")

        response = await client.get("/data", headers={"origin": ORIGIN, "accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert sorted(v.strip() for v in response.headers["vary"].split(",")) == [
            "Accept-Encoding",
            "Origin",
        ]
        assert response.json() == {"numbers": list(range(500))}

        foreign = await client.get("/data", headers={"host": "evil.com"})
        assert foreign.status_code == 400

        schema = await client.get("/schema/openapi.json")
        assert set(schema.json()["paths"]) == {"/data", "/events"}

        # the first event arrives, compressed, while the stream is still open
        decoder = zlib.decompressobj(wbits=31)
        received = b""
        with trio.fail_after(10):
            async with client.stream(
                "GET", "/events", headers={"accept-encoding": "gzip"}
            ) as stream:
                assert stream.headers["content-encoding"] == "gzip"
                async for chunk in stream.aiter_raw():
                    received += decoder.decompress(chunk)
                    if b"data: first" in received and not gate.is_set():
                        gate.set()
        assert b"data: first" in received and b"data: second" in received


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_unhandled_error_is_on_stderr_without_logging_config(tmp_path: Path) -> None:
    port = _free_port()
    stderr_path = tmp_path / "stderr"
    command = [
        str(HYPERCORN),
        "--worker-class",
        "trio",
        "--bind",
        f"127.0.0.1:{port}",
        "tests.integration.apps.config_app:app",
    ]
    with stderr_path.open("wb") as stderr:
        process = await trio.lowlevel.open_process(
            command, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            with trio.fail_after(30):
                while True:
                    try:
                        await client.get("/")
                        break
                    except httpx.TransportError:
                        await trio.sleep(0.1)
            response = await client.get("/boom")
        assert response.status_code == 500
        with trio.fail_after(10):
            while b"an unhandled handler error" not in stderr_path.read_bytes():
                await trio.sleep(0.05)
    finally:
        process.terminate()
        with trio.move_on_after(10):
            await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = stderr_path.read_text()
    assert "Traceback (most recent call last)" in output
    assert 'raise RuntimeError("an unhandled handler error")' in output
