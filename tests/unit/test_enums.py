"""trioweb.enums: Litestar's members and wire values, behaving as plain strings."""

from enum import Enum

import msgspec
import pytest

from trioweb import enums
from trioweb.enums import (
    ASGIExtension,
    CompressionEncoding,
    HttpMethod,
    MediaType,
    OpenAPIMediaType,
    ParamType,
    RequestEncodingType,
    ScopeType,
)

EXPECTED: dict[type[Enum], dict[str, str]] = {
    HttpMethod: {
        "DELETE": "DELETE",
        "GET": "GET",
        "HEAD": "HEAD",
        "OPTIONS": "OPTIONS",
        "PATCH": "PATCH",
        "POST": "POST",
        "PUT": "PUT",
        "TRACE": "TRACE",
    },
    MediaType: {
        "JSON": "application/json",
        "MESSAGEPACK": "application/x-msgpack",
        "HTML": "text/html",
        "TEXT": "text/plain",
        "CSS": "text/css",
        "XML": "application/xml",
    },
    OpenAPIMediaType: {
        "OPENAPI_YAML": "application/vnd.oai.openapi",
        "OPENAPI_JSON": "application/vnd.oai.openapi+json",
    },
    RequestEncodingType: {
        "JSON": "application/json",
        "MESSAGEPACK": "application/x-msgpack",
        "MULTI_PART": "multipart/form-data",
        "URL_ENCODED": "application/x-www-form-urlencoded",
    },
    ScopeType: {"HTTP": "http", "WEBSOCKET": "websocket", "ASGI": "asgi"},
    ParamType: {
        "PATH": "path",
        "QUERY": "query",
        "COOKIE": "cookie",
        "HEADER": "header",
        "DEPENDENCY": "dependency",
    },
    CompressionEncoding: {"GZIP": "gzip", "BROTLI": "br"},
    ASGIExtension: {
        "WS_DENIAL": "websocket.http.response",
        "SERVER_PUSH": "http.response.push",
        "ZERO_COPY_SEND_EXTENSION": "http.response.zerocopysend",
        "PATH_SEND": "http.response.pathsend",
        "TLS": "tls",
        "EARLY_HINTS": "http.response.early_hint",
        "HTTP_TRAILERS": "http.response.trailers",
    },
}


@pytest.mark.parametrize("enum_cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_members_and_values_in_litestar_order(enum_cls: type[Enum]) -> None:
    assert {m.name: m.value for m in enum_cls} == EXPECTED[enum_cls]
    assert [m.name for m in enum_cls] == list(EXPECTED[enum_cls])


@pytest.mark.parametrize("enum_cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_members_are_their_values(enum_cls: type[Enum]) -> None:
    for member in enum_cls:
        assert isinstance(member, str)
        assert member == member.value
        assert hash(member) == hash(member.value)
        assert str(member) == member.value
        assert f"{member}" == member.value
        assert enum_cls(member.value) is member


def test_media_type_renders_as_its_value_in_headers() -> None:
    assert f"{MediaType.TEXT}; charset=utf-8" == "text/plain; charset=utf-8"
    assert MediaType.JSON.encode() == b"application/json"
    assert {"application/json": "json"}[MediaType.JSON] == "json"
    response_type: object = MediaType.JSON
    assert response_type == RequestEncodingType.JSON


def test_repr_names_the_member() -> None:
    assert repr(MediaType.JSON) == "<MediaType.JSON: 'application/json'>"


def test_msgspec_encodes_the_value() -> None:
    assert msgspec.json.encode([HttpMethod.GET, ScopeType.HTTP]) == b'["GET","http"]'


def test_all_is_sorted_and_complete() -> None:
    assert list(enums.__all__) == sorted(enums.__all__)
    assert set(enums.__all__) == {c.__name__ for c in EXPECTED}
