"""HTTP caching: layered Cache-Control and ETag, and conditional GET answered with 304."""

from __future__ import annotations

import hashlib
import time

from trioweb import Controller, MediaType, TrioWeb, get
from trioweb.datastructures import CacheControlHeader, ETag
from trioweb.response import Response


class WeatherController(Controller):
    path = "/weather"
    cache_control = CacheControlHeader(max_age=86_400, public=True)

    @get("/chance_of_rain", sync_to_thread=False)
    def chance_of_rain(self) -> float:
        """Uses the controller's cache-control (one day)."""
        return 0.5

    @get("/timestamp", cache_control=CacheControlHeader(no_store=True), sync_to_thread=False)
    def server_time(self) -> float:
        """Overrides the controller: never stored."""
        return time.time()


@get("/population", etag=ETag(value="census-2020"), sync_to_thread=False)
def population() -> int:
    """A fixed ETag: a client sending If-None-Match: "census-2020" gets a 304."""
    return 100000


ARTICLE = "Trio makes structured concurrency the default."


@get("/article", media_type=MediaType.TEXT, sync_to_thread=False)
def article() -> Response[str]:
    """An ETag computed from the content, set on the response."""
    response = Response(ARTICLE)
    response.set_etag(ETag(value=hashlib.sha256(ARTICLE.encode()).hexdigest()[:16]))
    return response


app = TrioWeb(
    route_handlers=[WeatherController, population, article],
    cache_control=CacheControlHeader(max_age=2_628_288, public=True),
)
