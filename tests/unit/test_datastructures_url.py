"""``URL`` and ``Address``."""

from typing import Any
from urllib.parse import SplitResult

import pytest

from trioweb.datastructures import URL, Address, MultiDict
from trioweb.datastructures.url import make_absolute_url


def test_components() -> None:
    url = URL("https://user:pw@Example.COM:8443/a/b?x=1&x=2&y=#frag")
    assert url.scheme == "https"
    assert url.netloc == "user:pw@Example.COM:8443"
    assert url.path == "/a/b"
    assert url.query == "x=1&x=2&y="
    assert url.fragment == "frag"
    assert url.hostname == "example.com"
    assert url.port == 8443
    assert url.username == "user"
    assert url.password == "pw"
    assert str(url) == "https://user:pw@Example.COM:8443/a/b?x=1&x=2&y=#frag"
    assert repr(url) == "URL('https://user:pw@Example.COM:8443/a/b?x=1&x=2&y=#frag')"


def test_relative_and_empty() -> None:
    url = URL("/path?q=1")
    assert (url.scheme, url.netloc, url.hostname, url.port) == ("", "", None, None)
    assert str(URL("")) == ""


def test_invalid_port_is_none() -> None:
    assert URL("http://host:abc/").port is None


def test_equality() -> None:
    url = URL("http://h/p?q=1")
    assert url == "http://h/p?q=1"
    assert url == URL("http://h/p?q=1")
    assert url != "http://h/p"
    assert url != 1
    with pytest.raises(TypeError):
        hash(url)


def test_query_params() -> None:
    url = URL("/p?a=1&a=2&b=x+y&c=%C3%A9&empty=&flag")
    params = url.query_params
    assert isinstance(params, MultiDict)
    assert params.getall("a") == ["1", "2"]
    assert params["b"] == "x y"
    assert params["c"] == "é"
    assert params["empty"] == ""
    assert params["flag"] == ""
    assert URL("/p?a=1;b=2").query_params.dict() == {"a": ["1;b=2"]}


def test_query_params_are_a_fresh_copy() -> None:
    url = URL("/p?a=1")
    params = url.query_params
    params.add("a", "2")
    assert url.query_params.getall("a") == ["1"]
    assert str(url.with_replacements(query=params)) == "/p?a=1&a=2"


def test_from_components_and_split_result() -> None:
    url = URL.from_components(scheme="http", netloc="h", path="/p", query="a=1", fragment="f")
    assert str(url) == "http://h/p?a=1#f"
    assert str(URL.from_components()) == ""
    assert str(URL(SplitResult("http", "h", "/p", "q=1", ""))) == "http://h/p?q=1"


def test_instances_are_shared_for_recent_inputs() -> None:
    assert URL("http://h/shared") is URL("http://h/shared")
    assert URL.from_components(path="/s") is URL.from_components(path="/s")


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        ({}, "http://h/p?q=1#f"),
        ({"scheme": "https"}, "https://h/p?q=1#f"),
        ({"netloc": "other:81"}, "http://other:81/p?q=1#f"),
        ({"path": "/new"}, "http://h/new?q=1#f"),
        ({"query": "z=2"}, "http://h/p?z=2#f"),
        ({"query": None}, "http://h/p#f"),
        ({"query": ""}, "http://h/p#f"),
        (
            {"query": MultiDict([("a", "1"), ("a", "2"), ("b", "x y")])},
            "http://h/p?a=1&a=2&b=x+y#f",
        ),
        ({"fragment": "g"}, "http://h/p?q=1#g"),
    ],
)
def test_with_replacements(replacements: dict[str, Any], expected: str) -> None:
    assert str(URL("http://h/p?q=1#f").with_replacements(**replacements)) == expected


def scope(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": "http",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "path": "/items",
        "query_string": b"a=1",
        "headers": [(b"host", b"example.com")],
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "http://example.com/items?a=1"),
        ({"root_path": "/api"}, "http://example.com/api/items?a=1"),
        ({"headers": []}, "http://127.0.0.1:8000/items?a=1"),
        ({"headers": [], "server": ("srv", 80)}, "http://srv/items?a=1"),
        ({"headers": [], "scheme": "https", "server": ("srv", 443)}, "https://srv/items?a=1"),
        ({"headers": [], "scheme": "wss", "server": ("srv", 443)}, "wss://srv/items?a=1"),
        ({"headers": [], "scheme": "https", "server": ("srv", 80)}, "https://srv:80/items?a=1"),
        ({"server": None}, "//example.com/items?a=1"),
        ({"headers": [(b"accept", b"*/*"), (b"host", b"h2")]}, "http://h2/items?a=1"),
        ({"query_string": b""}, "http://example.com/items"),
        ({"query_string": "é=1".encode()}, "http://example.com/items?é=1"),
        ({"query_string": b"a=\xff"}, "http://example.com/items?a=\xff"),
    ],
)
def test_from_scope(overrides: dict[str, Any], expected: str) -> None:
    assert str(URL.from_scope(scope(**overrides))) == expected


def test_from_scope_is_cached_until_the_scope_changes() -> None:
    connection = scope()
    first = URL.from_scope(connection)
    assert URL.from_scope(connection) is first
    connection["path"] = "/other"
    assert str(URL.from_scope(connection)) == "http://example.com/other?a=1"
    connection["query_string"] = b"b=2"
    assert URL.from_scope(connection).query_params.dict() == {"b": ["2"]}


def test_make_absolute_url() -> None:
    assert make_absolute_url("/x", "http://h/base/") == "http://h/base/x"
    assert make_absolute_url("/x", URL("https://h:1")) == "https://h:1/x"


def test_address() -> None:
    address = Address("127.0.0.1", 8000)
    assert address.host == "127.0.0.1"
    assert address.port == 8000
    assert address == ("127.0.0.1", 8000)
