"""``ResponseHeader``, secret values, and the package's public names."""

import pytest

import trioweb.datastructures as datastructures
from trioweb.datastructures import ResponseHeader, SecretBytes, SecretString
from trioweb.exceptions import ImproperlyConfiguredException, LitestarDeprecationWarning


def test_response_header() -> None:
    header = ResponseHeader(name="X-Custom", value="v", description="doc")
    assert (header.name, header.value, header.description) == ("X-Custom", "v", "doc")
    assert header.allow_reserved is False
    assert header.allow_empty_value is False
    assert hash(header) == hash("X-Custom")


def test_response_header_value_required_unless_documentation_only() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="value must be set"):
        ResponseHeader(name="X")
    assert ResponseHeader(name="X", documentation_only=True).value is None


def test_response_header_field_order_is_litestars() -> None:
    header = ResponseHeader("X", True)  # noqa: FBT003 - name, documentation_only
    assert header.documentation_only is True


@pytest.mark.parametrize("field", ["allow_reserved", "allow_empty_value"])
def test_response_header_deprecated_fields_warn(field: str) -> None:
    with pytest.warns(LitestarDeprecationWarning, match=field):
        ResponseHeader(name="X", value="v", **{field: True})  # type: ignore[arg-type]


def test_secret_values() -> None:
    secret = SecretString("hunter2")
    assert secret.get_secret() == "hunter2"
    assert str(secret) == "******"
    assert repr(secret) == "SecretString('******')"
    secret_bytes = SecretBytes(b"key")
    assert secret_bytes.get_secret() == b"key"
    assert secret_bytes.get_obscured() == b"******"
    assert repr(secret_bytes) == "SecretBytes(b'******')"


def test_public_names() -> None:
    assert set(datastructures.__all__) == {
        "URL",
        "Accept",
        "Address",
        "CacheControlHeader",
        "Cookie",
        "ETag",
        "FormMultiDict",
        "Header",
        "Headers",
        "ImmutableMultiDict",
        "ImmutableState",
        "MultiDict",
        "MultiMixin",
        "MutableScopeHeaders",
        "ResponseHeader",
        "SecretBytes",
        "SecretString",
        "State",
        "UploadFile",
    }
    # ruff's isort-style order (RUF022): constants and acronyms first, then classes.
    assert list(datastructures.__all__) == sorted(
        datastructures.__all__, key=lambda name: (not name.isupper(), name)
    )
    for name in datastructures.__all__:
        assert getattr(datastructures, name).__module__.startswith("trioweb.datastructures")
