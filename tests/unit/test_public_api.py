"""The public surface mirrors Litestar's module paths: switching imports is the migration."""

from __future__ import annotations

import importlib

import pytest

import trioweb

REQUIRED: dict[str, list[str]] = {
    "trioweb": [
        "Controller",
        "HttpMethod",
        "Litestar",
        "MediaType",
        "Request",
        "Response",
        "Router",
        "TrioWeb",
        "WebSocket",
        "asgi",
        "delete",
        "get",
        "head",
        "patch",
        "post",
        "put",
        "route",
        "websocket",
        "websocket_listener",
    ],
    "trioweb.response": [
        "File",
        "Redirect",
        "Response",
        "ServerSentEvent",
        "ServerSentEventMessage",
        "Stream",
        "Template",
    ],
    "trioweb.response.streaming": ["ASGIStreamingResponse", "Stream"],
    "trioweb.datastructures": [
        "URL",
        "Accept",
        "CacheControlHeader",
        "Cookie",
        "ETag",
        "Headers",
        "MultiDict",
        "ResponseHeader",
        "State",
        "UploadFile",
    ],
    "trioweb.background_tasks": ["BackgroundTask", "BackgroundTasks"],
    "trioweb.connection": ["ASGIConnection", "Request", "WebSocket"],
    "trioweb.params": [
        "Body",
        "CookieParameter",
        "Dependency",
        "FromCookie",
        "FromHeader",
        "FromPath",
        "FromQuery",
        "HeaderParameter",
        "JSONBody",
        "MsgPackBody",
        "MultipartBody",
        "Parameter",
        "PathParameter",
        "QueryParameter",
        "QueryParams",
        "RawBody",
        "RequestBody",
        "RequestCookies",
        "URLEncodedBody",
    ],
    "trioweb.di": ["Provide"],
    "trioweb.enums": ["HttpMethod", "MediaType", "RequestEncodingType"],
    "trioweb.exceptions": [
        "ClientException",
        "HTTPException",
        "ImproperlyConfiguredException",
        "InternalServerException",
        "MethodNotAllowedException",
        "NotAuthorizedException",
        "NotFoundException",
        "PermissionDeniedException",
        "ValidationException",
        "WebSocketDisconnect",
    ],
    "trioweb.types": [
        "ASGIApp",
        "ControllerRouterHandler",
        "Message",
        "Receive",
        "RouteHandlerType",
        "SSEData",
        "Scope",
        "Send",
    ],
    "trioweb.static_files": ["create_static_files_router"],
    "trioweb.pagination": ["ClassicPagination", "CursorPagination", "OffsetPagination"],
    "trioweb.testing": [
        "AsyncTestClient",
        "RequestFactory",
        "TestClient",
        "create_async_test_client",
        "create_test_client",
        "subprocess_async_client",
        "subprocess_sync_client",
    ],
    "trioweb.handlers": ["HTTPRouteHandler", "get", "post", "websocket", "websocket_listener"],
    "trioweb.controller": ["Controller"],
    "trioweb.router": ["Router"],
    "trioweb.middleware": ["AbstractMiddleware", "DefineMiddleware"],
    "trioweb.config.app": ["AppConfig"],
    "trioweb.stores.base": ["NamespacedStore", "StorageObject", "Store"],
    "trioweb.stores.memory": ["MemoryStore"],
    "trioweb.stores.registry": ["StoreRegistry"],
    "trioweb.middleware.session": ["SessionMiddleware"],
    "trioweb.middleware.session.base": [
        "BaseBackendConfig",
        "BaseSessionBackend",
        "SessionMiddleware",
    ],
    "trioweb.middleware.session.client_side": ["ClientSideSessionBackend", "CookieBackendConfig"],
    "trioweb.middleware.session.server_side": [
        "ServerSideSessionBackend",
        "ServerSideSessionConfig",
    ],
}


@pytest.mark.parametrize("module_name", sorted(REQUIRED))
def test_module_exports_litestars_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in REQUIRED[module_name] if not hasattr(module, name)]
    assert missing == []


def test_every_http_status_has_a_constant() -> None:
    from http import HTTPStatus

    from trioweb import status_codes

    constants = {
        getattr(status_codes, name): name for name in dir(status_codes) if name.startswith("HTTP_")
    }
    missing = [status.value for status in HTTPStatus if status.value not in constants]
    assert missing == []
    assert all(name.startswith(f"HTTP_{value}_") for value, name in constants.items())


def test_package_all_is_sorted_and_complete() -> None:
    exported = trioweb.__all__
    assert list(exported) == sorted(exported, key=lambda name: (not name[0].isupper(), name))
    assert all(hasattr(trioweb, name) for name in exported)


def test_litestar_is_the_same_class() -> None:
    assert trioweb.Litestar is trioweb.TrioWeb
