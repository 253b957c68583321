"""docs/configuration.md's snippet app answers as the page says."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from trioweb.testing import AsyncTestClient


@pytest.fixture
def app() -> Iterator[object]:
    """Import the snippet (it configures the ``trioweb`` logger) and undo that afterwards."""
    logger = logging.getLogger("trioweb")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    from docs.snippets.configuration import app

    yield app
    logger.handlers[:], level, logger.propagate = saved
    logger.setLevel(level)


async def test_configuration_snippet(app: object) -> None:
    origin = "https://app.example.com"
    async with AsyncTestClient(app) as client:
        preflight = await client.options(
            "/books", headers={"origin": origin, "access-control-request-method": "POST"}
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == origin

        page = await client.get("/books/1", headers={"origin": origin})
        assert page.json() == {"title": "Structured Concurrency", "year": 2018}
        assert page.headers["access-control-allow-credentials"] == "true"
        token = page.cookies["csrftoken"]

        refused = await client.post("/books", json={"title": "T", "year": 1})
        assert refused.status_code == 403
        created = await client.post(
            "/books", json={"title": "T", "year": 1}, headers={"x-csrftoken": token}
        )
        assert created.status_code == 201

        foreign = await client.get("/books/1", headers={"host": "evil.test"})
        assert foreign.status_code == 400

        schema = (await client.get("/schema/openapi.json")).json()
        assert schema["info"] == {"title": "Library", "version": "1.0.0"}
        assert set(schema["paths"]) == {"/books/{book_id}", "/books"}
