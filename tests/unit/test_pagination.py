"""trioweb.pagination: containers serialize like Litestar's; paginators do the arithmetic asked."""

import dataclasses
from itertools import islice
from uuid import UUID

import msgspec
import pytest
import trio

import trioweb.pagination as pagination
from trioweb.pagination import (
    AbstractAsyncClassicPaginator,
    AbstractAsyncCursorPaginator,
    AbstractAsyncOffsetPaginator,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    AbstractSyncOffsetPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)

DATA = list(range(1, 51))  # 50 items


def test_all_is_sorted_and_complete() -> None:
    assert list(pagination.__all__) == sorted(pagination.__all__)
    assert set(pagination.__all__) == {
        "AbstractAsyncClassicPaginator",
        "AbstractAsyncCursorPaginator",
        "AbstractAsyncOffsetPaginator",
        "AbstractSyncClassicPaginator",
        "AbstractSyncCursorPaginator",
        "AbstractSyncOffsetPaginator",
        "ClassicPagination",
        "CursorPagination",
        "OffsetPagination",
    }


# -- containers ------------------------------------------------------------------------------


def test_classic_json_matches_litestar_bytes() -> None:
    page = ClassicPagination(items=[{"id": 1}], page_size=2, current_page=1, total_pages=3)
    assert msgspec.json.encode(page) == (
        b'{"items":[{"id":1}],"page_size":2,"current_page":1,"total_pages":3}'
    )


def test_offset_json_matches_litestar_bytes() -> None:
    page = OffsetPagination(items=["a", "b"], limit=2, offset=4, total=9)
    assert msgspec.json.encode(page) == b'{"items":["a","b"],"limit":2,"offset":4,"total":9}'


def test_cursor_json_matches_litestar_bytes() -> None:
    assert msgspec.json.encode(CursorPagination(items=[1, 2], results_per_page=2, cursor=None)) == (
        b'{"items":[1,2],"results_per_page":2,"cursor":null}'
    )
    batch = CursorPagination[UUID, int](items=[], results_per_page=5, cursor=UUID(int=5))
    assert msgspec.json.encode(batch) == (
        b'{"items":[],"results_per_page":5,"cursor":"00000000-0000-0000-0000-000000000005"}'
    )


def test_field_order() -> None:
    assert [f.name for f in dataclasses.fields(ClassicPagination)] == [
        "items",
        "page_size",
        "current_page",
        "total_pages",
    ]
    assert [f.name for f in dataclasses.fields(OffsetPagination)] == [
        "items",
        "limit",
        "offset",
        "total",
    ]
    assert [f.name for f in dataclasses.fields(CursorPagination)] == [
        "items",
        "results_per_page",
        "cursor",
    ]


def test_containers_decode_back_with_their_type_arguments() -> None:
    raw = b'{"items":[1,2],"limit":2,"offset":0,"total":3}'
    decoded = msgspec.json.decode(raw, type=OffsetPagination[int])
    assert decoded == OffsetPagination(items=[1, 2], limit=2, offset=0, total=3)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=OffsetPagination[str])


def test_containers_compare_by_value_and_keep_keyword_construction() -> None:
    assert ClassicPagination(items=[1], page_size=1, current_page=1, total_pages=1) == (
        ClassicPagination[int](items=[1], page_size=1, current_page=1, total_pages=1)
    )
    assert repr(OffsetPagination(items=[], limit=1, offset=0, total=0)) == (
        "OffsetPagination(items=[], limit=1, offset=0, total=0)"
    )


# -- paginators over an in-memory list -------------------------------------------------------


class ListClassicPaginator(AbstractSyncClassicPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_total(self, page_size: int) -> int:
        return -(-len(self.data) // page_size)  # ceiling division

    def get_items(self, page_size: int, current_page: int) -> list[int]:
        start = (current_page - 1) * page_size
        return self.data[start : start + page_size]


class ListOffsetPaginator(AbstractSyncOffsetPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_total(self) -> int:
        return len(self.data)

    def get_items(self, limit: int, offset: int) -> list[int]:
        return list(islice(islice(self.data, offset, None), limit))


class ListCursorPaginator(AbstractSyncCursorPaginator[int, int]):
    """Cursor = the last item returned; ``None`` once the data is exhausted."""

    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_items(self, cursor: int | None, results_per_page: int) -> tuple[list[int], int | None]:
        start = 0 if cursor is None else self.data.index(cursor) + 1
        batch = self.data[start : start + results_per_page]
        more = start + results_per_page < len(self.data)
        return batch, (batch[-1] if batch and more else None)


@pytest.mark.parametrize(
    ("page_size", "current_page", "items", "total_pages"),
    [
        (10, 1, DATA[:10], 5),
        (10, 5, DATA[40:], 5),
        (7, 8, [50], 8),  # last, partial page
        (100, 1, DATA, 1),  # page larger than the data
        (10, 6, [], 5),  # past the end: whatever get_items returns
    ],
)
def test_classic_paginator(
    page_size: int, current_page: int, items: list[int], total_pages: int
) -> None:
    page = ListClassicPaginator(DATA)(page_size=page_size, current_page=current_page)
    assert page == ClassicPagination(
        items=items, page_size=page_size, current_page=current_page, total_pages=total_pages
    )


def test_classic_paginator_over_nothing() -> None:
    page = ListClassicPaginator([])(page_size=10, current_page=1)
    assert msgspec.json.encode(page) == (
        b'{"items":[],"page_size":10,"current_page":1,"total_pages":0}'
    )


@pytest.mark.parametrize(
    ("limit", "offset", "items"),
    [
        (10, 0, DATA[:10]),
        (10, 39, DATA[39:49]),
        (10, 45, DATA[45:]),  # short last slice
        (10, 50, []),  # offset at the end
        (10, 500, []),  # offset past the end
        (0, 0, []),
    ],
)
def test_offset_paginator(limit: int, offset: int, items: list[int]) -> None:
    page = ListOffsetPaginator(DATA)(limit=limit, offset=offset)
    assert page == OffsetPagination(items=items, limit=limit, offset=offset, total=50)


def test_cursor_paginator_walks_the_whole_data_set() -> None:
    paginator = ListCursorPaginator(DATA)
    seen: list[int] = []
    cursor: int | None = None
    for _ in range(100):
        batch = paginator(cursor=cursor, results_per_page=12)
        assert batch.results_per_page == 12
        assert len(batch.items) <= 12
        seen += batch.items
        cursor = batch.cursor
        if cursor is None:
            break
    assert seen == DATA


def test_cursor_paginator_returns_the_new_cursor_not_the_old_one() -> None:
    batch = ListCursorPaginator(DATA)(cursor=10, results_per_page=5)
    assert batch == CursorPagination(items=[11, 12, 13, 14, 15], results_per_page=5, cursor=15)


def test_paginators_pass_arguments_by_keyword() -> None:
    class KeywordOnly(AbstractSyncOffsetPaginator[str]):
        def get_total(self) -> int:
            return 1

        def get_items(self, *, offset: int, limit: int) -> list[str]:  # type: ignore[override]
            return [f"{offset}:{limit}"]

    assert KeywordOnly()(limit=3, offset=2).items == ["2:3"]


@pytest.mark.parametrize(
    "cls",
    [
        AbstractSyncClassicPaginator,
        AbstractAsyncClassicPaginator,
        AbstractSyncOffsetPaginator,
        AbstractAsyncOffsetPaginator,
        AbstractSyncCursorPaginator,
        AbstractAsyncCursorPaginator,
    ],
)
def test_paginators_are_abstract(cls: type) -> None:
    with pytest.raises(TypeError):
        cls()


def test_cursor_paginator_with_string_cursor() -> None:
    class Letters(AbstractSyncCursorPaginator[str, str]):
        def get_items(
            self, cursor: str | None, results_per_page: int
        ) -> tuple[list[str], str | None]:
            letters = [c for c in "abcdef" if cursor is None or c > cursor][:results_per_page]
            return letters, letters[-1] if letters else None

    assert Letters()(cursor="b", results_per_page=2) == CursorPagination(
        items=["c", "d"], results_per_page=2, cursor="d"
    )


# -- async paginators ------------------------------------------------------------------------


class Recorder:
    """Records when the data-access calls start and end, to check they never overlap."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def step(self, name: str) -> None:
        self.events.append(f"{name} start")
        await trio.sleep(1)
        self.events.append(f"{name} end")


async def test_async_classic_paginator(autojump_clock: trio.testing.MockClock) -> None:
    recorder = Recorder()

    class Paginator(AbstractAsyncClassicPaginator[int]):
        async def get_total(self, page_size: int) -> int:
            await recorder.step("total")
            return -(-len(DATA) // page_size)

        async def get_items(self, page_size: int, current_page: int) -> list[int]:
            await recorder.step("items")
            start = (current_page - 1) * page_size
            return DATA[start : start + page_size]

    page = await Paginator()(page_size=20, current_page=3)
    assert page == ClassicPagination(items=DATA[40:], page_size=20, current_page=3, total_pages=3)
    assert recorder.events == ["total start", "total end", "items start", "items end"]


async def test_async_offset_paginator(autojump_clock: trio.testing.MockClock) -> None:
    recorder = Recorder()

    class Paginator(AbstractAsyncOffsetPaginator[int]):
        async def get_total(self) -> int:
            await recorder.step("total")
            return len(DATA)

        async def get_items(self, limit: int, offset: int) -> list[int]:
            await recorder.step("items")
            return DATA[offset : offset + limit]

    page = await Paginator()(limit=3, offset=48)
    assert page == OffsetPagination(items=[49, 50], limit=3, offset=48, total=50)
    assert recorder.events == ["total start", "total end", "items start", "items end"]


async def test_async_cursor_paginator() -> None:
    class Paginator(AbstractAsyncCursorPaginator[int, int]):
        async def get_items(
            self, cursor: int | None, results_per_page: int
        ) -> tuple[list[int], int | None]:
            await trio.lowlevel.checkpoint()
            return ListCursorPaginator(DATA).get_items(cursor, results_per_page)

    first = await Paginator()(cursor=None, results_per_page=30)
    assert (first.items, first.cursor) == (DATA[:30], 30)
    last = await Paginator()(cursor=first.cursor, results_per_page=30)
    assert last == CursorPagination(items=DATA[30:], results_per_page=30, cursor=None)


async def test_async_paginator_propagates_errors() -> None:
    class Broken(AbstractAsyncOffsetPaginator[int]):
        async def get_total(self) -> int:
            raise RuntimeError("database down")

        async def get_items(self, limit: int, offset: int) -> list[int]:
            raise AssertionError("not reached")

    with pytest.raises(RuntimeError, match="database down"):
        await Broken()(limit=1, offset=0)
