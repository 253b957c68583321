"""Query, header and cookie parameters, their constraints, the 400s, and the reserved names.

Expected answers are Litestar 2.25's, byte for byte.
"""

import datetime
import enum
import uuid
from typing import Annotated, Any

import msgspec
import pytest

from trioweb import Request, get, post
from trioweb.datastructures import ImmutableState, State
from trioweb.params import Parameter
from trioweb.testing import create_async_test_client


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def _invalid(path: str, *errors: tuple[str, str, str]) -> bytes:
    """Litestar's 400 for invalid values: ``(message, key, source)`` per error."""
    extra = ",".join(
        '{"message":"%s","key":"%s","source":"%s"}' % error  # noqa: UP031
        for error in errors
    )
    return b'{"status_code":400,"detail":"Validation failed for GET %s","extra":[%s]}' % (
        path.encode(),
        extra.encode(),
    )


def _missing(kind: str, alias: str, path: str) -> bytes:
    return b'{"status_code":400,"detail":"Missing required %s parameter \'%s\' for path %s"}' % (
        kind.encode(),
        alias.encode(),
        path.encode(),
    )


# -- query parameters -------------------------------------------------------------------------


@get("/int")
async def q_int(a: int) -> dict[str, Any]:
    return {"a": a}


@get("/default")
async def q_default(b: str = "dflt") -> dict[str, Any]:
    return {"b": b}


@get("/opt")
async def q_opt(c: int | None = None) -> dict[str, Any]:
    return {"c": c}


@get("/list")
async def q_list(d: list[int]) -> dict[str, Any]:
    return {"d": d}


@get("/optlist")
async def q_optlist(e: list[str] | None = None) -> dict[str, Any]:
    return {"e": e}


@get("/bool")
async def q_bool(flag: bool = False) -> dict[str, Any]:
    return {"flag": flag}


@get("/two")
async def q_two(a: int, b: int) -> dict[str, Any]:
    return {"a": a, "b": b}


@get("/date")
async def q_date(d: datetime.date) -> dict[str, Any]:
    return {"d": d}


@get("/enum")
async def q_enum(c: Color) -> dict[str, Any]:
    return {"c": c}


@get("/uuid")
async def q_uuid(u: uuid.UUID) -> dict[str, Any]:
    return {"u": u}


@get("/str")
async def q_str(s: str) -> dict[str, Any]:
    return {"s": s}


@get("/set")
async def q_set(s: set[int]) -> dict[str, Any]:
    return {"s": sorted(s)}


@get("/union")
async def q_union(u: int | str) -> dict[str, Any]:
    return {"u": u}


QUERY_HANDLERS = [
    q_int,
    q_default,
    q_opt,
    q_list,
    q_optlist,
    q_bool,
    q_two,
    q_date,
    q_enum,
    q_uuid,
    q_str,
    q_set,
    q_union,
]


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/int?a=1", 200, b'{"a":1}'),
        ("/int?a=1&a=2", 200, b'{"a":2}'),  # a repeated scalar takes the last value
        ("/int?a=1&extra=2", 200, b'{"a":1}'),
        ("/int?a=x", 400, _invalid("/int?a=x", ("Expected `int`, got `str`", "a", "query"))),
        ("/int?a=", 400, _invalid("/int?a=", ("Expected `int`, got `str`", "a", "query"))),
        ("/int", 400, _missing("query", "a", "/int")),
        ("/default", 200, b'{"b":"dflt"}'),
        ("/default?b=given", 200, b'{"b":"given"}'),
        ("/opt", 200, b'{"c":null}'),
        ("/opt?c=2", 200, b'{"c":2}'),
        ("/opt?c=", 400, _invalid("/opt?c=", ("Expected `int | null`, got `str`", "c", "query"))),
        ("/list?d=1&d=2", 200, b'{"d":[1,2]}'),
        ("/list?d=1", 200, b'{"d":[1]}'),
        ("/list", 400, _missing("query", "d", "/list")),
        ("/list?d=x", 400, _invalid("/list?d=x", ("Expected `int`, got `str`", "d", "query"))),
        ("/optlist", 200, b'{"e":null}'),
        ("/optlist?e=a&e=b", 200, b'{"e":["a","b"]}'),
        ("/bool?flag=true", 200, b'{"flag":true}'),
        ("/bool?flag=True", 200, b'{"flag":true}'),
        ("/bool?flag=1", 200, b'{"flag":true}'),
        ("/bool?flag=0", 200, b'{"flag":false}'),
        ("/bool?flag=false", 200, b'{"flag":false}'),
        (
            "/bool?flag=yes",
            400,
            _invalid("/bool?flag=yes", ("Expected `bool`, got `str`", "flag", "query")),
        ),
        ("/bool", 200, b'{"flag":false}'),
        ("/date?d=2024-01-02", 200, b'{"d":"2024-01-02"}'),
        (
            "/date?d=nope",
            400,
            _invalid("/date?d=nope", ("Invalid RFC3339 encoded date", "d", "query")),
        ),
        ("/enum?c=red", 200, b'{"c":"red"}'),
        (
            "/enum?c=green",
            400,
            _invalid("/enum?c=green", ("Invalid enum value 'green'", "c", "query")),
        ),
        (
            "/uuid?u=12345678-1234-5678-1234-567812345678",
            200,
            b'{"u":"12345678-1234-5678-1234-567812345678"}',
        ),
        ("/str?s=%E2%98%83+x", 200, '{"s":"☃ x"}'.encode()),
        ("/set?s=1&s=1&s=2", 200, b'{"s":[1,2]}'),
        ("/union?u=1", 200, b'{"u":"1"}'),  # a str in the union takes the raw value
    ],
)
async def test_query_parameters(url: str, status: int, body: bytes) -> None:
    async with create_async_test_client(QUERY_HANDLERS) as client:
        response = await client.get(url)
    assert (response.status_code, response.content) == (status, body)


async def test_every_invalid_value_is_reported_at_once() -> None:
    async with create_async_test_client(QUERY_HANDLERS) as client:
        response = await client.get("/two?a=x&b=y")
    assert response.content == _invalid(
        "/two?a=x&b=y",
        ("Expected `int`, got `str`", "a", "query"),
        ("Expected `int`, got `str`", "b", "query"),
    )


# -- Parameter(): aliases and constraints -----------------------------------------------------


@get("/alias")
async def alias(page: int = Parameter(query="p", ge=1, le=10)) -> dict[str, Any]:
    return {"page": page}


@get("/strlen")
async def strlen(name: str = Parameter(min_length=2, max_length=4)) -> dict[str, Any]:
    return {"name": name}


@get("/pattern")
async def pattern(code: str = Parameter(pattern=r"^[A-Z]+\d+$")) -> dict[str, Any]:
    return {"code": code}


@get("/gtlt")
async def gtlt(n: int = Parameter(gt=0, lt=10)) -> dict[str, Any]:
    return {"n": n}


@get("/annotated")
async def annotated(x: Annotated[int, Parameter(ge=0)]) -> dict[str, Any]:
    return {"x": x}


@get("/items")
async def items(ids: list[int] = Parameter(min_items=2, max_items=2)) -> dict[str, Any]:
    return {"ids": ids}


@get("/mult")
async def mult(m: int = Parameter(multiple_of=3)) -> dict[str, Any]:
    return {"m": m}


@get("/required")
async def required(r: str | None = Parameter(required=True)) -> dict[str, Any]:
    return {"r": r}


@get("/not-required")
async def not_required(r: str = Parameter(required=False)) -> dict[str, Any]:
    return {"r": r}


CONSTRAINED = [alias, strlen, pattern, gtlt, annotated, items, mult, required, not_required]


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/alias?p=3", 200, b'{"page":3}'),
        # the error names the parameter, not its alias
        ("/alias?p=0", 400, _invalid("/alias?p=0", ("Expected `int` >= 1", "page", "query"))),
        ("/alias?p=11", 400, _invalid("/alias?p=11", ("Expected `int` <= 10", "page", "query"))),
        # ...but "missing" names the alias, the thing the client must send
        ("/alias?page=3", 400, _missing("query", "p", "/alias?page=3")),
        ("/strlen?name=ab", 200, b'{"name":"ab"}'),
        (
            "/strlen?name=a",
            400,
            _invalid("/strlen?name=a", ("Expected `str` of length >= 2", "name", "query")),
        ),
        (
            "/strlen?name=abcde",
            400,
            _invalid("/strlen?name=abcde", ("Expected `str` of length <= 4", "name", "query")),
        ),
        ("/pattern?code=AB12", 200, b'{"code":"AB12"}'),
        (
            "/pattern?code=zz",
            400,
            _invalid(
                "/pattern?code=zz",
                (r"Expected `str` matching regex '^[A-Z]+\\\\d+$'", "code", "query"),
            ),
        ),
        ("/gtlt?n=0", 400, _invalid("/gtlt?n=0", ("Expected `int` >= 1", "n", "query"))),
        ("/gtlt?n=10", 400, _invalid("/gtlt?n=10", ("Expected `int` <= 9", "n", "query"))),
        ("/annotated?x=4", 200, b'{"x":4}'),
        (
            "/annotated?x=-1",
            400,
            _invalid("/annotated?x=-1", ("Expected `int` >= 0", "x", "query")),
        ),
        (
            "/items?ids=1",
            400,
            _invalid("/items?ids=1", ("Expected `array` of length >= 2", "ids", "query")),
        ),
        (
            "/items?ids=1&ids=2&ids=3",
            400,
            _invalid(
                "/items?ids=1&ids=2&ids=3", ("Expected `array` of length <= 2", "ids", "query")
            ),
        ),
        (
            "/mult?m=7",
            400,
            _invalid("/mult?m=7", ("Expected `int` that's a multiple of 3", "m", "query")),
        ),
        # Litestar's rule: an Optional parameter is never required...
        ("/required", 200, b'{"r":null}'),
        # ...and a parameter that is not required but has no default gets None, validated
        (
            "/not-required",
            400,
            _invalid("/not-required", ("Expected `str`, got `null`", "r", "query")),
        ),
        ("/not-required?r=x", 200, b'{"r":"x"}'),
    ],
)
async def test_parameter_constraints(url: str, status: int, body: bytes) -> None:
    async with create_async_test_client(CONSTRAINED) as client:
        response = await client.get(url)
    assert (response.status_code, response.content) == (status, body)


# -- headers and cookies ----------------------------------------------------------------------


@get("/h")
async def h(token: str = Parameter(header="X-Token")) -> dict[str, Any]:
    return {"token": token}


@get("/h-int")
async def h_int(n: int = Parameter(header="x-n", ge=1)) -> dict[str, Any]:
    return {"n": n}


@get("/h-opt")
async def h_opt(v: str | None = Parameter(header="x-opt", default=None)) -> dict[str, Any]:
    return {"v": v}


@get("/h-list")
async def h_list(v: list[str] = Parameter(header="x-l")) -> dict[str, Any]:
    return {"v": v}


@get("/c")
async def c(sid: str = Parameter(cookie="sid")) -> dict[str, Any]:
    return {"sid": sid}


@get("/c-int")
async def c_int(n: int = Parameter(cookie="n", le=100)) -> dict[str, Any]:
    return {"n": n}


@get("/all")
async def all_kinds(
    q: int, ck: int = Parameter(cookie="c"), hd: int = Parameter(header="x-h")
) -> dict[str, Any]:
    return {"q": q, "h": hd, "c": ck}


HEADERS_AND_COOKIES = [h, h_int, h_opt, h_list, c, c_int, all_kinds]


@pytest.mark.parametrize(
    ("url", "headers", "status", "body"),
    [
        ("/h", {"X-Token": "abc"}, 200, b'{"token":"abc"}'),
        ("/h", {}, 400, _missing("header", "X-Token", "/h")),
        ("/h-int", {"x-n": "3"}, 200, b'{"n":3}'),
        ("/h-int", {"x-n": "0"}, 400, _invalid("/h-int", ("Expected `int` >= 1", "n", "header"))),
        (
            "/h-int",
            {"x-n": "q"},
            400,
            _invalid("/h-int", ("Expected `int`, got `str`", "n", "header")),
        ),
        ("/h-opt", {}, 200, b'{"v":null}'),
        ("/h-opt", {"x-opt": "here"}, 200, b'{"v":"here"}'),
        # a header is one value: a list annotation does not collect repeated headers
        (
            "/h-list",
            [("x-l", "a"), ("x-l", "b")],
            400,
            _invalid("/h-list", ("Expected `array`, got `str`", "v", "header")),
        ),
        ("/c", {"cookie": "sid=s1; other=o"}, 200, b'{"sid":"s1"}'),
        ("/c", {"cookie": 'sid="quoted value"'}, 200, b'{"sid":"quoted value"}'),
        ("/c", {}, 400, _missing("cookie", "sid", "/c")),
        ("/c-int", {"cookie": "n=12"}, 200, b'{"n":12}'),
        (
            "/c-int",
            {"cookie": "n=x"},
            400,
            _invalid("/c-int", ("Expected `int`, got `str`", "n", "cookie")),
        ),
        ("/all?q=1", {"x-h": "2", "cookie": "c=3"}, 200, b'{"q":1,"h":2,"c":3}'),
        # with several missing, the header is reported first, then cookies, then the query
        ("/all", {}, 400, _missing("header", "x-h", "/all")),
        ("/all", {"x-h": "2"}, 400, _missing("cookie", "c", "/all")),
        ("/all", {"x-h": "2", "cookie": "c=3"}, 400, _missing("query", "q", "/all")),
    ],
)
async def test_headers_and_cookies(url: str, headers: Any, status: int, body: bytes) -> None:
    async with create_async_test_client(HEADERS_AND_COOKIES) as client:
        response = await client.get(url, headers=headers)
    assert (response.status_code, response.content) == (status, body)


async def test_invalid_values_of_every_kind_are_reported_in_signature_order() -> None:
    @get("/many")
    async def many(
        a: int, b: int, c: int = Parameter(header="x-c"), d: int = Parameter(query="dd", default=1)
    ) -> dict[str, Any]:
        return {}

    async with create_async_test_client([many]) as client:
        response = await client.get("/many?a=x&b=y", headers={"x-c": "z"})
    assert response.content == _invalid(
        "/many?a=x&b=y",
        ("Expected `int`, got `str`", "a", "query"),
        ("Expected `int`, got `str`", "b", "query"),
        ("Expected `int`, got `str`", "c", "header"),
    )


# -- reserved names ---------------------------------------------------------------------------


async def test_reserved_parameter_names_receive_the_connection_parts() -> None:
    @get("/reserved")
    async def reserved(
        request: Request,
        state: State,
        scope: dict[str, Any],
        headers: dict[str, str],
        cookies: dict[str, str],
        query: dict[str, Any],
    ) -> dict[str, Any]:
        return {
            "method": request.method,
            "state": state.get("k"),
            "scope_type": scope["type"],
            "x_a": headers.get("x-a"),
            "cookies": cookies,
            "query": query,
            "types": [type(headers).__name__, type(cookies).__name__, type(query).__name__],
        }

    async with create_async_test_client([reserved], state=State({"k": "v"})) as client:
        response = await client.get(
            "/reserved?a=1&a=2&b=3", headers={"x-a": "hdr", "cookie": "ck=1"}
        )
    # a ``query: dict`` holds the first value of each key
    assert response.content == (
        b'{"method":"GET","state":"v","scope_type":"http","x_a":"hdr","cookies":{"ck":"1"},'
        b'"query":{"a":"1","b":"3"},"types":["dict","dict","dict"]}'
    )


class CounterState(State):
    """A typed view of the app state, as Litestar's docs suggest subclassing State."""

    count: int


async def test_state_annotated_with_a_state_class_gets_that_class() -> None:
    @get("/typed")
    async def typed(state: CounterState) -> str:
        state.count += 1  # a State subclass shares the app's state: the write sticks
        return f"{type(state).__name__} {state.count}"

    @get("/plain")
    async def plain(state: State) -> str:
        return f"{type(state).__name__} {state.count}"

    @get("/immutable")
    async def immutable(state: ImmutableState) -> str:
        return f"{type(state).__name__} {state['count']}"

    async with create_async_test_client(
        [typed, plain, immutable], state=State({"count": 0})
    ) as client:
        assert (await client.get("/typed")).text == "CounterState 1"
        assert (await client.get("/typed")).text == "CounterState 2"
        assert (await client.get("/plain")).text == "State 2"
        assert (await client.get("/immutable")).text == "ImmutableState 2"


# -- Litestar 2.25's parameter markers ---------------------------------------------------------


async def test_litestar_225_markers_name_where_a_parameter_comes_from() -> None:
    from trioweb.params import (
        CookieParameter,
        FromCookie,
        FromHeader,
        FromQuery,
        HeaderParameter,
        PathParameter,
        QueryParameter,
        QueryParams,
        RawBody,
        RequestCookies,
    )

    @get("/q")
    async def q(
        page_size: Annotated[int, QueryParameter(name="pageSize", gt=0)] = 10,
        limit: FromQuery[int] = 1,
        token: Annotated[str | None, HeaderParameter(name="x-token")] = None,
        x_plain: FromHeader[str | None] = None,
        session: FromCookie[str | None] = None,
        cid: Annotated[str | None, CookieParameter(name="sid")] = None,
    ) -> dict[str, Any]:
        return {"page_size": page_size, "limit": limit, "token": token, "x_plain": x_plain,
                "session": session, "cid": cid}  # fmt: skip

    @get("/p/{n:int}")
    async def p(n: Annotated[int, PathParameter(gt=0)]) -> int:
        return n

    @post("/raw")
    async def raw(body: RawBody, query: QueryParams, cookies: RequestCookies) -> dict[str, Any]:
        return {"body": body.decode(), "query": query.getall("a"), "cookies": cookies}

    async with create_async_test_client([q, p, raw]) as client:
        response = await client.get(
            "/q?pageSize=5&limit=2",
            headers={"x-token": "t", "x_plain": "p", "cookie": "session=s; sid=c"},
        )
        assert response.content == (
            b'{"page_size":5,"limit":2,"token":"t","x_plain":"p","session":"s","cid":"c"}'
        )
        assert (await client.get("/q?pageSize=0")).content == (
            b'{"status_code":400,"detail":"Validation failed for GET /q?pageSize=0","extra":'
            b'[{"message":"Expected `int` >= 1","key":"page_size","source":"query"}]}'
        )
        assert (await client.get("/p/0")).json()["extra"][0]["source"] == "path"
        response = await client.post("/raw?a=1&a=2", content=b"raw", headers={"cookie": "c=1"})
        assert response.content == b'{"body":"raw","query":["1","2"],"cookies":{"c":"1"}}'


async def test_litestar_225_body_markers() -> None:
    from trioweb.params import JSONBody, MsgPackBody, RequestBody, URLEncodedBody

    @post("/json")
    async def json_body(data: JSONBody[dict[str, int]]) -> dict[str, int]:
        return data

    @post("/msgpack")
    async def msgpack_body(data: MsgPackBody[dict[str, int]]) -> dict[str, int]:
        return data

    @post("/form")
    async def form_body(data: URLEncodedBody[dict[str, str]]) -> dict[str, str]:
        return data

    @post("/default")
    async def default_body(data: RequestBody[dict[str, int]]) -> dict[str, int]:
        return data

    async with create_async_test_client([json_body, msgpack_body, form_body, default_body]) as client:
        assert (await client.post("/json", json={"x": 1})).content == b'{"x":1}'
        packed = msgspec.msgpack.encode({"x": 2})
        response = await client.post(
            "/msgpack", content=packed, headers={"content-type": "application/x-msgpack"}
        )
        assert response.content == b'{"x":2}'
        assert (await client.post("/form", data={"a": "1"})).content == b'{"a":"1"}'
        assert (await client.post("/default", json={"x": 3})).content == b'{"x":3}'
