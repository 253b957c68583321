"""CSRF protection (``csrf_config=``): double-submit cookie, checked on unsafe methods.

Expectations observed from Litestar 2.25 (``tools/litestar_diff``, case ``csrf_default``).
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from trioweb import Request, TrioWeb, get, post
from trioweb.config.csrf import CSRFConfig
from trioweb.enums import MediaType, RequestEncodingType
from trioweb.middleware.csrf import CSRF_SCOPE_KEY, generate_csrf_hash, generate_csrf_token
from trioweb.params import Body
from trioweb.testing import AsyncTestClient

SECRET = "s3cret"
TOKEN = "a" * 64 + generate_csrf_hash("a" * 64, SECRET)
OTHER = "b" * 64 + generate_csrf_hash("b" * 64, SECRET)
DENIED = b'{"status_code":403,"detail":"CSRF token verification failed"}'


@get("/form", media_type=MediaType.TEXT)
async def form(request: Request[Any, Any, Any]) -> str:
    return str(request.scope[CSRF_SCOPE_KEY])


@post("/submit")
async def submit(data: dict[str, Any]) -> dict[str, Any]:
    return data


@post("/submit-form")
async def submit_form(
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> dict[str, Any]:
    return data


@post("/exempt", opt={"exclude_from_csrf": True})
async def exempt() -> str:
    return "exempt"


@post("/skip/path")
async def skipped() -> str:
    return "skipped"


def make_app(**options: Any) -> TrioWeb:
    config = CSRFConfig(secret=SECRET, exclude=["/skip"], **options)
    return TrioWeb(
        [form, submit, submit_form, exempt, skipped], csrf_config=config, openapi_config=None
    )


def test_defaults_are_litestars() -> None:
    config = CSRFConfig(secret="x")
    assert (config.cookie_name, config.cookie_path, config.header_name) == (
        "csrftoken",
        "/",
        "x-csrftoken",
    )
    assert (config.cookie_secure, config.cookie_httponly, config.cookie_samesite) == (
        False,
        False,
        "lax",
    )
    assert config.safe_methods == {"GET", "HEAD", "OPTIONS"}
    assert config.exclude_from_csrf_key == "exclude_from_csrf"


def test_tokens_are_signed_random_values() -> None:
    first, second = generate_csrf_token(SECRET), generate_csrf_token(SECRET)
    assert first != second
    assert first[64:] == generate_csrf_hash(first[:64], SECRET)


async def test_a_safe_request_gets_a_token_cookie() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/form")
    cookie = response.headers["set-cookie"]
    token = response.text
    assert cookie == f"csrftoken={token}; Path=/; SameSite=lax"
    assert token[64:] == generate_csrf_hash(token[:64], SECRET)


async def test_an_existing_cookie_is_kept() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/form", headers={"cookie": f"csrftoken={TOKEN}"})
    assert "set-cookie" not in response.headers
    assert response.text == TOKEN


async def test_cookie_attributes_follow_the_config() -> None:
    app = make_app(cookie_secure=True, cookie_httponly=True, cookie_samesite="strict")
    async with AsyncTestClient(app) as client:
        response = await client.get("/form")
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-csrftoken": TOKEN},
        {"cookie": f"csrftoken={TOKEN}"},
        {"x-csrftoken": OTHER, "cookie": f"csrftoken={TOKEN}"},
        {"x-csrftoken": "garbage", "cookie": "csrftoken=garbage"},
        {"x-csrftoken": TOKEN[:64] + "0" * 64, "cookie": f"csrftoken={TOKEN[:64]}{'0' * 64}"},
        {"x-csrftoken": ("é" * 130).encode("latin-1"), "cookie": f"csrftoken={TOKEN}"},
    ],
)
async def test_an_unsafe_request_without_matching_tokens_is_403(
    headers: dict[str, str | bytes],
) -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.post("/submit", json={"a": 1}, headers=headers)
    assert (response.status_code, response.content) == (403, DENIED)


async def test_matching_header_and_cookie_pass() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.post(
            "/submit", json={"a": 1}, headers={"x-csrftoken": TOKEN, "cookie": f"csrftoken={TOKEN}"}
        )
    assert (response.status_code, response.json()) == (201, {"a": 1})


async def test_a_form_field_carries_the_token_and_the_handler_still_reads_the_form() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.post(
            "/submit-form",
            data={"_csrf_token": TOKEN, "a": "1"},
            headers={"cookie": f"csrftoken={TOKEN}"},
        )
    assert response.status_code == 201
    assert response.json() == {"_csrf_token": TOKEN, "a": "1"}


@pytest.mark.parametrize("path", ["/exempt", "/skip/path"])
async def test_excluded_handlers_and_paths_are_not_checked(path: str) -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.post(path)
    assert response.status_code == 201


async def test_a_custom_header_name() -> None:
    async with AsyncTestClient(make_app(header_name="x-token")) as client:
        response = await client.post(
            "/submit", json={}, headers={"x-token": TOKEN, "cookie": f"csrftoken={TOKEN}"}
        )
    assert response.status_code == 201
