"""HTTP and WebSocket status codes as named integer constants.

Names and values match ``litestar.status_codes`` one for one, so
``from trioweb.status_codes import HTTP_404_NOT_FOUND`` is a drop-in for the Litestar import.
They are plain ``int`` constants (not an enum): compare them with ``==`` against any int and
pass them wherever a status code is accepted. ``http.HTTPStatus`` offers the same numbers with
phrases attached if you need them.

WebSocket close codes (RFC 6455 section 7.4.1) carry the ``WS_`` prefix; application-defined
close codes live in the 4000-4999 range and have no constants here.
"""

from typing import Final

__all__ = (
    "HTTP_100_CONTINUE",
    "HTTP_101_SWITCHING_PROTOCOLS",
    "HTTP_102_PROCESSING",
    "HTTP_103_EARLY_HINTS",
    "HTTP_200_OK",
    "HTTP_201_CREATED",
    "HTTP_202_ACCEPTED",
    "HTTP_203_NON_AUTHORITATIVE_INFORMATION",
    "HTTP_204_NO_CONTENT",
    "HTTP_205_RESET_CONTENT",
    "HTTP_206_PARTIAL_CONTENT",
    "HTTP_207_MULTI_STATUS",
    "HTTP_208_ALREADY_REPORTED",
    "HTTP_226_IM_USED",
    "HTTP_300_MULTIPLE_CHOICES",
    "HTTP_301_MOVED_PERMANENTLY",
    "HTTP_302_FOUND",
    "HTTP_303_SEE_OTHER",
    "HTTP_304_NOT_MODIFIED",
    "HTTP_305_USE_PROXY",
    "HTTP_306_RESERVED",
    "HTTP_307_TEMPORARY_REDIRECT",
    "HTTP_308_PERMANENT_REDIRECT",
    "HTTP_400_BAD_REQUEST",
    "HTTP_401_UNAUTHORIZED",
    "HTTP_402_PAYMENT_REQUIRED",
    "HTTP_403_FORBIDDEN",
    "HTTP_404_NOT_FOUND",
    "HTTP_405_METHOD_NOT_ALLOWED",
    "HTTP_406_NOT_ACCEPTABLE",
    "HTTP_407_PROXY_AUTHENTICATION_REQUIRED",
    "HTTP_408_REQUEST_TIMEOUT",
    "HTTP_409_CONFLICT",
    "HTTP_410_GONE",
    "HTTP_411_LENGTH_REQUIRED",
    "HTTP_412_PRECONDITION_FAILED",
    "HTTP_413_REQUEST_ENTITY_TOO_LARGE",
    "HTTP_414_REQUEST_URI_TOO_LONG",
    "HTTP_415_UNSUPPORTED_MEDIA_TYPE",
    "HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE",
    "HTTP_417_EXPECTATION_FAILED",
    "HTTP_418_IM_A_TEAPOT",
    "HTTP_421_MISDIRECTED_REQUEST",
    "HTTP_422_UNPROCESSABLE_ENTITY",
    "HTTP_423_LOCKED",
    "HTTP_424_FAILED_DEPENDENCY",
    "HTTP_425_TOO_EARLY",
    "HTTP_426_UPGRADE_REQUIRED",
    "HTTP_428_PRECONDITION_REQUIRED",
    "HTTP_429_TOO_MANY_REQUESTS",
    "HTTP_431_REQUEST_HEADER_FIELDS_TOO_LARGE",
    "HTTP_451_UNAVAILABLE_FOR_LEGAL_REASONS",
    "HTTP_499_CLIENT_CLOSED_REQUEST",
    "HTTP_500_INTERNAL_SERVER_ERROR",
    "HTTP_501_NOT_IMPLEMENTED",
    "HTTP_502_BAD_GATEWAY",
    "HTTP_503_SERVICE_UNAVAILABLE",
    "HTTP_504_GATEWAY_TIMEOUT",
    "HTTP_505_HTTP_VERSION_NOT_SUPPORTED",
    "HTTP_506_VARIANT_ALSO_NEGOTIATES",
    "HTTP_507_INSUFFICIENT_STORAGE",
    "HTTP_508_LOOP_DETECTED",
    "HTTP_510_NOT_EXTENDED",
    "HTTP_511_NETWORK_AUTHENTICATION_REQUIRED",
    "WS_1000_NORMAL_CLOSURE",
    "WS_1001_GOING_AWAY",
    "WS_1002_PROTOCOL_ERROR",
    "WS_1003_UNSUPPORTED_DATA",
    "WS_1005_NO_STATUS_RECEIVED",
    "WS_1006_ABNORMAL_CLOSURE",
    "WS_1007_INVALID_FRAME_PAYLOAD_DATA",
    "WS_1008_POLICY_VIOLATION",
    "WS_1009_MESSAGE_TOO_BIG",
    "WS_1010_MANDATORY_EXT",
    "WS_1011_INTERNAL_ERROR",
    "WS_1012_SERVICE_RESTART",
    "WS_1013_TRY_AGAIN_LATER",
    "WS_1014_BAD_GATEWAY",
    "WS_1015_TLS_HANDSHAKE",
)


# HTTP status codes (RFC 9110 and registered extensions)

HTTP_100_CONTINUE: Final = 100
"""100 Continue."""

HTTP_101_SWITCHING_PROTOCOLS: Final = 101
"""101 Switching Protocols."""

HTTP_102_PROCESSING: Final = 102
"""102 Processing."""

HTTP_103_EARLY_HINTS: Final = 103
"""103 Early Hints."""

HTTP_200_OK: Final = 200
"""200 OK."""

HTTP_201_CREATED: Final = 201
"""201 Created."""

HTTP_202_ACCEPTED: Final = 202
"""202 Accepted."""

HTTP_203_NON_AUTHORITATIVE_INFORMATION: Final = 203
"""203 Non-Authoritative Information."""

HTTP_204_NO_CONTENT: Final = 204
"""204 No Content."""

HTTP_205_RESET_CONTENT: Final = 205
"""205 Reset Content."""

HTTP_206_PARTIAL_CONTENT: Final = 206
"""206 Partial Content."""

HTTP_207_MULTI_STATUS: Final = 207
"""207 Multi-Status."""

HTTP_208_ALREADY_REPORTED: Final = 208
"""208 Already Reported."""

HTTP_226_IM_USED: Final = 226
"""226 IM Used."""

HTTP_300_MULTIPLE_CHOICES: Final = 300
"""300 Multiple Choices."""

HTTP_301_MOVED_PERMANENTLY: Final = 301
"""301 Moved Permanently."""

HTTP_302_FOUND: Final = 302
"""302 Found."""

HTTP_303_SEE_OTHER: Final = 303
"""303 See Other."""

HTTP_304_NOT_MODIFIED: Final = 304
"""304 Not Modified."""

HTTP_305_USE_PROXY: Final = 305
"""305 Use Proxy."""

HTTP_306_RESERVED: Final = 306
"""306 Reserved (unused)."""

HTTP_307_TEMPORARY_REDIRECT: Final = 307
"""307 Temporary Redirect."""

HTTP_308_PERMANENT_REDIRECT: Final = 308
"""308 Permanent Redirect."""

HTTP_400_BAD_REQUEST: Final = 400
"""400 Bad Request."""

HTTP_401_UNAUTHORIZED: Final = 401
"""401 Unauthorized."""

HTTP_402_PAYMENT_REQUIRED: Final = 402
"""402 Payment Required."""

HTTP_403_FORBIDDEN: Final = 403
"""403 Forbidden."""

HTTP_404_NOT_FOUND: Final = 404
"""404 Not Found."""

HTTP_405_METHOD_NOT_ALLOWED: Final = 405
"""405 Method Not Allowed."""

HTTP_406_NOT_ACCEPTABLE: Final = 406
"""406 Not Acceptable."""

HTTP_407_PROXY_AUTHENTICATION_REQUIRED: Final = 407
"""407 Proxy Authentication Required."""

HTTP_408_REQUEST_TIMEOUT: Final = 408
"""408 Request Timeout."""

HTTP_409_CONFLICT: Final = 409
"""409 Conflict."""

HTTP_410_GONE: Final = 410
"""410 Gone."""

HTTP_411_LENGTH_REQUIRED: Final = 411
"""411 Length Required."""

HTTP_412_PRECONDITION_FAILED: Final = 412
"""412 Precondition Failed."""

HTTP_413_REQUEST_ENTITY_TOO_LARGE: Final = 413
"""413 Request Entity Too Large."""

HTTP_414_REQUEST_URI_TOO_LONG: Final = 414
"""414 Request-URI Too Long."""

HTTP_415_UNSUPPORTED_MEDIA_TYPE: Final = 415
"""415 Unsupported Media Type."""

HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE: Final = 416
"""416 Requested Range Not Satisfiable."""

HTTP_417_EXPECTATION_FAILED: Final = 417
"""417 Expectation Failed."""

HTTP_418_IM_A_TEAPOT: Final = 418
"""418 I'm a Teapot."""

HTTP_421_MISDIRECTED_REQUEST: Final = 421
"""421 Misdirected Request."""

HTTP_422_UNPROCESSABLE_ENTITY: Final = 422
"""422 Unprocessable Entity."""

HTTP_423_LOCKED: Final = 423
"""423 Locked."""

HTTP_424_FAILED_DEPENDENCY: Final = 424
"""424 Failed Dependency."""

HTTP_425_TOO_EARLY: Final = 425
"""425 Too Early."""

HTTP_426_UPGRADE_REQUIRED: Final = 426
"""426 Upgrade Required."""

HTTP_428_PRECONDITION_REQUIRED: Final = 428
"""428 Precondition Required."""

HTTP_429_TOO_MANY_REQUESTS: Final = 429
"""429 Too Many Requests."""

HTTP_431_REQUEST_HEADER_FIELDS_TOO_LARGE: Final = 431
"""431 Request Header Fields Too Large."""

HTTP_451_UNAVAILABLE_FOR_LEGAL_REASONS: Final = 451
"""451 Unavailable For Legal Reasons."""

HTTP_499_CLIENT_CLOSED_REQUEST: Final = 499
"""499 Client Closed Request (nginx; the client went away first)."""

HTTP_500_INTERNAL_SERVER_ERROR: Final = 500
"""500 Internal Server Error."""

HTTP_501_NOT_IMPLEMENTED: Final = 501
"""501 Not Implemented."""

HTTP_502_BAD_GATEWAY: Final = 502
"""502 Bad Gateway."""

HTTP_503_SERVICE_UNAVAILABLE: Final = 503
"""503 Service Unavailable."""

HTTP_504_GATEWAY_TIMEOUT: Final = 504
"""504 Gateway Timeout."""

HTTP_505_HTTP_VERSION_NOT_SUPPORTED: Final = 505
"""505 HTTP Version Not Supported."""

HTTP_506_VARIANT_ALSO_NEGOTIATES: Final = 506
"""506 Variant Also Negotiates."""

HTTP_507_INSUFFICIENT_STORAGE: Final = 507
"""507 Insufficient Storage."""

HTTP_508_LOOP_DETECTED: Final = 508
"""508 Loop Detected."""

HTTP_510_NOT_EXTENDED: Final = 510
"""510 Not Extended."""

HTTP_511_NETWORK_AUTHENTICATION_REQUIRED: Final = 511
"""511 Network Authentication Required."""

# WebSocket close codes (RFC 6455)

WS_1000_NORMAL_CLOSURE: Final = 1000
"""1000 Normal Closure."""

WS_1001_GOING_AWAY: Final = 1001
"""1001 Going Away."""

WS_1002_PROTOCOL_ERROR: Final = 1002
"""1002 Protocol Error."""

WS_1003_UNSUPPORTED_DATA: Final = 1003
"""1003 Unsupported Data."""

WS_1005_NO_STATUS_RECEIVED: Final = 1005
"""1005 No Status Received (never sent on the wire)."""

WS_1006_ABNORMAL_CLOSURE: Final = 1006
"""1006 Abnormal Closure (never sent on the wire)."""

WS_1007_INVALID_FRAME_PAYLOAD_DATA: Final = 1007
"""1007 Invalid Frame Payload Data."""

WS_1008_POLICY_VIOLATION: Final = 1008
"""1008 Policy Violation."""

WS_1009_MESSAGE_TOO_BIG: Final = 1009
"""1009 Message Too Big."""

WS_1010_MANDATORY_EXT: Final = 1010
"""1010 Mandatory Extension."""

WS_1011_INTERNAL_ERROR: Final = 1011
"""1011 Internal Error."""

WS_1012_SERVICE_RESTART: Final = 1012
"""1012 Service Restart."""

WS_1013_TRY_AGAIN_LATER: Final = 1013
"""1013 Try Again Later."""

WS_1014_BAD_GATEWAY: Final = 1014
"""1014 Bad Gateway."""

WS_1015_TLS_HANDSHAKE: Final = 1015
"""1015 TLS Handshake (never sent on the wire)."""
