"""Static files: serving, html_mode, confinement to the directories, naming, configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from trioweb import Request, TrioWeb, asgi, get
from trioweb.datastructures import CacheControlHeader
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response.file import create_etag_for_file
from trioweb.static_files import StaticFiles, create_static_files_router
from trioweb.testing import AsyncTestClient
from trioweb.types import Receive, Scope, Send


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """``public/`` with files, ``secret/`` beside it, and symlinks in and out of ``public``."""
    public = tmp_path / "public"
    (public / "css").mkdir(parents=True)
    (public / "docs").mkdir()
    (public / "css" / "site.css").write_text("body {}")
    (public / "index.html").write_text("<h1>home</h1>")
    (public / "docs" / "index.html").write_text("<h1>docs</h1>")
    (public / "404.html").write_text("<h1>missing</h1>")
    (public / "hello.txt").write_text("hello")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("TOP SECRET")
    (public / "escape.txt").symlink_to(secret / "key.txt")
    (public / "escape_dir").symlink_to(secret, target_is_directory=True)
    (public / "alias.txt").symlink_to(public / "hello.txt")
    return public


async def get_paths(app: Any, *paths: str, method: str = "GET") -> list[httpx.Response]:
    async with AsyncTestClient(app) as client:
        return [await client.request(method, path) for path in paths]


def raw_path_app(app: TrioWeb) -> Any:
    """Call ``app`` with the (percent-decoded) query string as ``scope["path"]``.

    Clients clean ``..`` out of URL paths before sending; a hostile client does not, and the
    server hands the decoded path over as it is. The query string is not cleaned.
    """

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "path": unquote(scope["query_string"].decode("latin-1"))}
        await app(scope, receive, send)

    return wrapper


async def test_serves_files_inline_with_file_headers(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/static", [site])])
    (css,) = await get_paths(app, "/static/css/site.css")
    assert (css.status_code, css.text) == (200, "body {}")
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.headers["content-disposition"] == 'inline; filename="site.css"'
    assert css.headers["accept-ranges"] == "bytes"
    assert "etag" in css.headers and "last-modified" in css.headers
    async with AsyncTestClient(app) as client:
        again = await client.get(
            "/static/css/site.css", headers={"if-none-match": css.headers["etag"]}
        )
        partial = await client.get("/static/hello.txt", headers={"range": "bytes=1-3"})
        head = await client.head("/static/hello.txt")
    assert again.status_code == 304
    assert (partial.status_code, partial.text) == (206, "ell")
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "5")


async def test_send_as_attachment(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/static", [site], send_as_attachment=True)])
    (response,) = await get_paths(app, "/static/hello.txt")
    assert response.headers["content-disposition"] == 'attachment; filename="hello.txt"'


async def test_missing_file_and_directory_are_404_without_html_mode(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/static", [site])])
    for response in await get_paths(app, "/static/nope.css", "/static/css", "/static/"):
        assert response.status_code == 404
    (missing,) = await get_paths(app, "/static/nope.css")
    # Litestar's message: the requested path, relative to the router; never where the
    # directory is on the server (Litestar reports that for a directory)
    assert missing.json() == {
        "status_code": 404,
        "detail": "no file or directory match the path nope.css was found",
    }
    (directory,) = await get_paths(app, "/static/css/")
    assert directory.json()["detail"] == "no file or directory match the path css was found"


async def test_html_mode(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/", [site], html_mode=True)])
    root, docs, missing, head = [
        *await get_paths(app, "/", "/docs", "/nothing/here"),
        *await get_paths(app, "/docs/", method="HEAD"),
    ]
    assert (root.status_code, root.text) == (200, "<h1>home</h1>")
    assert root.headers["content-type"] == "text/html; charset=utf-8"
    assert (docs.status_code, docs.text) == (200, "<h1>docs</h1>")
    assert (missing.status_code, missing.text) == (404, "<h1>missing</h1>")
    assert missing.headers["content-disposition"] == 'inline; filename="404.html"'
    assert (head.status_code, head.content) == (200, b"")


async def test_html_mode_without_404_page(site: Path) -> None:
    (site / "404.html").unlink()
    app = TrioWeb([create_static_files_router("/static", [site], html_mode=True)])
    (missing,) = await get_paths(app, "/static/nothing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"


async def test_directories_are_searched_in_order(site: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "hello.txt").write_text("overridden")
    app = TrioWeb([create_static_files_router("/static", [overrides, site])])
    hello, css = await get_paths(app, "/static/hello.txt", "/static/css/site.css")
    assert (hello.text, css.text) == ("overridden", "body {}")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret/key.txt",
        "/static/css/../../secret/key.txt",
        "/static/..",
        "/static//..//secret/key.txt",
        "/static/%2e%2e%2fsecret/key.txt",  # encoded dots and slash, decoded by the server
        "/static/\\..\\secret\\key.txt",
        "/static/escape.txt",  # a symlink pointing outside
        "/static/escape_dir/key.txt",  # through a symlinked directory pointing outside
        "/static/%00/hello.txt",
        "/static/hello.txt%00.css",
        "/static/%252e%252e/secret/key.txt",  # double-encoded: decoded once, to "%2e%2e"
        "/static/%252e%252e%252fsecret%252fkey.txt",
        "/static/C:\\secret\\key.txt",
    ],
)
@pytest.mark.parametrize("html_mode", [False, True])
async def test_no_path_leaves_the_directories(site: Path, path: str, html_mode: bool) -> None:
    app = TrioWeb([create_static_files_router("/static", [site], html_mode=html_mode)])
    async with AsyncTestClient(raw_path_app(app)) as client:
        response = await client.get("/?" + path)
    assert response.status_code == 404
    assert b"SECRET" not in response.content
    # in html mode a refused path gets the 404 page like any other miss, as in Litestar
    assert (response.text == "<h1>missing</h1>") is html_mode


async def test_encoded_dot_segments_through_the_client(site: Path) -> None:
    # the test client, like hypercorn, decodes %2e%2e into ".." in scope["path"]
    app = TrioWeb([create_static_files_router("/static", [site])])
    (response,) = await get_paths(app, "/static/%2e%2e/secret/key.txt")
    assert response.status_code == 404


async def test_absolute_file_path_stays_inside(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/static", [site])])
    target = str(site.parent / "secret" / "key.txt")
    async with AsyncTestClient(raw_path_app(app)) as client:
        response = await client.get("/?/static/" + target)
    assert response.status_code == 404
    (site / "tmp").mkdir()
    (site / "tmp" / "x.txt").write_text("inside")
    async with AsyncTestClient(raw_path_app(app)) as client:
        inside = await client.get("/?/static//tmp/x.txt")
    assert (inside.status_code, inside.text) == (200, "inside")  # "//tmp" is relative here


async def test_symlink_staying_inside_is_served(site: Path) -> None:
    app = TrioWeb([create_static_files_router("/static", [site])])
    (response,) = await get_paths(app, "/static/alias.txt")
    assert (response.status_code, response.text) == (200, "hello")


async def test_etag_is_litestars_for_links_and_index_pages(site: Path) -> None:
    # Litestar derives the ETag from the requested path (the link, not its target), so a
    # client revalidating against either framework sends a validator that matches
    app = TrioWeb([create_static_files_router("/static", [site], html_mode=True)])
    alias, index, missing = await get_paths(app, "/static/alias.txt", "/static/docs", "/static/x")
    root = site.resolve()  # the directories are resolved when the router is built
    hello = (root / "hello.txt").stat()
    docs_index = (root / "docs" / "index.html").stat()
    page = (root / "404.html").stat()
    assert alias.headers["etag"] == create_etag_for_file(
        root / "alias.txt", hello.st_mtime, hello.st_size
    )
    assert index.headers["etag"] == create_etag_for_file(
        root / "docs" / "index.html", docs_index.st_mtime, docs_index.st_size
    )
    assert missing.headers["etag"] == create_etag_for_file(
        root / "404.html", page.st_mtime, page.st_size
    )
    async with AsyncTestClient(app) as client:
        etag = alias.headers["etag"]
        again = await client.get("/static/alias.txt", headers={"if-none-match": etag})
    assert again.status_code == 304


async def test_symlinked_directory_is_resolved(site: Path, tmp_path: Path) -> None:
    link = tmp_path / "public-link"
    link.symlink_to(site, target_is_directory=True)
    app = TrioWeb([create_static_files_router("/static", [link])])
    hello, escape = await get_paths(app, "/static/hello.txt", "/static/escape.txt")
    assert (hello.status_code, escape.status_code) == (200, 404)


async def test_url_for_static_asset_and_names(site: Path) -> None:
    @get("/links")
    async def links(request: Request[Any, Any, Any]) -> dict[str, str]:
        return {
            "asset": request.url_for_static_asset("assets", "css/site.css"),
            "reverse": request.app.route_reverse("assets", file_path="/css/site.css"),
        }

    app = TrioWeb([links, create_static_files_router("/static", [site], name="assets")])
    (response,) = await get_paths(app, "/links")
    assert response.json() == {
        "asset": "http://testserver.local/static/css/site.css",
        "reverse": "/static/css/site.css",
    }
    assert app.url_for_static_asset("assets", "/a.css") == "/static/a.css"
    assert app.get_handler_index_by_name("assets/head") is not None


async def test_cache_control_is_sent(site: Path) -> None:
    router = create_static_files_router(
        "/static", [site], cache_control=CacheControlHeader(max_age=3600, public=True)
    )
    (response,) = await get_paths(TrioWeb([router]), "/static/hello.txt")
    assert response.headers["cache-control"] == "max-age=3600, public"


async def test_guards_apply(site: Path) -> None:
    from trioweb.exceptions import NotAuthorizedException

    def deny(connection: Any, handler: Any) -> None:
        raise NotAuthorizedException()

    app = TrioWeb([create_static_files_router("/static", [site], guards=[deny])])
    (response,) = await get_paths(app, "/static/hello.txt")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("path", "directories", "options"),
    [
        ("", ["x"], {}),
        ("/static/{name:str}", ["x"], {}),
        ("/static", [], {}),
        ("/static", ["x"], {"file_system": object()}),
    ],
)
def test_configuration_errors(path: str, directories: list[str], options: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        create_static_files_router(path, directories, **options)


async def test_static_files_app_mounted(site: Path) -> None:
    static = StaticFiles(is_html_mode=False, directories=[site])
    app = TrioWeb([asgi("/files", is_mount=True)(static)])
    async with AsyncTestClient(app) as client:
        hello = await client.get("/files/hello.txt")
        escape = await client.get("/files/escape.txt")
        post = await client.post("/files/hello.txt")
    assert (hello.status_code, hello.text) == (200, "hello")
    assert escape.status_code == 404
    assert post.status_code == 405


async def test_custom_file_system(site: Path) -> None:
    class LocalFS:
        def __init__(self) -> None:
            self.paths: list[str] = []

        def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
            self.paths.append(path)
            p = Path(path)
            if not p.exists():
                raise FileNotFoundError(path)
            return {
                "name": path,
                "size": p.stat().st_size,
                "type": "directory" if p.is_dir() else "file",
            }

        def open(self, path: str, mode: str = "rb") -> Any:
            return open(path, mode)  # noqa: SIM115

    fs = LocalFS()
    app = TrioWeb([create_static_files_router("/s", [site], file_system=fs, html_mode=True)])
    hello, docs, traversal, missing = await get_paths(
        app, "/s/hello.txt", "/s/docs", "/s/%2e%2e/secret/key.txt", "/s/none"
    )
    assert (hello.text, docs.text) == ("hello", "<h1>docs</h1>")
    assert traversal.status_code == 404 and b"SECRET" not in traversal.content
    assert (missing.status_code, missing.text) == (404, "<h1>missing</h1>")
    assert not any(".." in path for path in fs.paths)
