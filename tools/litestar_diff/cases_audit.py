"""Differential cases added by the issue-2 audit: exception handlers, request extras,
body limits, malformed bodies, responses, routing and ASGI routes, errors raised in hooks.

Imported at the end of ``cases.py``; the helpers and framework handles come from there.
"""

import datetime
from typing import Annotated, Any

import msgspec
from cases import (
    LOG,
    BackgroundTask,
    Body,
    CacheControlHeader,
    Controller,
    Cookie,
    ETag,
    Litestar,
    MediaType,
    Money,
    Movie,
    Person,
    Point,
    Polygon,
    Provide,
    R,
    Request,
    RequestEncodingType,
    Response,
    ResponseHeader,
    Router,
    Upload,
    _m,
    case,
    delete,
    exc,
    fw,
    get,
    log_handler,
    post,
    route,
)


# ---------------------------------------------------------------- exception handlers
@case(
    R("GET", "/nope"),
    R("POST", "/v"),
    R("GET", "/v"),
    R("GET", "/http"),
    R("GET", "/r/inner"),
    R("GET", "/r/nf"),
    R("GET", "/unhandled"),
    R("GET", "/handler-raises"),
    R("GET", "/q?x=bad"),
)
def eh_app_level() -> Any:
    def h404(request: Any, e: Exception) -> Any:
        return Response({"custom": "404", "path": request.url.path}, status_code=404)

    def h405(request: Any, e: Exception) -> Any:
        return Response("custom 405", status_code=405, media_type=MediaType.TEXT)

    def hval(request: Any, e: Exception) -> Any:
        return Response({"val": str(e)}, status_code=422)

    def hhttp(request: Any, e: Any) -> Any:
        return Response({"http": e.status_code, "detail": e.detail}, status_code=e.status_code)

    def h400(request: Any, e: Any) -> Any:
        return Response({"bad": e.detail, "extra": e.extra}, status_code=400)

    @get("/v")
    async def v() -> str:
        raise ValueError("boom")

    @get("/http")
    async def http() -> str:
        raise exc.HTTPException(status_code=409, detail="c")

    @get("/handler-raises")
    async def hr() -> str:
        raise KeyError("k")

    @get("/q")
    async def q(x: int) -> int:
        return x

    def hkey(request: Any, e: Exception) -> Any:
        raise RuntimeError("handler itself fails")

    @get("/inner")
    async def inner() -> str:
        raise exc.NotFoundException("inner nf")

    @get("/unhandled")
    async def unhandled() -> str:
        raise LookupError("lk")

    def router_nf(request: Any, e: Exception) -> Any:
        return Response("router nf", status_code=404, media_type=MediaType.TEXT)

    r = Router("/r", route_handlers=[inner], exception_handlers={404: router_nf})
    return Litestar(
        [v, http, r, hr, q, unhandled],
        exception_handlers={404: h404, 405: h405, ValueError: hval, exc.HTTPException: hhttp, KeyError: hkey, 400: h400},
    )


@case(R("GET", "/a"), R("GET", "/b"), R("GET", "/c"))
def eh_mro() -> Any:
    class Base(Exception):
        pass

    class Child(Base):
        pass

    def hbase(request: Any, e: Exception) -> Any:
        return Response(f"base:{type(e).__name__}", status_code=418, media_type=MediaType.TEXT)

    def h500(request: Any, e: Exception) -> Any:
        return Response(f"500:{type(e).__name__}", status_code=500, media_type=MediaType.TEXT)

    @get("/a")
    async def a() -> str:
        raise Child()

    @get("/b")
    async def b() -> str:
        raise RuntimeError("x")

    @get("/c")
    async def c() -> str:
        raise exc.InternalServerException("ise")

    return Litestar([a, b, c], exception_handlers={Base: hbase, 500: h500})


# ---------------------------------------------------------------- request misc
@case(
    R("GET", "/session"),
    R("GET", "/auth"),
    R("GET", "/user"),
    R("GET", "/static-asset"),
    R("GET", "/url-for"),
    R("GET", "/ct", headers={"content-type": "multipart/form-data; boundary=abc"}),
    R("GET", "/ct"),
    R("GET", "/hdrs", headers={"x-a": "1", "X-B": "2"}),
    R("POST", "/content-length", content=b"12345"),
    R("GET", "/scope-keys"),
)
def request_misc() -> Any:
    @get("/session")
    async def session(request: Request) -> str:
        return str(request.session)

    @get("/auth")
    async def auth(request: Request) -> str:
        return str(request.auth)

    @get("/user")
    async def user(request: Request) -> str:
        return str(request.user)

    @get("/static-asset")
    async def static_asset(request: Request) -> str:
        return request.url_for_static_asset("nope", "x.css")

    @get("/url-for")
    async def url_for(request: Request) -> str:
        return request.url_for("named", item_id=3)

    @get("/named/{item_id:int}", name="named")
    async def named(item_id: int) -> int:
        return item_id

    @get("/ct")
    async def ct(request: Request) -> list[Any]:
        return [request.content_type[0], request.content_type[1]]

    @get("/hdrs")
    async def hdrs(request: Request, headers: dict[str, str]) -> dict[str, Any]:
        return {"x_a": request.headers["x-a"], "X-B": request.headers.get("x-b"), "dict": {k: v for k, v in headers.items() if k.startswith("x-")}}

    @post("/content-length")
    async def cl(request: Request) -> Any:
        return {"len": request.headers.get("content-length"), "body": (await request.body()).decode()}

    @get("/scope-keys")
    async def scope_keys(scope: Any) -> list[str]:
        return sorted(k for k in scope if k in {"type", "path", "method", "app", "path_params", "query_string", "raw_path", "root_path", "headers", "state", "route_handler"})

    return Litestar([session, auth, user, static_asset, url_for, named, ct, hdrs, cl, scope_keys])


# ---------------------------------------------------------------- max body
def _chunks():
    for _ in range(5):
        yield b"x" * 40


@case(
    R("POST", "/small", content=b"x" * 200),
    R("POST", "/small", content=b"x" * 50),
    R("POST", "/small", content=_chunks),
    R("POST", "/small-data", content=_chunks, headers={"content-type": "application/json"}),
    R("POST", "/small-data", content=b'"' + b"x" * 150 + b'"', headers={"content-type": "application/json"}),
    R("POST", "/r/router", content=b"x" * 200),
    R("POST", "/r/none", content=b"x" * 2000),
    R("POST", "/small-form", data={"a": "x" * 300}),
)
def max_body() -> Any:
    @post("/small", request_max_body_size=100)
    async def small(request: Request) -> int:
        return len(await request.body())

    @post("/small-data", request_max_body_size=100)
    async def small_data(data: str) -> int:
        return len(data)

    @post("/small-form", request_max_body_size=100)
    async def small_form(data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> int:
        return len(data["a"])

    @post("/router")
    async def router_h(request: Request) -> int:
        return len(await request.body())

    @post("/none", request_max_body_size=None)
    async def none_h(request: Request) -> int:
        return len(await request.body())

    r = Router("/r", route_handlers=[router_h, none_h], request_max_body_size=100)
    return Litestar([small, small_data, r, small_form], request_max_body_size=1000)


# ---------------------------------------------------------------- malformed bodies
@case(
    R("POST", "/json", content=b"{bad", headers={"content-type": "application/json"}),
    R("POST", "/json", content=b"", headers={"content-type": "application/json"}),
    R("POST", "/json", content=b'{"x": "notint"}', headers={"content-type": "application/json"}),
    R("POST", "/json", content=b'{"y": 1}', headers={"content-type": "application/json"}),
    R("POST", "/json", content=b'[1]', headers={"content-type": "application/json"}),
    R("POST", "/mp", content=b"\xc1", headers={"content-type": "application/x-msgpack"}),
    R("POST", "/mp", content=msgspec.msgpack.encode({"x": "s"}), headers={"content-type": "application/x-msgpack"}),
    R("POST", "/form", content=b"--abc\r\nbroken", headers={"content-type": "multipart/form-data; boundary=abc"}),
    R("POST", "/form", content=b"garbage", headers={"content-type": "multipart/form-data"}),
    R("POST", "/form", data={"title": "t"}),
    R("POST", "/urlenc", content=b"a=1&b", headers={"content-type": "application/x-www-form-urlencoded"}),
    R("POST", "/urlenc", content=b"%ZZ=1", headers={"content-type": "application/x-www-form-urlencoded"}),
    R("POST", "/dc", json={"name": 1}),
    R("POST", "/dc", json={"age": 1}),
    R("POST", "/typed-dict", json={"title": "x"}),
    R("POST", "/nested", json={"name": "p", "points": [{"x": 1, "y": "a"}]}),
    R("POST", "/optional-body"),
    R("POST", "/optional-body", json=None),
)
def malformed() -> Any:
    @post("/json")
    async def j(data: Point) -> Point:
        return data

    @post("/mp")
    async def mp(data: Annotated[Point, Body(media_type=RequestEncodingType.MESSAGEPACK)]) -> Point:
        return data

    @post("/form")
    async def form(data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)]) -> str:
        return data.title

    @post("/urlenc")
    async def urlenc(data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> dict[str, str]:
        return data

    @post("/dc")
    async def dc(data: Person) -> Person:
        return data

    @post("/typed-dict")
    async def td(data: Movie) -> Movie:
        return data

    @post("/nested")
    async def nested(data: Polygon) -> Polygon:
        return data

    @post("/optional-body")
    async def optional_body(data: Point | None = None) -> str:
        return repr(data)

    return Litestar([j, mp, form, urlenc, dc, td, nested, optional_body])


# ---------------------------------------------------------------- responses extra
class MyResp(Response):
    type_encoders = {Money: lambda m: f"${m.cents / 100:.2f}"}


@case(
    R("GET", "/gen-resp"),
    R("GET", "/resp-t"),
    R("GET", "/cookie-all"),
    R("GET", "/status-obj"),
    R("GET", "/resp-class"),
    R("GET", "/r/rc"),
    R("GET", "/headers-obj"),
    R("GET", "/resp-encoding"),
    R("GET", "/plus-json"),
    R("GET", "/problem"),
    R("GET", "/html-str"),
    R("GET", "/bytes-text"),
    R("GET", "/none-204", ),
    R("GET", "/101"),
    R("GET", "/resp-bg"),
    R("GET", "/log"),
    R("GET", "/text-int"),
    R("GET", "/set-header-twice"),
    R("GET", "/enc-handler"),
    R("GET", "/deleted"),
    R("GET", "/msgpack-struct"),
    R("GET", "/header-objs"),
)
def resp_extra() -> Any:
    @get("/resp-t")
    async def resp_t() -> Response[dict[str, int]]:
        return Response({"a": 1}, status_code=202, headers={"x-a": "b"}, media_type=MediaType.JSON)

    @get("/gen-resp")
    async def gen_resp() -> Response:
        return Response(content=[Point(x=1, y=2)])

    @get("/cookie-all")
    async def cookie_all() -> Response[str]:
        r = Response("c")
        r.set_cookie("full", "v", max_age=10, expires=20, path="/p", domain="example.com", secure=True, httponly=True, samesite="strict")
        r.set_cookie(Cookie(key="obj", value="o", samesite="none", partitioned=True) if "partitioned" in Cookie.__dataclass_fields__ else Cookie(key="obj", value="o", samesite="none"))
        r.set_cookie("nv")
        return r

    @get("/status-obj", status_code=418)
    async def status_obj() -> dict[str, str]:
        return {"t": "pot"}

    @get("/resp-class", response_class=MyResp)
    async def resp_class() -> dict[str, Any]:
        return {"m": Money(150)}

    @get("/rc")
    async def rc() -> dict[str, Any]:
        return {"m": Money(250)}

    r = Router("/r", route_handlers=[rc], response_class=MyResp)

    @get("/headers-obj")
    async def headers_obj() -> Response[str]:
        return Response("h", headers=[("x-one", "1"), ("x-one", "2")])

    @get("/resp-encoding")
    async def resp_encoding() -> Response[str]:
        return Response("é", media_type=MediaType.TEXT, encoding="latin-1")

    @get("/plus-json", media_type="application/vnd.api+json")
    async def plus_json() -> dict[str, int]:
        return {"x": 1}

    @get("/problem", media_type="application/problem+json")
    async def problem() -> Response[dict[str, str]]:
        return Response({"title": "t"}, status_code=400)

    @get("/html-str", media_type=MediaType.HTML)
    async def html_str() -> str:
        return "<b>x</b>"

    @get("/bytes-text", media_type=MediaType.TEXT)
    async def bytes_text() -> bytes:
        return b"raw"

    @get("/none-204", status_code=204)
    async def none_204() -> None:
        return None

    @get("/101")
    async def s101() -> Response[None]:
        return Response(None, status_code=101)

    @get("/resp-bg")
    async def resp_bg() -> Response[str]:
        return Response("bg", background=BackgroundTask(LOG.append, "ran"))

    @get("/text-int", media_type=MediaType.TEXT)
    async def text_int() -> int:
        return 5

    @get("/set-header-twice")
    async def set_header_twice() -> Response[str]:
        r = Response("x", headers={"x-a": "1"})
        r.set_header("x-a", "2")
        r.set_header("X-B", "3")
        return r

    @get("/enc-handler", type_encoders={Money: lambda m: m.cents})
    async def enc_handler() -> dict[str, Any]:
        return {"m": Money(7)}

    @get("/deleted")
    async def deleted() -> Response[str]:
        r = Response("d")
        r.delete_cookie("gone", path="/x", domain="example.com")
        return r

    @get("/msgpack-struct", media_type=MediaType.MESSAGEPACK)
    async def msgpack_struct() -> Point:
        return Point(x=1, y=2)

    @get("/header-objs", response_headers=[ResponseHeader(name="x-rh", value="v")], cache_control=CacheControlHeader(max_age=10, private=True), etag=ETag(value="abc", weak=True))
    async def header_objs() -> str:
        return "ho"

    return Litestar([resp_t, gen_resp, cookie_all, status_obj, resp_class, r, headers_obj, resp_encoding, plus_json, problem, html_str, bytes_text, none_204, s101, resp_bg, log_handler(), text_int, set_header_twice, enc_handler, deleted, msgpack_struct, header_objs])


# ---------------------------------------------------------------- routing extra
@case(
    R("GET", "/users/5/posts"),
    R("GET", "/users/x/posts"),
    R("POST", "/users/5/posts", json={}),
    R("GET", "/multi"),
    R("PUT", "/multi"),
    R("PATCH", "/multi"),
    R("GET", "/mount/anything/here?q=1"),
    R("POST", "/mount"),
    R("GET", "/mounted-exact"),
    R("GET", "/p1"),
    R("GET", "/p2"),
    R("GET", "/ctl/9/sub"),
    R("GET", "/ctl/"),
    R("GET", "//double"),
    R("GET", "/double/"),
    R("GET", "/trailing/"),
    R("GET", "/trailing"),
    R("GET", "/%E2%98%83"),
    R("OPTIONS", "/users/5/posts"),
    R("TRACE", "/p1"),
    R("GET", "/time/12:30:00"),
    R("GET", "/td/P1D"),
    R("GET", "/td/3600"),
)
def routing_extra() -> Any:
    @get("/posts")
    async def posts(user_id: int) -> int:
        return user_id

    @post("/posts")
    async def new_post(user_id: int, data: dict[str, Any]) -> int:
        return user_id

    users = Router("/users/{user_id:int}", route_handlers=[posts, new_post])

    @route("/multi", http_method=["GET", "PUT"])
    async def multi(request: Request) -> str:
        return request.method

    async def raw_app(scope: Any, receive: Any, send: Any) -> None:
        body = f"{scope['path']}|{scope.get('root_path')}|{scope.get('raw_path')}|{scope['query_string']}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})

    mount = fw.asgi("/mount", is_mount=True)(raw_app)
    exact = fw.asgi("/mounted-exact")(raw_app)

    @get(["/p1", "/p2"])
    async def two_paths(request: Request) -> str:
        return request.url.path

    class C(Controller):
        path = "/ctl"

        @get("/{item_id:int}/sub")
        async def sub(self, item_id: int) -> int:
            return item_id

        @get()
        async def root(self) -> str:
            return "root"

    @get("/double")
    async def double() -> str:
        return "double"

    @get("/trailing/")
    async def trailing() -> str:
        return "trailing"

    @get("/☃")
    async def snowman() -> str:
        return "snow"

    @get("/time/{t:time}")
    async def tm(t: datetime.time) -> str:
        return t.isoformat()

    @get("/td/{t:timedelta}")
    async def td(t: datetime.timedelta) -> str:
        return str(t.total_seconds())

    return Litestar([users, multi, mount, exact, two_paths, C, double, trailing, snowman, tm, td])


@case(R("GET", "/a/5"), R("GET", "/a/x"), R("GET", "/m/7/rest/of"), R("GET", "/m/7"), R("GET", "/m/x/y"))
def asgi_params() -> Any:
    async def raw_app(scope: Any, receive: Any, send: Any) -> None:
        body = f"{scope['path']}|{scope.get('root_path')}|{scope.get('path_params')}|{type(scope.get('route_handler')).__name__}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})

    a = fw.asgi("/a/{x:int}")(raw_app)
    m = fw.asgi("/m/{y:int}", is_mount=True)(raw_app)
    return Litestar([a, m])


@case(
    R("GET", "/before"),
    R("GET", "/after"),
    R("GET", "/dep"),
    R("GET", "/guard"),
    R("GET", "/redirect-exc"),
    R("GET", "/exc-500-detail"),
    R("GET", "/exc-418-extra-list"),
    R("POST", "/plain-to-json", content=b"hello", headers={"content-type": "text/plain"}),
    R("POST", "/plain-to-json", content=b'{"a": 1}', headers={"content-type": "text/plain"}),
    R("HEAD", "/post-only"),
    R("GET", "/gen-dep-raises"),
    R("GET", "/log"),
)
def errors_in_hooks() -> Any:
    def before(request: Any) -> None:
        raise exc.PermissionDeniedException("before says no")

    def after(response: Any) -> Any:
        raise RuntimeError("after fails")

    async def bad_dep() -> int:
        raise exc.ValidationException("dep invalid", extra={"k": 1})

    def guard(connection: Any, handler: Any) -> None:
        raise exc.NotAuthorizedException("guard says no")

    async def gen_dep() -> Any:
        LOG.append("gen start")
        try:
            yield 1
        finally:
            LOG.append("gen end")

    @get("/before", before_request=before)
    async def h_before() -> str:
        return "x"

    @get("/after", after_request=after)
    async def h_after() -> str:
        return "x"

    @get("/dep", dependencies={"d": Provide(bad_dep)})
    async def h_dep(d: int) -> int:
        return d

    @get("/guard", guards=[guard])
    async def h_guard() -> str:
        return "x"

    @get("/redirect-exc")
    async def h_redirect() -> str:
        raise exc.HTTPException(status_code=307, headers={"location": "/x"})

    @get("/exc-500-detail")
    async def h_500() -> str:
        raise exc.HTTPException(status_code=500, detail="hidden?")

    @get("/exc-418-extra-list")
    async def h_418() -> str:
        raise exc.HTTPException(status_code=418, detail="tea", extra=["a", 1])

    @post("/plain-to-json")
    async def plain(data: dict[str, Any]) -> dict[str, Any]:
        return data

    @post("/post-only")
    async def post_only() -> str:
        return "p"

    @get("/gen-dep-raises", dependencies={"g": Provide(gen_dep)})
    async def gen_dep_raises(g: int) -> str:
        raise exc.NotFoundException("after dep")

    return Litestar([h_before, h_after, h_dep, h_guard, h_redirect, h_500, h_418, plain, post_only, gen_dep_raises, log_handler()])


@case(
    R("GET", "/q?pageSize=5&limit=2", headers={"x-token": "t", "x_plain": "p"}, cookies={"session": "s", "sid": "c"}),
    R("GET", "/q"),
    R("GET", "/q?pageSize=0", headers={"x-token": "t"}),
    R("GET", "/p/5"),
    R("GET", "/p/0"),
    R("POST", "/json-body", json={"x": 1, "y": 2}),
    R("POST", "/mp-body", content=msgspec.msgpack.encode({"x": 1, "y": 2}), headers={"content-type": "application/x-msgpack"}),
    R("POST", "/form-body", data={"a": "1"}),
    R("POST", "/req-body", json={"x": 3, "y": 4}),
    R("POST", "/raw?a=1&a=2", content=b"raw", cookies={"c": "1"}),
)
def params_new_markers() -> Any:
    params = _m("params")

    @get("/q")
    async def q(
        page_size: Annotated[int, params.QueryParameter(name="pageSize", gt=0)] = 10,
        limit: params.FromQuery[int] = 1,
        token: Annotated[str | None, params.HeaderParameter(name="x-token")] = None,
        x_plain: params.FromHeader[str | None] = None,
        session: params.FromCookie[str | None] = None,
        cid: Annotated[str | None, params.CookieParameter(name="sid")] = None,
    ) -> dict[str, Any]:
        return {"page_size": page_size, "limit": limit, "token": token, "x_plain": x_plain, "session": session, "cid": cid}

    @get("/p/{n:int}")
    async def p(n: Annotated[int, params.PathParameter(gt=0)]) -> int:
        return n

    @post("/json-body")
    async def json_body(data: params.JSONBody[Point]) -> Point:
        return data

    @post("/mp-body")
    async def mp_body(data: params.MsgPackBody[Point]) -> Point:
        return data

    @post("/form-body")
    async def form_body(data: params.URLEncodedBody[dict[str, str]]) -> dict[str, str]:
        return data

    @post("/req-body")
    async def req_body(data: params.RequestBody[Point]) -> Point:
        return data

    @post("/raw")
    async def raw(body: params.RawBody, query: params.QueryParams, cookies: params.RequestCookies) -> dict[str, Any]:
        return {"body": body.decode(), "query": query.getall("a"), "cookies": cookies}

    return Litestar([q, p, json_body, mp_body, form_body, req_body, raw])


@case(
    R("GET", "/api/v1/users/3/posts/4"),
    R("GET", "/api/v1/users/3"),
    R("GET", "/api/v1/users/x"),
    R("DELETE", "/api/v1/users/3"),
    R("GET", "/api/v1/users"),
    R("POST", "/api/v1/users", json={"name": "n"}),
    R("GET", "/api/v1/other/hdr"),
    R("GET", "/api/v1/sync"),
)
def controllers_nested() -> Any:
    async def provide_db() -> str:
        return "db"

    class UserController(Controller):
        path = "/users"
        dependencies = {"db": Provide(provide_db)}
        response_headers = {"x-ctl": "users"}

        @get()
        async def list_users(self, db: str) -> list[str]:
            return [db]

        @get("/{user_id:int}")
        async def get_user(self, user_id: int) -> dict[str, int]:
            return {"id": user_id}

        @get("/{user_id:int}/posts/{post_id:int}")
        async def get_post(self, user_id: int, post_id: int) -> list[int]:
            return [user_id, post_id]

        @post()
        async def create(self, data: dict[str, str]) -> dict[str, str]:
            return data

        @delete("/{user_id:int}")
        async def remove(self, user_id: int) -> None:
            return None

        @get("/sync", sync_to_thread=False)
        def sync_h(self) -> str:
            return "sync"

    class Other(Controller):
        path = "/other"

        @get("/hdr", response_headers={"x-h": "1"})
        async def hdr(self) -> str:
            return "h"

    v1 = Router("/v1", route_handlers=[UserController, Other])
    api = Router("/api", route_handlers=[v1], response_headers={"x-api": "1"})

    @get("/api/v1/sync")
    async def top_sync() -> str:
        return "top"

    return Litestar([api, top_sync])


@case(
    R("GET", "/ise"),
    R("GET", "/503"),
    R("GET", "/400"),
    R("GET", "/ise", headers={"accept": "application/json"}),
)
def errors_debug_http() -> Any:
    @get("/ise")
    async def ise() -> str:
        raise exc.InternalServerException("internal detail")

    @get("/503")
    async def s503() -> str:
        raise exc.ServiceUnavailableException("down")

    @get("/400")
    async def s400() -> str:
        raise exc.ClientException("bad")

    return Litestar([ise, s503, s400], debug=True)


@case(R("GET", "/"), R("GET", "/boom"), R("GET", "/log"), R("GET", "/missing"), R("GET", "/log"))
def app_hooks_send_and_exception() -> Any:
    def before_send(message: Any, scope: Any) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            headers.append((b"x-before-send", scope["path"].encode()))
            message["headers"] = headers

    def after_exception(exception: Exception, scope: Any) -> None:
        LOG.append(f"{type(exception).__name__} at {scope['path']}")

    @get("/")
    async def index() -> str:
        return "i"

    @get("/boom")
    async def boom() -> str:
        raise ValueError("b")

    return Litestar(
        [index, boom, log_handler()], before_send=[before_send], after_exception=[after_exception]
    )


class Celsius:
    def __init__(self, degrees: float) -> None:
        self.degrees = degrees


def _is_celsius(kind: Any) -> bool:
    return kind is Celsius


def _decode_celsius(kind: Any, value: Any) -> Any:
    return Celsius(float(str(value).rstrip("C")))


@case(
    R("GET", "/q?t=21.5C"),
    R("POST", "/body", json={"t": "30C"}),
    R("GET", "/r/q?t=1C"),
    R("GET", "/dep?t=5C"),
)
def layered_type_decoders() -> Any:
    @get("/q")
    async def q(t: Celsius) -> float:
        return t.degrees

    @post("/body")
    async def body(data: dict[str, Celsius]) -> float:
        return data["t"].degrees

    @get("/q")
    async def rq(t: Celsius) -> float:
        return t.degrees * 10

    async def provide(t: Celsius) -> float:
        return t.degrees + 100

    @get("/dep", dependencies={"d": Provide(provide)})
    async def dep(d: float) -> float:
        return d

    router = Router("/r", route_handlers=[rq])
    return Litestar(
        [q, body, router, dep],
        type_decoders=[(_is_celsius, _decode_celsius)],
        signature_namespace={"Celsius": Celsius},
    )
