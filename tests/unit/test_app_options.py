"""Litestar app keywords: supported, accepted without effect, refused, or unknown."""

from __future__ import annotations

from typing import Any

import pytest

from trioweb import Controller, Litestar, Router, TrioWeb, WebSocket, get, websocket
from trioweb.datastructures import MutableScopeHeaders
from trioweb.exceptions import ImproperlyConfiguredException, NotFoundException
from trioweb.testing import AsyncTestClient


@get("/")
async def index() -> str:
    return "ok"


def test_an_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'not_an_option'"):
        TrioWeb([index], not_an_option=1)  # type: ignore[call-arg]


async def test_documentation_and_debugging_options_are_accepted() -> None:
    app = Litestar(
        [index],
        plugins=[],
        listeners=[],
        stores=None,
        pdb_on_exception=False,
        debugger_module=None,
        include_in_schema=True,
        tags=["x"],
        security=[{"key": []}],
        experimental_features=[],
        multipart_form_part_limit=1000,
        path="/",
        dto=None,
        return_dto=None,
    )
    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).text == "ok"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("plugins", [object()], "'plugins' are not supported yet"),
        ("listeners", [object()], "event listeners"),
        ("dto", object(), "DTOs"),
        ("return_dto", object(), "DTOs"),
        ("response_cache_config", object(), "response caching"),
        ("static_files_config", [object()], "static_files_config"),
        ("parameters", {"x": object()}, "app-level 'parameters'"),
        ("path", "/api", "app 'path' prefix"),
        ("multipart_form_part_limit", 0, "multipart_form_part_limit"),
    ],
)
def test_features_that_are_asked_for_but_missing_raise_at_build(
    name: str, value: Any, message: str
) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        TrioWeb([index], **{name: value})


async def test_signature_types_join_the_signature_namespace() -> None:
    class Thing:
        pass

    @get("/thing", signature_namespace={})
    async def thing(value: "Thing | None" = None) -> str:  # noqa: UP037 - resolved late
        return "thing"

    app = TrioWeb([thing], signature_types=[Thing], openapi_config=None)
    (route,) = app.routes
    assert route.handlers["GET"].resolve("signature_namespace")["Thing"] is Thing
    async with AsyncTestClient(app) as client:
        assert (await client.get("/thing")).text == "thing"


def test_the_configs_are_kept_on_the_app() -> None:
    from trioweb.config.allowed_hosts import AllowedHostsConfig
    from trioweb.config.compression import CompressionConfig
    from trioweb.config.cors import CORSConfig
    from trioweb.config.csrf import CSRFConfig
    from trioweb.openapi import OpenAPIConfig

    cors, compression = CORSConfig(), CompressionConfig(backend="gzip")
    csrf, openapi = CSRFConfig(secret="x"), OpenAPIConfig(title="T")
    app = TrioWeb(
        [index],
        cors_config=cors,
        compression_config=compression,
        csrf_config=csrf,
        openapi_config=openapi,
        allowed_hosts=["example.com"],
    )
    assert (app.cors_config, app.compression_config, app.csrf_config) == (cors, compression, csrf)
    assert app.openapi_config is openapi
    assert app.allowed_hosts == AllowedHostsConfig(allowed_hosts=["example.com"])
    assert TrioWeb([index]).openapi_config == OpenAPIConfig()


# -- on_app_init: hooks get the keywords as an AppConfig and return it (Litestar's protocol) ----


async def test_on_app_init_hooks_change_the_config_the_app_is_built_from() -> None:
    from trioweb import Request
    from trioweb.config.app import AppConfig
    from trioweb.datastructures import ResponseHeader, State
    from trioweb.di import Provide

    @get("/added")
    async def added(dep: str) -> str:
        return dep

    @get("/state")
    async def state(request: Request) -> dict[str, Any]:
        return {"debug": request.app.debug, "k": request.app.state["k"]}

    def provide() -> str:
        return "provided"

    events: list[str] = []

    async def started() -> None:
        events.append("started")

    seen: list[AppConfig] = []

    def first(config: AppConfig) -> AppConfig:
        seen.append(config)
        config.route_handlers.append(added)
        config.dependencies["dep"] = Provide(provide, sync_to_thread=False)
        config.on_startup.append(started)
        config.response_headers.append(ResponseHeader(name="x-plugin", value="1"))
        return config

    def second(config: AppConfig) -> AppConfig:
        config.state["k"] = "v"
        config.debug = True
        return config

    initial = State()
    app = Litestar([state], on_app_init=[first, second], state=initial)
    assert seen[0].route_handlers[0] is state  # the hooks see the keywords given
    assert app.state is initial and app.debug is True
    async with AsyncTestClient(app) as client:
        response = await client.get("/added")
        assert (response.text, response.headers["x-plugin"]) == ("provided", "1")
        assert (await client.get("/state")).json() == {"debug": True, "k": "v"}
    assert events == ["started"]


def test_an_on_app_init_hook_must_return_the_config() -> None:
    def forgetful(config: Any) -> None:
        config.debug = True

    with pytest.raises(ImproperlyConfiguredException, match="must return the AppConfig"):
        Litestar([index], on_app_init=[forgetful])


async def test_before_send_hooks_see_every_message_in_order() -> None:
    seen: list[str] = []

    def add_header(message: Any, scope: Any) -> None:
        if message["type"] == "http.response.start":
            MutableScopeHeaders.from_message(message)["x-path"] = scope["path"]

    async def record(message: Any, scope: Any) -> None:
        seen.append(message["type"])

    @get("/")
    async def home() -> str:
        return "home"

    @get("/missing")
    async def missing() -> str:
        raise NotFoundException()

    @websocket("/ws")
    async def ws(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        await socket.send_text("hi")
        await socket.close()

    app = Litestar([home, missing, ws], before_send=[add_header, record])
    async with AsyncTestClient(app) as client:
        response = await client.get("/")
        assert (response.text, response.headers["x-path"]) == ("home", "/")
        assert (await client.get("/missing")).headers["x-path"] == "/missing"
        assert (await client.get("/nowhere")).headers["x-path"] == "/nowhere"
        async with client.websocket_connect("/ws") as session:
            assert await session.receive_text() == "hi"
    assert seen[:2] == ["http.response.start", "http.response.body"]
    assert seen[-3:] == ["websocket.accept", "websocket.send", "websocket.close"]


@pytest.mark.parametrize(
    ("option", "message"),
    [("dto", "DTOs"), ("return_dto", "DTOs"), ("parameters", "'parameters'")],
)
def test_dtos_and_layered_parameters_are_refused_on_every_layer(option: str, message: str) -> None:
    # ignored, a return DTO would send the fields it excludes; parameters would go unchecked
    value: Any = {"api_key": object()} if option == "parameters" else object()
    with pytest.raises(ImproperlyConfiguredException, match=message):
        get("/", **{option: value})  # type: ignore[call-overload]
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Router("/r", route_handlers=[index], **{option: value})
    controller = type("Guarded", (Controller,), {"path": "/c", option: value})
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Litestar([controller])
    Router("/r", route_handlers=[index], **{option: None})  # unset is fine


async def test_an_app_can_be_built_from_an_app_config() -> None:
    from trioweb.config.app import AppConfig

    config = AppConfig(route_handlers=[index], debug=True, response_headers=[])
    app = Litestar.from_config(config)
    assert app.debug is True
    async with AsyncTestClient(app) as client:
        assert (await client.get("/")).text == "ok"
