"""A raw ASGI app with lifespan, served by ``trioweb run`` and ``hypercorn`` in the CLI tests.

It deliberately imports nothing from trioweb: these tests are about the command line and the
server, not the framework.  It records lifecycle events as lines appended to the file named by
``$TRIOWEB_TEST_MARKER``; ``$TRIOWEB_TEST_HANG_SHUTDOWN=1`` makes lifespan shutdown hang.

Routes: ``/`` (fixed body), ``/debug`` (``app.debug`` and ``$TRIOWEB_DEBUG``), and
``/slow?chunks=N&interval=S`` (N chunks, S seconds apart; records ``slow-done`` or
``slow-cancelled``).
"""

import os
from dataclasses import dataclass
from urllib.parse import parse_qs

import trio

MARKER_ENV = "TRIOWEB_TEST_MARKER"
HANG_SHUTDOWN_ENV = "TRIOWEB_TEST_HANG_SHUTDOWN"
BODY = b"hello from cli_app\n"


def mark(event: str) -> None:
    path = os.environ.get(MARKER_ENV)
    if path:
        with open(path, "a") as file:
            file.write(event + "\n")


@dataclass(frozen=True)
class Route:
    """Shaped like a Litestar route, for ``trioweb routes``."""

    path: str
    methods: frozenset[str]


@dataclass(frozen=True)
class TableRoute:
    """Shaped like trioweb's own route table entry, for ``trioweb routes``."""

    path: str
    handlers: dict
    websocket: object = None


def create_item(): ...


def list_items(): ...


def item_feed(): ...


class CliApp:
    def __init__(self) -> None:
        self.debug = False
        self.routes = [
            Route("/", frozenset({"GET", "HEAD"})),
            Route("/debug", frozenset({"GET"})),
            Route("/slow", frozenset({"GET"})),
            TableRoute("/items", {"POST": create_item, "GET": list_items}, websocket=item_feed),
        ]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                mark("startup")
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                mark("shutdown-started")
                if os.environ.get(HANG_SHUTDOWN_ENV) == "1":
                    await trio.sleep_forever()
                mark("shutdown")
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope, send) -> None:
        headers = [(b"content-type", b"text/plain")]
        if scope["path"] == "/slow":
            query = parse_qs(scope["query_string"].decode())
            chunks = int(query.get("chunks", ["1000"])[0])
            interval = float(query.get("interval", ["0.1"])[0])
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            try:
                for index in range(chunks):
                    await send(
                        {
                            "type": "http.response.body",
                            "body": b"chunk %d\n" % index,
                            "more_body": True,
                        }
                    )
                    await trio.sleep(interval)
            except trio.Cancelled:
                mark("slow-cancelled")
                raise
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            mark("slow-done")
            return
        if scope["path"] == "/debug":
            body = f"{self.debug} {os.environ.get('TRIOWEB_DEBUG', '-')}".encode()
        else:
            body = BODY
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


app = CliApp()
