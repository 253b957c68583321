"""Request ``Headers`` and ``MutableScopeHeaders``."""

from typing import Any

import pytest
from multidict import CIMultiDict, MultiDict, MultiMapping

from trioweb.datastructures import Headers, MultiMixin, MutableScopeHeaders

RAW = [
    (b"host", b"example.com"),
    (b"accept", b"text/html"),
    (b"set-thing", b"1"),
    (b"set-thing", b"2"),
]


@pytest.mark.parametrize(
    "source",
    [
        RAW,
        tuple(RAW),
        [(name.decode(), value.decode()) for name, value in RAW],
        CIMultiDict([(name.decode(), value.decode()) for name, value in RAW]),
    ],
    ids=["raw-list", "raw-tuple", "str-pairs", "multidict"],
)
def test_construct_from_any_source(source: Any) -> None:
    headers = Headers(source)
    assert headers["host"] == "example.com"
    assert headers.getall("set-thing") == ["1", "2"]
    assert len(headers) == 4
    assert list(headers) == ["host", "accept", "set-thing"]


def test_construct_from_dict_and_empty() -> None:
    headers = Headers({"Content-Type": "text/plain", "X-A": "1"})
    assert headers["content-type"] == "text/plain"
    assert list(headers.keys()) == ["Content-Type", "X-A"]
    assert Headers() == {}
    assert not Headers()
    assert not Headers([])
    assert repr(Headers()) == "<Headers()>"


def test_lookup_ignores_case() -> None:
    headers = Headers(RAW)
    assert headers["HOST"] == headers["Host"] == headers.get("hOsT") == "example.com"
    assert "ACCEPT" in headers
    assert "ACCEPT" in headers.keys()  # noqa: SIM118 - the view, not the mapping
    assert headers.getone("Set-Thing") == "1"
    assert headers.getall("SET-THING") == ["1", "2"]


def test_repeated_lookups_give_the_same_answer() -> None:
    headers = Headers(RAW)
    for _ in range(3):
        assert headers.get("Accept") == "text/html"
        assert headers.get("accept") == "text/html"
        assert headers["set-thing"] == "1"
        assert headers.get("missing") is None


def test_repeated_header_first_value_wins() -> None:
    headers = Headers([(b"x", b"first"), (b"y", b"_"), (b"x", b"second")])
    assert headers["x"] == "first"
    assert dict(headers) == {"x": "first", "y": "_"}
    assert list(headers.items()) == [("x", "first"), ("y", "_"), ("x", "second")]
    assert list(headers.values()) == ["first", "_", "second"]
    assert ("X", "second") in headers.items()
    assert ("x", "third") not in headers.items()
    assert "second" in headers.values()
    assert len(headers.keys()) == 2
    assert len(headers.items()) == len(headers.values()) == 3


def test_names_spelled_differently_are_one_header() -> None:
    headers = Headers([(b"X-Id", b"1"), (b"x-id", b"2")])
    assert list(headers) == ["X-Id"]
    assert headers.getall("x-ID") == ["1", "2"]
    assert headers.dict() == {"X-Id": ["1", "2"]}
    assert list(headers.multi_items()) == [("X-Id", "1"), ("X-Id", "2")]


def test_missing_header() -> None:
    headers = Headers(RAW)
    with pytest.raises(KeyError, match="nope"):
        headers["nope"]
    with pytest.raises(KeyError):
        headers.getall("nope")
    with pytest.raises(KeyError):
        headers.getone("nope")
    assert headers.getall("nope", None) is None
    assert headers.getone("nope", "d") == "d"
    assert headers.get("nope", "d") == "d"
    assert "nope" not in headers
    assert "ключ" not in headers
    assert headers.get("ключ") is None


def test_non_str_keys() -> None:
    headers = Headers(RAW)
    assert 1 not in headers  # type: ignore[comparison-overlap]
    assert b"host" not in headers  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError):
        headers.get(1)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        headers[b"host"]  # type: ignore[index]


def test_values_are_latin1() -> None:
    headers = Headers([(b"x-name", b"caf\xe9"), (b"X-\xc9T\xc9", b"1")])
    assert headers["x-name"] == "café"
    assert headers["x-été"] == "1"
    assert headers.to_header_list()[0] == (b"x-name", b"caf\xe9")


def test_upper_case_raw_names_still_match() -> None:
    headers = Headers([(b"Content-Type", b"a/b"), (b"content-type", b"c/d")])
    assert headers["content-type"] == "a/b"
    assert headers.getall("CONTENT-TYPE") == ["a/b", "c/d"]


def test_raw_input_is_snapshotted() -> None:
    raw = [(b"a", b"1")]
    headers = Headers(raw)
    raw.append((b"b", b"2"))
    assert "b" not in headers
    assert len(headers) == 1


def test_equality() -> None:
    headers = Headers([(b"a", b"1"), (b"b", b"2")])
    assert headers == {"a": "1", "b": "2"}
    assert headers == {"b": "2", "a": "1"}
    assert headers != {"A": "1", "b": "2"}
    assert headers == Headers([(b"A", b"1"), (b"B", b"2")])
    assert headers != Headers([(b"b", b"2"), (b"a", b"1")])
    assert headers == CIMultiDict(A="1", b="2")
    assert headers == MultiDict(a="1", b="2")
    assert headers != [("a", "1"), ("b", "2")]
    assert Headers([(b"a", b"1"), (b"a", b"3")]) != {"a": "1"}
    with pytest.raises(TypeError):
        hash(headers)


def test_dict_and_multi_items() -> None:
    headers = Headers([(b"a", b"1"), (b"b", b"2"), (b"a", b"3")])
    assert headers.dict() == {"a": ["1", "3"], "b": ["2"]}
    assert list(headers.multi_items()) == [("a", "1"), ("a", "3"), ("b", "2")]
    assert isinstance(headers, MultiMixin)
    assert isinstance(headers, MultiMapping)


def test_to_header_list_keeps_order_and_lowercases() -> None:
    headers = Headers({"Content-Type": "text/plain", "X-Trace": "é"})
    assert headers.to_header_list() == [(b"content-type", b"text/plain"), (b"x-trace", b"\xe9")]
    raw = Headers([(b"b", b"1"), (b"A", b"2"), (b"b", b"3")])
    assert raw.to_header_list() == [(b"b", b"1"), (b"a", b"2"), (b"b", b"3")]


def test_copy_is_mutable_multidict() -> None:
    copy = Headers(RAW).copy()
    assert isinstance(copy, CIMultiDict)
    copy.add("Host", "other")
    assert copy.getall("host") == ["example.com", "other"]


def test_repr() -> None:
    assert repr(Headers([(b"a", b"1"), (b"a", b"2")])) == "<Headers('a': '1', 'a': '2')>"


def test_headers_from_headers_shares_data() -> None:
    original = Headers(RAW)
    assert Headers(original) == original
    assert Headers(original)["accept"] == "text/html"


class TestFromScope:
    def test_cached_in_scope(self) -> None:
        scope: dict[str, Any] = {"type": "http", "headers": list(RAW)}
        first = Headers.from_scope(scope)
        assert Headers.from_scope(scope) is first
        assert first["host"] == "example.com"

    def test_rebuilt_when_headers_replaced(self) -> None:
        scope: dict[str, Any] = {"type": "http", "headers": list(RAW)}
        first = Headers.from_scope(scope)
        scope["headers"] = [(b"host", b"other")]
        assert Headers.from_scope(scope)["host"] == "other"
        assert first["host"] == "example.com"

    def test_rebuilt_when_header_added_in_place(self) -> None:
        scope: dict[str, Any] = {"type": "http", "headers": list(RAW)}
        Headers.from_scope(scope)
        MutableScopeHeaders(scope).add("x-added", "yes")
        assert Headers.from_scope(scope)["x-added"] == "yes"


class TestMutableScopeHeaders:
    def message(self) -> dict[str, Any]:
        return {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"set-cookie", b"a=1"),
                (b"set-cookie", b"b=2"),
                (b"set-cookie", b"c=3"),
                (b"x", b"1"),
            ],
        }

    def test_reads(self) -> None:
        headers = MutableScopeHeaders.from_message(self.message())
        assert headers["Content-Type"] == "text/plain"
        assert headers.getall("SET-COOKIE") == ["a=1", "b=2", "c=3"]
        assert len(headers) == 5
        assert list(headers) == ["content-type", "set-cookie", "set-cookie", "set-cookie", "x"]
        assert headers.get("missing") is None
        assert headers.getall("missing", ["d"]) == ["d"]
        with pytest.raises(KeyError):
            headers.getall("missing")
        with pytest.raises(KeyError):
            headers["missing"]

    def test_set_replaces_all_duplicates_in_place_of_the_first(self) -> None:
        message = self.message()
        headers = MutableScopeHeaders.from_message(message)
        headers["Set-Cookie"] = "z=9"
        assert message["headers"] == [
            (b"content-type", b"text/plain"),
            (b"set-cookie", b"z=9"),
            (b"x", b"1"),
        ]

    def test_set_new_add_and_delete(self) -> None:
        message = self.message()
        headers = MutableScopeHeaders.from_message(message)
        headers["X-New"] = "n"
        headers.add("x", "2")
        del headers["set-cookie"]
        del headers["not-there"]
        assert message["headers"] == [
            (b"content-type", b"text/plain"),
            (b"x", b"1"),
            (b"x-new", b"n"),
            (b"x", b"2"),
        ]

    def test_extend_header_value(self) -> None:
        message = self.message()
        headers = MutableScopeHeaders.from_message(message)
        headers.extend_header_value("Vary", "Accept")
        headers.extend_header_value("vary", "Origin")
        assert headers["vary"] == "Accept,Origin"
        headers.extend_header_value("set-cookie", "d=4")
        assert headers.getall("set-cookie") == ["a=1,d=4"]

    def test_tuple_headers_become_a_list(self) -> None:
        scope: dict[str, Any] = {"headers": ((b"a", b"1"),)}
        headers = MutableScopeHeaders(scope)
        headers["b"] = "2"
        assert scope["headers"] == [(b"a", b"1"), (b"b", b"2")]

    def test_without_scope_and_invalid_message(self) -> None:
        headers = MutableScopeHeaders()
        headers["a"] = "1"
        assert headers.headers == [(b"a", b"1")]
        with pytest.raises(ValueError, match="Invalid message type: 'http.response.body'"):
            MutableScopeHeaders.from_message({"type": "http.response.body", "body": b""})

    def test_key_outside_latin1_is_absent(self) -> None:
        headers = MutableScopeHeaders.from_message(self.message())
        assert "ключ" not in headers
        del headers["ключ"]
        assert len(headers) == 5


def test_str_headers_lookup_ignores_case() -> None:
    headers = Headers({"content-type": "x", "X-A": "1"})
    assert headers["Content-Type"] == "x"
    assert headers["x-a"] == "1"
    assert "CONTENT-TYPE" in headers
    assert headers.get("ключ") is None


def test_header_list_is_built_once() -> None:
    headers = Headers(RAW)
    assert headers.to_header_list() is headers.to_header_list()


def test_view_reprs() -> None:
    headers = Headers([(b"a", b"1"), (b"a", b"2")])
    assert repr(headers.keys()) == "<_HeaderKeysView(['a'])>"
    assert repr(headers.items()) == "<_HeaderItemsView([('a', '1'), ('a', '2')])>"
    assert repr(headers.values()) == "<_HeaderValuesView(['1', '2'])>"
    assert ("a",) not in headers.items()
