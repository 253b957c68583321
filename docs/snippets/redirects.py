"""Redirects: the status codes, query parameters, and what is refused up front."""

from __future__ import annotations

from trioweb import TrioWeb, get, post
from trioweb.response import Redirect
from trioweb.status_codes import HTTP_301_MOVED_PERMANENTLY, HTTP_303_SEE_OTHER


@get("/old-home")
async def old_home() -> Redirect:
    """302 Found, the default."""
    return Redirect(path="/home")


@get("/moved")
async def moved() -> Redirect:
    """301 with query parameters: a list value repeats the parameter."""
    return Redirect(
        path="/search?lang=en",
        query_params={"q": "trio web", "tag": ["async", "http"]},
        status_code=HTTP_301_MOVED_PERMANENTLY,
    )


@post("/orders")
async def create_order() -> Redirect:
    """Post/Redirect/Get: 303 makes the browser follow with a GET."""
    return Redirect(path="/orders/42", status_code=HTTP_303_SEE_OTHER)


@get("/home")
async def home() -> str:
    return "home"


app = TrioWeb(route_handlers=[old_home, moved, create_order, home])
