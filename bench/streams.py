"""Streaming and WebSocket measurements against a running server (see ``bench.server``).

* chunks/s of a 1,000-chunk stream and of a 1,000-event SSE stream;
* disconnect → ``finally``: the client closes its socket after the first chunk; the
  generator's ``finally`` records ``time.monotonic()`` in the server; the difference is
  the latency (both clocks are the machine's CLOCK_MONOTONIC);
* memory per idle connection: server RSS with N idle SSE streams (or WebSockets) open,
  minus RSS before, over N;
* WebSocket echo round-trips/s.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.apps._shared import CHUNK, N_CHUNKS, N_EVENTS, SSE_EVENT, STREAM_FINALLY_MAX_CHUNKS
from bench.apps._shared import STREAM_FINALLY_TICK as TICK
from bench.clients import (
    hold_sse,
    hold_websockets,
    http_request,
    stream_then_close,
    time_stream,
    websocket_echo_rate,
)
from bench.server import Server

__all__ = (
    "chunks_per_second",
    "disconnect_to_finally",
    "idle_sse_memory",
    "idle_websocket_memory",
    "websocket_echo",
)

_STREAM_SECONDS = TICK * STREAM_FINALLY_MAX_CHUNKS


def chunks_per_second(port: int, kind: str, repeats: int) -> list[float]:
    """Chunks (or events) per second, one value per stream fetched."""
    if kind == "stream":
        path, marker, count = "/stream", CHUNK, N_CHUNKS
    else:
        path, marker, count = "/sse", f"data: {SSE_EVENT}".encode(), N_EVENTS
    time_stream(port, path, marker, count)  # warm up
    return [count / time_stream(port, path, marker, count) for _ in range(repeats)]


def disconnect_to_finally(port: int, count: int, prefix: str) -> dict[str, Any]:
    """Latencies (ms) from the client's close to the generator's ``finally``."""
    closed: dict[str, float] = {}
    for index in range(count):
        stream_id = f"{prefix}-{index}"
        closed[stream_id] = stream_then_close(port, f"/stream-finally?id={stream_id}")
        time.sleep(0.005)
    deadline = time.monotonic() + _STREAM_SECONDS + 2
    recorded: dict[str, float] = {}
    while True:
        time.sleep(0.3)
        status, _, body = http_request(port, "GET", "/finally-times")
        if status != 200:
            raise RuntimeError(f"/finally-times: status {status}")
        recorded.update(json.loads(body))
        if all(key in recorded for key in closed) or time.monotonic() > deadline:
            break
    latencies = [(recorded[key] - at) * 1000 for key, at in closed.items() if key in recorded]
    return {"latencies_ms": latencies, "never": sum(1 for key in closed if key not in recorded)}


def _idle_memory(server: Server, hold: Any, path: str, count: int) -> dict[str, Any]:
    with hold(server.port, path, min(50, count)):  # warm up the code paths
        pass
    time.sleep(0.5)
    before = server.rss()
    with hold(server.port, path, count) as opened:
        time.sleep(0.5)
        during = server.rss()
    time.sleep(0.5)
    return {
        "connections": opened,
        "rss_before": before,
        "rss_during": during,
        "bytes_per_connection": (during - before) / opened,
        "server_alive_after": server.alive(),
    }


def idle_sse_memory(server: Server, count: int) -> dict[str, Any]:
    """Server memory per idle open SSE stream."""
    return _idle_memory(server, hold_sse, "/sse-idle", count)


def idle_websocket_memory(server: Server, count: int) -> dict[str, Any]:
    """Server memory per idle open WebSocket."""
    return _idle_memory(server, hold_websockets, "/ws", count)


def websocket_echo(port: int, duration: float, repeats: int) -> list[float]:
    """Echo round-trips per second (8 connections, 4 messages in flight on each)."""
    websocket_echo_rate(port, "/ws", connections=8, window=4, duration=0.5)  # warm up
    return [
        websocket_echo_rate(port, "/ws", connections=8, window=4, duration=duration)
        for _ in range(repeats)
    ]
