"""The pure parts of files and caching: Range parsing, multipart layout, validators, dates."""

from __future__ import annotations

import pytest

from trioweb.response._conditional import (
    ConditionalHeaders,
    etag_in_list,
    if_range_matches,
    is_not_modified,
    parse_http_date,
)
from trioweb.response._ranges import (
    MAX_RANGES,
    ByteRange,
    multipart_layout,
    parse_range_header,
)


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-0", 10, [ByteRange(0, 0)]),
        ("BYTES = 2-4", 10, [ByteRange(2, 4)]),
        ("bytes=8-", 10, [ByteRange(8, 9)]),
        ("bytes=-3", 10, [ByteRange(7, 9)]),
        ("bytes=-30", 10, [ByteRange(0, 9)]),
        ("bytes=0-100", 10, [ByteRange(0, 9)]),
        ("bytes=, 1-2 ,", 10, [ByteRange(1, 2)]),
        ("bytes=6-7, 0-1, 1-3", 10, [ByteRange(0, 3), ByteRange(6, 7)]),
        ("bytes=0-1, 2-3", 10, [ByteRange(0, 3)]),
        ("bytes=20-30, 1-1", 10, [ByteRange(1, 1)]),  # unsatisfiable parts are dropped
        ("bytes=10-", 10, []),
        ("bytes=-0", 10, []),
        ("bytes=0-", 0, []),
        ("bytes=-5", 0, []),
        ("bytes=3-2", 10, None),
        ("bytes=x-2", 10, None),
        ("bytes=1", 10, None),
        ("bytes=", 10, None),
        ("bytes=-", 10, None),
        ("bytes=１-2", 10, None),  # non-ASCII digits
        ("lines=1-2", 10, None),
        ("1-2", 10, None),
    ],
)
def test_parse_range_header(header: str, size: int, expected: list[ByteRange] | None) -> None:
    assert parse_range_header(header, size) == expected


def test_too_many_ranges_are_ignored() -> None:
    many = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES + 1))
    assert parse_range_header(many, 1000) is None
    enough = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES))
    assert len(parse_range_header(enough, 1000) or []) == MAX_RANGES


def test_multipart_layout_length_is_exact() -> None:
    layout = multipart_layout([ByteRange(0, 1), ByteRange(5, 9)], 10, "text/plain", "B")
    body = b""
    for head, part in layout.parts:
        body += head + b"x" * part.length
    body += layout.trailer
    assert len(body) == layout.content_length
    assert body == (
        b"--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\nxx"
        b"\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-9/10\r\n\r\nxxxxx"
        b"\r\n--B--\r\n"
    )
    assert layout.content_type == "multipart/byteranges; boundary=B"


@pytest.mark.parametrize(
    ("header", "etag", "matches"),
    [
        ('"a"', '"a"', True),
        ('W/"a"', '"a"', True),
        ('"a"', 'W/"a"', True),
        ('"b", "a"', '"a"', True),
        ('"a,b"', '"a"', False),
        ('"a,b"', '"a,b"', True),
        ("*", '"anything"', True),
        ('"b"', '"a"', False),
        ("a", '"a"', False),
    ],
)
def test_if_none_match_weak_comparison(header: str, etag: str, matches: bool) -> None:
    assert etag_in_list(header, etag) is matches


def test_if_range_strong_comparison() -> None:
    assert if_range_matches('"a"', '"a"', None)
    assert not if_range_matches('W/"a"', 'W/"a"', None)
    assert not if_range_matches('"a"', 'W/"a"', None)
    assert if_range_matches("Thu, 01 Jan 1970 00:01:40 GMT", None, 100.7)
    assert not if_range_matches("Thu, 01 Jan 1970 00:01:41 GMT", None, 100.7)
    assert not if_range_matches("garbage", '"a"', 100.0)


@pytest.mark.parametrize(
    ("value", "timestamp"),
    [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777.0),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777.0),
        ("Sun Nov  6 08:49:37 1994", 784111777.0),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_http_date(value: str, timestamp: float | None) -> None:
    assert parse_http_date(value) == timestamp


def test_conditional_headers_join_if_none_match_lines() -> None:
    conditions = ConditionalHeaders([(b"if-none-match", b'"a"'), (b"if-none-match", b'"b"')])
    assert is_not_modified(conditions, '"b"', None)
    assert not ConditionalHeaders([(b"range", b"bytes=0-1")]).is_conditional
