"""Sessions: a login kept in an encrypted cookie, and a cart kept in a server-side store."""

from __future__ import annotations

import os
from typing import Any

from trioweb import Request, Router, TrioWeb, get, post
from trioweb.exceptions import NotAuthorizedException
from trioweb.middleware.session.client_side import CookieBackendConfig
from trioweb.middleware.session.server_side import ServerSideSessionConfig
from trioweb.stores.memory import MemoryStore

# Encrypted cookie sessions: the key must be 16, 24 or 32 bytes and the same in every worker
# (read it from the environment in production; a random one logs everybody out on restart).
cookie_sessions = CookieBackendConfig(secret=os.environ.get("SESSION_KEY", "0" * 32).encode())


@post("/login")
async def login(request: Request[Any, Any, Any], data: dict[str, str]) -> dict[str, str]:
    request.set_session({"user": data["user"]})
    return {"welcome": data["user"]}


@get("/me")
async def me(request: Request[Any, Any, Any]) -> dict[str, str]:
    if "user" not in request.session:
        raise NotAuthorizedException()
    return {"user": request.session["user"]}


@post("/logout")
async def logout(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


@get("/health", opt={"skip_session": True})
async def health() -> str:
    return "ok"  # no session is read or written for this route


app = TrioWeb([login, me, logout, health], middleware=[cookie_sessions.middleware])


# Server-side sessions: the client keeps only a random id; the data lives in the store named
# "sessions" (a MemoryStore unless the app registers another one).
server_sessions = ServerSideSessionConfig(key="cart_id", max_age=3600)


@post("/cart")
async def add_to_cart(request: Request[Any, Any, Any], data: dict[str, Any]) -> list[Any]:
    cart: list[Any] = request.session.setdefault("cart", [])
    cart.append(data["item"])
    return cart


@get("/cart")
async def show_cart(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"id": request.get_session_id(), "cart": request.session.get("cart", [])}


shop = Router("/shop", route_handlers=[add_to_cart, show_cart])
shop_app = TrioWeb(
    [shop], middleware=[server_sessions.middleware], stores={"sessions": MemoryStore()}
)
