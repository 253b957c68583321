"""trioweb.status_codes: the same names and values as litestar.status_codes."""

from http import HTTPStatus

import pytest

from trioweb import status_codes

# Litestar 2.x's constants, as (code, NAME) pairs; the Python name is PREFIX_<code>_<NAME>.
LITESTAR_HTTP = [
    (100, "CONTINUE"),
    (101, "SWITCHING_PROTOCOLS"),
    (102, "PROCESSING"),
    (103, "EARLY_HINTS"),
    (200, "OK"),
    (201, "CREATED"),
    (202, "ACCEPTED"),
    (203, "NON_AUTHORITATIVE_INFORMATION"),
    (204, "NO_CONTENT"),
    (205, "RESET_CONTENT"),
    (206, "PARTIAL_CONTENT"),
    (207, "MULTI_STATUS"),
    (208, "ALREADY_REPORTED"),
    (226, "IM_USED"),
    (300, "MULTIPLE_CHOICES"),
    (301, "MOVED_PERMANENTLY"),
    (302, "FOUND"),
    (303, "SEE_OTHER"),
    (304, "NOT_MODIFIED"),
    (305, "USE_PROXY"),
    (306, "RESERVED"),
    (307, "TEMPORARY_REDIRECT"),
    (308, "PERMANENT_REDIRECT"),
    (400, "BAD_REQUEST"),
    (401, "UNAUTHORIZED"),
    (402, "PAYMENT_REQUIRED"),
    (403, "FORBIDDEN"),
    (404, "NOT_FOUND"),
    (405, "METHOD_NOT_ALLOWED"),
    (406, "NOT_ACCEPTABLE"),
    (407, "PROXY_AUTHENTICATION_REQUIRED"),
    (408, "REQUEST_TIMEOUT"),
    (409, "CONFLICT"),
    (410, "GONE"),
    (411, "LENGTH_REQUIRED"),
    (412, "PRECONDITION_FAILED"),
    (413, "REQUEST_ENTITY_TOO_LARGE"),
    (414, "REQUEST_URI_TOO_LONG"),
    (415, "UNSUPPORTED_MEDIA_TYPE"),
    (416, "REQUESTED_RANGE_NOT_SATISFIABLE"),
    (417, "EXPECTATION_FAILED"),
    (418, "IM_A_TEAPOT"),
    (421, "MISDIRECTED_REQUEST"),
    (422, "UNPROCESSABLE_ENTITY"),
    (423, "LOCKED"),
    (424, "FAILED_DEPENDENCY"),
    (425, "TOO_EARLY"),
    (426, "UPGRADE_REQUIRED"),
    (428, "PRECONDITION_REQUIRED"),
    (429, "TOO_MANY_REQUESTS"),
    (431, "REQUEST_HEADER_FIELDS_TOO_LARGE"),
    (451, "UNAVAILABLE_FOR_LEGAL_REASONS"),
    (499, "CLIENT_CLOSED_REQUEST"),
    (500, "INTERNAL_SERVER_ERROR"),
    (501, "NOT_IMPLEMENTED"),
    (502, "BAD_GATEWAY"),
    (503, "SERVICE_UNAVAILABLE"),
    (504, "GATEWAY_TIMEOUT"),
    (505, "HTTP_VERSION_NOT_SUPPORTED"),
    (506, "VARIANT_ALSO_NEGOTIATES"),
    (507, "INSUFFICIENT_STORAGE"),
    (508, "LOOP_DETECTED"),
    (510, "NOT_EXTENDED"),
    (511, "NETWORK_AUTHENTICATION_REQUIRED"),
]
LITESTAR_WS = [
    (1000, "NORMAL_CLOSURE"),
    (1001, "GOING_AWAY"),
    (1002, "PROTOCOL_ERROR"),
    (1003, "UNSUPPORTED_DATA"),
    (1005, "NO_STATUS_RECEIVED"),
    (1006, "ABNORMAL_CLOSURE"),
    (1007, "INVALID_FRAME_PAYLOAD_DATA"),
    (1008, "POLICY_VIOLATION"),
    (1009, "MESSAGE_TOO_BIG"),
    (1010, "MANDATORY_EXT"),
    (1011, "INTERNAL_ERROR"),
    (1012, "SERVICE_RESTART"),
    (1013, "TRY_AGAIN_LATER"),
    (1014, "BAD_GATEWAY"),
    (1015, "TLS_HANDSHAKE"),
]
EXPECTED = {f"HTTP_{code}_{name}": code for code, name in LITESTAR_HTTP} | {
    f"WS_{code}_{name}": code for code, name in LITESTAR_WS
}


def test_public_names_are_exactly_litestars() -> None:
    assert set(status_codes.__all__) == set(EXPECTED)
    public = {n for n in vars(status_codes) if n.startswith(("HTTP_", "WS_"))}
    assert public == set(EXPECTED)


def test_all_is_sorted() -> None:
    assert list(status_codes.__all__) == sorted(status_codes.__all__)


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_value(name: str, code: int) -> None:
    value = getattr(status_codes, name)
    assert type(value) is int
    assert value == code


# 306 is reserved (unused) and 499 is nginx's; http.HTTPStatus knows neither.
NOT_IN_STDLIB = {306, 499}


@pytest.mark.parametrize("code", sorted({c for c, _ in LITESTAR_HTTP} - NOT_IN_STDLIB))
def test_http_codes_agree_with_the_stdlib(code: int) -> None:
    assert HTTPStatus(code) == code


def test_common_imports() -> None:
    from trioweb.status_codes import (
        HTTP_200_OK,
        HTTP_404_NOT_FOUND,
        HTTP_418_IM_A_TEAPOT,
        HTTP_425_TOO_EARLY,
        WS_1000_NORMAL_CLOSURE,
        WS_1011_INTERNAL_ERROR,
    )

    assert (HTTP_200_OK, HTTP_404_NOT_FOUND, HTTP_418_IM_A_TEAPOT, HTTP_425_TOO_EARLY) == (
        200,
        404,
        418,
        425,
    )
    assert (WS_1000_NORMAL_CLOSURE, WS_1011_INTERNAL_ERROR) == (1000, 1011)
