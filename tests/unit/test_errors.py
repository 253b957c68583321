"""Errors: Litestar's error body, its content type, 500s, debug answers, exception handlers.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

import logging
from typing import Any

import pytest

from tests.unit._wire import json_error, wire
from trioweb import MediaType, Request, Response, get
from trioweb import exceptions as exc
from trioweb.testing import create_async_test_client

JSON = ("content-type", "application/json")
TEXT = ("content-type", "text/plain; charset=utf-8")


class Unserializable:
    pass


def _raiser(error: Exception) -> Any:
    async def handler() -> dict[str, Any]:
        raise error

    return handler


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (exc.NotFoundException(), 404, json_error(404, "Not Found")),
        (exc.NotFoundException(detail="no such item"), 404, json_error(404, "no such item")),
        (exc.NotFoundException(detail=""), 404, json_error(404, "Not Found")),
        (
            exc.HTTPException(status_code=409, detail="conflict", extra={"a": 1}),
            409,
            b'{"status_code":409,"detail":"conflict","extra":{"a":1}}',
        ),
        (exc.HTTPException(), 500, json_error(500, "Internal Server Error")),
        (
            exc.HTTPException("positional detail", status_code=400),
            400,
            json_error(400, "positional detail"),
        ),
        (
            exc.ValidationException(detail="bad", extra=[{"key": "k", "message": "m"}]),
            400,
            b'{"status_code":400,"detail":"bad","extra":[{"key":"k","message":"m"}]}',
        ),
        (
            exc.ClientException(detail="d", extra={"why": ["a", "b"]}),
            400,
            b'{"status_code":400,"detail":"d","extra":{"why":["a","b"]}}',
        ),
        (exc.ClientException(), 400, json_error(400, "Bad Request")),
        (exc.NotAuthorizedException(), 401, json_error(401, "Unauthorized")),
        (exc.PermissionDeniedException(detail="go away"), 403, json_error(403, "go away")),
        (exc.MethodNotAllowedException(), 405, json_error(405, "Method Not Allowed")),
        (exc.TooManyRequestsException(), 429, json_error(429, "Too Many Requests")),
        (exc.ServiceUnavailableException(), 503, json_error(503, "Service Unavailable")),
        # a 500 never tells the client why
        (
            exc.InternalServerException(detail="secret internals"),
            500,
            json_error(500, "Internal Server Error"),
        ),
        (exc.ImproperlyConfiguredException("conf"), 500, json_error(500, "Internal Server Error")),
        (ValueError("secret"), 500, json_error(500, "Internal Server Error")),
    ],
)
async def test_an_exception_answers_litestars_error_body(
    error: Exception, status: int, body: bytes
) -> None:
    handler = get("/")(_raiser(error))
    async with create_async_test_client([handler], debug=False) as client:
        response = await client.get("/")
    assert wire(response) == (status, [JSON, ("content-length", str(len(body)))], body)


async def test_an_error_takes_the_media_type_of_its_route() -> None:
    # Litestar sends the same JSON, labelled with the route's media type.
    @get("/text")
    async def text() -> str:
        raise exc.NotFoundException()

    @get("/msgpack", media_type=MediaType.MESSAGEPACK)
    async def msgpack() -> dict[str, Any]:
        raise exc.NotFoundException()

    async with create_async_test_client([text, msgpack]) as client:
        assert wire(await client.get("/text")) == (
            404,
            [TEXT, ("content-length", "40")],
            json_error(404, "Not Found"),
        )
        assert wire(await client.get("/msgpack")) == (
            404,
            [("content-type", "application/x-msgpack"), ("content-length", "40")],
            json_error(404, "Not Found"),
        )


async def test_headers_of_an_exception_are_sent() -> None:
    handler = get("/")(
        _raiser(exc.HTTPException(status_code=418, detail="t", headers={"x-e": "1"}))
    )
    async with create_async_test_client([handler]) as client:
        assert wire(await client.get("/")) == (
            418,
            [("x-e", "1"), JSON, ("content-length", "32")],
            json_error(418, "t"),
        )


async def test_an_unexpected_error_is_logged_and_the_app_keeps_serving(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @get("/boom", sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("sync boom")

    @get("/unserializable")
    async def unserializable() -> Any:
        return {"m": Unserializable()}

    @get("/ok")
    async def ok() -> str:
        return "ok"

    async with create_async_test_client([boom, unserializable, ok], debug=False) as client:
        with caplog.at_level(logging.ERROR, logger="trioweb"):
            assert (await client.get("/boom")).content == json_error(500, "Internal Server Error")
        assert (await client.get("/unserializable")).status_code == 500
        assert (await client.get("/ok")).text == "ok"
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged and "sync boom" in str(logged[0].exc_info[1])


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("*/*", "text/plain; charset=utf-8"),
        ("application/json", "application/json"),
        ("text/html", "text/html; charset=utf-8"),
    ],
)
async def test_with_debug_a_500_answers_the_traceback(accept: str, content_type: str) -> None:
    @get("/")
    async def handler() -> str:
        raise ValueError("secret")

    @get("/404")
    async def not_found() -> str:
        raise exc.NotFoundException("nf")

    async with create_async_test_client([handler, not_found], debug=True) as client:
        response = await client.get("/", headers={"accept": accept})
        assert response.status_code == 500
        assert response.headers["content-type"] == content_type
        assert "ValueError: secret" in response.text
        if accept == "application/json":
            assert set(response.json()) == {"details", "status_code"}
        # other errors answer as usual
        assert (await client.get("/404")).content == json_error(404, "nf")


# -- exception handlers -------------------------------------------------------------------------


class Teapot(Exception):
    status_code = 404  # not an HTTPException: its status code does not select a handler


def _tag(tag: str) -> Any:
    def handle(request: Request, error: Exception) -> Response[str]:
        return Response(f"{tag}: {error}", status_code=418, media_type=MediaType.TEXT)

    return handle


async def test_exception_handler_lookup_follows_litestar() -> None:
    handlers = {
        404: _tag("by-404"),
        500: _tag("by-500"),
        exc.NotAuthorizedException: _tag("by-class"),
        LookupError: _tag("by-base-class"),
    }
    routes = [
        get("/404")(_raiser(exc.NotFoundException("nf"))),
        get("/401")(_raiser(exc.NotAuthorizedException("na"))),
        get("/key")(_raiser(KeyError("k"))),
        get("/value")(_raiser(ValueError("v"))),
        get("/teapot")(_raiser(Teapot("t"))),
        get("/internal")(_raiser(exc.InternalServerException("ise"))),
    ]
    async with create_async_test_client(routes, exception_handlers=handlers) as client:
        assert (await client.get("/404")).text == "by-404: 404: nf"
        assert (await client.get("/401")).text == "by-class: 401: na"
        assert (await client.get("/key")).text == "by-base-class: 'k'"
        # the 500 handler takes any exception that is not an HTTPException...
        assert (await client.get("/value")).text == "by-500: v"
        assert (await client.get("/teapot")).text == "by-500: t"
        # ...and an HTTPException whose status is 500
        assert (await client.get("/internal")).text == "by-500: 500: ise"


async def test_an_exception_handler_that_fails_answers_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(request: Request, error: Exception) -> Response[str]:
        raise RuntimeError("handler bug")

    handler = get("/")(_raiser(ValueError("v")))
    async with create_async_test_client(
        [handler], exception_handlers={ValueError: broken}, debug=False
    ) as client:
        assert (await client.get("/")).content == json_error(500, "Internal Server Error")


async def test_after_exception_hooks_see_every_error() -> None:
    seen: list[str] = []

    async def hook(error: Exception, scope: Any) -> None:
        seen.append(f"{type(error).__name__} {scope['path']}")

    handler = get("/")(_raiser(exc.NotFoundException()))
    async with create_async_test_client([handler], after_exception=[hook]) as client:
        await client.get("/")
        await client.get("/unknown")
    assert seen == ["NotFoundException /", "NotFoundException /unknown"]
