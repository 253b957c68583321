"""The OpenAPI document at ``/schema/openapi.json``: built lazily from the route table."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import msgspec
import pytest

from trioweb import Controller, Request, Response, Router, TrioWeb, get, post
from trioweb.datastructures import UploadFile
from trioweb.di import Provide
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import NotFoundException
from trioweb.openapi import OpenAPIConfig, ResponseSpec
from trioweb.openapi import _generator as generator
from trioweb.openapi.spec import Components, Contact, License, SecurityScheme, Server, Tag
from trioweb.params import Body, Parameter
from trioweb.response import File, Redirect, Stream, Template
from trioweb.testing import AsyncTestClient

ERROR_KEYS = ["detail", "status_code"]


class Item(msgspec.Struct):
    id: int
    name: str
    tags: list[str] = []


@dataclasses.dataclass
class NewItem:
    name: str
    price: float = 0.0


@dataclasses.dataclass
class Upload:
    title: str
    file: UploadFile


def paging(page: int = 1, per_page: Annotated[int, Parameter(query="perPage")] = 20) -> int:
    return page * per_page


@get("/items/{item_id:int}", tags=["items"], summary="Get one")
async def get_item(item_id: int, q: str | None = None, limit: int = 10) -> Item:
    """Return an item."""
    return Item(id=item_id, name="x")


@post("/items", description="Make one", raises=[NotFoundException])
async def create(
    data: NewItem,
    token: Annotated[str, Parameter(header="X-Token", description="the key")],
    session: Annotated[str | None, Parameter(cookie="session")] = None,
) -> Item:
    return Item(id=1, name=data.name)


@get("/plain", sync_to_thread=False)
def plain() -> str:
    return "hi"


@get("/none", status_code=204)
async def none() -> None:
    return None


@get("/paged", dependencies={"offset": Provide(paging, sync_to_thread=False)})
async def paged(offset: int, request: Request[Any, Any, Any]) -> list[Item]:
    return []


@post("/upload")
async def upload(
    data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> None:
    return None


@get("/wrapped", responses={404: ResponseSpec(None, description="Not there")})
async def wrapped() -> Response[Item]:
    return Response(Item(id=1, name="w"))


@get("/hidden", include_in_schema=False)
async def hidden() -> str:
    return "hidden"


class Things(Controller):
    path = "/things"
    tags = ["things"]

    @get("/{name:str}", deprecated=True, operation_id="fetchThing")
    async def thing(self, name: str) -> dict[str, str]:
        return {"name": name}


def make_app(**options: Any) -> TrioWeb:
    router = Router("/v1", [Things])
    return TrioWeb(
        [get_item, create, plain, none, paged, upload, wrapped, hidden, router], **options
    )


async def fetch(app: TrioWeb, path: str = "/schema/openapi.json") -> Any:
    async with AsyncTestClient(app) as client:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json"
    return response.json()


async def test_document_head_and_defaults() -> None:
    document = await fetch(make_app())
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Litestar API", "version": "1.0.0"}
    assert document["servers"] == [{"url": "/"}]
    assert list(document["paths"]) == [
        "/items/{item_id}",
        "/items",
        "/plain",
        "/none",
        "/paged",
        "/upload",
        "/wrapped",
        "/v1/things/{name}",
    ]


async def test_an_operation_as_litestar_describes_it() -> None:
    operation = (await fetch(make_app()))["paths"]["/items/{item_id}"]["get"]
    assert operation["tags"] == ["items"]
    assert operation["summary"] == "Get one"
    assert operation["operationId"] == "ItemsItemIdGetItem"
    assert "description" not in operation  # docstrings only with use_handler_docstrings
    assert operation["deprecated"] is False
    assert operation["parameters"] == [
        {"name": "item_id", "in": "path", "schema": {"type": "integer"}, "required": True},
        {
            "name": "q",
            "in": "query",
            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "required": False,
        },
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "default": 10},
            "required": False,
        },
    ]
    success = operation["responses"]["200"]
    assert success["description"] == "Request fulfilled, document follows"
    assert success["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
    }
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert error["required"] == ERROR_KEYS


async def test_body_headers_cookies_and_raises() -> None:
    operation = (await fetch(make_app()))["paths"]["/items"]["post"]
    assert operation["summary"] == "Create"
    assert operation["description"] == "Make one"
    assert operation["parameters"] == [
        {
            "name": "X-Token",
            "in": "header",
            "schema": {"type": "string"},
            "required": True,
            "description": "the key",
        },
        {
            "name": "session",
            "in": "cookie",
            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "required": False,
        },
    ]
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewItem"}}},
        "required": True,
    }
    assert set(operation["responses"]) == {"201", "400", "404"}
    assert operation["responses"]["201"]["description"] == "Document created, URL follows"


async def test_components_hold_the_models_once() -> None:
    schemas = (await fetch(make_app()))["components"]["schemas"]
    assert set(schemas) == {"Item", "NewItem", "Upload"}
    assert schemas["Item"]["required"] == ["id", "name"]
    assert schemas["NewItem"]["properties"]["price"] == {"type": "number", "default": 0.0}
    assert schemas["Upload"]["properties"]["file"] == {"type": "string", "format": "binary"}


async def test_text_no_content_dependencies_and_wrapped_responses() -> None:
    paths = (await fetch(make_app()))["paths"]
    assert paths["/plain"]["get"]["responses"] == {
        "200": {
            "description": "Request fulfilled, document follows",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    }
    assert paths["/none"]["get"]["responses"] == {
        "204": {"description": "Request fulfilled, nothing follows"}
    }
    parameters = paths["/paged"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [("page", "query"), ("perPage", "query")]
    wrapped = paths["/wrapped"]["get"]["responses"]
    assert wrapped["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Item"
    }
    assert wrapped["404"] == {"description": "Not there"}
    body = paths["/upload"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]


async def test_layered_tags_operation_ids_and_deprecation() -> None:
    operation = (await fetch(make_app()))["paths"]["/v1/things/{name}"]["get"]
    assert operation["tags"] == ["things"]
    assert operation["operationId"] == "fetchThing"
    assert operation["deprecated"] is True
    assert operation["summary"] == "Thing"


async def test_metadata_from_the_config() -> None:
    config = OpenAPIConfig(
        title="Shop",
        version="2.0",
        description="All the things",
        contact=Contact(name="Ops", email="ops@example.com"),
        license=License(name="MIT"),
        servers=[Server(url="https://api.example.com")],
        tags=[Tag(name="items", description="Items")],
        security=[{"bearer": []}],
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
        ),
        use_handler_docstrings=True,
        path="/docs",
    )
    document = await fetch(make_app(openapi_config=config), "/docs/openapi.json")
    assert document["info"] == {
        "title": "Shop",
        "version": "2.0",
        "description": "All the things",
        "contact": {"name": "Ops", "email": "ops@example.com"},
        "license": {"name": "MIT"},
    }
    assert document["servers"] == [{"url": "https://api.example.com"}]
    assert document["tags"] == [{"name": "items", "description": "Items"}]
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    operation = document["paths"]["/items/{item_id}"]["get"]
    assert operation["description"] == "Return an item."


async def test_no_config_no_document() -> None:
    async with AsyncTestClient(make_app(openapi_config=None)) as client:
        assert (await client.get("/schema/openapi.json")).status_code == 404


async def test_the_document_is_built_once_and_rebuilt_after_register(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    build = generator.build_openapi_document

    def counting(app: Any, config: Any) -> Any:
        calls.append(1)
        return build(app, config)

    monkeypatch.setattr(generator, "build_openapi_document", counting)
    app = make_app()
    assert calls == []  # not at startup
    async with AsyncTestClient(app) as client:
        first = (await client.get("/schema/openapi.json")).json()
        await client.get("/schema/openapi.json")
        assert len(calls) == 1

        @get("/late")
        async def late() -> str:
            return "late"

        app.register(late)
        second = (await client.get("/schema/openapi.json")).json()
    assert len(calls) == 2
    assert "/late" not in first["paths"] and "/late" in second["paths"]


async def test_types_msgspec_cannot_describe_do_not_break_the_document() -> None:
    class Opaque:
        pass

    @get("/opaque", signature_namespace={"Opaque": Opaque})
    async def opaque() -> Opaque:
        return Opaque()

    document = await fetch(TrioWeb([opaque, get_item]))
    schema = document["paths"]["/opaque"]["get"]["responses"]["200"]["content"]
    assert schema["application/json"]["schema"] == {"title": "Opaque"}
    assert "Item" in document["components"]["schemas"]


async def test_file_redirect_template_and_stream_responses_as_litestar_documents_them() -> None:
    # Observed from Litestar 2.25 (litestar/_openapi/responses.py) for the same handlers.
    @get("/report")
    async def report() -> File:
        return File("report.pdf")

    @get("/pdf", media_type="application/pdf", response_description="The report")
    async def pdf() -> File:
        return File("report.pdf")

    @get("/moved", status_code=301)
    async def moved() -> Redirect:
        return Redirect("/new", status_code=301)

    @get("/page")
    async def page() -> Template:
        return Template(template_str="x")

    @get("/feed")
    async def feed() -> Stream:
        return Stream([b"x"])

    async with AsyncTestClient(TrioWeb([report, pdf, moved, page, feed])) as client:
        paths = (await client.get("/schema/openapi.json")).json()["paths"]
    responses = {path: paths[path]["get"]["responses"] for path in paths}
    string = {"type": "string"}
    file_headers = {
        "content-length": {**_doc_header("File size in bytes"), "schema": string},
        "last-modified": {
            **_doc_header("Last modified data-time in RFC 2822 format"),
            "schema": {"type": "string", "format": "date-time"},
        },
        "etag": {**_doc_header("Entity tag"), "schema": string},
    }
    binary = {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}
    assert responses["/report"] == {
        "200": {"description": "File Download", "headers": file_headers, "content": {"": binary}}
    }
    assert responses["/pdf"]["200"]["description"] == "The report"
    assert responses["/pdf"]["200"]["content"] == {"application/pdf": binary}
    assert responses["/moved"] == {
        "301": {
            "description": "Redirect Response",
            "headers": {
                "location": {**_doc_header("target path for the redirect"), "schema": string}
            },
        }
    }
    assert responses["/page"] == {
        "200": {
            "description": "Request fulfilled, document follows",
            "content": {"text/html": {"schema": string}},
        }
    }
    assert responses["/feed"] == {"200": {"description": "Stream Response"}}


def _doc_header(description: str) -> dict[str, Any]:
    return {"description": description, "required": False, "deprecated": False}
