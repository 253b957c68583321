"""What every contestant serves: the data, the models and the finally-recorder.

Each contestant module (``bench/apps/<name>.py``) exposes ``app`` and implements the same
endpoints, idiomatically for its framework:

==========================  ============================================================
``GET /plaintext``          ``Hello, World!`` as ``text/plain``
``GET /json``               ``{"message": "Hello, World!"}``
``GET /items/{id:int}``     typed path parameter + ``?q=<str>&limit=<int, default 10>``
``POST /validate``          a ~1 KB JSON body validated into :class:`Order`
``GET /dataclasses``        50 :class:`Person` dataclasses (each with an :class:`Address`)
``GET /deps``               three nested async dependencies (``a`` → ``b`` → ``c``)
``GET /stream``             a 1,000-chunk streamed body (32-byte chunks)
``GET /sse``                1,000 server-sent events
``GET /sse-idle``           one server-sent event, then idle until the client leaves
``GET /stream-finally``     ``?id=<str>``: a chunk every 20 ms for at most 3 s; the
                            generator's ``finally`` records ``time.monotonic()``
``GET /finally-times``      the recorded times as JSON (and forgets them)
``WS  /ws``                 echo every text message
==========================  ============================================================
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import msgspec

__all__ = (
    "CHUNK",
    "HELLO",
    "N_CHUNKS",
    "N_EVENTS",
    "ORDER_BYTES",
    "PEOPLE",
    "SSE_EVENT",
    "STREAM_FINALLY_MAX_CHUNKS",
    "STREAM_FINALLY_TICK",
    "Address",
    "Item",
    "Order",
    "Person",
    "dep_a",
    "dep_b",
    "dep_c",
    "finally_times",
    "order_summary",
    "record_finally",
)

HELLO = "Hello, World!"
N_CHUNKS = 1000
N_EVENTS = 1000
CHUNK = b"x" * 31 + b"\n"
SSE_EVENT = "0123456789abcdef"  # the data of each event: "data: 0123456789abcdef\n\n"
STREAM_FINALLY_TICK = 0.02
STREAM_FINALLY_MAX_CHUNKS = 150  # 3 s: bounds a stream whose framework never notices


@dataclass
class Item:
    sku: str
    name: str
    price: float
    quantity: int


@dataclass
class Order:
    id: int
    customer: str
    email: str
    notes: str
    items: list[Item]
    tags: list[str] = field(default_factory=list)


@dataclass
class Address:
    street: str
    city: str
    zip_code: str


@dataclass
class Person:
    id: int
    first_name: str
    last_name: str
    email: str
    age: int
    active: bool
    address: Address


def _order() -> Order:
    return Order(
        id=1234,
        customer="Ada Lovelace",
        email="ada@example.com",
        notes="Leave the parcel with the neighbour if nobody answers the door. " * 2,
        items=[
            Item(sku=f"SKU-{i:05d}", name=f"Widget number {i}", price=9.99 + i, quantity=i % 5 + 1)
            for i in range(9)
        ],
        tags=["priority", "gift", "fragile", "express"],
    )


ORDER_BYTES: bytes = msgspec.json.encode(_order())
"""The POST body: about 1 KB of JSON."""

PEOPLE: list[Person] = [
    Person(
        id=i,
        first_name=f"First{i}",
        last_name=f"Last{i}",
        email=f"person{i}@example.com",
        age=20 + i % 50,
        active=i % 2 == 0,
        address=Address(street=f"{i} Main Street", city="Springfield", zip_code=f"{10000 + i}"),
    )
    for i in range(50)
]


def order_summary(order: Order) -> dict[str, object]:
    """The response to ``POST /validate``."""
    return {"id": order.id, "items": len(order.items), "customer": order.customer}


async def dep_a() -> int:
    return 1


async def dep_b(a: int) -> int:
    return a + 1


async def dep_c(b: int) -> int:
    return b + 1


_FINALLY: dict[str, float] = {}


def record_finally(stream_id: str) -> None:
    """Called from the ``finally`` of a ``/stream-finally`` generator."""
    _FINALLY[stream_id] = time.monotonic()


def finally_times() -> dict[str, float]:
    """The recorded times (then forgotten)."""
    out = dict(_FINALLY)
    _FINALLY.clear()
    return out
