"""What ``cancel_on_disconnect=True`` costs per request, in-process (no sockets).

Each request calls the app directly with a hypercorn-shaped scope; ``receive`` hands over
the (empty) body, then reports ``http.disconnect`` only once the response is complete, as
hypercorn does. Three routes answer the same plain-text body:

* ``off``: the default; the handler runs in the ASGI call's own task, no nursery;
* ``on``: ``cancel_on_disconnect=True``: a connection nursery plus the receive relay task;
* ``nursery``: the handler takes the connection ``nursery`` (the same machinery).

Run: ``python -m bench.cancel_on_disconnect [-n 20000] [--rounds 5] [--concurrency 1 50]``.
Prints the median microseconds per request of each route and the difference to ``off``.
With one request at a time every extra task costs whole scheduler passes (each with an
epoll call) that nothing else shares: the worst case. With many in flight, as on a busy
server, those passes are shared.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from typing import Any

import trio

from trioweb import MediaType, TrioWeb, get

_DISCONNECT = {"type": "http.disconnect"}


@get("/off", media_type=MediaType.TEXT)
async def off() -> str:
    return "hello"


@get("/on", media_type=MediaType.TEXT, cancel_on_disconnect=True)
async def on() -> str:
    return "hello"


@get("/nursery", media_type=MediaType.TEXT)
async def with_nursery(nursery: trio.Nursery) -> str:
    return "hello"


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"spec_version": "2.1", "version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "extensions": {},
        "state": {},
    }


class _Exchange:
    __slots__ = ("complete", "pending", "waiter")

    def __init__(self) -> None:
        self.pending = True
        self.complete = False
        self.waiter: trio.Event | None = None

    async def receive(self) -> dict[str, Any]:
        if self.pending:
            self.pending = False
            return {"type": "http.request", "body": b"", "more_body": False}
        if not self.complete:
            self.waiter = trio.Event()
            await self.waiter.wait()
        return _DISCONNECT

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body"):
            self.complete = True
            if self.waiter is not None:
                self.waiter.set()


async def _requests(app: TrioWeb, template: dict[str, Any], n: int) -> None:
    for _ in range(n):
        exchange = _Exchange()
        await app(dict(template), exchange.receive, exchange.send)
        assert exchange.complete


async def _batch(app: TrioWeb, path: str, n: int, concurrency: int) -> float:
    template = _scope(path)
    gc.collect()
    start = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(concurrency):
            nursery.start_soon(_requests, app, template, n // concurrency)
    return (time.perf_counter() - start) / (n // concurrency * concurrency) * 1e6


async def _waiter(event: trio.Event) -> None:
    await event.wait()


async def _floor(n: int) -> float:
    """The least a disconnect watcher can cost in trio: a nursery running one task."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(n):
        async with trio.open_nursery() as nursery:
            event = trio.Event()
            nursery.start_soon(_waiter, event)
            event.set()
    return (time.perf_counter() - start) / n * 1e6


async def main(n: int, rounds: int, concurrency: int) -> dict[str, float]:
    app = TrioWeb([off, on, with_nursery])
    paths = ["/off", "/on", "/nursery"]
    for path in paths:  # warm up
        await _batch(app, path, 200, concurrency)
    results: dict[str, list[float]] = {path: [] for path in [*paths, "floor"]}
    for _ in range(rounds):
        for path in paths:  # interleaved, so drift hits every route alike
            results[path].append(await _batch(app, path, n, concurrency))
        results["floor"].append(await _floor(n))
    return {path: statistics.median(times) for path, times in results.items()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="requests per batch")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 50],
        help="requests in flight at once (one task each); 1 shows the worst case",
    )
    arguments = parser.parse_args()
    for concurrency in arguments.concurrency:
        medians = trio.run(main, arguments.n, arguments.rounds, concurrency)
        base = medians["/off"]
        floor = medians.pop("floor")
        print(f"concurrency {concurrency}:")
        for path, micros in medians.items():
            print(f"  {path:10} {micros:7.2f} µs/request   {micros - base:+6.2f} µs vs off")
        print(f"  (a nursery running one task, alone: {floor:.2f} µs)")
