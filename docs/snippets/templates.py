"""Templates: Jinja files and strings, with the request and helpers in the context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trioweb import TrioWeb, get
from trioweb.contrib.jinja import JinjaTemplateEngine
from trioweb.exceptions import NotFoundException
from trioweb.response import Template
from trioweb.static_files import create_static_files_router
from trioweb.template.config import TemplateConfig

HERE = Path(__file__).parent


@dataclass
class Book:
    title: str


BOOKS = {1: Book("Structured Concurrency"), 2: Book("<Trio> & You")}


@get("/books/{book_id:int}")
async def book(book_id: int) -> Template:
    if book_id not in BOOKS:
        raise NotFoundException(f"No book {book_id}")
    return Template(template_name="book.html", context={"book": BOOKS[book_id]})


@get("/books", name="books")
async def books() -> Template:
    # the .txt template is sent as text/plain
    return Template(template_name="books.txt", context={"books": list(BOOKS.values())})


@get("/hello")
async def hello(name: str = "world") -> Template:
    return Template(template_str="<p>Hello, {{ name }}!</p>", context={"name": name})


app = TrioWeb(
    route_handlers=[
        book,
        books,
        hello,
        create_static_files_router("/static", [HERE / "assets" / "site"]),
    ],
    template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
)
