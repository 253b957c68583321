"""Template responses with the Jinja engine: config, context, escaping, media types, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from trioweb import Request, TrioWeb, get, post
from trioweb.exceptions import ImproperlyConfiguredException, TemplateNotFoundException
from trioweb.response import Template
from trioweb.static_files import create_static_files_router
from trioweb.template import TemplateConfig
from trioweb.testing import AsyncTestClient


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    directory = tmp_path / "templates"
    directory.mkdir()
    (directory / "hello.html").write_text("<p>Hello {{ name }} at {{ request.url.path }}</p>")
    (directory / "page.html.jinja2").write_text("{{ title }}")
    (directory / "plain.txt").write_text("{{ name }}")
    (directory / "noext").write_text("{{ name }}")
    (directory / "links.html").write_text(
        "{{ url_for('hello') }}|{{ url_for_static_asset('static', 'a.css') }}|"
        "[{{ csrf_token() }}]|{{ csrf_input | safe }}"
    )
    return directory


def make_app(templates: Path, *handlers: Any, **config: Any) -> TrioWeb:
    return TrioWeb(
        list(handlers),
        template_config=TemplateConfig(directory=templates, **config),
    )


async def fetch(app: TrioWeb, path: str = "/") -> Any:
    async with AsyncTestClient(app) as client:
        return await client.get(path)


@get("/hello", name="hello")
async def hello(name: str = "world") -> Template:
    return Template(template_name="hello.html", context={"name": name})


async def test_renders_with_request_in_context_and_autoescapes(templates: Path) -> None:
    app = make_app(templates, hello)
    async with AsyncTestClient(app) as client:
        response = await client.get("/hello", params={"name": "<script>"})
    assert response.status_code == 200
    assert response.text == "<p>Hello &lt;script&gt; at /hello</p>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-length"] == str(len(response.content))


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("page.html.jinja2", "text/html; charset=utf-8"),
        ("plain.txt", "text/plain; charset=utf-8"),
        ("noext", "text/plain; charset=utf-8"),
    ],
)
async def test_media_type_is_guessed_from_the_name(
    templates: Path, name: str, media_type: str
) -> None:
    @get("/")
    async def handler() -> Template:
        return Template(name, context={"name": "x", "title": "t"})

    response = await fetch(make_app(templates, handler))
    assert response.headers["content-type"] == media_type


async def test_explicit_media_types(templates: Path) -> None:
    @get("/own")
    async def own() -> Template:
        return Template("plain.txt", context={"name": "x"}, media_type="text/csv")

    @get("/handler", media_type="application/xml")
    async def from_handler() -> Template:
        return Template("plain.txt", context={"name": "x"})

    app = make_app(templates, own, from_handler)
    assert (await fetch(app, "/own")).headers["content-type"] == "text/csv; charset=utf-8"
    assert (await fetch(app, "/handler")).headers["content-type"] == "application/xml"


async def test_template_string_is_html_and_escaped(templates: Path) -> None:
    @get("/")
    async def handler() -> Template:
        return Template(template_str="<b>{{ v }}</b>", context={"v": "<i>"})

    response = await fetch(make_app(templates, handler))
    assert response.text == "<b>&lt;i&gt;</b>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


async def test_helpers_in_templates(templates: Path) -> None:
    @get("/")
    async def handler() -> Template:
        return Template("links.html")

    static = create_static_files_router("/static", [templates])
    response = await fetch(make_app(templates, handler, hello, static))
    assert response.text == (
        '/hello|/static/a.css|[]|<input type="hidden" name="_csrf_token" value="" />'
    )


async def test_status_headers_cookies(templates: Path) -> None:
    @post("/")
    async def handler() -> Template:
        return Template(
            template_str="ok", status_code=202, headers={"x-a": "1"}, cookies={"c": "2"}
        )

    async with AsyncTestClient(make_app(templates, handler)) as client:
        response = await client.post("/")
    assert (response.status_code, response.text) == (202, "ok")
    assert response.headers["x-a"] == "1"
    assert response.cookies["c"] == "2"


async def test_post_handler_template_defaults_to_200_as_in_litestar(templates: Path) -> None:
    @post("/")
    async def handler() -> Template:
        return Template(template_str="ok")

    async with AsyncTestClient(make_app(templates, handler)) as client:
        assert (await client.post("/")).status_code == 200


async def test_missing_template_is_a_500(templates: Path, caplog: pytest.LogCaptureFixture) -> None:
    @get("/")
    async def handler() -> Template:
        return Template("nope.html")

    response = await fetch(make_app(templates, handler))
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert "Template nope.html not found." in caplog.text


async def test_no_engine_configured_is_a_500() -> None:
    @get("/")
    async def handler() -> Template:
        return Template(template_str="x")

    async with AsyncTestClient(TrioWeb([handler])) as client:
        assert (await client.get("/")).status_code == 500


async def test_instance_and_callback(templates: Path) -> None:
    from trioweb.contrib.jinja import JinjaTemplateEngine

    environment = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "{{ x | shout }}"}))
    environment.filters["shout"] = lambda value: f"{value}!"

    @get("/")
    async def handler() -> Template:
        return Template("a.html", context={"x": "hi"})

    app = TrioWeb(
        [handler],
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment)),
    )
    assert (await fetch(app)).text == "hi!"

    def add_filter(engine: JinjaTemplateEngine) -> None:
        engine.engine.filters["shout"] = lambda value: f"{value}!!"

    (templates / "a.html").write_text("{{ x | shout }}")
    config = TemplateConfig(
        directory=templates, engine=JinjaTemplateEngine, engine_callback=add_filter
    )
    assert (await fetch(TrioWeb([handler], template_config=config))).text == "hi!!"


def test_import_paths_and_engine_errors(templates: Path) -> None:
    from trioweb.contrib.jinja import JinjaTemplateEngine as from_contrib
    from trioweb.template import JinjaTemplateEngine as from_template

    assert from_contrib is from_template
    engine = from_contrib(directory=templates)
    assert engine.engine.autoescape is True
    with pytest.raises(TemplateNotFoundException):
        engine.get_template("missing.html")
    with pytest.raises(ImproperlyConfiguredException):
        from_contrib(directory=templates, engine_instance=jinja2.Environment())
    with pytest.raises(ImproperlyConfiguredException):
        from_contrib()
    with pytest.raises(ImproperlyConfiguredException):
        TemplateConfig(engine=from_contrib)
    with pytest.raises(ImproperlyConfiguredException):
        TemplateConfig(directory=templates, instance=engine)


def test_template_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError, match="must be provided"):
        Template()
    with pytest.raises(ValueError, match="not both"):
        Template("a.html", template_str="x")


async def test_context_request_is_the_handlers_request_class(templates: Path) -> None:
    seen: list[Any] = []

    @get("/")
    async def handler(request: Request[Any, Any, Any]) -> Template:
        seen.append(request)
        return Template(template_str="{{ request.method }}")

    assert (await fetch(make_app(templates, handler))).text == "GET"


async def test_csrf_token_from_the_csrf_middleware(templates: Path) -> None:
    from trioweb.config.csrf import CSRFConfig

    @get("/")
    async def handler() -> Template:
        return Template(template_str="{{ csrf_token() }}|{{ csrf_input | safe }}")

    app = TrioWeb(
        [handler],
        template_config=TemplateConfig(directory=templates),
        csrf_config=CSRFConfig(secret="s" * 32),
    )
    async with AsyncTestClient(app) as client:
        response = await client.get("/")
    token, _, field = response.text.partition("|")
    assert token
    assert field == f'<input type="hidden" name="_csrf_token" value="{token}" />'


async def test_csrf_input_escapes_a_forged_cookie(templates: Path) -> None:
    # On a safe request the token is the client's cookie as sent; rendered `| safe`, an
    # unescaped value would let a planted cookie inject markup into the page.
    from trioweb.config.csrf import CSRFConfig

    @get("/")
    async def handler() -> Template:
        return Template(template_str="{{ csrf_input | safe }}")

    app = TrioWeb(
        [handler],
        template_config=TemplateConfig(directory=templates),
        csrf_config=CSRFConfig(secret="s" * 32),
    )
    forged = '"><script>alert(1)</script>'
    async with AsyncTestClient(app) as client:
        response = await client.get("/", headers={"cookie": f"csrftoken={forged}"})
    assert "<script>" not in response.text
    assert response.text == (
        '<input type="hidden" name="_csrf_token" '
        'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" />'
    )
