"""trioweb.exceptions: Litestar's classes, defaults, messages and error-body shape."""

from typing import Any

import msgspec
import pytest

import trioweb.exceptions as exc_module
from trioweb.exceptions import (
    ClientException,
    DTOFactoryException,
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    InvalidAnnotationException,
    LitestarDeprecationWarning,
    LitestarException,
    LitestarWarning,
    MethodNotAllowedException,
    MissingDependencyException,
    NoRouteMatchFoundException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    RequestEntityTooLarge,
    SerializationException,
    ServiceUnavailableException,
    TemplateNotFoundException,
    TooManyRequestsException,
    TrioWebException,
    ValidationException,
    WebSocketDisconnect,
    WebSocketException,
)
from trioweb.exceptions.responses import http_exception_to_content

LITESTAR_ALL = {
    "ClientException",
    "DTOFactoryException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "InvalidAnnotationException",
    "LitestarDeprecationWarning",
    "LitestarException",
    "LitestarWarning",
    "MethodNotAllowedException",
    "MissingDependencyException",
    "NoRouteMatchFoundException",
    "NotAuthorizedException",
    "NotFoundException",
    "PermissionDeniedException",
    "SerializationException",
    "ServiceUnavailableException",
    "TemplateNotFoundException",
    "TooManyRequestsException",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
}


# -- public surface -----------------------------------------------------------------------------


def test_all_is_litestars_plus_our_extras_and_sorted() -> None:
    assert set(exc_module.__all__) == LITESTAR_ALL | {"RequestEntityTooLarge", "TrioWebException"}
    assert list(exc_module.__all__) == sorted(exc_module.__all__)
    for name in exc_module.__all__:
        assert hasattr(exc_module, name)


def test_docstring_tree_names_every_exported_class() -> None:
    doc = exc_module.__doc__ or ""
    for name in exc_module.__all__:
        assert name in doc


def test_trioweb_exception_is_the_litestar_base() -> None:
    assert TrioWebException is LitestarException
    with pytest.raises(TrioWebException):
        raise NotFoundException()


# -- HTTPException defaults ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "status_code", "detail"),
    [
        (HTTPException, 500, "Internal Server Error"),
        (ImproperlyConfiguredException, 500, "Internal Server Error"),
        (ClientException, 400, "Bad Request"),
        (ValidationException, 400, "Bad Request"),
        (NotAuthorizedException, 401, "Unauthorized"),
        (PermissionDeniedException, 403, "Forbidden"),
        (NotFoundException, 404, "Not Found"),
        (MethodNotAllowedException, 405, "Method Not Allowed"),
        (RequestEntityTooLarge, 413, "Request Entity Too Large"),
        (TooManyRequestsException, 429, "Too Many Requests"),
        (InternalServerException, 500, "Internal Server Error"),
        (ServiceUnavailableException, 503, "Service Unavailable"),
        (NoRouteMatchFoundException, 500, "Internal Server Error"),
    ],
)
def test_status_and_default_detail(cls: type[HTTPException], status_code: int, detail: str) -> None:
    exc = cls()
    assert cls.status_code == status_code
    assert exc.status_code == status_code
    assert exc.detail == detail
    assert exc.headers is None
    assert exc.extra is None
    assert str(exc) == f"{status_code}: {detail}"
    assert repr(exc) == f"{status_code} - {cls.__name__} - {detail}"
    assert exc.args == (f"{status_code}: {detail}",)


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (ImproperlyConfiguredException, (HTTPException, ValueError)),
        (ValidationException, (ClientException, ValueError)),
        (NotFoundException, (ClientException, ValueError)),
        (ServiceUnavailableException, (InternalServerException,)),
        (MissingDependencyException, (LitestarException, ImportError)),
        (WebSocketDisconnect, (WebSocketException,)),
        (InvalidAnnotationException, (DTOFactoryException,)),
        (SerializationException, (LitestarException,)),
        (LitestarWarning, (UserWarning,)),
        (LitestarDeprecationWarning, (DeprecationWarning,)),
    ],
)
def test_bases(cls: type[BaseException], bases: tuple[type[BaseException], ...]) -> None:
    for base in bases:
        assert issubclass(cls, base)


def test_not_found_is_caught_by_value_error_handlers() -> None:
    with pytest.raises(ValueError):
        raise NotFoundException("no such user")


# -- HTTPException detail and args rules ----------------------------------------------------------


def test_first_positional_argument_is_the_detail() -> None:
    exc = NotFoundException("no such user")
    assert exc.detail == "no such user"
    assert str(exc) == "404: no such user"
    assert repr(exc) == "404 - NotFoundException - no such user"


def test_further_positional_arguments_follow_in_str() -> None:
    exc = HTTPException("a", "b")
    assert exc.detail == "a"
    assert exc.args == ("500: a", "b")
    assert str(exc) == "500: a b"


def test_detail_keyword_wins_and_positionals_are_kept() -> None:
    exc = HTTPException("context", detail="the detail")
    assert exc.detail == "the detail"
    assert exc.args == ("500: the detail", "context")
    assert str(exc) == "500: the detail context"


def test_falsy_positionals_are_dropped_and_others_stringified() -> None:
    exc = NotFoundException(None, 0, "", "x", 7)
    assert exc.detail == "x"
    assert exc.args == ("404: x", "7")


def test_status_code_override_picks_the_reason_phrase() -> None:
    assert HTTPException(status_code=418).detail == "I'm a Teapot"
    assert str(ClientException(status_code=409)) == "409: Conflict"
    assert ClientException(status_code=422).status_code == 422
    assert ClientException.status_code == 400  # the class default is untouched


def test_status_code_zero_means_the_class_default() -> None:
    assert NotFoundException(status_code=0).status_code == 404


def test_unknown_status_code_does_not_crash() -> None:
    # Litestar raises ValueError from http.HTTPStatus here; we give a usable exception instead.
    assert HTTPException(status_code=499).detail == "Client Closed Request"
    exc = HTTPException(status_code=599)
    assert exc.detail == ""
    assert exc.status_code == 599
    assert HTTPException(status_code=599, detail="custom").detail == "custom"


def test_headers_and_extra_are_kept() -> None:
    exc = NotAuthorizedException(
        headers={"WWW-Authenticate": "Bearer"}, extra={"reason": "expired"}
    )
    assert exc.headers == {"WWW-Authenticate": "Bearer"}
    assert exc.extra == {"reason": "expired"}
    assert ValidationException(extra=[{"key": "name"}]).extra == [{"key": "name"}]


def test_class_level_detail_is_a_default() -> None:
    class PaymentRequired(ClientException):
        status_code = 402
        detail = "Top up your account"

    assert PaymentRequired().detail == "Top up your account"
    assert PaymentRequired("Card declined").detail == "Card declined"
    assert RequestEntityTooLarge("Body over 1 MB").detail == "Body over 1 MB"


def test_template_not_found_message() -> None:
    exc = TemplateNotFoundException(template_name="index.html")
    assert exc.detail == "Template index.html not found."
    assert exc.status_code == 500
    assert str(exc) == "500: Template index.html not found."


# -- the base class and non-HTTP exceptions ----------------------------------------------------


def test_base_exception_str_and_repr() -> None:
    assert str(LitestarException()) == ""
    assert repr(LitestarException()) == "LitestarException"
    assert str(LitestarException("x")) == "x"
    assert repr(LitestarException("x")) == "LitestarException - x"
    assert str(LitestarException("x", "y")) == "y x"
    assert str(LitestarException("x", detail="d")) == "x d"
    assert SerializationException("cannot encode").detail == "cannot encode"


def test_missing_dependency_message() -> None:
    exc = MissingDependencyException("jinja2")
    assert isinstance(exc, ImportError)
    assert str(exc) == (
        "Package 'jinja2' is not installed but required. You can install it by running "
        "`pip install 'trioweb[jinja2]'` to install trioweb with the required extra or "
        "'pip install jinja2' to install the package separately"
    )
    message = str(MissingDependencyException("jinja2", install_package="Jinja2", extra="templates"))
    assert "trioweb[templates]" in message
    assert "'pip install Jinja2'" in message


def test_websocket_exception_defaults() -> None:
    exc = WebSocketException(detail="invalid payload")
    assert exc.code == 4500
    assert exc.detail == "invalid payload"
    assert str(exc) == "invalid payload"
    assert repr(exc) == "WebSocketException - invalid payload"


def test_websocket_disconnect_defaults() -> None:
    exc = WebSocketDisconnect(detail="Connection closed")
    assert exc.code == 1000
    assert str(exc) == "Connection closed"
    assert WebSocketDisconnect("ctx", detail="gone", code=1006).code == 1006
    assert str(WebSocketDisconnect("ctx", detail="gone")) == "ctx gone"


def test_websocket_exceptions_require_detail() -> None:
    with pytest.raises(TypeError):
        WebSocketDisconnect()  # type: ignore[call-arg]


# -- error response body -------------------------------------------------------------------------


def test_body_is_status_and_detail_in_that_order() -> None:
    content = http_exception_to_content(NotFoundException())
    assert content == {"status_code": 404, "detail": "Not Found"}
    assert list(content) == ["status_code", "detail"]
    assert msgspec.json.encode(content) == b'{"status_code":404,"detail":"Not Found"}'


def test_body_includes_extra_last_when_set() -> None:
    exc = ValidationException("Validation failed", extra=[{"key": "id", "source": "path"}])
    content = http_exception_to_content(exc)
    assert list(content) == ["status_code", "detail", "extra"]
    assert msgspec.json.encode(content) == (
        b'{"status_code":400,"detail":"Validation failed","extra":[{"key":"id","source":"path"}]}'
    )


def test_empty_extra_is_still_sent() -> None:
    assert http_exception_to_content(ClientException(extra={}))["extra"] == {}


def test_headers_never_appear_in_the_body() -> None:
    exc = NotAuthorizedException(headers={"WWW-Authenticate": "Bearer"})
    assert http_exception_to_content(exc) == {"status_code": 401, "detail": "Unauthorized"}


@pytest.mark.parametrize(
    "exc",
    [
        HTTPException(detail="db password rejected"),
        ImproperlyConfiguredException("missing setting"),
        TemplateNotFoundException(template_name="secret.html"),
        ClientException("odd", status_code=500),
    ],
)
def test_status_500_detail_is_masked(exc: HTTPException) -> None:
    assert http_exception_to_content(exc)["detail"] == "Internal Server Error"


def test_status_500_still_sends_extra() -> None:
    content = http_exception_to_content(InternalServerException("hidden", extra={"id": 7}))
    assert content == {"status_code": 500, "detail": "Internal Server Error", "extra": {"id": 7}}


def test_other_5xx_details_are_sent() -> None:
    content = http_exception_to_content(ServiceUnavailableException("down for maintenance"))
    assert content == {"status_code": 503, "detail": "down for maintenance"}


@pytest.mark.parametrize(
    "exc", [ValueError("boom"), SerializationException("nope"), WebSocketException(detail="x")]
)
def test_non_http_exceptions_are_plain_500s(exc: Exception) -> None:
    assert http_exception_to_content(exc) == {
        "status_code": 500,
        "detail": "Internal Server Error",
    }


def test_body_is_a_fresh_dict_each_time() -> None:
    exc = NotFoundException()
    first: dict[str, Any] = http_exception_to_content(exc)
    first["detail"] = "changed"
    assert http_exception_to_content(exc)["detail"] == "Not Found"
