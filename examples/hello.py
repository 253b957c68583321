"""The example app: JSON, typed parameters, a streamed body and server-sent events.

Serve it with ``trioweb run examples.hello:app`` and open http://127.0.0.1:8000/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import trio

from trioweb import MediaType, TrioWeb, get, post
from trioweb.response import Stream


@dataclass
class Greeting:
    name: str
    excited: bool = False


@get("/", media_type=MediaType.TEXT)
async def index() -> str:
    return "Hello from trioweb! Try /greet/ada?excited=true, /count or POST /echo\n"


@get("/greet/{name:str}")
async def greet(name: str, excited: bool = False) -> Greeting:
    return Greeting(name=name, excited=excited)


@post("/echo")
async def echo(data: Greeting) -> Greeting:
    return data


@get("/count")
async def count(to: int = 5) -> Stream:
    async def numbers() -> AsyncIterator[str]:
        for i in range(1, to + 1):
            yield f"{i}\n"
            await trio.sleep(0.5)

    return Stream(numbers(), media_type=MediaType.TEXT)


app = TrioWeb(route_handlers=[index, greet, echo, count])
