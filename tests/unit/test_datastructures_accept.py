"""``Accept``: parsing, ordering and ``best_match`` (Litestar's rules)."""

import pytest

from trioweb.datastructures import Accept
from trioweb.datastructures.headers import MediaTypeHeader
from trioweb.enums import MediaType

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"


def test_orders_by_quality_then_specificity_keeping_ties_in_order() -> None:
    accept = Accept(
        "text/*;q=0.3, text/html;q=0.7, text/html;level=1, text/html;level=2;q=0.4, */*;q=0.5"
    )
    assert list(accept) == [
        "text/html;level=1",
        "text/html;q=0.7",
        "*/*;q=0.5",
        "text/html;level=2;q=0.4",
        "text/*;q=0.3",
    ]
    assert len(accept) == 5
    assert accept[0] == "text/html;level=1"


def test_more_specific_first_at_equal_quality() -> None:
    assert list(Accept("*/*, text/*, text/plain, text/plain;format=flowed")) == [
        "text/plain;format=flowed",
        "text/plain",
        "text/*",
        "*/*",
    ]
    assert list(Accept("b/b, a/a")) == ["b/b", "a/a"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("*/*", MediaType.TEXT),
        ("text/html", MediaType.HTML),
        ("application/xml", "application/xml"),
        ("application/json", None),
        (BROWSER, MediaType.HTML),
        ("text/*", MediaType.TEXT),
        ("application/*;q=0.9, text/html;q=0.1", "application/xml"),
        ("TEXT/HTML", MediaType.HTML),
    ],
)
def test_best_match_content_negotiation(header: str, expected: str | None) -> None:
    provided = [MediaType.TEXT, MediaType.HTML, "application/xml"]
    assert Accept(header).best_match(provided) == expected
    assert Accept(header).best_match(provided, default="fallback") == (expected or "fallback")


def test_ties_go_to_the_first_provided_type() -> None:
    assert Accept("text/plain, text/html").best_match(["text/html", "text/plain"]) == "text/plain"
    assert Accept("*/*").best_match(["text/html", "text/plain"]) == "text/html"


def test_wildcard_provided_type_is_filled_from_the_accepted_type() -> None:
    assert Accept("application/json").best_match(["*/*"]) == "application/json"
    assert Accept("application/json").best_match(["application/*"]) == "application/json"
    assert Accept("image/png").best_match(["*/png"]) == "image/png"
    assert Accept("text/*").best_match(["*/*"]) == "text/*"


def test_parameters_of_the_provided_type_must_match() -> None:
    accept = Accept("text/plain;charset=utf-8")
    assert accept.best_match(["text/plain;charset=utf-8"]) == "text/plain;charset=utf-8"
    assert accept.best_match(["text/plain;charset=latin-1"]) is None
    assert accept.best_match(["text/plain"]) == "text/plain"
    assert Accept("text/plain").best_match(["text/plain;charset=utf-8"]) is None
    assert Accept('text/plain;charset="utf-8"').accepts("text/plain;charset=utf-8")


def test_q_zero_sorts_last_but_still_matches() -> None:
    # Litestar does not exclude q=0 ranges; they only lose to every other one.
    accept = Accept("text/html;q=0, application/json;q=0.1")
    assert list(accept) == ["application/json;q=0.1", "text/html;q=0"]
    assert accept.best_match(["text/html", "application/json"]) == "application/json"
    assert accept.best_match(["text/html"]) == "text/html"
    assert accept.accepts("text/html")


def test_accepts() -> None:
    accept = Accept(BROWSER)
    assert accept.accepts("text/html")
    assert accept.accepts("application/json")  # through */*
    assert not Accept("text/html").accepts("application/json")
    assert not Accept("text/*").accepts("*/*")  # the result is text/*, not */*


@pytest.mark.parametrize(
    ("header", "rendered"),
    [
        ("", ["/"]),
        ("*", ["*/"]),
        (",,", ["/", "/", "/"]),
        ("a/b;q=abc", ["a/b;q=abc"]),
        ("a/b;q=nan, c/d;q=0.5", ["a/b;q=nan", "c/d;q=0.5"]),
        ("a/b;q=inf, c/d", ["a/b;q=inf", "c/d"]),
        ("  text/html  ;  q=0.7 ", ["text/html;  q=0.7 "]),
    ],
)
def test_malformed_input_does_not_raise(header: str, rendered: list[str]) -> None:
    assert list(Accept(header)) == rendered


def test_malformed_accept_matches_nothing_specific() -> None:
    assert Accept("").best_match(["text/html"]) is None
    assert Accept("garbage").best_match(["text/html"], default="d") == "d"


def test_media_type_header() -> None:
    media_type = MediaTypeHeader('Text/HTML; Level=1; q=0.5; title="a \\"b\\""')
    assert (media_type.maintype, media_type.subtype) == ("text", "html")
    assert media_type.params == {"level": "1", "q": "0.5", "title": 'a "b"'}
    assert media_type.priority == (50, 3)
    assert str(media_type) == 'text/html; Level=1; q=0.5; title="a \\"b\\""'
    assert MediaTypeHeader("a/b;q=0.333").priority == (33, 2)
    assert MediaTypeHeader("a/*").priority == (100, 1)
    assert MediaTypeHeader("*/*;q=2").priority == (200, 0)


def test_reprs() -> None:
    assert repr(Accept("text/html, */*;q=0.1")) == "Accept('text/html, */*;q=0.1')"
    assert repr(MediaTypeHeader("text/html;q=1")) == "MediaTypeHeader('text/html;q=1')"
