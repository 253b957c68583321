"""Pagination: the three containers, filled by sync and async paginators."""

from __future__ import annotations

from dataclasses import dataclass

import trio

from trioweb import TrioWeb, get
from trioweb.pagination import (
    AbstractAsyncOffsetPaginator,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)


@dataclass
class Person:
    id: int
    name: str


PEOPLE = [Person(id=n, name=f"person {n}") for n in range(1, 24)]  # 23 people


class PersonClassicPaginator(AbstractSyncClassicPaginator[Person]):
    def get_total(self, page_size: int) -> int:
        return -(-len(PEOPLE) // page_size)  # pages, rounded up

    def get_items(self, page_size: int, current_page: int) -> list[Person]:
        start = (current_page - 1) * page_size
        return PEOPLE[start : start + page_size]


class PersonOffsetPaginator(AbstractAsyncOffsetPaginator[Person]):
    """Async: e.g. two queries on one database session, awaited one after the other."""

    async def get_total(self) -> int:
        await trio.sleep(0)
        return len(PEOPLE)

    async def get_items(self, limit: int, offset: int) -> list[Person]:
        await trio.sleep(0)
        return PEOPLE[offset : offset + limit]


class PersonCursorPaginator(AbstractSyncCursorPaginator[int, Person]):
    """The cursor is the last id seen; the next cursor is None on the last page."""

    def get_items(
        self, cursor: int | None, results_per_page: int
    ) -> tuple[list[Person], int | None]:
        after = cursor or 0
        page = [p for p in PEOPLE if p.id > after][:results_per_page]
        more = bool(page) and page[-1].id < PEOPLE[-1].id
        return page, page[-1].id if more else None


classic_paginator = PersonClassicPaginator()
offset_paginator = PersonOffsetPaginator()
cursor_paginator = PersonCursorPaginator()


@get("/people/pages", sync_to_thread=False)
def people_pages(page_size: int, current_page: int) -> ClassicPagination[Person]:
    return classic_paginator(page_size=page_size, current_page=current_page)


@get("/people/slice")
async def people_slice(limit: int, offset: int = 0) -> OffsetPagination[Person]:
    return await offset_paginator(limit=limit, offset=offset)


@get("/people/after", sync_to_thread=False)
def people_after(
    results_per_page: int, cursor: int | None = None
) -> CursorPagination[int, Person]:
    return cursor_paginator(cursor=cursor, results_per_page=results_per_page)


app = TrioWeb(route_handlers=[people_pages, people_slice, people_after])
