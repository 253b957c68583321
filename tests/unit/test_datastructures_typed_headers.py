"""``Header``, ``CacheControlHeader`` and ``ETag``."""

from dataclasses import dataclass
from typing import Any

import pytest

from trioweb.datastructures import CacheControlHeader, ETag, Header
from trioweb.exceptions import ImproperlyConfiguredException, ValidationException


class TestCacheControlHeader:
    def test_renders_directives_in_field_order(self) -> None:
        header = CacheControlHeader(
            stale_while_revalidate=5, public=True, max_age=10, s_maxage=20, no_cache=True
        )
        assert (
            header.to_header()
            == "max-age=10, s-maxage=20, no-cache, public, stale-while-revalidate=5"
        )
        assert header.to_header(include_header_name=True).startswith("cache-control: max-age=10")

    def test_all_boolean_directives(self) -> None:
        header = CacheControlHeader(
            no_cache=True,
            no_store=True,
            private=True,
            public=True,
            no_transform=True,
            must_revalidate=True,
            proxy_revalidate=True,
            must_understand=True,
            immutable=True,
        )
        assert header.to_header() == (
            "no-cache, no-store, private, public, no-transform, must-revalidate, "
            "proxy-revalidate, must-understand, immutable"
        )

    def test_false_still_renders_the_directive(self) -> None:
        # Litestar renders any bool by name; None is the way to leave a directive out.
        assert CacheControlHeader(no_cache=False).to_header() == "no-cache"
        assert CacheControlHeader().to_header() == ""

    def test_prevent_storing(self) -> None:
        assert CacheControlHeader.prevent_storing().to_header() == "no-store"
        assert CacheControlHeader.HEADER_NAME == "cache-control"

    def test_documentation_only_is_the_first_positional_field(self) -> None:
        header = CacheControlHeader(True)  # noqa: FBT003
        assert header.documentation_only is True
        assert header.to_header() == ""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("max-age=10, public", {"max_age": 10, "public": True}),
            ("  ,, public ,", {"public": True}),
            ("", {}),
            ("no-cache=1", {"no_cache": True}),
            ("private=false, immutable=0", {"private": False, "immutable": False}),
            ("max-age=-1", {"max_age": -1}),
            ("no_cache", {"no_cache": True}),
            ("public, public", {"public": True}),
            ("s-maxage=3, stale-while-revalidate=4", {"s_maxage": 3, "stale_while_revalidate": 4}),
            ("documentation-only", {"documentation_only": True}),
        ],
    )
    def test_from_header(self, value: str, expected: dict[str, Any]) -> None:
        assert CacheControlHeader.from_header(value) == CacheControlHeader(**expected)

    @pytest.mark.parametrize(
        "value",
        [
            "foo",
            "MAX-AGE=1",
            "max-age =5",
            "max-age=abc",
            "max-age=1.5",
            "max-age=+5",
            "max-age=07",
            "max-age",
            "public=",
            "max-age=10=1",
            'max-age="5"',
        ],
    )
    def test_from_header_rejects(self, value: str) -> None:
        with pytest.raises(ImproperlyConfiguredException):
            CacheControlHeader.from_header(value)

    @pytest.mark.parametrize(
        "header",
        [
            CacheControlHeader(max_age=0),
            CacheControlHeader(max_age=3600, must_revalidate=True, private=True),
            CacheControlHeader(s_maxage=1, no_transform=True, stale_while_revalidate=60),
            CacheControlHeader.prevent_storing(),
        ],
    )
    def test_round_trip(self, header: CacheControlHeader) -> None:
        assert CacheControlHeader.from_header(header.to_header()) == header


class TestETag:
    def test_render(self) -> None:
        assert ETag(value="abc").to_header() == '"abc"'
        assert ETag(value="abc", weak=True).to_header() == 'W/"abc"'
        assert ETag(value="abc").to_header(include_header_name=True) == 'etag: "abc"'
        assert ETag(value="").to_header() == '""'

    @pytest.mark.parametrize(
        ("value", "weak", "tag"),
        [
            ('"abc"', False, "abc"),
            ('W/"abc"', True, "abc"),
            ('w/"abc"', True, "abc"),
            ('W/"a b"', True, "a b"),
            ('"x" trailing', False, "x"),
            ('"a"b"', False, 'a"b'),
        ],
    )
    def test_from_header(self, value: str, weak: bool, tag: str) -> None:
        etag = ETag.from_header(value)
        assert (etag.weak, etag.value) == (weak, tag)

    @pytest.mark.parametrize("value", ["abc", '""', ' "x"', 'W/ "x"', '"é"', "", 'W/"'])
    def test_from_header_rejects(self, value: str) -> None:
        with pytest.raises(ImproperlyConfiguredException):
            ETag.from_header(value)

    def test_value_is_required_unless_documentation_only(self) -> None:
        with pytest.raises(ValidationException, match="value must be set"):
            ETag()
        assert ETag(documentation_only=True).value is None

    @pytest.mark.parametrize("value", ["é", "a\nb", "\x01"])
    def test_value_must_be_printable_ascii(self, value: str) -> None:
        with pytest.raises(ValidationException, match="ASCII printable"):
            ETag(value=value)

    def test_round_trip(self) -> None:
        for etag in (ETag(value="v1"), ETag(value="a-b c", weak=True)):
            assert ETag.from_header(etag.to_header()) == etag


def test_header_without_name_cannot_render() -> None:
    @dataclass
    class Nameless(Header):
        def _get_header_value(self) -> str:
            return "x"

        @classmethod
        def from_header(cls, header_value: str) -> "Nameless":
            return cls()

    with pytest.raises(ImproperlyConfiguredException, match="Missing header name"):
        Nameless().to_header()


def test_header_is_abstract() -> None:
    with pytest.raises(TypeError):
        Header()  # type: ignore[abstract]
