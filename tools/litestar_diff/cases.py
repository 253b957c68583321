"""Differential cases, written once against ``DIFF_FRAMEWORK`` (``litestar`` or ``trioweb``).

Each case is a factory that builds a fresh app, plus the requests to send to it. Handlers
are declared inside the factories so every app gets its own handler objects. No
``from __future__ import annotations``: both frameworks see real annotation objects.
"""

import dataclasses
import datetime
import decimal
import enum
import importlib
import os
import uuid
from pathlib import Path
from typing import Annotated, Any, TypedDict

import msgspec

ROOT = os.environ.get("DIFF_FRAMEWORK", "litestar")
fw = importlib.import_module(ROOT)


def _m(name: str) -> Any:
    return importlib.import_module(f"{ROOT}.{name}")


params, di, ds, enums, exc = (
    _m("params"),
    _m("di"),
    _m("datastructures"),
    _m("enums"),
    _m("exceptions"),
)
response_mod, status_codes, bg = _m("response"), _m("status_codes"), _m("background_tasks")

Litestar, Controller, Router, Request, Response = (
    fw.Litestar,
    fw.Controller,
    fw.Router,
    fw.Request,
    fw.Response,
)
get, post, put, patch, delete, head, route = (
    fw.get,
    fw.post,
    fw.put,
    fw.patch,
    fw.delete,
    fw.head,
    fw.route,
)
Parameter, Body, Dependency, Provide = params.Parameter, params.Body, params.Dependency, di.Provide
MediaType, RequestEncodingType = enums.MediaType, enums.RequestEncodingType
UploadFile, Cookie, ResponseHeader = ds.UploadFile, ds.Cookie, ds.ResponseHeader
MultiDict, State, CacheControlHeader, ETag = ds.MultiDict, ds.State, ds.CacheControlHeader, ds.ETag
Redirect = response_mod.Redirect
BackgroundTask = bg.BackgroundTask

LOG: list[str] = []
CASES: dict[str, Any] = {}


def case(*requests: Any) -> Any:
    def register(factory: Any) -> Any:
        CASES[factory.__name__] = (factory, requests)
        return factory

    return register


def R(method: str, path: str = "/", **kwargs: Any) -> Any:
    return (method, path, kwargs)


def log_handler() -> Any:
    @get("/log")
    async def read_log() -> list[str]:
        return list(LOG)

    return read_log


# -- shared models --------------------------------------------------------------------------


class Point(msgspec.Struct):
    x: int
    y: int


class Polygon(msgspec.Struct):
    name: str
    points: list[Point]


@dataclasses.dataclass
class Person:
    name: str
    age: int = 0


class Movie(TypedDict):
    title: str
    year: int


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class SignUp:
    name: str
    age: int
    tags: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Upload:
    title: str
    file: UploadFile


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


# -- responses --------------------------------------------------------------------------------


@case(
    R("GET", "/text"),
    R("GET", "/dict"),
    R("GET", "/bytes"),
    R("GET", "/list"),
    R("GET", "/none"),
    R("GET", "/int"),
    R("GET", "/empty"),
    R("GET", "/struct"),
    R("GET", "/dc"),
    R("GET", "/misc"),
    R("GET", "/bool"),
    R("GET", "/float"),
    R("GET", "/unicode"),
    R("GET", "/sync"),
    R("GET", "/str-as-json"),
)
def resp_default_media() -> Any:
    @get("/text")
    async def text() -> str:
        return "hello"

    @get("/dict")
    async def d() -> dict[str, int]:
        return {"a": 1, "b": 2}

    @get("/bytes")
    async def b() -> bytes:
        return b"raw\xff"

    @get("/list")
    async def lst() -> list[int]:
        return [1, 2, 3]

    @get("/none")
    async def n() -> None:
        return None

    @get("/int")
    async def i() -> int:
        return 42

    @get("/empty")
    async def empty() -> str:
        return ""

    @get("/struct")
    async def struct() -> Point:
        return Point(1, 2)

    @get("/dc")
    async def dc() -> Person:
        return Person("ann", 3)

    @get("/misc")
    async def misc() -> dict[str, Any]:
        return {
            "dt": datetime.datetime(2024, 1, 2, 3, 4, 5),
            "dtz": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            "date": datetime.date(2024, 1, 2),
            "time": datetime.time(3, 4, 5),
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "dec": decimal.Decimal("1.10"),
            "dec_int": decimal.Decimal("3"),
            "set": {3, 1, 2},
            "path": Path("/a/b"),
            "enum": Color.RED,
            "td": datetime.timedelta(seconds=90),
            "bytes": b"ab",
            "tuple": (1, 2),
        }

    @get("/bool")
    async def boolean() -> bool:
        return True

    @get("/float")
    async def flt() -> float:
        return 1.5

    @get("/unicode")
    async def uni() -> str:
        return "héllo ☃"

    @get("/sync", sync_to_thread=False)
    def sync() -> dict[str, str]:
        return {"sync": "yes"}

    @get("/str-as-json", media_type=MediaType.JSON)
    async def str_as_json() -> str:
        return "quoted?"

    return Litestar(
        [text, d, b, lst, n, i, empty, struct, dc, misc, boolean, flt, uni, sync, str_as_json]
    )


@case(
    R("GET", "/full"),
    R("GET", "/json"),
    R("GET", "/typed"),
    R("GET", "/msgpack"),
    R("GET", "/vnd"),
    R("GET", "/html"),
    R("GET", "/csv"),
    R("GET", "/xml"),
    R("GET", "/latin1"),
    R("GET", "/text-charset"),
    R("GET", "/resp-none"),
    R("GET", "/resp-204"),
    R("GET", "/resp-304"),
    R("GET", "/resp-media-override"),
    R("GET", "/resp-bytes-json"),
    R("GET", "/text-dict"),
    R("GET", "/resp-header-list"),
    R("HEAD", "/full"),
    R("HEAD", "/json"),
)
def resp_response_objects() -> Any:
    @get("/full")
    async def full() -> Response[str]:
        return Response(
            "body",
            status_code=202,
            headers={"X-Custom": "1"},
            cookies=[Cookie(key="a", value="b")],
            media_type=MediaType.TEXT,
        )

    @get("/json")
    async def json_() -> Response[dict[str, int]]:
        return Response({"a": 1})

    @get("/typed")
    async def typed() -> Response[Point]:
        return Response(Point(3, 4), headers={"MY-HEADER": "xyz"})

    @get("/msgpack", media_type=MediaType.MESSAGEPACK)
    async def mp() -> dict[str, str]:
        return {"hello": "world"}

    @get("/vnd", status_code=418, media_type="application/vnd.example.resource+json")
    async def vnd() -> dict[str, Any]:
        return {"title": "Server thinks it is a teapot", "status": 418}

    @get("/html", media_type=MediaType.HTML)
    async def html() -> str:
        return "<p>hi</p>"

    @get("/csv", media_type="text/csv")
    async def csv() -> str:
        return "a,b"

    @get("/xml", media_type="application/xml")
    async def xml() -> str:
        return "<a/>"

    @get("/latin1")
    async def latin1() -> Response[str]:
        return Response("café", media_type=MediaType.TEXT, encoding="latin-1")

    @get("/text-charset", media_type="text/plain; charset=ascii")
    async def text_charset() -> str:
        return "plain"

    @get("/resp-none")
    async def resp_none() -> Response[None]:
        return Response(None)

    @get("/resp-204")
    async def resp_204() -> Response[None]:
        return Response(None, status_code=204)

    @get("/resp-304")
    async def resp_304() -> Response[bytes]:
        return Response(b"", status_code=304)

    @get("/resp-media-override", media_type=MediaType.TEXT)
    async def media_override() -> Response[dict[str, int]]:
        return Response({"a": 1}, media_type=MediaType.JSON)

    @get("/resp-bytes-json")
    async def bytes_json() -> Response[bytes]:
        return Response(b'{"pre":"encoded"}')

    @get("/text-dict", media_type=MediaType.TEXT)
    async def text_dict() -> dict[str, int]:
        return {"a": 1}

    @get("/resp-header-list")
    async def header_list() -> Response[str]:
        return Response(
            "x", headers=[ResponseHeader(name="x-listed", value="yes")], media_type=MediaType.TEXT
        )

    return Litestar(
        [
            full,
            json_,
            typed,
            mp,
            vnd,
            html,
            csv,
            xml,
            latin1,
            text_charset,
            resp_none,
            resp_204,
            resp_304,
            media_override,
            bytes_json,
            text_dict,
            header_list,
        ]
    )


@case(
    R("GET", "/cookies"),
    R("GET", "/set-cookie"),
    R("GET", "/delete-cookie"),
    R("GET", "/set-header"),
    R("GET", "/cookie-dict"),
    R("GET", "/cookie-none"),
)
def resp_cookies() -> Any:
    @get("/cookies")
    async def cookies() -> Response[str]:
        return Response(
            "c",
            media_type=MediaType.TEXT,
            cookies=[
                Cookie(
                    key="full",
                    value="v",
                    max_age=10,
                    expires=100,
                    path="/p",
                    domain="example.com",
                    secure=True,
                    httponly=True,
                    samesite="strict",
                ),
                Cookie(key="plain", value="p"),
                Cookie(key="none", value="n", samesite="none", secure=True),
                Cookie(key="spaced", value="a b;c"),
            ],
        )

    @get("/set-cookie")
    async def set_cookie() -> Response[str]:
        r = Response("s", media_type=MediaType.TEXT)
        r.set_cookie("k", "v", max_age=5, httponly=True)
        r.set_cookie(Cookie(key="obj", value="o"))
        return r

    @get("/delete-cookie")
    async def delete_cookie() -> Response[str]:
        r = Response("d", media_type=MediaType.TEXT)
        r.delete_cookie("gone")
        r.delete_cookie("gone2", path="/x", domain="example.com")
        return r

    @get("/set-header")
    async def set_header() -> Response[str]:
        r = Response("h", media_type=MediaType.TEXT)
        r.set_header("X-One", "1")
        r.set_header("x-two", "2")
        return r

    @get("/cookie-dict")
    async def cookie_dict() -> Response[str]:
        return Response("cd", media_type=MediaType.TEXT, cookies={"a": "1", "b": "2"})

    @get("/cookie-none")
    async def cookie_none() -> Response[str]:
        return Response("cn", media_type=MediaType.TEXT, cookies=[Cookie(key="empty")])

    return Litestar([cookies, set_cookie, delete_cookie, set_header, cookie_dict, cookie_none])


@case(
    R("GET", "/r"),
    R("GET", "/r301"),
    R("GET", "/rq"),
    R("GET", "/rabs"),
    R("GET", "/rspace"),
    R("GET", "/asgi"),
    R("GET", "/multidict"),
    R("GET", "/bg"),
    R("GET", "/log"),
    R("GET", "/bg-handler"),
    R("GET", "/log"),
    R("HEAD", "/r"),
)
def resp_special() -> Any:
    @get("/r")
    async def r() -> Redirect:
        return Redirect("/target")

    @get("/r301")
    async def r301() -> Redirect:
        return Redirect("/target", status_code=301)

    @get("/rq")
    async def rq() -> Redirect:
        return Redirect("/target?x=1", query_params={"a": "1", "b": ["2", "3"]})

    @get("/rabs")
    async def rabs() -> Redirect:
        return Redirect("https://example.com/a b")

    @get("/rspace")
    async def rspace() -> Redirect:
        return Redirect("/with space/ü")

    @get("/asgi")
    async def asgi_app() -> Any:
        async def app(scope: Any, receive: Any, send: Any) -> None:
            await send(
                {"type": "http.response.start", "status": 203, "headers": [(b"x-asgi", b"1")]}
            )
            await send({"type": "http.response.body", "body": b"from asgi"})

        return app

    @get("/multidict")
    async def multidict() -> MultiDict:
        return MultiDict([("foo", "bar"), ("foo", "baz")])

    async def task(tag: str) -> None:
        LOG.append(tag)

    @get("/bg")
    async def with_bg() -> Response[str]:
        return Response("bg", media_type=MediaType.TEXT, background=BackgroundTask(task, "ran"))

    @get("/bg-handler", background=BackgroundTask(task, "handler-bg"))
    async def bg_handler() -> str:
        return "bgh"

    class MultiDictResponse(Response):  # type: ignore[type-arg,misc]
        type_encoders = {MultiDict: lambda d: d.dict()}

    return Litestar(
        [r, r301, rq, rabs, rspace, asgi_app, multidict, with_bg, bg_handler, log_handler()],
        response_class=MultiDictResponse,
    )


# -- routing ----------------------------------------------------------------------------------


@case(
    R("POST", "/items", json={"a": 1}),
    R("DELETE", "/items/1"),
    R("PUT", "/items/1"),
    R("PATCH", "/items/1"),
    R("GET", "/multi"),
    R("POST", "/multi"),
    R("POST", "/created-none"),
    R("GET", "/teapot"),
    R("POST", "/post-str"),
)
def route_default_status() -> Any:
    @post("/items")
    async def create() -> dict[str, bool]:
        return {"ok": True}

    @delete("/items/{item_id:int}")
    async def remove(item_id: int) -> None:
        return None

    @put("/items/{item_id:int}")
    async def replace(item_id: int) -> dict[str, int]:
        return {"put": item_id}

    @patch("/items/{item_id:int}")
    async def update(item_id: int) -> dict[str, int]:
        return {"patch": item_id}

    @route("/multi", http_method=["GET", "POST"])
    async def multi() -> str:
        return "m"

    @post("/created-none")
    async def created_none() -> None:
        return None

    @get("/teapot", status_code=418)
    async def teapot() -> str:
        return "short and stout"

    @post("/post-str")
    async def post_str() -> str:
        return "posted"

    return Litestar([create, remove, replace, update, multi, created_none, teapot, post_str])


@case(
    R("HEAD", "/"),
    R("OPTIONS", "/"),
    R("OPTIONS", "/items"),
    R("GET", "/nope"),
    R("POST", "/"),
    R("DELETE", "/items"),
    R("GET", "/items/"),
    R("HEAD", "/items"),
    R("PUT", "/nope"),
    R("GET", "/head-only"),
    R("HEAD", "/head-only"),
    R("GET", "/a/b"),
    R("GET", "/a"),
    R("HEAD", "/nope"),
    R("OPTIONS", "/nope"),
    R("GET", "/items/x/extra"),
)
def route_methods() -> Any:
    @get("/")
    async def root() -> str:
        return "root"

    @get("/items")
    async def items() -> list[int]:
        return [1]

    @post("/items")
    async def add() -> dict[str, int]:
        return {"id": 1}

    @head("/head-only")
    async def head_only() -> None:
        return None

    @get("/a/b")
    async def ab() -> str:
        return "ab"

    return Litestar([root, items, add, head_only, ab])


@case(
    R("GET", "/int/5"),
    R("GET", "/int/-3"),
    R("GET", "/int/abc"),
    R("GET", "/int/1.5"),
    R("GET", "/float/1.5"),
    R("GET", "/float/x"),
    R("GET", "/uuid/12345678-1234-5678-1234-567812345678"),
    R("GET", "/uuid/bad"),
    R("GET", "/decimal/1.10"),
    R("GET", "/decimal/x"),
    R("GET", "/date/2024-01-02"),
    R("GET", "/date/bad"),
    R("GET", "/datetime/2024-01-02T03:04:05"),
    R("GET", "/datetime/2024-01-02T03:04:05Z"),
    R("GET", "/datetime/bad"),
    R("GET", "/path/a/b/c"),
    R("GET", "/path/a"),
    R("GET", "/path"),
    R("GET", "/path/"),
    R("GET", "/str/hello%20world"),
    R("GET", "/mixed/3/files/a/b.txt"),
    R("GET", "/static-vs-param/static"),
    R("GET", "/static-vs-param/other"),
    R("GET", "/int/007"),
    R("GET", "/int/+4"),
    R("GET", "/time/03:04:05"),
)
def route_path_params() -> Any:
    def show(v: Any) -> dict[str, str]:
        return {"type": type(v).__name__, "value": str(v)}

    @get("/int/{v:int}")
    async def i(v: int) -> dict[str, str]:
        return show(v)

    @get("/float/{v:float}")
    async def f(v: float) -> dict[str, str]:
        return show(v)

    @get("/uuid/{v:uuid}")
    async def u(v: uuid.UUID) -> dict[str, str]:
        return show(v)

    @get("/decimal/{v:decimal}")
    async def dec(v: decimal.Decimal) -> dict[str, str]:
        return show(v)

    @get("/date/{v:date}")
    async def dt(v: datetime.date) -> dict[str, str]:
        return show(v)

    @get("/datetime/{v:datetime}")
    async def dtt(v: datetime.datetime) -> dict[str, str]:
        return show(v)

    @get("/time/{v:time}")
    async def tm(v: datetime.time) -> dict[str, str]:
        return show(v)

    @get("/path/{v:path}")
    async def p(v: Path) -> dict[str, str]:
        return show(v)

    @get("/str/{v:str}")
    async def s(v: str) -> dict[str, str]:
        return show(v)

    @get("/mixed/{n:int}/files/{rest:path}")
    async def mixed(n: int, rest: Path) -> dict[str, str]:
        return {"n": str(n), "rest": str(rest)}

    @get("/static-vs-param/static")
    async def static() -> str:
        return "static"

    @get("/static-vs-param/{name:str}")
    async def param(name: str) -> str:
        return f"param {name}"

    return Litestar([i, f, u, dec, dt, dtt, tm, p, s, mixed, static, param])


@case(
    R("GET", "/named/7"),
    R("GET", "/reverse"),
    R("GET", "/url-for-missing"),
    R("GET", "/sub/named-in-router"),
)
def route_url_for() -> Any:
    @get("/named/{item_id:int}", name="item")
    async def named(request: Request, item_id: int) -> dict[str, str]:
        return {
            "url_for": request.url_for("item", item_id=item_id + 1),
            "reverse": request.app.route_reverse("item", item_id=9),
            "router": request.url_for("in-router"),
        }

    @get("/reverse")
    async def reverse(request: Request) -> str:
        return request.app.route_reverse("item", item_id=1)

    @get("/url-for-missing")
    async def missing(request: Request) -> str:
        return request.url_for("nope")

    @get("/named-in-router", name="in-router")
    async def in_router() -> str:
        return "r"

    return Litestar([named, reverse, missing, Router("/sub", route_handlers=[in_router])])


@case(
    R("GET", "/api/v1/things"),
    R("GET", "/api/v1/things/3"),
    R("POST", "/api/v1/things"),
    R("GET", "/api/v1"),
    R("GET", "/ctl"),
    R("GET", "/ctl/5"),
    R("DELETE", "/ctl/5"),
    R("OPTIONS", "/ctl/5"),
)
def route_routers_controllers() -> Any:
    class Things(Controller):
        path = "/things"

        @get()
        async def list_things(self) -> list[str]:
            return ["a"]

        @get("/{tid:int}")
        async def one(self, tid: int) -> dict[str, int]:
            return {"tid": tid}

        @post()
        async def add(self, data: dict[str, Any]) -> dict[str, Any]:
            return data

    class Ctl(Controller):
        path = "/ctl"

        @get()
        async def index(self) -> str:
            return "ctl"

        @get("/{n:int}")
        async def show(self, n: int) -> int:
            return n

        @delete("/{n:int}")
        async def drop(self, n: int) -> None:
            return None

    v1 = Router("/v1", route_handlers=[Things])
    api = Router("/api", route_handlers=[v1])
    return Litestar([api, Ctl])


# -- parameters -------------------------------------------------------------------------------


@case(
    R("GET", "/int", params={"a": "1"}),
    R("GET", "/int", params={"a": "x"}),
    R("GET", "/int"),
    R("GET", "/int?a=1&a=2"),
    R("GET", "/default"),
    R("GET", "/default", params={"b": "given"}),
    R("GET", "/opt"),
    R("GET", "/opt", params={"c": "2"}),
    R("GET", "/opt?c="),
    R("GET", "/list?d=1&d=2"),
    R("GET", "/list?d=1"),
    R("GET", "/list"),
    R("GET", "/list?d=x"),
    R("GET", "/optlist"),
    R("GET", "/optlist?e=a&e=b"),
    R("GET", "/bool?flag=true"),
    R("GET", "/bool?flag=True"),
    R("GET", "/bool?flag=1"),
    R("GET", "/bool?flag=0"),
    R("GET", "/bool?flag=false"),
    R("GET", "/bool?flag=yes"),
    R("GET", "/bool?flag=on"),
    R("GET", "/bool?flag=x"),
    R("GET", "/bool"),
    R("GET", "/two?a=x&b=y"),
    R("GET", "/two"),
    R("GET", "/date?d=2024-01-02"),
    R("GET", "/date?d=nope"),
    R("GET", "/enum?c=red"),
    R("GET", "/enum?c=green"),
    R("GET", "/uuid?u=12345678-1234-5678-1234-567812345678"),
    R("GET", "/float?f=2.5"),
    R("GET", "/float?f=abc"),
    R("GET", "/str?s=%E2%98%83+x"),
    R("GET", "/dflt-list"),
    R("GET", "/int?a=1&extra=2"),
)
def params_query() -> Any:
    @get("/int")
    async def q_int(a: int) -> dict[str, Any]:
        return {"a": a}

    @get("/default")
    async def q_default(b: str = "dflt") -> dict[str, Any]:
        return {"b": b}

    @get("/opt")
    async def q_opt(c: int | None = None) -> dict[str, Any]:
        return {"c": c}

    @get("/list")
    async def q_list(d: list[int]) -> dict[str, Any]:
        return {"d": d}

    @get("/optlist")
    async def q_optlist(e: list[str] | None = None) -> dict[str, Any]:
        return {"e": e}

    @get("/bool")
    async def q_bool(flag: bool = False) -> dict[str, Any]:
        return {"flag": flag}

    @get("/two")
    async def q_two(a: int, b: int) -> dict[str, Any]:
        return {"a": a, "b": b}

    @get("/date")
    async def q_date(d: datetime.date) -> dict[str, Any]:
        return {"d": d}

    @get("/enum")
    async def q_enum(c: Color) -> dict[str, Any]:
        return {"c": c}

    @get("/uuid")
    async def q_uuid(u: uuid.UUID) -> dict[str, Any]:
        return {"u": u}

    @get("/float")
    async def q_float(f: float) -> dict[str, Any]:
        return {"f": f}

    @get("/str")
    async def q_str(s: str) -> dict[str, Any]:
        return {"s": s}

    @get("/dflt-list")
    async def q_dflt_list(ids: list[int] | None = None) -> dict[str, Any]:
        return {"ids": ids}

    return Litestar(
        [
            q_int,
            q_default,
            q_opt,
            q_list,
            q_optlist,
            q_bool,
            q_two,
            q_date,
            q_enum,
            q_uuid,
            q_float,
            q_str,
            q_dflt_list,
        ]
    )


@case(
    R("GET", "/alias?p=3"),
    R("GET", "/alias?p=0"),
    R("GET", "/alias?p=11"),
    R("GET", "/alias?page=3"),
    R("GET", "/alias"),
    R("GET", "/strlen?name=ab"),
    R("GET", "/strlen?name=a"),
    R("GET", "/strlen?name=abcde"),
    R("GET", "/pattern?code=AB12"),
    R("GET", "/pattern?code=zz"),
    R("GET", "/gtlt?n=5"),
    R("GET", "/gtlt?n=0"),
    R("GET", "/gtlt?n=10"),
    R("GET", "/annotated?x=-1"),
    R("GET", "/annotated?x=4"),
    R("GET", "/items?ids=1&ids=2&ids=3"),
    R("GET", "/items?ids=1"),
    R("GET", "/required"),
    R("GET", "/mult?m=6"),
    R("GET", "/mult?m=7"),
)
def params_constraints() -> Any:
    @get("/alias")
    async def alias(page: int = Parameter(query="p", ge=1, le=10)) -> dict[str, Any]:
        return {"page": page}

    @get("/strlen")
    async def strlen(name: str = Parameter(min_length=2, max_length=4)) -> dict[str, Any]:
        return {"name": name}

    @get("/pattern")
    async def pattern(code: str = Parameter(pattern=r"^[A-Z]+\d+$")) -> dict[str, Any]:
        return {"code": code}

    @get("/gtlt")
    async def gtlt(n: int = Parameter(gt=0, lt=10)) -> dict[str, Any]:
        return {"n": n}

    @get("/annotated")
    async def annotated(x: Annotated[int, Parameter(ge=0)]) -> dict[str, Any]:
        return {"x": x}

    @get("/items")
    async def items(ids: list[int] = Parameter(min_items=2, max_items=2)) -> dict[str, Any]:
        return {"ids": ids}

    @get("/required")
    async def required(r: str | None = Parameter(required=True)) -> dict[str, Any]:
        return {"r": r}

    @get("/mult")
    async def mult(m: int = Parameter(multiple_of=3)) -> dict[str, Any]:
        return {"m": m}

    return Litestar([alias, strlen, pattern, gtlt, annotated, items, required, mult])


@case(
    R("GET", "/h", headers={"X-Token": "abc"}),
    R("GET", "/h"),
    R("GET", "/h-int", headers={"x-n": "3"}),
    R("GET", "/h-int", headers={"x-n": "0"}),
    R("GET", "/h-int", headers={"x-n": "q"}),
    R("GET", "/h-opt"),
    R("GET", "/h-opt", headers={"x-opt": "here"}),
    R("GET", "/c", headers={"cookie": "sid=s1; other=o"}),
    R("GET", "/c"),
    R("GET", "/c-int", headers={"cookie": "n=12"}),
    R("GET", "/c-int", headers={"cookie": "n=x"}),
    R("GET", "/c-opt"),
    R("GET", "/all?q=1", headers={"x-h": "2", "cookie": "c=3"}),
    R("GET", "/all"),
    R("GET", "/h-list", headers=[("x-l", "a"), ("x-l", "b")]),
    R("GET", "/c-quoted", headers={"cookie": 'sid="quoted value"'}),
)
def params_headers_cookies() -> Any:
    @get("/h")
    async def h(token: str = Parameter(header="X-Token")) -> dict[str, Any]:
        return {"token": token}

    @get("/h-int")
    async def h_int(n: int = Parameter(header="x-n", ge=1)) -> dict[str, Any]:
        return {"n": n}

    @get("/h-opt")
    async def h_opt(v: str | None = Parameter(header="x-opt", default=None)) -> dict[str, Any]:
        return {"v": v}

    @get("/c")
    async def c(sid: str = Parameter(cookie="sid")) -> dict[str, Any]:
        return {"sid": sid}

    @get("/c-int")
    async def c_int(n: int = Parameter(cookie="n", le=100)) -> dict[str, Any]:
        return {"n": n}

    @get("/c-opt")
    async def c_opt(v: str | None = Parameter(cookie="v", default=None)) -> dict[str, Any]:
        return {"v": v}

    @get("/all")
    async def all_(
        q: int,
        h: int = Parameter(header="x-h"),
        ck: int = Parameter(cookie="c"),
    ) -> dict[str, Any]:
        return {"q": q, "h": h, "c": ck}

    @get("/h-list")
    async def h_list(v: list[str] = Parameter(header="x-l")) -> dict[str, Any]:
        return {"v": v}

    @get("/c-quoted")
    async def c_quoted(sid: str = Parameter(cookie="sid")) -> dict[str, Any]:
        return {"sid": sid}

    return Litestar(
        [h, h_int, h_opt, c, c_int, c_opt, all_, h_list, c_quoted], state=State({"k": "v"})
    )


@case(
    R("GET", "/reserved?a=1&a=2&b=3", headers={"x-a": "hdr", "cookie": "ck=1"}),
    R("GET", "/types?a=1", headers={"cookie": "ck=1"}),
)
def params_reserved() -> Any:
    @get("/reserved")
    async def reserved(
        request: Request,
        state: State,
        scope: dict[str, Any],
        headers: dict[str, str],
        cookies: dict[str, str],
        query: dict[str, Any],
    ) -> dict[str, Any]:
        return {
            "method": request.method,
            "state": state.get("k"),
            "scope_type": scope["type"],
            "x_a": headers.get("x-a"),
            "cookies": dict(cookies),
            "query": {k: query[k] for k in sorted(query)},
        }

    @get("/types")
    async def types_(
        request: Request,
        state: State,
        scope: dict[str, Any],
        headers: dict[str, str],
        cookies: dict[str, str],
        query: dict[str, Any],
    ) -> dict[str, Any]:
        return {
            "state": type(state).__name__,
            "headers": type(headers).__name__,
            "cookies": type(cookies).__name__,
            "query": type(query).__name__,
            "query_items": sorted(query.items()) if hasattr(query, "items") else None,
        }

    return Litestar([reserved, types_], state=State({"k": "v"}))


# -- bodies -----------------------------------------------------------------------------------


@case(
    R("POST", "/struct", json={"x": 1, "y": 2}),
    R("POST", "/struct", json={"x": 1}),
    R("POST", "/struct", json={"x": "a", "y": 2}),
    R("POST", "/struct", content=b"{not json", headers={"content-type": "application/json"}),
    R("POST", "/struct"),
    R("POST", "/struct", json={"x": 1, "y": 2, "z": 3}),
    R("POST", "/struct", json=[1, 2]),
    R("POST", "/struct", json={"x": "1", "y": "2"}),
    R("POST", "/dc", json={"name": "ann", "age": 3}),
    R("POST", "/dc", json={"name": "ann"}),
    R("POST", "/dc", json={"age": 3}),
    R("POST", "/td", json={"title": "t", "year": 2000}),
    R("POST", "/td", json={"title": "t"}),
    R("POST", "/dict", json={"a": 1}),
    R("POST", "/dict", json={"a": "x"}),
    R("POST", "/list", json=[1, 2]),
    R("POST", "/int", json=5),
    R("POST", "/str", json="abc"),
    R("POST", "/bytes", content=b"\x00raw"),
    R("POST", "/opt"),
    R("POST", "/opt", json={"x": 1, "y": 2}),
    R("POST", "/nested", json={"name": "p", "points": [{"x": 1, "y": 2}, {"x": "b", "y": 1}]}),
    R("POST", "/any", json={"k": [1, None]}),
    R("POST", "/struct", content=b'{"x":1,"y":2}', headers={"content-type": "text/plain"}),
    R("PUT", "/put", json={"x": 1, "y": 2}),
    R("POST", "/dflt"),
    R("POST", "/list", content=b"", headers={"content-type": "application/json"}),
)
def body_json() -> Any:
    @post("/struct")
    async def struct(data: Point) -> Point:
        return data

    @post("/dc")
    async def dc(data: Person) -> Person:
        return data

    @post("/td")
    async def td(data: Movie) -> Movie:
        return data

    @post("/dict")
    async def d(data: dict[str, int]) -> dict[str, int]:
        return data

    @post("/list")
    async def lst(data: list[int]) -> list[int]:
        return data

    @post("/int")
    async def i(data: int) -> int:
        return data

    @post("/str")
    async def s(data: str) -> str:
        return data

    @post("/bytes")
    async def b(data: bytes) -> bytes:
        return data

    @post("/opt")
    async def opt(data: Point | None = None) -> dict[str, Any]:
        return {"data": data}

    @post("/nested")
    async def nested(data: Polygon) -> Polygon:
        return data

    @post("/any")
    async def any_(data: Any) -> Any:
        return data

    @put("/put")
    async def put_(data: Point) -> Point:
        return data

    @post("/dflt")
    async def dflt(data: dict[str, int] | None = None) -> dict[str, Any]:
        return {"data": data}

    return Litestar([struct, dc, td, d, lst, i, s, b, opt, nested, any_, put_, dflt])


@case(
    R(
        "POST",
        "/mp",
        content=msgspec.msgpack.encode({"x": 1, "y": 2}),
        headers={"content-type": "application/x-msgpack"},
    ),
    R("POST", "/mp", content=b"\xc1", headers={"content-type": "application/x-msgpack"}),
    R(
        "POST",
        "/mp",
        content=msgspec.msgpack.encode({"x": "no"}),
        headers={"content-type": "application/x-msgpack"},
    ),
    R(
        "POST",
        "/json-endpoint",
        content=msgspec.msgpack.encode({"x": 1, "y": 2}),
        headers={"content-type": "application/x-msgpack"},
    ),
    R("POST", "/mp", json={"x": 1, "y": 2}),
)
def body_msgpack() -> Any:
    @post("/mp")
    async def mp(data: Point = Body(media_type=RequestEncodingType.MESSAGEPACK)) -> Point:
        return data

    @post("/json-endpoint")
    async def je(data: Point) -> Point:
        return data

    return Litestar([mp, je])


@case(
    R("POST", "/form-dc", data={"name": "ann", "age": "3"}),
    R("POST", "/form-dc", data={"name": "ann", "age": "x"}),
    R("POST", "/form-dc", data={"name": "ann"}),
    R("POST", "/form-dc", data={"name": "ann", "age": "3", "tags": ["a", "b"]}),
    R("POST", "/form-dc", data={"name": "ann", "age": "3", "tags": "a"}),
    R("POST", "/form-dict", data={"a": "1", "b": "2"}),
    R("POST", "/form-dict", data={"a": ["1", "2"]}),
    R("POST", "/form-dict"),
    R("POST", "/form-dc", json={"name": "ann", "age": 3}),
    R("POST", "/form-multidict", data={"a": ["1", "2"], "b": "3"}),
)
def body_urlencoded() -> Any:
    @post("/form-dc")
    async def form_dc(data: SignUp = Body(media_type=RequestEncodingType.URL_ENCODED)) -> SignUp:
        return data

    @post("/form-dict")
    async def form_dict(
        data: dict[str, Any] = Body(media_type=RequestEncodingType.URL_ENCODED),
    ) -> dict[str, Any]:
        return data

    @post("/form-multidict")
    async def form_multidict(request: Request) -> dict[str, Any]:
        form = await request.form()
        return {"a": form.getall("a"), "b": form.get("b"), "type": type(form).__name__}

    return Litestar([form_dc, form_dict, form_multidict])


def _describe(f: Any) -> dict[str, Any]:
    return {"filename": f.filename, "content_type": f.content_type}


@case(
    R("POST", "/one", files={"file": ("a.txt", b"hello", "text/plain")}),
    R("POST", "/one", files={"upload": ("b.bin", b"\x00\x01", "application/octet-stream")}),
    R("POST", "/one", data={"notafile": "x"}),
    R(
        "POST",
        "/dict",
        files={"a": ("a.txt", b"A", "text/plain"), "b": ("b.txt", b"BB", "text/plain")},
    ),
    R(
        "POST",
        "/list",
        files=[("f", ("1.txt", b"1", "text/plain")), ("f", ("2.txt", b"22", "text/plain"))],
    ),
    R("POST", "/model", data={"title": "T"}, files={"file": ("m.txt", b"model", "text/plain")}),
    R("POST", "/model", data={"title": "T"}, files={"other": ("m.txt", b"model", "text/plain")}),
    R("POST", "/model", data={"title": "T"}),
    R("POST", "/fields", data={"a": "1", "b": "two"}, files={"f": ("x", b"x", "text/plain")}),
    R("POST", "/one", content=b"garbage", headers={"content-type": "multipart/form-data"}),
    R(
        "POST",
        "/one",
        content=b"--XX\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=XX"},
    ),
    R("POST", "/req-form", data={"a": "1"}, files={"f": ("n.txt", b"nn", "text/plain")}),
    R("POST", "/one", files={"file": ("no-type.txt", b"plain")}),
)
def body_multipart() -> Any:
    @post("/one")
    async def one(
        data: UploadFile = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> dict[str, Any]:
        content = await data.read()
        return {**_describe(data), "content": content.decode("latin-1")}

    @post("/dict")
    async def d(
        data: dict[str, UploadFile] = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> dict[str, Any]:
        return {k: {**_describe(v), "content": (await v.read()).decode()} for k, v in data.items()}

    @post("/list")
    async def lst(
        data: list[UploadFile] = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> list[Any]:
        return [{**_describe(v), "content": (await v.read()).decode()} for v in data]

    @post("/model")
    async def model(
        data: Upload = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> dict[str, Any]:
        return {
            "title": data.title,
            **_describe(data.file),
            "content": (await data.file.read()).decode(),
        }

    @post("/fields")
    async def fields(
        data: dict[str, Any] = Body(media_type=RequestEncodingType.MULTI_PART),
    ) -> dict[str, Any]:
        return {k: (v if isinstance(v, str) else _describe(v)) for k, v in data.items()}

    @post("/req-form")
    async def req_form(request: Request) -> dict[str, Any]:
        form = await request.form()
        return {k: (v if isinstance(v, str) else _describe(v)) for k, v in form.items()}

    return Litestar([one, d, lst, model, fields, req_form])


@case(
    R("POST", "/small", content=b"x" * 50),
    R("POST", "/small", content=b"x" * 5),
    R("POST", "/default", content=b"x" * 50),
    R("POST", "/router/limited", content=b"x" * 50),
    R("POST", "/router/limited", content=b"x" * 15),
    R("POST", "/small", json={"k": "x" * 20}),
)
def body_max_size() -> Any:
    @post("/small", request_max_body_size=10)
    async def small(data: bytes) -> int:
        return len(data)

    @post("/default")
    async def default(data: bytes) -> int:
        return len(data)

    @post("/limited")
    async def limited(request: Request) -> int:
        return len(await request.body())

    return Litestar(
        [small, default, Router("/router", route_handlers=[limited], request_max_body_size=20)],
        request_max_body_size=40,
    )


# -- dependency injection ---------------------------------------------------------------------


@case(
    R("GET", "/deps"),
    R("GET", "/log"),
    R("GET", "/cached"),
    R("GET", "/cached"),
    R("GET", "/uncached"),
    R("GET", "/uncached"),
    R("GET", "/nested"),
    R("GET", "/with-query?limit=5"),
    R("GET", "/with-query"),
    R("GET", "/with-query?limit=x"),
    R("GET", "/marker"),
    R("GET", "/raises"),
    R("GET", "/gen-error"),
    R("GET", "/log"),
    R("GET", "/same-dep-twice"),
    R("GET", "/dep-request"),
)
def di_basics() -> Any:
    counter = {"cached": 0, "uncached": 0, "shared": 0}

    def sync_dep() -> str:
        return "sync"

    async def async_dep() -> str:
        return "async"

    def gen_dep() -> Any:
        LOG.append("gen-start")
        yield "gen"
        LOG.append("gen-end")

    async def agen_dep() -> Any:
        LOG.append("agen-start")
        try:
            yield "agen"
        except ValueError as e:
            LOG.append(f"agen-caught {e}")
            raise
        finally:
            LOG.append("agen-end")

    async def cached_dep() -> int:
        counter["cached"] += 1
        return counter["cached"]

    async def uncached_dep() -> int:
        counter["uncached"] += 1
        return counter["uncached"]

    async def base() -> int:
        return 2

    async def derived(base: int) -> int:
        return base * 10

    async def paged(limit: int) -> dict[str, int]:
        return {"limit": limit}

    async def raising() -> str:
        raise exc.NotAuthorizedException("nope")

    async def shared() -> int:
        counter["shared"] += 1
        return counter["shared"]

    async def uses_shared(shared: int) -> int:
        return shared

    async def dep_request(request: Request) -> str:
        return request.method

    @get("/deps")
    async def deps(s: str, a: str, g: str, ag: str) -> list[str]:
        return [s, a, g, ag]

    @get("/cached")
    async def cached(c: int) -> int:
        return c

    @get("/uncached")
    async def uncached(u: int) -> int:
        return u

    @get("/nested")
    async def nested_(derived: int) -> int:
        return derived

    @get("/with-query")
    async def with_query(paged: dict[str, int]) -> dict[str, int]:
        return paged

    @get("/marker")
    async def marker(value: int = Dependency(default=3)) -> int:
        return value

    @get("/raises")
    async def raises(r: str) -> str:
        return r

    @get("/gen-error")
    async def gen_error(ag: str) -> str:
        raise ValueError("boom")

    @get("/same-dep-twice")
    async def same_dep_twice(shared: int, uses_shared: int) -> list[int]:
        return [shared, uses_shared]

    @get("/dep-request")
    async def dep_req(dr: str) -> str:
        return dr

    return Litestar(
        [
            deps,
            log_handler(),
            cached,
            uncached,
            nested_,
            with_query,
            marker,
            raises,
            gen_error,
            same_dep_twice,
            dep_req,
        ],
        dependencies={
            "s": Provide(sync_dep, sync_to_thread=False),
            "a": Provide(async_dep),
            "g": Provide(gen_dep),
            "ag": Provide(agen_dep),
            "c": Provide(cached_dep, use_cache=True),
            "u": Provide(uncached_dep),
            "base": Provide(base),
            "derived": Provide(derived),
            "paged": Provide(paged),
            "r": Provide(raising),
            "shared": Provide(shared),
            "uses_shared": Provide(uses_shared),
            "dr": Provide(dep_request),
        },
    )


@case(
    R("GET", "/app-level"),
    R("GET", "/r/router-level"),
    R("GET", "/r/c/controller-level"),
    R("GET", "/r/c/handler-level"),
)
def di_layered() -> Any:
    def value(v: str) -> Any:
        async def provide() -> str:
            return v

        return Provide(provide)

    @get("/app-level")
    async def app_level(x: str, y: str) -> list[str]:
        return [x, y]

    @get("/router-level")
    async def router_level(x: str, y: str) -> list[str]:
        return [x, y]

    class C(Controller):
        path = "/c"
        dependencies = {"x": value("controller")}

        @get("/controller-level")
        async def controller_level(self, x: str, y: str) -> list[str]:
            return [x, y]

        @get("/handler-level", dependencies={"x": value("handler")})
        async def handler_level(self, x: str, y: str) -> list[str]:
            return [x, y]

    router = Router("/r", route_handlers=[router_level, C], dependencies={"x": value("router")})
    return Litestar([app_level, router], dependencies={"x": value("app"), "y": value("app-y")})


# -- layered settings -------------------------------------------------------------------------


@case(
    R("GET", "/app"),
    R("GET", "/r/router"),
    R("GET", "/r/c/controller"),
    R("GET", "/r/c/handler"),
    R("GET", "/r/c/response-wins"),
    R("GET", "/r/c/boom"),
)
def layered_headers_cookies() -> Any:
    @get("/app")
    async def app_h() -> str:
        return "app"

    @get("/router")
    async def router_h() -> str:
        return "router"

    class C(Controller):
        path = "/c"
        response_headers = {"x-layer": "controller"}
        response_cookies = [Cookie(key="layer", value="controller")]

        @get("/controller")
        async def controller_h(self) -> str:
            return "controller"

        @get(
            "/handler",
            response_headers=[ResponseHeader(name="x-layer", value="handler")],
            response_cookies=[Cookie(key="layer", value="handler")],
        )
        async def handler_h(self) -> str:
            return "handler"

        @get("/response-wins")
        async def response_wins(self) -> Response[str]:
            return Response(
                "rw",
                media_type=MediaType.TEXT,
                headers={"x-layer": "response"},
                cookies=[Cookie(key="layer", value="response")],
            )

        @get("/boom")
        async def boom(self) -> str:
            raise exc.NotFoundException()

    router = Router(
        "/r",
        route_handlers=[router_h, C],
        response_headers={"x-layer": "router"},
        response_cookies=[Cookie(key="layer", value="router")],
    )
    return Litestar(
        [app_h, router],
        response_headers={"x-layer": "app", "x-app": "1"},
        response_cookies=[Cookie(key="layer", value="app"), Cookie(key="app", value="1")],
    )


@case(
    R("GET", "/app"),
    R("GET", "/r/router"),
    R("GET", "/r/c/controller"),
    R("GET", "/r/c/handler"),
    R("GET", "/r/c/response-obj"),
)
def layered_response_class_encoders() -> Any:
    class AppResponse(Response):  # type: ignore[type-arg,misc]
        def __init__(self, content: Any, **kwargs: Any) -> None:
            super().__init__(content, **kwargs)
            self.headers["x-class"] = "app"

    class RouterResponse(Response):  # type: ignore[type-arg,misc]
        def __init__(self, content: Any, **kwargs: Any) -> None:
            super().__init__(content, **kwargs)
            self.headers["x-class"] = "router"

    @get("/app")
    async def app_h() -> Money:
        return Money(150)

    @get("/router")
    async def router_h() -> Money:
        return Money(250)

    class C(Controller):
        path = "/c"
        type_encoders = {Money: lambda m: f"{m.cents} cents"}

        @get("/controller")
        async def controller_h(self) -> Money:
            return Money(350)

        @get("/handler", type_encoders={Money: lambda m: {"cents": m.cents}})
        async def handler_h(self) -> Money:
            return Money(450)

        @get("/response-obj")
        async def response_obj(self) -> Response[Money]:
            return Response(Money(550), type_encoders={Money: lambda m: [m.cents]})

    router = Router("/r", route_handlers=[router_h, C], response_class=RouterResponse)
    return Litestar(
        [app_h, router],
        response_class=AppResponse,
        type_encoders={Money: lambda m: m.cents / 100},
    )


@case(
    R("GET", "/app"),
    R("GET", "/r/router"),
    R("GET", "/r/c/controller"),
    R("GET", "/r/c/handler"),
    R("GET", "/r/c/status"),
    R("GET", "/nope"),
    R("POST", "/app"),
    R("GET", "/r/c/http"),
)
def layered_exception_handlers() -> Any:
    def text_handler(tag: str) -> Any:
        def handle(request: Any, e: Exception) -> Any:
            return Response(
                f"{tag}: {type(e).__name__}: {e}", status_code=418, media_type=MediaType.TEXT
            )

        return handle

    @get("/app")
    async def app_h() -> str:
        raise ValueError("app")

    @get("/router")
    async def router_h() -> str:
        raise ValueError("router")

    class C(Controller):
        path = "/c"
        exception_handlers = {ValueError: text_handler("controller")}

        @get("/controller")
        async def controller_h(self) -> str:
            raise ValueError("controller")

        @get("/handler", exception_handlers={ValueError: text_handler("handler")})
        async def handler_h(self) -> str:
            raise ValueError("handler")

        @get("/status")
        async def status_h(self) -> str:
            raise exc.PermissionDeniedException("denied")

        @get("/http")
        async def http_h(self) -> str:
            raise exc.HTTPException(status_code=409, detail="conflict")

    router = Router(
        "/r",
        route_handlers=[router_h, C],
        exception_handlers={ValueError: text_handler("router"), 403: text_handler("router-403")},
    )
    return Litestar(
        [app_h, router],
        exception_handlers={
            ValueError: text_handler("app"),
            404: text_handler("app-404"),
            405: text_handler("app-405"),
            exc.HTTPException: text_handler("app-http"),
        },
    )


@case(
    R("GET", "/plain"),
    R("GET", "/plain?short=1"),
    R("GET", "/r/routed"),
    R("GET", "/r/routed?short=1"),
    R("GET", "/r/c/ctl"),
    R("GET", "/log"),
    R("GET", "/r/c/handler-hooks"),
    R("GET", "/log"),
    R("GET", "/r/c/dict-short?short=1"),
    R("HEAD", "/plain"),
)
def layered_hooks() -> Any:
    async def app_before(request: Request) -> Any:
        if request.query_params.get("short"):
            return {"short": "app"}
        return None

    def router_before(request: Request) -> Any:
        if request.query_params.get("short"):
            return "router short"
        return None

    async def app_after(response: Any) -> Any:
        response.set_header("x-after", "app")
        return response

    def router_after(response: Any) -> Any:
        response.headers["x-after"] = "router"
        return response

    async def app_after_response(request: Request) -> None:
        LOG.append(f"app-after-response {request.url.path}")

    async def ctl_after_response(request: Request) -> None:
        LOG.append(f"ctl-after-response {request.url.path}")

    def handler_after(response: Any) -> Any:
        return Response("replaced", media_type=MediaType.TEXT, status_code=203)

    @get("/plain")
    async def plain() -> str:
        return "plain"

    @get("/routed")
    async def routed() -> str:
        return "routed"

    class C(Controller):
        path = "/c"
        after_response = ctl_after_response

        @get("/ctl")
        async def ctl(self) -> str:
            return "ctl"

        @get("/handler-hooks", after_request=handler_after)
        async def hooks(self) -> str:
            return "hooks"

        @get("/dict-short", before_request=app_before)
        async def dict_short(self) -> str:
            return "not reached"

    router = Router(
        "/r", route_handlers=[routed, C], before_request=router_before, after_request=router_after
    )
    return Litestar(
        [plain, router, log_handler()],
        before_request=app_before,
        after_request=app_after,
        after_response=app_after_response,
    )


@case(
    R("GET", "/cc"),
    R("GET", "/etag"),
    R("GET", "/r/cc-router"),
    R("GET", "/r/cc-handler"),
    R("GET", "/etag-weak"),
)
def layered_cache_etag() -> Any:
    @get("/cc")
    async def cc() -> str:
        return "cc"

    @get("/etag", etag=ETag(value="abc"))
    async def etag() -> str:
        return "etag"

    @get("/etag-weak", etag=ETag(value="w", weak=True))
    async def etag_weak() -> str:
        return "weak"

    @get("/cc-router")
    async def cc_router() -> str:
        return "ccr"

    @get("/cc-handler", cache_control=CacheControlHeader(no_store=True))
    async def cc_handler() -> str:
        return "cch"

    router = Router(
        "/r",
        route_handlers=[cc_router, cc_handler],
        cache_control=CacheControlHeader(private=True, max_age=5),
    )
    return Litestar(
        [cc, etag, etag_weak, router], cache_control=CacheControlHeader(max_age=10, public=True)
    )


# -- errors -----------------------------------------------------------------------------------


@case(
    R("GET", "/not-found"),
    R("GET", "/not-found-detail"),
    R("GET", "/http-409"),
    R("GET", "/http-default"),
    R("GET", "/http-positional"),
    R("GET", "/validation"),
    R("GET", "/not-authorized"),
    R("GET", "/permission"),
    R("GET", "/internal"),
    R("GET", "/client"),
    R("GET", "/value-error"),
    R("GET", "/headers"),
    R("GET", "/method-not-allowed"),
    R("GET", "/too-many"),
    R("GET", "/service-unavailable"),
    R("GET", "/improperly"),
    R("HEAD", "/not-found"),
    R("GET", "/unserializable"),
    R("GET", "/sync-error"),
    R("GET", "/extra-dict"),
    R("GET", "/detail-none"),
)
def errors_shapes() -> Any:
    @get("/not-found")
    async def not_found() -> str:
        raise exc.NotFoundException()

    @get("/not-found-detail")
    async def not_found_detail() -> str:
        raise exc.NotFoundException(detail="no such item")

    @get("/http-409")
    async def http_409() -> str:
        raise exc.HTTPException(status_code=409, detail="conflict", extra={"a": 1})

    @get("/http-default")
    async def http_default() -> str:
        raise exc.HTTPException()

    @get("/http-positional")
    async def http_positional() -> str:
        raise exc.HTTPException("positional detail", status_code=400)

    @get("/validation")
    async def validation() -> str:
        raise exc.ValidationException(detail="bad", extra=[{"key": "k", "message": "m"}])

    @get("/not-authorized")
    async def not_authorized() -> str:
        raise exc.NotAuthorizedException()

    @get("/permission")
    async def permission() -> str:
        raise exc.PermissionDeniedException(detail="go away")

    @get("/internal")
    async def internal() -> str:
        raise exc.InternalServerException(detail="secret internals")

    @get("/client")
    async def client() -> str:
        raise exc.ClientException()

    @get("/value-error")
    async def value_error() -> str:
        raise ValueError("secret")

    @get("/headers")
    async def headers() -> str:
        raise exc.HTTPException(status_code=418, detail="t", headers={"x-e": "1"})

    @get("/method-not-allowed")
    async def mna() -> str:
        raise exc.MethodNotAllowedException()

    @get("/too-many")
    async def too_many() -> str:
        raise exc.TooManyRequestsException()

    @get("/service-unavailable")
    async def svc() -> str:
        raise exc.ServiceUnavailableException()

    @get("/improperly")
    async def improperly() -> str:
        raise exc.ImproperlyConfiguredException("conf")

    @get("/unserializable")
    async def unserializable() -> Any:
        return {"m": Money(1)}

    @get("/sync-error", sync_to_thread=False)
    def sync_error() -> str:
        raise RuntimeError("sync boom")

    @get("/extra-dict")
    async def extra_dict() -> str:
        raise exc.ClientException(detail="d", extra={"why": ["a", "b"]})

    @get("/detail-none")
    async def detail_none() -> str:
        raise exc.NotFoundException(detail="")

    return Litestar(
        [
            not_found,
            not_found_detail,
            http_409,
            http_default,
            http_positional,
            validation,
            not_authorized,
            permission,
            internal,
            client,
            value_error,
            headers,
            mna,
            too_many,
            svc,
            improperly,
            unserializable,
            sync_error,
            extra_dict,
            detail_none,
        ]
    )


@case(R("GET", "/"))
def errors_build_get_with_data() -> Any:
    @get("/")
    async def h(data: dict[str, Any]) -> None:
        return None

    return Litestar([h])


@case(R("DELETE", "/"))
def errors_build_204_with_body() -> Any:
    @delete("/")
    async def h() -> dict[str, Any]:
        return {}

    return Litestar([h])


@case(R("GET", "/"))
def errors_build_duplicate() -> Any:
    @get("/")
    async def a() -> str:
        return "a"

    @get("/")
    async def b() -> str:
        return "b"

    return Litestar([a, b])


@case(R("GET", "/5"))
def errors_build_bad_path_type() -> Any:
    @get("/{x:nope}")
    async def a(x: int) -> str:
        return "a"

    return Litestar([a])


@case(R("GET", "/debug-value-error"), R("GET", "/debug-404"))
def errors_debug() -> Any:
    @get("/debug-value-error")
    async def value_error() -> str:
        raise ValueError("secret")

    @get("/debug-404")
    async def nf() -> str:
        raise exc.NotFoundException("nf")

    return Litestar([value_error, nf], debug=True)


# -- request ----------------------------------------------------------------------------------


@case(
    R(
        "GET",
        "/info/7?a=1&a=2&b=x%20y",
        headers={
            "cookie": "c1=v1; c2=v2",
            "accept": "text/html;q=0.9, application/json",
            "content-type": "application/json; charset=utf-8",
            "x-custom": "h",
        },
    ),
    R("GET", "/info/8"),
    R("GET", "/accept", headers={"accept": "text/html"}),
    R("GET", "/accept", headers={"accept": "application/xml;q=0.5, text/plain;q=0.4"}),
    R("GET", "/accept"),
    R("GET", "/accept", headers={"accept": "image/png"}),
)
def request_properties() -> Any:
    @get("/info/{n:int}")
    async def info(request: Request, n: int) -> dict[str, Any]:
        return {
            "url": str(request.url),
            "base_url": str(request.base_url),
            "path": request.url.path,
            "query": request.url.query,
            "method": request.method,
            "query_params": {k: request.query_params.getall(k) for k in request.query_params},
            "path_params": request.path_params,
            "cookies": request.cookies,
            "client": list(request.client) if request.client else None,
            "content_type": list(request.content_type),
            "accepts_json": request.accept.accepts("application/json"),
            "x_custom": request.headers.get("X-Custom"),
            "state_type": type(request.state).__name__,
            "app_state": request.app.state.get("k"),
            "scheme": request.url.scheme,
            "hostname": request.url.hostname,
            "port": request.url.port,
        }

    @get("/accept")
    async def accept(request: Request) -> Response[bytes]:
        provided = [MediaType.TEXT, MediaType.HTML, "application/xml"]
        preferred = request.accept.best_match(provided, default=MediaType.TEXT)
        return Response(str(preferred).encode(), media_type=preferred)

    return Litestar([info, accept], state=State({"k": "v"}))


@case(
    R("POST", "/json", json={"a": [1, 2]}),
    R("POST", "/json", content=b"{bad", headers={"content-type": "application/json"}),
    R("POST", "/json"),
    R("POST", "/msgpack", content=msgspec.msgpack.encode({"m": 1})),
    R("POST", "/msgpack", content=b"\xc1"),
    R("POST", "/form", data={"a": "1", "b": "2"}),
    R("POST", "/form", files={"f": ("f.txt", b"F", "text/plain")}, data={"a": "1"}),
    R("POST", "/form", content=b"plain", headers={"content-type": "text/plain"}),
    R("POST", "/body", content=b"raw bytes"),
    R("POST", "/stream", content=b"streamed bytes"),
    R("POST", "/body-twice", content=b"twice"),
    R("POST", "/json-then-body", json={"j": 1}),
    R("POST", "/stream-then-body", content=b"sb"),
)
def request_body_methods() -> Any:
    @post("/json")
    async def json_(request: Request) -> dict[str, Any]:
        return {"json": await request.json()}

    @post("/msgpack")
    async def mp(request: Request) -> dict[str, Any]:
        return {"msgpack": await request.msgpack()}

    @post("/form")
    async def form(request: Request) -> dict[str, Any]:
        f = await request.form()
        return {k: (v if isinstance(v, str) else _describe(v)) for k, v in f.multi_items()}

    @post("/body")
    async def body(request: Request) -> bytes:
        return await request.body()

    @post("/stream")
    async def stream(request: Request) -> bytes:
        chunks = [c async for c in request.stream()]
        return b"".join(chunks)

    @post("/body-twice")
    async def body_twice(request: Request) -> list[str]:
        return [(await request.body()).decode(), (await request.body()).decode()]

    @post("/json-then-body")
    async def json_then_body(request: Request) -> dict[str, Any]:
        return {"json": await request.json(), "body": (await request.body()).decode()}

    @post("/stream-then-body")
    async def stream_then_body(request: Request) -> dict[str, Any]:
        chunks = [c async for c in request.stream()]
        return {"stream": b"".join(chunks).decode(), "body": (await request.body()).decode()}

    return Litestar([json_, mp, form, body, stream, body_twice, json_then_body, stream_then_body])


# -- probes added after the first run ---------------------------------------------------------


@case(R("GET", "/"))
def errors_build_no_return_annotation() -> Any:
    @get("/")
    async def noann():  # type: ignore[no-untyped-def]
        return {"x": 1}

    return Litestar([noann])


@case(
    R("GET", "/not-required"),
    R("GET", "/not-required?r=x"),
    R("GET", "/query-multi?a=1&a=2&b=3"),
    R("POST", "/int/abc"),
    R("GET", "/int/abc"),
    R("GET", "/ct-header"),
    R("GET", "/two-missing"),
    R("GET", "/two-missing?b=1"),
    R("GET", "/h-missing-first?q=1"),
    R("GET", "/many-invalid?a=x&b=y", headers={"x-c": "z"}),
    R("GET", "/multi-query?ids=1&ids=x&ids=y"),
    R("GET", "/empty-int?a="),
    R("GET", "/opt-default?a="),
    R("GET", "/str-list?s=a&s=b"),
    R("GET", "/str-list"),
    R("GET", "/union?u=1"),
    R("GET", "/union?u=abc"),
    R("GET", "/set?s=1&s=1&s=2"),
    R("GET", "/tuple?t=1&t=2"),
)
def params_probes() -> Any:
    @get("/not-required")
    async def not_required(r: str = Parameter(required=False)) -> dict[str, Any]:
        return {"r": r}

    @get("/query-multi")
    async def query_multi(query: dict[str, Any]) -> dict[str, Any]:
        return {"query": query}

    @get("/int/{n:int}")
    async def int_path(n: int) -> int:
        return n

    @get("/ct-header")
    async def ct_header() -> Response[str]:
        return Response("x", headers={"content-type": "application/custom", "content-length": "1"})

    @get("/two-missing")
    async def two_missing(a: int, b: int) -> dict[str, Any]:
        return {"a": a, "b": b}

    @get("/h-missing-first")
    async def h_missing_first(
        q: int, c: str = Parameter(cookie="c"), h: str = Parameter(header="x-h")
    ) -> dict[str, Any]:
        return {}

    @get("/many-invalid")
    async def many_invalid(
        a: int, b: int, c: int = Parameter(header="x-c"), d: int = Parameter(query="dd", default=1)
    ) -> dict[str, Any]:
        return {}

    @get("/multi-query")
    async def multi_query(ids: list[int]) -> dict[str, Any]:
        return {"ids": ids}

    @get("/empty-int")
    async def empty_int(a: int) -> dict[str, Any]:
        return {"a": a}

    @get("/opt-default")
    async def opt_default(a: int | None = 5) -> dict[str, Any]:
        return {"a": a}

    @get("/str-list")
    async def str_list(s: list[str] | None = None) -> dict[str, Any]:
        return {"s": s}

    @get("/union")
    async def union(u: int | str) -> dict[str, Any]:
        return {"u": u}

    @get("/set")
    async def set_(s: set[int]) -> dict[str, Any]:
        return {"s": sorted(s)}

    @get("/tuple")
    async def tuple_(t: tuple[int, ...]) -> dict[str, Any]:
        return {"t": list(t)}

    return Litestar(
        [
            not_required,
            query_multi,
            int_path,
            ct_header,
            two_missing,
            h_missing_first,
            many_invalid,
            multi_query,
            empty_int,
            opt_default,
            str_list,
            union,
            set_,
            tuple_,
        ]
    )


@case(
    R("POST", "/dep-body", json={"x": 1, "y": 2}),
    R("POST", "/dep-body", content=b"{bad", headers={"content-type": "application/json"}),
    R("GET", "/dep-invalid?limit=x"),
    R("GET", "/dep-typed"),
    R("GET", "/provide-class"),
    R("GET", "/provide-sync-thread"),
)
def di_probes() -> Any:
    async def body_dep(data: Point) -> int:
        return data.x + data.y

    async def limit_dep(limit: int) -> int:
        return limit

    async def typed_dep() -> str:
        return "not an int"

    class Service:
        def __init__(self) -> None:
            self.name = "svc"

    def blocking() -> str:
        return "threaded"

    @post("/dep-body")
    async def dep_body(total: int) -> int:
        return total

    @get("/dep-invalid")
    async def dep_invalid(lim: int) -> int:
        return lim

    @get("/dep-typed")
    async def dep_typed(t: int) -> Any:
        return t

    @get("/provide-class")
    async def provide_class(svc: Service) -> str:
        return svc.name

    @get("/provide-sync-thread")
    async def provide_sync_thread(b: str) -> str:
        return b

    return Litestar(
        [dep_body, dep_invalid, dep_typed, provide_class, provide_sync_thread],
        dependencies={
            "total": Provide(body_dep),
            "lim": Provide(limit_dep),
            "t": Provide(typed_dep),
            "svc": Provide(Service, sync_to_thread=False),
            "b": Provide(blocking, sync_to_thread=True),
        },
        signature_namespace={"Service": Service},
    )


@case(R("GET", "/asgi"), R("GET", "/asgi-class"))
def resp_asgi_annotated() -> Any:
    ASGIApp = _m("types").ASGIApp

    @get("/asgi")
    async def asgi_fn() -> ASGIApp:
        async def app(scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
            await send({"type": "http.response.body", "body": b"fn"})

        return app

    class App:
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 201, "headers": []})
            await send({"type": "http.response.body", "body": b"cls"})

    @get("/asgi-class")
    async def asgi_cls() -> ASGIApp:
        return App()

    return Litestar([asgi_fn, asgi_cls])


import cases_audit  # noqa: E402,F401  (the issue-2 audit cases register themselves)
import cases_config  # noqa: E402,F401  (app-level configuration cases register themselves)
import cases_files  # noqa: E402,F401  (files, static files, templates, redirects, caching)
