"""The ``data`` body: JSON, MessagePack, url-encoded and multipart forms, size limits.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

import dataclasses
from typing import Any, TypedDict

import msgspec
import pytest

from tests.unit._wire import json_error, wire
from trioweb import Controller, Request, Router, post, put
from trioweb.datastructures import UploadFile
from trioweb.enums import RequestEncodingType
from trioweb.params import Body
from trioweb.testing import create_async_test_client

JSON = ("content-type", "application/json")


class Point(msgspec.Struct):
    x: int
    y: int


class Polygon(msgspec.Struct):
    name: str
    points: list[Point]


@dataclasses.dataclass
class Person:
    name: str
    age: int = 0


class Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class SignUp:
    name: str
    age: int
    tags: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Upload:
    title: str
    file: UploadFile


def _invalid(path: str, message: str, key: str) -> bytes:
    return (
        b'{"status_code":400,"detail":"Validation failed for POST %s","extra":'
        b'[{"message":"%s","key":"%s","source":"body"}]}'
        % (path.encode(), message.encode(), key.encode())
    )


# -- JSON -------------------------------------------------------------------------------------


@post("/struct")
async def struct(data: Point) -> Point:
    return data


@post("/dc")
async def dc(data: Person) -> Person:
    return data


@post("/td")
async def td(data: Movie) -> Movie:
    return data


@post("/dict")
async def d(data: dict[str, int]) -> dict[str, int]:
    return data


@post("/list")
async def lst(data: list[int]) -> list[int]:
    return data


@post("/int")
async def i(data: int) -> int:
    return data


@post("/str")
async def s(data: str) -> str:
    return data


@post("/opt")
async def opt(data: Point | None = None) -> dict[str, Any]:
    return {"data": data}


@post("/nested")
async def nested(data: Polygon) -> Polygon:
    return data


@post("/any")
async def any_(data: Any) -> Any:
    return data


@put("/put")
async def put_(data: Point) -> Point:
    return data


JSON_HANDLERS = [struct, dc, td, d, lst, i, s, opt, nested, any_, put_]


@pytest.mark.parametrize(
    ("url", "content", "status", "body"),
    [
        ("/struct", b'{"x":1,"y":2}', 201, b'{"x":1,"y":2}'),
        ("/struct", b'{"x":"1","y":"2"}', 201, b'{"x":1,"y":2}'),  # lax, like query strings
        ("/struct", b'{"x":1,"y":2,"z":3}', 201, b'{"x":1,"y":2}'),  # unknown fields ignored
        (
            "/struct",
            b'{"x":1}',
            400,
            _invalid("/struct", "Object missing required field `y`", "data"),
        ),
        ("/struct", b'{"x":"a","y":2}', 400, _invalid("/struct", "Expected `int`, got `str`", "x")),
        ("/struct", b"[1,2]", 400, _invalid("/struct", "Expected `object`, got `array`", "data")),
        (
            "/struct",
            b"{not json",
            400,
            json_error(400, "JSON is malformed: object keys must be strings (byte 1)"),
        ),
        ("/dc", b'{"name":"ann","age":3}', 201, b'{"name":"ann","age":3}'),
        # msgspec leaves an omitted default off the instance, so it is not echoed back
        ("/dc", b'{"name":"ann"}', 201, b'{"name":"ann"}'),
        ("/dc", b'{"age":3}', 400, _invalid("/dc", "Object missing required field `name`", "data")),
        ("/td", b'{"title":"t","year":2000}', 201, b'{"title":"t","year":2000}'),
        (
            "/td",
            b'{"title":"t"}',
            400,
            _invalid("/td", "Object missing required field `year`", "data"),
        ),
        ("/dict", b'{"a":1}', 201, b'{"a":1}'),
        ("/dict", b'{"a":"x"}', 400, _invalid("/dict", "Expected `int`, got `str`", "data")),
        ("/list", b"[1,2]", 201, b"[1,2]"),
        ("/int", b"5", 201, b"5"),
        ("/str", b'"abc"', 201, b"abc"),
        ("/opt", b'{"x":1,"y":2}', 201, b'{"data":{"x":1,"y":2}}'),
        ("/any", b'{"k":[1,null]}', 201, b'{"k":[1,null]}'),
        (
            "/nested",
            b'{"name":"p","points":[{"x":1,"y":2},{"x":"b","y":1}]}',
            400,
            _invalid("/nested", "Expected `int`, got `str`", "points[1].x"),
        ),
    ],
)
async def test_json_bodies(url: str, content: bytes, status: int, body: bytes) -> None:
    async with create_async_test_client(JSON_HANDLERS) as client:
        response = await client.post(url, content=content)
    assert (response.status_code, response.content) == (status, body)


async def test_the_json_body_is_read_whatever_the_content_type_says() -> None:
    async with create_async_test_client(JSON_HANDLERS) as client:
        response = await client.post(
            "/struct", content=b'{"x":1,"y":2}', headers={"content-type": "text/plain"}
        )
        assert response.content == b'{"x":1,"y":2}'
        assert (await client.put("/put", json={"x": 1, "y": 2})).status_code == 200


async def test_an_empty_body_is_missing_data_unless_data_is_optional() -> None:
    async with create_async_test_client(JSON_HANDLERS) as client:
        assert (await client.post("/struct")).content == _invalid("/struct", "'data'", "data")
        assert (await client.post("/list", content=b"")).content == _invalid(
            "/list", "'data'", "data"
        )
        assert (await client.post("/opt")).content == b'{"data":null}'


async def test_data_bytes_is_a_json_string_the_raw_body_is_the_body_parameter() -> None:
    @post("/data-bytes")
    async def data_bytes(data: bytes) -> bytes:
        return data

    @post("/raw")
    async def raw(body: bytes) -> bytes:
        return body

    async with create_async_test_client([data_bytes, raw]) as client:
        response = await client.post("/data-bytes", content=b"\x00raw")
        assert wire(response) == (
            400,
            [("content-type", "text/plain; charset=utf-8"), ("content-length", "76")],
            json_error(400, "JSON is malformed: invalid character (byte 0)"),
        )
        assert (await client.post("/data-bytes", json="aGk=")).content == b"hi"
        assert (await client.post("/raw", content=b"\x00raw")).content == b"\x00raw"


# -- MessagePack ------------------------------------------------------------------------------


@post("/mp")
async def mp(data: Point = Body(media_type=RequestEncodingType.MESSAGEPACK)) -> Point:
    return data


@post("/json-endpoint")
async def json_endpoint(data: Point) -> Point:
    return data


async def test_messagepack_bodies() -> None:
    async with create_async_test_client([mp, json_endpoint]) as client:
        ok = await client.post("/mp", content=msgspec.msgpack.encode({"x": 1, "y": 2}))
        assert ok.content == b'{"x":1,"y":2}'
        invalid = await client.post("/mp", content=msgspec.msgpack.encode({"x": "no"}))
        assert invalid.content == _invalid("/mp", "Expected `int`, got `str`", "x")
        malformed = await client.post("/mp", content=b"\xc1")
        assert malformed.content == json_error(
            400, "MessagePack data is malformed: invalid opcode '\\\\xc1' (byte 0)"
        )
        # JSON sent to a MessagePack body is malformed MessagePack, not a wrong type
        as_json = await client.post("/mp", json={"x": 1, "y": 2})
        assert as_json.content == json_error(
            400, "MessagePack data is malformed: trailing characters (byte 1)"
        )


async def test_a_json_body_also_takes_messagepack_by_content_type() -> None:
    # A deliberate extension (issue 2, "MessagePack by content type"); Litestar reads a
    # default body as JSON whatever the Content-Type and answers 400 here.
    async with create_async_test_client([mp, json_endpoint]) as client:
        response = await client.post(
            "/json-endpoint",
            content=msgspec.msgpack.encode({"x": 1, "y": 2}),
            headers={"content-type": "application/x-msgpack"},
        )
    assert response.content == b'{"x":1,"y":2}'


# -- url-encoded forms ------------------------------------------------------------------------


@post("/form-dc")
async def form_dc(data: SignUp = Body(media_type=RequestEncodingType.URL_ENCODED)) -> SignUp:
    return data


@post("/form-dict")
async def form_dict(
    data: dict[str, Any] = Body(media_type=RequestEncodingType.URL_ENCODED),
) -> dict[str, Any]:
    return data


@pytest.mark.parametrize(
    ("url", "form", "status", "body"),
    [
        ("/form-dc", {"name": "ann", "age": "3"}, 201, b'{"name":"ann","age":3,"tags":[]}'),
        (
            "/form-dc",
            {"name": "ann", "age": "3", "tags": ["a", "b"]},
            201,
            b'{"name":"ann","age":3,"tags":["a","b"]}',
        ),
        # one value of a list field is not a list: Litestar does not wrap it
        (
            "/form-dc",
            {"name": "ann", "age": "3", "tags": "a"},
            400,
            _invalid("/form-dc", "Expected `array`, got `str`", "tags"),
        ),
        (
            "/form-dc",
            {"name": "ann", "age": "x"},
            400,
            _invalid("/form-dc", "Expected `int`, got `str`", "age"),
        ),
        (
            "/form-dc",
            {"name": "ann"},
            400,
            _invalid("/form-dc", "Object missing required field `age`", "data"),
        ),
        ("/form-dict", {"a": "1", "b": "2"}, 201, b'{"a":"1","b":"2"}'),
        ("/form-dict", {"a": ["1", "2"]}, 201, b'{"a":["1","2"]}'),
        ("/form-dict", {}, 201, b"{}"),
    ],
)
async def test_url_encoded_forms(url: str, form: Any, status: int, body: bytes) -> None:
    async with create_async_test_client([form_dc, form_dict]) as client:
        response = await client.post(url, data=form)
    assert (response.status_code, response.content) == (status, body)


async def test_a_url_encoded_body_is_parsed_as_declared_whatever_the_content_type() -> None:
    async with create_async_test_client([form_dc]) as client:
        response = await client.post("/form-dc", json={"name": "ann", "age": 3})
    assert response.content == _invalid("/form-dc", "Object missing required field `name`", "data")


# -- multipart forms --------------------------------------------------------------------------


def _describe(f: UploadFile) -> dict[str, Any]:
    return {"filename": f.filename, "content_type": f.content_type}


@post("/one")
async def one(data: UploadFile = Body(media_type=RequestEncodingType.MULTI_PART)) -> dict[str, Any]:
    return {**_describe(data), "content": (await data.read()).decode("latin-1")}


@post("/by-name")
async def by_name(
    data: dict[str, UploadFile] = Body(media_type=RequestEncodingType.MULTI_PART),
) -> dict[str, Any]:
    return {k: {**_describe(v), "content": (await v.read()).decode()} for k, v in data.items()}


@post("/many")
async def many(
    data: list[UploadFile] = Body(media_type=RequestEncodingType.MULTI_PART),
) -> list[Any]:
    return [{**_describe(v), "content": (await v.read()).decode()} for v in data]


@post("/model")
async def model(data: Upload = Body(media_type=RequestEncodingType.MULTI_PART)) -> dict[str, Any]:
    content = (await data.file.read()).decode()
    return {"title": data.title, **_describe(data.file), "content": content}


@post("/fields")
async def fields(
    data: dict[str, Any] = Body(media_type=RequestEncodingType.MULTI_PART),
) -> dict[str, Any]:
    return {k: (v if isinstance(v, str) else _describe(v)) for k, v in data.items()}


MULTIPART = [one, by_name, many, model, fields]
INVALID_MULTIPART = json_error(400, "Invalid multipart/form-data")


async def test_multipart_upload_files() -> None:
    async with create_async_test_client(MULTIPART) as client:
        response = await client.post("/one", files={"file": ("a.txt", b"hello", "text/plain")})
        assert response.content == (
            b'{"filename":"a.txt","content_type":"text/plain","content":"hello"}'
        )
        response = await client.post("/one", files={"file": ("no-type.txt", b"plain")})
        assert response.content == (
            b'{"filename":"no-type.txt","content_type":"text/plain","content":"plain"}'
        )
        response = await client.post(
            "/by-name",
            files={"a": ("a.txt", b"A", "text/plain"), "b": ("b.txt", b"BB", "text/plain")},
        )
        assert response.content == (
            b'{"a":{"filename":"a.txt","content_type":"text/plain","content":"A"},'
            b'"b":{"filename":"b.txt","content_type":"text/plain","content":"BB"}}'
        )
        response = await client.post(
            "/many",
            files=[("f", ("1.txt", b"1", "text/plain")), ("f", ("2.txt", b"22", "text/plain"))],
        )
        assert response.content == (
            b'[{"filename":"1.txt","content_type":"text/plain","content":"1"},'
            b'{"filename":"2.txt","content_type":"text/plain","content":"22"}]'
        )


async def test_multipart_into_a_model_with_fields_and_a_file() -> None:
    async with create_async_test_client(MULTIPART) as client:
        response = await client.post(
            "/model", data={"title": "T"}, files={"file": ("m.txt", b"model", "text/plain")}
        )
        assert response.content == (
            b'{"title":"T","filename":"m.txt","content_type":"text/plain","content":"model"}'
        )
        response = await client.post(
            "/model", data={"title": "T"}, files={"other": ("m.txt", b"model", "text/plain")}
        )
        assert response.content == _invalid(
            "/model", "Object missing required field `file`", "data"
        )
        response = await client.post(
            "/fields", data={"a": "1", "b": "two"}, files={"f": ("x", b"x", "text/plain")}
        )
        assert response.content == (
            b'{"a":"1","b":"two","f":{"filename":"x","content_type":"text/plain"}}'
        )


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"garbage", "multipart/form-data"),  # no boundary
        (b"--XX\r\nbroken", "multipart/form-data; boundary=XX"),  # incomplete
        (b"name=x", "application/x-www-form-urlencoded"),  # not multipart at all
    ],
)
async def test_a_body_that_is_not_valid_multipart_is_400(content: bytes, content_type: str) -> None:
    async with create_async_test_client(MULTIPART) as client:
        response = await client.post(
            "/one", content=content, headers={"content-type": content_type}
        )
    assert wire(response) == (400, [JSON, ("content-length", "58")], INVALID_MULTIPART)


# -- size limits ------------------------------------------------------------------------------


async def test_request_max_body_size_is_layered_and_answers_413() -> None:
    @post("/small", request_max_body_size=10)
    async def small(data: dict[str, Any]) -> int:
        return len(data)

    @post("/default")
    async def default(data: dict[str, Any]) -> int:
        return len(data)

    @post("/limited")
    async def limited(request: Request) -> int:
        return len(await request.body())

    router = Router("/router", route_handlers=[limited], request_max_body_size=20)
    too_large = (413, [JSON, ("content-length", "55")], json_error(413, "Request Entity Too Large"))
    async with create_async_test_client(
        [small, default, router], request_max_body_size=40
    ) as client:
        assert wire(await client.post("/small", json={"k": "x" * 20})) == too_large
        assert wire(await client.post("/default", content=b"x" * 50)) == too_large
        assert wire(await client.post("/router/limited", content=b"x" * 50)) == too_large
        assert (await client.post("/router/limited", content=b"x" * 15)).content == b"15"
        assert (await client.post("/small", json={"k": 1})).content == b"1"


async def _chunked(total: int, size: int = 10) -> Any:
    # an async body: httpx sends it without Content-Length, so only counting can catch it
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


async def test_a_body_without_content_length_is_counted_while_it_streams() -> None:
    seen: list[int] = []

    @post("/body", request_max_body_size=25)
    async def body(request: Request) -> int:
        return len(await request.body())

    @post("/stream", request_max_body_size=25)
    async def stream(request: Request) -> int:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            seen.append(total)
        return total

    @post("/data", request_max_body_size=25)
    async def data(data: str) -> int:
        return len(data)

    too_large = (413, [JSON, ("content-length", "55")], json_error(413, "Request Entity Too Large"))
    async with create_async_test_client([body, stream, data]) as client:
        assert wire(await client.post("/body", content=_chunked(30))) == too_large
        assert (await client.post("/body", content=_chunked(25))).content == b"25"
        assert wire(await client.post("/stream", content=_chunked(30))) == too_large
        assert seen == [10, 20]  # the chunk that crossed the limit never reached the handler
        json_body = _chunked(30)
        response = await client.post(
            "/data", content=json_body, headers={"content-type": "application/json"}
        )
        assert wire(response) == too_large


async def test_request_max_body_size_none_turns_the_limit_off_at_that_layer() -> None:
    # Litestar: ``None`` is a value (no limit), not "unset": it beats an outer layer's limit.
    @post("/off", request_max_body_size=None)
    async def off(request: Request) -> int:
        return len(await request.body())

    @post("/inherits")
    async def inherits(request: Request) -> int:
        return len(await request.body())

    class Unlimited(Controller):
        path = "/ctl"
        request_max_body_size = None

        @post("/")
        async def ctl(self, request: Request) -> int:
            return len(await request.body())

    router = Router("/r", route_handlers=[off, inherits, Unlimited], request_max_body_size=10)
    async with create_async_test_client([router], request_max_body_size=5) as client:
        assert (await client.post("/r/off", content=b"x" * 100)).content == b"100"
        assert (await client.post("/r/ctl", content=b"x" * 100)).content == b"100"
        assert (await client.post("/r/inherits", content=b"x" * 11)).status_code == 413
        assert (await client.post("/r/inherits", content=b"x" * 8)).content == b"8"

    @post("/big")
    async def big(request: Request) -> int:
        return len(await request.body())

    async with create_async_test_client([big], request_max_body_size=None) as client:
        response = await client.post("/big", content=b"x" * 10_000_001)
        assert response.content == b"10000001"


def _form_with_parts(count: int) -> dict[str, tuple[None, str]]:
    return {f"field{i}": (None, str(i)) for i in range(count)}


async def test_multipart_part_limit_from_the_app_and_from_body() -> None:
    @post("/app-limit")
    async def app_limit(
        data: dict[str, Any] = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> int:
        return len(data)

    @post("/body-limit")
    async def body_limit(
        data: dict[str, Any] = Body(
            media_type=RequestEncodingType.MULTI_PART, multipart_form_part_limit=2
        ),
    ) -> int:
        return len(data)

    async with create_async_test_client(
        [app_limit, body_limit], multipart_form_part_limit=3
    ) as client:
        assert (await client.post("/app-limit", files=_form_with_parts(3))).content == b"3"
        too_many = await client.post("/app-limit", files=_form_with_parts(4))
        assert too_many.status_code == 400
        assert (await client.post("/body-limit", files=_form_with_parts(2))).content == b"2"
        assert (await client.post("/body-limit", files=_form_with_parts(3))).status_code == 400
