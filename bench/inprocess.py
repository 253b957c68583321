"""In-process cost per request: each ASGI callable driven directly on trio, no sockets.

A request is a fresh copy of a hypercorn-shaped HTTP scope, a ``receive`` that hands over
the body once and then reports ``http.disconnect`` only after the response is complete
(as hypercorn does), and a ``send`` that only looks at the messages. The figure is wall
time per request over a batch, so it includes everything the framework does per request:
routing, parsing, validation, serialization, its tasks and nurseries.

Run alone: ``python -m bench.inprocess --contestants bare,trioweb -n 500 --rounds 3``.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import msgspec
import trio

from bench.apps import CONTESTANTS, load_app
from bench.apps._shared import HELLO, ORDER_BYTES, PEOPLE, Order, order_summary
from bench.stats import summarize

__all__ = ("CASES", "Case", "check_case", "open_lifespan", "run_inprocess", "time_batch")


@dataclass(frozen=True, slots=True)
class Case:
    """One request shape and the response every contestant must give to it."""

    name: str
    label: str
    method: str
    path: str
    query: bytes = b""
    body: bytes = b""
    expect: Any = None
    text: bool = False

    def headers(self) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"host", b"127.0.0.1:8000"),
            (b"user-agent", b"bench/1.0"),
            (b"accept", b"*/*"),
        ]
        if self.body:
            headers.append((b"content-type", b"application/json"))
            headers.append((b"content-length", str(len(self.body)).encode()))
        return headers


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("plaintext", "GET plaintext", "GET", "/plaintext", expect=HELLO, text=True),
        Case("json", "GET JSON", "GET", "/json", expect={"message": HELLO}),
        Case(
            "path_query",
            "GET path + query params",
            "GET",
            "/items/42",
            query=b"q=widgets&limit=25",
            expect={"item_id": 42, "q": "widgets", "limit": 25},
        ),
        Case(
            "post_json",
            "POST 1 KB JSON → model",
            "POST",
            "/validate",
            body=ORDER_BYTES,
            expect=order_summary(msgspec.json.decode(ORDER_BYTES, type=Order)),
        ),
        Case(
            "dataclasses",
            "GET 50 dataclasses",
            "GET",
            "/dataclasses",
            expect=msgspec.to_builtins(PEOPLE),
        ),
        Case("deps", "GET 3 nested dependencies", "GET", "/deps", expect={"value": 3}),
    )
}


def scope_template(case: Case) -> dict[str, Any]:
    """An HTTP scope shaped like the one hypercorn's trio worker builds (HTTP/1.1)."""
    return {
        "type": "http",
        "asgi": {"spec_version": "2.1", "version": "3.0"},
        "http_version": "1.1",
        "method": case.method,
        "scheme": "http",
        "path": case.path,
        "raw_path": case.path.encode(),
        "query_string": case.query,
        "root_path": "",
        "headers": case.headers(),
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "extensions": {},
    }


_DISCONNECT = {"type": "http.disconnect"}


class _Exchange:
    """``receive``/``send`` for one request; disconnect comes only after the response."""

    __slots__ = ("body", "chunks", "done", "keep", "pending", "status", "waiter")

    def __init__(self, body: bytes, keep: bool = False) -> None:
        self.pending = True
        self.body = body
        self.done = False
        self.waiter: trio.Event | None = None
        self.status = 0
        self.keep = keep
        self.chunks: list[bytes] = []

    async def receive(self) -> dict[str, Any]:
        if self.pending:
            self.pending = False
            return {"type": "http.request", "body": self.body, "more_body": False}
        if not self.done:
            self.waiter = trio.Event()
            await self.waiter.wait()
        return _DISCONNECT

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            if self.keep:
                self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.done = True
                if self.waiter is not None:
                    self.waiter.set()


@asynccontextmanager
async def open_lifespan(app: Any) -> AsyncIterator[None]:
    """Run the app's lifespan startup; shut it down on exit (apps without one are fine)."""
    to_app_send, to_app = trio.open_memory_channel[dict[str, Any]](2)
    from_app_send, from_app = trio.open_memory_channel[dict[str, Any]](2)
    scope = {"type": "lifespan", "asgi": {"spec_version": "2.0", "version": "3.0"}, "state": {}}

    async def run() -> None:
        try:
            await app(scope, to_app.receive, from_app_send.send)
        except Exception as exc:  # an app without lifespan support
            await from_app_send.send({"type": "lifespan.unsupported", "message": repr(exc)})

    async with trio.open_nursery() as nursery:
        nursery.start_soon(run)
        await to_app_send.send({"type": "lifespan.startup"})
        with trio.fail_after(30):
            reply = await from_app.receive()
        if reply["type"] == "lifespan.startup.failed":
            raise RuntimeError(f"lifespan startup failed: {reply.get('message')}")
        supported = reply["type"] == "lifespan.startup.complete"
        try:
            yield
        finally:
            if supported:
                await to_app_send.send({"type": "lifespan.shutdown"})
                with trio.move_on_after(10):
                    await from_app.receive()
            nursery.cancel_scope.cancel()


async def check_case(app: Any, case: Case) -> str | None:
    """Send ``case`` once; return what is wrong with the response (None when it is right)."""
    exchange = _Exchange(case.body, keep=True)
    scope = scope_template(case)
    scope["state"] = {}
    await app(scope, exchange.receive, exchange.send)
    if exchange.status != 200:
        return f"status {exchange.status}: {b''.join(exchange.chunks)[:200]!r}"
    body = b"".join(exchange.chunks)
    got: Any = body.decode() if case.text else msgspec.json.decode(body)
    if got != case.expect:
        return f"unexpected body {body[:200]!r}"
    return None


async def time_batch(app: Any, case: Case, n: int) -> tuple[float, float]:
    """CPU seconds and wall seconds per request, over ``n`` requests of ``case`` in a row.

    CPU time (``time.process_time``) is the headline: on a shared machine it does not count
    the time this process sat descheduled, which wall time does.
    """
    template = scope_template(case)
    body = case.body
    exchange_class = _Exchange
    gc.collect()
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(n):
        exchange = exchange_class(body)
        scope = template.copy()
        scope["state"] = {}
        await app(scope, exchange.receive, exchange.send)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    if exchange.status != 200:
        raise RuntimeError(f"{case.name}: status {exchange.status}")
    return cpu / n, wall / n


async def run_inprocess(
    contestants: Sequence[str],
    cases: Sequence[str],
    *,
    n: int,
    rounds: int,
    progress: Callable[[str], None] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Time every case for every contestant, interleaved; µs/request per round and summary."""
    rng = random.Random(seed)
    apps = {name: load_app(name) for name in contestants}
    samples: dict[str, dict[str, list[float]]] = {c: {k: [] for k in contestants} for c in cases}
    wall: dict[str, dict[str, list[float]]] = {c: {k: [] for k in contestants} for c in cases}
    errors: dict[str, dict[str, str]] = {}
    async with AsyncExitStack() as stack:
        for app in apps.values():
            await stack.enter_async_context(open_lifespan(app))
        live: dict[str, list[str]] = {}
        for case_name in cases:
            case = CASES[case_name]
            live[case_name] = []
            for name, app in apps.items():
                problem = await check_case(app, case)
                if problem is not None:
                    errors.setdefault(case_name, {})[name] = problem
                    continue
                live[case_name].append(name)
                await time_batch(app, case, max(n // 5, 1))  # warm up
        for round_index in range(rounds):
            for case_name in cases:
                order = list(live[case_name])
                rng.shuffle(order)
                for name in order:
                    cpu, elapsed = await time_batch(apps[name], CASES[case_name], n)
                    samples[case_name][name].append(cpu * 1e6)
                    wall[case_name][name].append(elapsed * 1e6)
            if progress is not None:
                progress(f"in-process round {round_index + 1}/{rounds}")
    return {
        "n_per_batch": n,
        "rounds": rounds,
        "unit": "µs/request (CPU time)",
        "errors": errors,
        "cases": {
            case_name: {
                name: {
                    **summarize(values),
                    "samples": values,
                    "wall_median": summarize(wall[case_name][name])["median"],
                }
                for name, values in per_case.items()
                if values
            }
            for case_name, per_case in samples.items()
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", default=",".join(CONTESTANTS))
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("-n", type=int, default=2000, help="requests per timed batch")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", help="write the JSON here (default: stdout)")
    args = parser.parse_args(argv)
    result = trio.run(
        lambda: run_inprocess(
            args.contestants.split(","),
            args.cases.split(","),
            n=args.n,
            rounds=args.rounds,
            progress=lambda text: print(text, file=sys.stderr, flush=True),
        )
    )
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
