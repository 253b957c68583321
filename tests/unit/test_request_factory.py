"""``RequestFactory``: a ``Request`` without a server, as Litestar's testing module builds it.

Expected values are what Litestar 2.25's factory gives for the same calls.
"""

import dataclasses
from typing import Any

from trioweb import Litestar, Request, get
from trioweb.datastructures import Cookie
from trioweb.enums import RequestEncodingType
from trioweb.testing import RequestFactory


@dataclasses.dataclass
class Person:
    name: str
    age: int


async def test_a_get_request_with_query_headers_and_cookies() -> None:
    request = RequestFactory().get(
        "/items",
        query_params={"page": 2, "tag": ["a", "b"]},
        headers={"X-A": "1"},
        cookies=[Cookie(key="c", value="v")],
    )
    assert str(request.url) == "http://test.org:3000/items?page=2&tag=a&tag=b"
    assert request.query_params.getall("tag") == ["a", "b"]
    assert request.headers["x-a"] == "1"
    # Litestar's factory writes each cookie with its attributes; they parse as cookies too
    assert request.cookies == {"c": "v", "Path": "/", "SameSite": "lax"}
    assert (request.method, tuple(request.client or ())) == ("GET", ("test.org", 3000))
    assert (request.user, request.auth, request.session, request.path_params) == (None, None, {}, {})
    assert request.route_handler.http_methods == frozenset({"GET"})


async def test_bodies_are_encoded_by_media_type() -> None:
    factory = RequestFactory()
    request = factory.post("/people", data=Person("x", 3))
    assert request.headers["content-type"] == "application/json"
    assert await request.body() == b'{"name":"x","age":3}'
    assert await request.json() == {"name": "x", "age": 3}

    form = factory.post(
        "/form", data={"a": "1", "b": ["2", "3"]}, request_media_type=RequestEncodingType.URL_ENCODED
    )
    assert sorted((await form.form()).multi_items()) == [("a", "1"), ("b", "2"), ("b", "3")]

    upload = factory.put(
        "/upload",
        data={"title": "t"},
        files={"file": ("a.txt", b"content", "text/plain")},
        request_media_type=RequestEncodingType.MULTI_PART,
    )
    parts = await upload.form()
    assert parts["title"] == "t"
    assert (parts["file"].filename, await parts["file"].read()) == ("a.txt", b"content")
    await parts["file"].close()  # outside an app nobody closes the upload for you


async def test_server_scheme_root_path_and_connection_data() -> None:
    request = RequestFactory(server="ex.com", port=8080, root_path="/api", scheme="https").delete(
        "/x", user="u", auth="t", session={"s": 1}, path_params={"id": 1}, state={"k": 1}
    )
    assert (str(request.url), str(request.base_url)) == (
        "https://ex.com:8080/api/x",
        "https://ex.com:8080/api/",
    )
    assert (request.user, request.auth, request.session) == ("u", "t", {"s": 1})
    assert (request.path_params, request.state.k) == ({"id": 1}, 1)


async def test_a_guard_or_dependency_can_be_tested_with_the_apps_url_for() -> None:
    @get("/items/{item_id:int}", name="item")
    async def item(item_id: int) -> int:
        return item_id

    def link_to_next(request: Request[Any, Any, Any]) -> str:
        return request.url_for("item", item_id=int(request.query_params["id"]) + 1)

    request = RequestFactory(app=Litestar([item])).get("/", query_params={"id": 1})
    assert link_to_next(request) == "http://test.org:3000/items/2"
