"""docs/sessions.md: the snippet's apps answer what the page says."""

from __future__ import annotations

import re

from docs.snippets import sessions
from trioweb.testing import AsyncTestClient


async def test_cookie_sessions_page() -> None:
    async with AsyncTestClient(sessions.app) as client:
        assert (await client.get("/me")).status_code == 401
        response = await client.post("/login", json={"user": "ada"})
        (cookie,) = response.headers.get_list("set-cookie")
        assert re.fullmatch(
            r'session="?[A-Za-z0-9+/=]+"?; HttpOnly; Max-Age=1209600; Path=/; SameSite=lax', cookie
        )
        assert (await client.get("/me")).json() == {"user": "ada"}
        health = await client.get("/health")
        assert health.text == "ok" and "set-cookie" not in health.headers
        (deleted,) = (await client.post("/logout")).headers.get_list("set-cookie")
        assert deleted.startswith("session=null; expires=")
        assert (await client.get("/me")).status_code == 401


async def test_the_test_client_sets_session_data() -> None:
    async with AsyncTestClient(sessions.app, session_config=sessions.cookie_sessions) as client:
        await client.set_session_data({"user": "ada"})
        assert (await client.get("/me")).json() == {"user": "ada"}
        assert await client.get_session_data() == {"user": "ada"}


async def test_server_side_sessions_page() -> None:
    async with AsyncTestClient(sessions.shop_app) as client:
        assert (await client.post("/shop/cart", json={"item": "tea"})).json() == ["tea"]
        assert (await client.post("/shop/cart", json={"item": "jam"})).json() == ["tea", "jam"]
        shown = (await client.get("/shop/cart")).json()
        assert shown["cart"] == ["tea", "jam"]
        assert shown["id"] == client.cookies["cart_id"]
        assert re.fullmatch("[0-9a-f]{64}", shown["id"])
        store = sessions.shop_app.stores.get("sessions")
        assert await store.expires_in(shown["id"]) in (3599, 3600)
