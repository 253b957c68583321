"""Redirect: status codes, Location quoting and query parameters, media types, errors."""

from __future__ import annotations

from typing import Any

import pytest

from trioweb import MediaType, TrioWeb, get
from trioweb.background_tasks import BackgroundTask
from trioweb.datastructures import MultiDict
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response import ASGIRedirectResponse, Redirect
from trioweb.testing import AsyncTestClient


async def redirect_for(make: Any, **options: Any) -> Any:
    @get("/", **options)
    async def handler() -> Redirect:
        return make()  # type: ignore[no-any-return]

    @get("/target")
    async def target() -> str:
        return "arrived"

    async with AsyncTestClient(TrioWeb([handler, target])) as client:
        return await client.get("/", follow_redirects=False)


async def test_default_is_302_with_an_empty_text_body() -> None:
    response = await redirect_for(lambda: Redirect("/target"))
    assert response.status_code == 302
    assert response.headers["location"] == "/target"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == b""


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_status_codes(status: int) -> None:
    response = await redirect_for(lambda: Redirect("/target", status_code=status))  # type: ignore[arg-type]
    assert response.status_code == status


@pytest.mark.parametrize("status", [200, 300, 304, 305, 400])
def test_other_status_codes_are_a_configuration_error(status: int) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        Redirect("/x", status_code=status)  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfiguredException):
        ASGIRedirectResponse("/x", status_code=status)  # type: ignore[arg-type]


async def test_bad_status_in_a_handler_is_a_500() -> None:
    response = await redirect_for(lambda: Redirect("/target", status_code=200))  # type: ignore[arg-type]
    assert response.status_code == 500


async def test_the_client_follows_it() -> None:
    @get("/")
    async def handler() -> Redirect:
        return Redirect("/target")

    @get("/target")
    async def target() -> str:
        return "arrived"

    async with AsyncTestClient(TrioWeb([handler, target])) as client:
        response = await client.get("/")
    assert (response.status_code, response.text) == (200, "arrived")


@pytest.mark.parametrize(
    "query_params",
    [
        {"single": "a", "list": ["b", "c"]},
        MultiDict([("single", "a"), ("list", "b"), ("list", "c")]),
    ],
)
async def test_query_params(query_params: Any) -> None:
    response = await redirect_for(lambda: Redirect("/something-else", query_params=query_params))
    assert response.headers["location"] == "/something-else?single=a&list=b&list=c"


async def test_query_params_are_encoded_and_appended() -> None:
    response = await redirect_for(lambda: Redirect("/s?x=1", query_params={"q": "a b&c"}))
    assert response.headers["location"] == "/s?x=1&q=a+b%26c"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/a b/ü", "/a%20b/%C3%BC"),
        ("/already%20quoted?x=1&y=[2]", "/already%20quoted?x=1&y=[2]"),
        ("https://example.com/p#frag", "https://example.com/p#frag"),
    ],
)
async def test_location_is_quoted_as_litestar_does(path: str, location: str) -> None:
    response = await redirect_for(lambda: Redirect(path))
    assert response.headers["location"] == location


async def test_media_types() -> None:
    html = await redirect_for(lambda: Redirect("/t", media_type=MediaType.HTML))
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    from_handler = await redirect_for(lambda: Redirect("/t"), media_type=MediaType.JSON)
    assert from_handler.headers["content-type"] == "application/json"
    with pytest.raises(ImproperlyConfiguredException):
        ASGIRedirectResponse("/", media_type="application/mspgpack")
    wrong = await redirect_for(lambda: Redirect("/t", media_type="application/x-msgpack"))
    assert wrong.status_code == 500


async def test_headers_cookies_and_background() -> None:
    ran: list[str] = []
    response = await redirect_for(
        lambda: Redirect(
            "/t",
            headers={"x-extra": "1"},
            cookies={"seen": "yes"},
            background=BackgroundTask(ran.append, "done"),
        )
    )
    assert response.headers["x-extra"] == "1"
    assert response.cookies["seen"] == "yes"
    assert ran == ["done"]


async def test_asgi_redirect_response_accepts_bytes() -> None:
    response = ASGIRedirectResponse(b"/a b")
    assert (b"location", b"/a%20b") in response.encoded_headers
