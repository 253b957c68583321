"""Differential cases for files, static files, templates, redirects, caching and pagination.

Imported at the end of ``cases.py``. The files live in a fixed directory with fixed
modification times, written the same way by both runs, so Litestar's automatic ETags
(modification time, size and a checksum of the path) come out equal.
"""

import dataclasses
import os
from pathlib import Path
from typing import Any

from cases import (
    CacheControlHeader,
    Controller,
    ETag,
    Litestar,
    MediaType,
    R,
    Redirect,
    Request,
    Response,
    ResponseHeader,
    _m,
    case,
    get,
    post,
)

File = _m("response").File
Template = _m("response").Template
create_static_files_router = _m("static_files").create_static_files_router
TemplateConfig = _m("template.config").TemplateConfig
JinjaTemplateEngine = _m("contrib.jinja").JinjaTemplateEngine
pagination = _m("pagination")

FILES = Path("/tmp/trioweb_litestar_diff/files")
OUTSIDE = Path("/tmp/trioweb_litestar_diff/outside")
TEMPLATES = Path("/tmp/trioweb_litestar_diff/templates")
MTIME = 1_700_000_000.5


def _write_tree() -> None:
    contents = {
        FILES / "report.pdf": b"%PDF-" + bytes(range(256)) * 8,
        FILES / "index.html": b"<h1>index</h1>",
        FILES / "404.html": b"<h1>nope</h1>",
        FILES / "sub" / "index.html": b"<h1>sub</h1>",
        FILES / "sub" / "a.txt": b"hello a",
        FILES / "\u6210\u9f8d.txt": b"jackie",
        FILES / "big.bin": bytes(range(256)) * 1200,
        OUTSIDE / "secret.txt": b"secret",
        TEMPLATES / "info.html": b"<p>{{ name }} {{ request.method }} {{ request.url.path }}</p>",
        TEMPLATES / "data.json": b'{"a": "{{ name }}"}',
        TEMPLATES / "plain.txt": b"x {{ name }}",
    }
    for path, data in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        os.utime(path, (MTIME, MTIME))
    link = FILES / "link_in.txt"
    if not link.is_symlink():
        link.symlink_to(FILES / "sub" / "a.txt")


_write_tree()

_FILE_PATHS = ["/a", "/b", "/c", "/d", "/f", "/g", "/h", "/j", "/k", "/m", "/n", "/o", "/big"]


@case(*(R("GET", p) for p in _FILE_PATHS), R("POST", "/a"))
def files_response() -> Any:
    @get("/a")
    async def a() -> File:
        return File(FILES / "report.pdf", filename="report.pdf")

    @get("/b", media_type="application/pdf")
    async def b() -> File:
        return File(FILES / "report.pdf", filename="report.pdf")

    @get("/c")
    async def c() -> File:
        return File(FILES / "report.pdf")

    @get("/d")
    async def d() -> File:
        return File(FILES / "\u6210\u9f8d.txt", filename="\u6210\u9f8d.txt")

    @get("/f")
    async def f() -> File:
        return File(FILES / "report.pdf", filename="x y.pdf", content_disposition_type="inline")

    @get("/g")
    async def g() -> File:
        return File(FILES / "report.pdf", filename="r.pdf", etag=ETag(value="abc", weak=True))

    @get("/h")
    async def h() -> File:
        return File(FILES / "sub", filename="sub")  # a directory: 500 in Litestar, 404 here

    @get("/j")
    async def j() -> File:
        return File(FILES / "report.pdf", filename="r.pdf", headers={"x-a": "1"}, media_type="text/csv")

    @get("/k")
    async def k() -> Any:
        return File(FILES / "report.pdf", filename="report.pdf")

    @get("/m")
    async def m() -> File:
        return File(FILES / "report.pdf", filename="a.txt", status_code=202)

    @get("/n", etag=ETag(value="layer"))
    async def n() -> File:
        return File(FILES / "report.pdf", filename="a.txt")

    @get("/o", cache_control=CacheControlHeader(max_age=10))
    async def o() -> File:
        return File(FILES / "report.pdf", filename="a.txt")

    @get("/big")
    async def big() -> File:
        return File(FILES / "big.bin", filename="big.bin", chunk_size=1000)

    return Litestar([a, b, c, d, f, g, h, j, k, m, n, o, big])


_STATIC_PATHS = [
    "/static/report.pdf",
    "/static/sub/a.txt",
    "/static/sub",
    "/static/",
    "/static/nothing",
    "/static/link_in.txt",
    "/static/%E6%88%90%E9%BE%8D.txt",
    "/static/%2e%2e/outside/secret.txt",
    "/static/sub/..%2f..%2foutside/secret.txt",
    "/static//tmp/trioweb_litestar_diff/outside/secret.txt",
    "/static/..%5c..%5csecret.txt",
]


@case(*(R("GET", p) for p in _STATIC_PATHS), R("POST", "/static/sub/a.txt"))
def files_static() -> Any:
    return Litestar([create_static_files_router("/static", [FILES])])


@case(*(R("GET", p) for p in _STATIC_PATHS))
def files_static_html_mode() -> Any:
    return Litestar([create_static_files_router("/static", [FILES], html_mode=True)])


@case(R("GET", "/static/report.pdf"), R("GET", "/static/sub/a.txt"))
def files_static_attachment() -> Any:
    router = create_static_files_router(
        "/static", [FILES], send_as_attachment=True, cache_control=CacheControlHeader(max_age=5)
    )
    return Litestar([router])


@case(*(R("GET", p) for p in ["/t1", "/t2", "/t3", "/t4", "/t5", "/t8"]), R("POST", "/t7"))
def files_templates() -> Any:
    @get("/t1")
    async def t1() -> Template:
        return Template(template_name="info.html", context={"name": "<b>x</b>"})

    @get("/t2")
    async def t2() -> Template:
        return Template(template_name="data.json", context={"name": "<b>x</b>"})

    @get("/t3")
    async def t3() -> Template:
        return Template(template_name="plain.txt", context={"name": "<b>x</b>"})

    @get("/t4")
    async def t4() -> Template:
        return Template(template_str="<i>{{ name }}</i>", context={"name": "<b>x</b>"})

    @get("/t5")
    async def t5() -> Template:
        return Template(
            template_name="info.html",
            context={"name": "y"},
            media_type="text/xml",
            status_code=201,
            headers={"x-t": "1"},
        )

    @post("/t7")
    async def t7() -> Template:
        return Template(template_str="posted")

    @get("/t8")
    async def t8() -> Template:
        return Template(template_name="missing.html")

    return Litestar(
        [t1, t2, t3, t4, t5, t7, t8],
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
    )


@case(*(R("GET", p) for p in ["/r1", "/r2", "/r3", "/r4", "/r6", "/r7", "/r8"]), R("POST", "/r5"))
def files_redirects() -> Any:
    @get("/r1")
    async def r1() -> Redirect:
        return Redirect(path="/other")

    @get("/r2")
    async def r2() -> Redirect:
        return Redirect(path="/other", query_params={"a": "1", "b": ["2", "3"]}, status_code=301)

    @get("/r3")
    async def r3() -> Redirect:
        return Redirect(path="/\u00fc/a b", status_code=308)

    @get("/r4", status_code=307)
    async def r4() -> Redirect:
        return Redirect(path="/other")

    @post("/r5")
    async def r5() -> Redirect:
        return Redirect(path="/other", status_code=303)

    @get("/r6")
    async def r6() -> Redirect:
        return Redirect(path="https://example.com/x", query_params={"z": "2"}, headers={"x-h": "1"})

    @get("/r7")
    async def r7() -> Redirect:
        return Redirect(path="/x", status_code=200)  # type: ignore[arg-type]

    @get("/r8")
    async def r8() -> Redirect:
        return Redirect("/x", media_type="text/html")

    return Litestar([r1, r2, r3, r4, r5, r6, r7, r8])


@case(
    *(R("GET", p) for p in ["/c/a", "/c/b", "/c/d", "/app", "/set", "/cc2", "/cc3"]),
)
def files_caching_headers() -> Any:
    class Cached(Controller):
        path = "/c"
        cache_control = CacheControlHeader(max_age=86_400, public=True)
        etag = ETag(value="foo")
        response_headers = [ResponseHeader(name="x-ctl", value="ctl")]

        @get("/a")
        async def a(self) -> dict[str, int]:
            return {"a": 1}

        @get(
            "/b",
            cache_control=CacheControlHeader(no_store=True),
            etag=ETag(value="bar", weak=True),
            response_headers=[ResponseHeader(name="x-ctl", value="handler")],
        )
        async def b(self) -> dict[str, int]:
            return {"b": 1}

        @get("/d", etag=ETag(documentation_only=True))
        async def d(self) -> Response:
            return Response({"d": 1}, headers={"etag": '"12"'})

    @get("/app")
    async def app_level() -> dict[str, int]:
        return {"x": 1}

    @get("/set")
    async def set_etag() -> Response:
        response = Response("hi")
        response.set_etag(ETag(value="zz"))
        return response

    @get(
        "/cc2",
        cache_control=CacheControlHeader(
            max_age=0, must_revalidate=True, private=True, stale_while_revalidate=5, no_cache=True
        ),
    )
    async def cc2() -> str:
        return "x"

    @get("/cc3", cache_control=CacheControlHeader.prevent_storing())
    async def cc3() -> str:
        return "x"

    return Litestar(
        [Cached, app_level, set_etag, cc2, cc3],
        cache_control=CacheControlHeader(max_age=2_628_288, public=True),
        etag=ETag(value="bar"),
        response_headers=[ResponseHeader(name="x-app", value="app")],
    )


@dataclasses.dataclass
class Person:
    id: int
    first_name: str


_ACCEPTS = [
    "",
    "text/html",
    "application/xml",
    "text/*;q=0.5, application/xml;q=0.9",
    "*/*",
    "text/html;q=0, text/plain;q=0.1",
    "image/png",
    "garbage;;q=x",
]


@case(
    *(R("GET", p) for p in ["/p1", "/p2", "/p3", "/p4"]),
    *(R("GET", "/negotiate", headers={"accept": value}) for value in _ACCEPTS),
)
def files_pagination_and_negotiation() -> Any:
    @get("/p1")
    async def p1() -> pagination.ClassicPagination[Person]:
        return pagination.ClassicPagination(
            items=[Person(1, "a")], page_size=1, current_page=2, total_pages=3
        )

    @get("/p2")
    async def p2() -> pagination.OffsetPagination[Person]:
        return pagination.OffsetPagination(items=[Person(1, "a")], limit=1, offset=0, total=9)

    @get("/p3")
    async def p3() -> pagination.CursorPagination[str, Person]:
        return pagination.CursorPagination(
            items=[Person(1, "a")], results_per_page=1, cursor="abc"
        )

    @get("/p4")
    async def p4() -> pagination.CursorPagination[str, Person]:
        return pagination.CursorPagination(items=[], results_per_page=1, cursor=None)

    @get("/negotiate")
    async def negotiate(request: Request) -> Response[bytes]:
        provided = [MediaType.TEXT, MediaType.HTML, "application/xml"]
        preferred = request.accept.best_match(provided, default=MediaType.TEXT)
        accepts = [request.accept.accepts(t) for t in ("text/html", "application/json")]
        shown = getattr(preferred, "value", preferred)  # str(MediaType.X) differs on purpose
        return Response(f"{shown} {accepts}".encode(), media_type=preferred)

    return Litestar([p1, p2, p3, p4, negotiate])
