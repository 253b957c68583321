"""Dependencies with yield: a database session that lives as long as the response."""

from __future__ import annotations

from collections.abc import AsyncIterator

import trio

from trioweb import MediaType, TrioWeb, get
from trioweb.di import Provide
from trioweb.response import Stream

LOG: list[str] = []


class Session:
    """Stands in for a database session."""

    def __init__(self) -> None:
        self.open = True

    async def fetch_rows(self, count: int) -> AsyncIterator[str]:
        for n in range(count):
            assert self.open, "used after close"
            await trio.sleep(0)
            yield f"row {n}"

    async def close(self) -> None:
        self.open = False


async def provide_session() -> AsyncIterator[Session]:
    session = Session()
    LOG.append("session opened")
    try:
        yield session
    except Exception as exc:
        LOG.append(f"rolled back: {exc}")
        raise
    else:
        LOG.append("committed")
    finally:
        await session.close()
        LOG.append("session closed")


@get("/export")
async def export(session: Session) -> Stream:
    async def lines() -> AsyncIterator[str]:
        async for row in session.fetch_rows(3):
            yield row + "\n"

    # the session stays open until the last line is sent (Litestar would close it first)
    return Stream(lines(), media_type=MediaType.TEXT)


@get("/export/partial")
async def partial_export(session: Session) -> Stream:
    async def lines() -> AsyncIterator[str]:
        async for row in session.fetch_rows(3):
            yield row + "\n"
        raise LookupError("row 3 is gone")

    # the stream fails after its first lines went out: the session rolls back
    return Stream(lines(), media_type=MediaType.TEXT)


@get("/broken")
async def broken(session: Session) -> str:
    raise RuntimeError("constraint violated")


app = TrioWeb(
    route_handlers=[export, partial_export, broken],
    dependencies={"session": Provide(provide_session)},
)
