"""Static files: an asset directory, and a small site in html_mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trioweb import Request, TrioWeb, get
from trioweb.datastructures import CacheControlHeader
from trioweb.static_files import create_static_files_router

SITE = Path(__file__).parent / "assets" / "site"


@get("/links")
async def links(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"stylesheet": request.url_for_static_asset("static", "css/site.css")}


app = TrioWeb(
    route_handlers=[
        links,
        # /static/css/site.css, cached by browsers for a day
        create_static_files_router(
            path="/static",
            directories=[SITE],
            cache_control=CacheControlHeader(max_age=86_400, public=True),
        ),
        # /site/ serves index.html, unknown paths get 404.html
        create_static_files_router(path="/site", directories=[SITE], html_mode=True, name="site"),
    ]
)
