"""Differential cases for the app-level configuration objects (CORS, compression, hosts...).

Imported at the end of ``cases.py``; the helpers and framework handles come from there.
"""

from typing import Any

from cases import Litestar, MediaType, R, Response, _m, case, exc, get, post, put

cors_mod = _m("config.cors")
CORSConfig = cors_mod.CORSConfig

ORIGIN = "https://example.com"


def _cors_routes() -> list[Any]:
    @get("/")
    async def index() -> dict:
        return {"ok": True}

    @post("/items")
    async def create(data: dict) -> dict:
        return data

    @put("/items")
    async def replace() -> None:
        return None

    @get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    @get("/denied")
    async def denied() -> None:
        raise exc.PermissionDeniedException("nope")

    @get("/text", media_type=MediaType.TEXT, response_headers={"vary": "Accept"})
    async def text() -> str:
        return "t"

    return [index, create, replace, boom, denied, text]


_CORS_REQUESTS = (
    R("GET", "/"),
    R("GET", "/", headers={"origin": ORIGIN}),
    R("GET", "/", headers={"origin": "https://evil.com"}),
    R("GET", "/", headers={"origin": ORIGIN, "cookie": "a=b"}),
    R("GET", "/", headers={"origin": ""}),
    R("POST", "/items", headers={"origin": ORIGIN}, json={"a": 1}),
    R("GET", "/boom", headers={"origin": ORIGIN}),
    R("GET", "/denied", headers={"origin": ORIGIN}),
    R("GET", "/missing", headers={"origin": ORIGIN}),
    R("DELETE", "/items", headers={"origin": ORIGIN}),
    R("GET", "/text", headers={"origin": ORIGIN}),
    R("OPTIONS", "/items"),
    R("OPTIONS", "/items", headers={"origin": ORIGIN}),
    R("OPTIONS", "/items", headers={"origin": ORIGIN, "access-control-request-method": "PUT"}),
    R("OPTIONS", "/items", headers={"origin": ORIGIN, "access-control-request-method": "PATCH"}),
    R(
        "OPTIONS",
        "/items",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "X-Custom, content-type",
        },
    ),
    R(
        "OPTIONS",
        "/items",
        headers={"origin": "https://evil.com", "access-control-request-method": "POST"},
    ),
    R(
        "OPTIONS",
        "/items",
        headers={
            "origin": "https://evil.com",
            "access-control-request-method": "TRACE",
            "access-control-request-headers": "x-nope",
        },
    ),
    R("OPTIONS", "/missing", headers={"origin": ORIGIN, "access-control-request-method": "GET"}),
)


@case(*_CORS_REQUESTS)
def cors_default() -> Any:
    return Litestar(_cors_routes(), cors_config=CORSConfig())


@case(*_CORS_REQUESTS)
def cors_restricted() -> Any:
    return Litestar(
        _cors_routes(),
        cors_config=CORSConfig(
            allow_origins=[ORIGIN, "https://*.example.org"],
            allow_methods=["GET", "POST"],
            allow_headers=["X-Custom", "Authorization"],
            expose_headers=["X-Total", "X-Page"],
            max_age=30,
        ),
    )


@case(*_CORS_REQUESTS, R("GET", "/", headers={"origin": "https://a.b.example.org"}))
def cors_credentials_regex() -> Any:
    return Litestar(
        _cors_routes(),
        cors_config=CORSConfig(
            allow_origins=[ORIGIN],
            allow_origin_regex=r"https://.*\.example\.org",
            allow_credentials=True,
        ),
    )


@case(R("GET", "/", headers={"origin": ORIGIN}), R("OPTIONS", "/", headers={"origin": ORIGIN}))
def cors_allow_all_credentials() -> Any:
    return Litestar(_cors_routes(), cors_config=CORSConfig(allow_credentials=True))


compression_mod = _m("config.compression")
CompressionConfig = compression_mod.CompressionConfig
Stream = _m("response").Stream

_BIG = {"items": [{"id": i, "name": f"item {i}"} for i in range(100)]}


def _compression_routes() -> list[Any]:
    @get("/big")
    async def big() -> dict:
        return _BIG

    @get("/small")
    async def small() -> dict:
        return {"a": 1}

    @get("/stream")
    async def stream() -> Any:
        async def chunks() -> Any:
            for i in range(3):
                yield f"chunk {i};" * 10

        return Stream(chunks(), media_type=MediaType.TEXT)

    @get("/encoded")
    async def encoded() -> Any:
        return Response(
            b"x" * 600, media_type=MediaType.TEXT, headers={"content-encoding": "identity"}
        )

    @get("/boom")
    async def boom() -> None:
        raise exc.ValidationException("x" * 600)

    @get("/vary", media_type=MediaType.TEXT, response_headers={"vary": "Accept"})
    async def vary() -> str:
        return "v" * 600

    @get("/nocompress", opt={"no_compression": True}, media_type=MediaType.TEXT)
    async def nocompress() -> str:
        return "n" * 600

    return [big, small, stream, encoded, boom, vary, nocompress]


_GZIP = {"accept-encoding": "gzip"}
_COMPRESSION_REQUESTS = (
    R("GET", "/big", headers={"accept-encoding": "identity"}),
    R("GET", "/big", headers=_GZIP),
    R("GET", "/big", headers={"accept-encoding": "br, gzip, deflate"}),
    R("GET", "/small", headers=_GZIP),
    R("GET", "/encoded", headers=_GZIP),
    R("GET", "/stream", headers=_GZIP),
    R("GET", "/stream", headers={"accept-encoding": "identity"}),
    R("GET", "/boom", headers=_GZIP),
    R("GET", "/vary", headers=_GZIP),
    R("GET", "/nocompress", headers=_GZIP),
    R("GET", "/missing-" + "m" * 600, headers=_GZIP),
)


@case(*_COMPRESSION_REQUESTS)
def compression_gzip() -> Any:
    return Litestar(
        _compression_routes(),
        compression_config=CompressionConfig(backend="gzip", exclude_opt_key="no_compression"),
    )


@case(R("GET", "/big", headers=_GZIP), R("GET", "/small", headers=_GZIP))
def compression_minimum_size() -> Any:
    return Litestar(
        _compression_routes(), compression_config=CompressionConfig(backend="gzip", minimum_size=5)
    )


@case()
def compression_bad_level() -> Any:
    return Litestar(
        [], compression_config=CompressionConfig(backend="gzip", gzip_compress_level=12)
    )


@case()
def compression_bad_minimum() -> Any:
    return Litestar([], compression_config=CompressionConfig(backend="gzip", minimum_size=0))


hosts_mod = _m("config.allowed_hosts")
AllowedHostsConfig = hosts_mod.AllowedHostsConfig


def _host_routes() -> list[Any]:
    @get("/")
    async def index() -> str:
        return "ok"

    @get("/open", opt={"skip_hosts": True})
    async def open_route() -> str:
        return "open"

    return [index, open_route]


_HOST_REQUESTS = (
    R("GET", "/", headers={"host": "example.com"}),
    R("GET", "/", headers={"host": "www.example.com"}),
    R("GET", "/?q=1", headers={"host": "example.org"}),
    R("GET", "/", headers={"host": "api.example.net"}),
    R("GET", "/", headers={"host": "example.net"}),
    R("GET", "/", headers={"host": "evil.com"}),
    R("GET", "/open", headers={"host": "evil.com"}),
    R("GET", "/missing", headers={"host": "evil.com"}),
)


@case(*_HOST_REQUESTS)
def hosts_list() -> Any:
    return Litestar(
        _host_routes(), allowed_hosts=["example.com", "www.example.org", "*.example.net"]
    )


@case(*_HOST_REQUESTS)
def hosts_config() -> Any:
    return Litestar(
        _host_routes(),
        allowed_hosts=AllowedHostsConfig(
            allowed_hosts=["www.example.org"], www_redirect=False, exclude_opt_key="skip_hosts"
        ),
    )


@case(*_HOST_REQUESTS)
def hosts_star() -> Any:
    return Litestar(_host_routes(), allowed_hosts=["*"])


@case()
def hosts_bad_wildcard() -> Any:
    return Litestar([], allowed_hosts=AllowedHostsConfig(allowed_hosts=["example.*"]))


csrf_mod = _m("config.csrf")
CSRFConfig = csrf_mod.CSRFConfig
csrf_middleware = _m("middleware.csrf")
_SECRET = "s3cret"
_TOKEN = "a" * 64 + csrf_middleware.generate_csrf_hash("a" * 64, _SECRET)
_OTHER = "b" * 64 + csrf_middleware.generate_csrf_hash("b" * 64, _SECRET)


def _csrf_routes() -> list[Any]:
    @get("/form", media_type=MediaType.TEXT)
    async def form() -> str:
        return "form"

    @post("/submit")
    async def submit(data: dict) -> dict:
        return data

    @post("/exempt", opt={"exclude_from_csrf": True})
    async def exempt() -> str:
        return "exempt"

    @post("/skip/path")
    async def skipped() -> str:
        return "skipped"

    return [form, submit, exempt, skipped]


@case(
    R("GET", "/form", headers={"cookie": f"csrftoken={_TOKEN}"}),
    R("POST", "/submit", json={"a": 1}),
    R("POST", "/submit", json={"a": 1}, headers={"x-csrftoken": _TOKEN}),
    R(
        "POST",
        "/submit",
        json={"a": 1},
        headers={"x-csrftoken": _TOKEN, "cookie": f"csrftoken={_TOKEN}"},
    ),
    R(
        "POST",
        "/submit",
        json={"a": 1},
        headers={"x-csrftoken": _OTHER, "cookie": f"csrftoken={_TOKEN}"},
    ),
    R(
        "POST",
        "/submit",
        json={"a": 1},
        headers={"x-csrftoken": "garbage", "cookie": "csrftoken=garbage"},
    ),
    R(
        "POST",
        "/submit",
        data={"_csrf_token": _TOKEN, "a": "1"},
        headers={"cookie": f"csrftoken={_TOKEN}"},
    ),
    R("POST", "/exempt"),
    R("POST", "/skip/path"),
    R("PUT", "/submit"),
)
def csrf_default() -> Any:
    return Litestar(_csrf_routes(), csrf_config=CSRFConfig(secret=_SECRET, exclude=["/skip"]))


def _guard_headers(name: str) -> Any:
    def guard(connection: Any, route_handler: Any) -> None:
        if connection.headers.get(name) != "yes":
            raise exc.NotAuthorizedException(f"{name} missing")

    return guard


async def _admin_guard(connection: Any, route_handler: Any) -> None:
    if not route_handler.opt.get("admin_ok") and connection.query_params.get("admin") != "1":
        raise exc.PermissionDeniedException()


def _broken_guard(connection: Any, route_handler: Any) -> None:
    raise RuntimeError("guard bug")


@case(
    R("GET", "/r/h"),
    R("GET", "/r/h", headers={"x-app": "yes"}),
    R("GET", "/r/h", headers={"x-app": "yes", "x-router": "yes"}),
    R("GET", "/r/h", headers={"x-app": "yes", "x-router": "yes", "x-handler": "yes"}),
    R("GET", "/r/h?admin=1", headers={"x-app": "yes", "x-router": "yes", "x-handler": "yes"}),
    R("GET", "/r/c/", headers={"x-app": "yes", "x-router": "yes"}),
    R("GET", "/r/c/", headers={"x-app": "yes", "x-router": "yes", "x-controller": "yes"}),
    R("GET", "/r/c/opt", headers={"x-app": "yes", "x-router": "yes", "x-controller": "yes"}),
    R("GET", "/broken", headers={"x-app": "yes"}),
    R("POST", "/r/c/", headers={"x-app": "yes", "x-router": "yes", "x-controller": "yes"}),
    R("GET", "/missing"),
)
def guards_layered() -> Any:
    Controller, Router = _m("controller").Controller, _m("router").Router

    @get("/h", guards=[_guard_headers("x-handler"), _admin_guard])
    async def handler() -> str:
        return "h"

    class Guarded(Controller):
        path = "/c"
        guards = [_guard_headers("x-controller")]

        @get("/")
        async def index(self) -> str:
            return "c"

        @post("/")
        async def create(self) -> str:
            return "created"

        @get("/opt", guards=[_admin_guard], opt={"admin_ok": True})
        async def opt_ok(self) -> str:
            return "opt"

    @get("/broken", guards=[_broken_guard])
    async def broken() -> str:
        return "never"

    router = Router("/r", route_handlers=[handler, Guarded], guards=[_guard_headers("x-router")])
    return Litestar([router, broken], guards=[_guard_headers("x-app")])


@case(R("GET", "/"))
def options_unknown_keyword() -> Any:
    return Litestar([], not_an_option=1)


@case(R("GET", "/"))
def options_documentation_only() -> Any:
    @get("/")
    async def index() -> str:
        return "ok"

    return Litestar(
        [index],
        plugins=[],
        pdb_on_exception=False,
        include_in_schema=True,
        tags=["x"],
        security=[{"key": []}],
        openapi_config=None,
    )
