"""create_test_client / create_async_test_client build a TrioWeb app (lightly tested here)."""

from __future__ import annotations

import pytest

import trioweb.testing

app_module = pytest.importorskip("trioweb.app")  # the app is built by colleagues' code

from trioweb import get  # noqa: E402


@get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


def test_create_test_client() -> None:
    with trioweb.testing.create_test_client(hello) as client:
        assert isinstance(client.app, app_module.TrioWeb)
        assert client.app.debug is True
        assert client.get("/hello").json() == {"hello": "world"}


async def test_create_async_test_client() -> None:
    async with trioweb.testing.create_async_test_client([hello], debug=False) as client:
        assert client.app.debug is False
        assert (await client.get("/hello")).json() == {"hello": "world"}


def test_public_names() -> None:
    assert sorted(trioweb.testing.__all__) == list(trioweb.testing.__all__)
    for name in trioweb.testing.__all__:
        assert getattr(trioweb.testing, name).__module__.startswith("trioweb.testing")
