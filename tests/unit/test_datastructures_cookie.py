"""``Cookie``: ``Set-Cookie`` rendering byte-identical to Litestar's (``SimpleCookie``)."""

import random
import time
from http.cookies import CookieError
from typing import Any

import pytest

from trioweb.datastructures import Cookie

NOW = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT


@pytest.fixture(autouse=True)
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: NOW)


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (Cookie(key="my-cookie", value="abc"), "my-cookie=abc; Path=/; SameSite=lax"),
        (Cookie(key="a"), 'a=""; Path=/; SameSite=lax'),
        (Cookie(key="a", value=""), 'a=""; Path=/; SameSite=lax'),
        (Cookie(key="a", value="b", samesite="strict"), "a=b; Path=/; SameSite=strict"),
        (
            Cookie(key="a", value="b", samesite="none", secure=True),
            "a=b; Path=/; SameSite=none; Secure",
        ),
        (
            Cookie(key="s", value="v", max_age=3600, httponly=True, secure=True),
            "s=v; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure",
        ),
        (
            Cookie(key="s", value="v", domain="example.com", path="/api"),
            "s=v; Domain=example.com; Path=/api; SameSite=lax",
        ),
        (
            Cookie(key="s", value="v", expires=60),
            "s=v; expires=Tue, 14 Nov 2023 22:14:20 GMT; Path=/; SameSite=lax",
        ),
        (
            Cookie(key="gone", path="/", domain="x.org", expires=0, max_age=0),
            'gone=""; Domain=x.org; expires=Tue, 14 Nov 2023 22:13:20 GMT; Max-Age=0; Path=/; SameSite=lax',
        ),
        (Cookie(key="a", value="b", secure=False, httponly=False), "a=b; Path=/; SameSite=lax"),
        (Cookie(key="a", value="b", path=""), "a=b; SameSite=lax"),
        (Cookie(key="a", value="b", domain=""), "a=b; Path=/; SameSite=lax"),
        (Cookie(key="a", value="x y"), 'a="x y"; Path=/; SameSite=lax'),
        (Cookie(key="a", value='q"uo;te'), 'a="q\\"uo\\073te"; Path=/; SameSite=lax'),
        (Cookie(key="a", value="é"), 'a="\\351"; Path=/; SameSite=lax'),
        (Cookie(key="a", value="ok=1"), 'a="ok=1"; Path=/; SameSite=lax'),
    ],
)
def test_to_header(cookie: Cookie, expected: str) -> None:
    assert cookie.to_header() == f"Set-Cookie: {expected}"
    assert cookie.to_encoded_header() == (b"set-cookie", expected.encode("latin-1"))


def test_to_header_keyword_arguments() -> None:
    cookie = Cookie(key="a", value="b", max_age=5, httponly=True)
    assert (
        cookie.to_header(header="X-Cookie:")
        == "X-Cookie: a=b; HttpOnly; Max-Age=5; Path=/; SameSite=lax"
    )
    assert cookie.to_header(header="") == "a=b; HttpOnly; Max-Age=5; Path=/; SameSite=lax"
    assert cookie.to_header(attrs=["max-age", "path"]) == "Set-Cookie: a=b; Max-Age=5; Path=/"
    assert cookie.to_header(attrs=[]) == "Set-Cookie: a=b"


KEYS = ["session", "a", "x:y", "bad key", "k;", "Path", "expires", "ключ"]
VALUES: list[Any] = [None, "", "abc", "a b", "a;b", 'q"', "é", "\x01", 5, "a,b"]
MAX_AGES: list[Any] = [None, 0, 3600, True, "10"]
EXPIRES: list[Any] = [None, 0, -10, 60, "Wed, 21 Oct 2015 07:28:00 GMT"]
PATHS = ["/", "", "/a b", "/x;y", "/é"]
DOMAINS = [None, "", "example.com", "bad\x01domain"]
FLAGS = [None, True, False]
SAMESITES: list[Any] = ["lax", "strict", "none", None, "Lax "]


def _render(cookie: Cookie, **kwargs: Any) -> tuple[str, ...]:
    try:
        return (cookie.to_header(**kwargs),)
    except CookieError as exc:
        return ("CookieError", str(exc))


def _render_with_simple_cookie(cookie: Cookie, **kwargs: Any) -> tuple[str, ...]:
    # Litestar's algorithm, spelled out: fill a SimpleCookie and print it.
    try:
        return (cookie.simple_cookie.output(**kwargs).strip(),)
    except CookieError as exc:
        return ("CookieError", str(exc))


def test_matches_simple_cookie_across_combinations() -> None:
    # The full product has millions of members: check a fixed pseudo-random sample.
    rng = random.Random(20240601)
    choices = (KEYS, VALUES, MAX_AGES, EXPIRES, PATHS, DOMAINS, FLAGS, FLAGS, SAMESITES)
    for _ in range(1500):
        fields = [rng.choice(options) for options in choices]
        key, value, max_age, expires, path, domain, secure, httponly, samesite = fields
        cookie = Cookie(
            key=key,
            value=value,
            max_age=max_age,
            expires=expires,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )
        for kwargs in ({}, {"header": ""}, {"attrs": ("path", "expires", "secure")}):
            assert _render(cookie, **kwargs) == _render_with_simple_cookie(cookie, **kwargs), (
                cookie,
                kwargs,
            )


@pytest.mark.parametrize("key", ["bad key", "k;", "", "ключ", "path", "Max-Age", "HttpOnly"])
def test_illegal_or_reserved_key_raises(key: str) -> None:
    with pytest.raises(CookieError):
        Cookie(key=key, value="v").to_header()


def test_field_order_is_litestars() -> None:
    cookie = Cookie("k", "/p", "v")  # key, path, value
    assert (cookie.key, cookie.path, cookie.value) == ("k", "/p", "v")


def test_dict() -> None:
    cookie = Cookie(key="k", value="v", description="doc", documentation_only=True)
    assert cookie.dict == {
        "key": "k",
        "path": "/",
        "value": "v",
        "max_age": None,
        "expires": None,
        "domain": None,
        "secure": None,
        "httponly": None,
        "samesite": "lax",
    }


def test_equality_and_hash_by_key_path_domain() -> None:
    a = Cookie(key="k", value="1", max_age=5)
    b = Cookie(key="k", value="2", secure=True)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != Cookie(key="k", path="/other")
    assert a != Cookie(key="k", domain="example.com")
    assert a != Cookie(key="j")
    assert a != "k"


def test_simple_cookie_property() -> None:
    morsel = Cookie(key="k", value="v", max_age=1).simple_cookie["k"]
    assert morsel.value == "v"
    assert morsel["max-age"] == 1
    assert morsel["path"] == "/"
