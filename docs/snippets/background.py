"""Background tasks: after the response, in order or concurrently, on routes and responses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import trio

from trioweb import TrioWeb, get, post
from trioweb.background_tasks import BackgroundTask, BackgroundTasks
from trioweb.response import Response, Stream

LOG: list[str] = []


async def send_welcome_mail(address: str, *, template: str) -> None:
    await trio.sleep(0.01)  # talk to the mail server
    LOG.append(f"mailed {address} ({template})")


def write_audit_line(event: str) -> None:  # sync: runs in a worker thread
    LOG.append(f"audit: {event}")


@dataclass
class Signup:
    email: str


@post("/signup")
async def signup(data: Signup) -> Response[dict[str, str]]:
    return Response(
        {"status": "welcome"},
        background=BackgroundTasks(
            [
                BackgroundTask(send_welcome_mail, data.email, template="welcome"),
                BackgroundTask(write_audit_line, f"signup {data.email}"),
            ]
        ),
    )


@get("/ping", media_type="text/plain", background=BackgroundTask(write_audit_line, "ping"))
async def ping() -> str:
    return "pong"


@get("/export", media_type="text/plain")
async def export() -> Stream:
    async def lines() -> AsyncIterator[str]:
        for n in range(3):
            yield f"line {n}\n"

    # runs once the stream has ended: completed, or the client left half way
    return Stream(lines(), background=BackgroundTask(write_audit_line, "export"))


app = TrioWeb([signup, ping, export])
