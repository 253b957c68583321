"""Guards on HTTP routes: layered, sync or async, refusing with 401/403 as in Litestar.

Expectations observed from Litestar 2.25 (``tools/litestar_diff``, case ``guards_layered``).
"""

from __future__ import annotations

from typing import Any

from trioweb import Controller, Router, TrioWeb, get, post
from trioweb.connection import ASGIConnection
from trioweb.exceptions import NotAuthorizedException, PermissionDeniedException
from trioweb.handlers.base import BaseRouteHandler
from trioweb.testing import AsyncTestClient

ORDER: list[str] = []


def require(header: str) -> Any:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        ORDER.append(header)
        if connection.headers.get(header) != "yes":
            raise NotAuthorizedException(f"{header} missing")

    return guard


async def admin_only(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    if not handler.opt.get("admin_ok") and connection.query_params.get("admin") != "1":
        raise PermissionDeniedException()


def broken(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    raise RuntimeError("guard bug")


@get("/h", guards=[require("x-handler"), admin_only])
async def handler() -> str:
    return "h"


class Guarded(Controller):
    path = "/c"
    guards = [require("x-controller")]

    @get("/")
    async def index(self) -> str:
        return "c"

    @post("/")
    async def create(self, data: dict[str, int]) -> dict[str, int]:
        return data

    @get("/opt", guards=[admin_only], opt={"admin_ok": True})
    async def opt_ok(self) -> str:
        return "opt"


@get("/broken", guards=[broken])
async def broken_route() -> str:
    return "never"


def make_app() -> TrioWeb:
    router = Router("/r", route_handlers=[handler, Guarded], guards=[require("x-router")])
    return TrioWeb([router, broken_route], guards=[require("x-app")], openapi_config=None)


APP_AND_ROUTER = {"x-app": "yes", "x-router": "yes"}


async def test_guards_run_outermost_first_and_the_first_refusal_answers() -> None:
    ORDER.clear()
    async with AsyncTestClient(make_app()) as client:
        first = await client.get("/r/h")
        second = await client.get("/r/h", headers={"x-app": "yes"})
        third = await client.get("/r/h", headers=APP_AND_ROUTER)
    assert (first.status_code, first.content) == (
        401,
        b'{"status_code":401,"detail":"x-app missing"}',
    )
    assert second.json() == {"status_code": 401, "detail": "x-router missing"}
    assert third.json() == {"status_code": 401, "detail": "x-handler missing"}
    assert ORDER == ["x-app", "x-app", "x-router", "x-app", "x-router", "x-handler"]


async def test_an_async_guard_sees_the_handler_and_may_refuse_with_403() -> None:
    headers = {**APP_AND_ROUTER, "x-handler": "yes"}
    async with AsyncTestClient(make_app()) as client:
        refused = await client.get("/r/h", headers=headers)
        allowed = await client.get("/r/h?admin=1", headers=headers)
        by_opt = await client.get("/r/c/opt", headers={**APP_AND_ROUTER, "x-controller": "yes"})
    assert (refused.status_code, refused.content) == (
        403,
        b'{"status_code":403,"detail":"Forbidden"}',
    )
    assert (allowed.status_code, allowed.text) == (200, "h")
    assert (by_opt.status_code, by_opt.text) == (200, "opt")


async def test_controller_guards_apply_to_every_method() -> None:
    async with AsyncTestClient(make_app()) as client:
        refused = await client.get("/r/c/", headers=APP_AND_ROUTER)
        created = await client.post(
            "/r/c/", json={"a": 1}, headers={**APP_AND_ROUTER, "x-controller": "yes"}
        )
    assert refused.json() == {"status_code": 401, "detail": "x-controller missing"}
    assert (created.status_code, created.json()) == (201, {"a": 1})


async def test_guards_run_before_the_body_is_validated() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.post("/r/c/", content=b"not json", headers=APP_AND_ROUTER)
    assert response.status_code == 401


async def test_a_guard_that_raises_something_else_is_a_500() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/broken", headers={"x-app": "yes"})
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}


async def test_unmatched_paths_are_not_guarded() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/missing")
    assert response.status_code == 404
