"""Quickstart: routes, typed parameters, a body model, a controller and an error."""

from __future__ import annotations

from dataclasses import dataclass

from trioweb import Controller, TrioWeb, get, post
from trioweb.exceptions import NotFoundException


@dataclass
class Book:
    title: str
    year: int


BOOKS: dict[int, Book] = {1: Book("Structured Concurrency", 2018)}


@get("/")
async def index() -> str:
    return "Welcome to the library"


class BookController(Controller):
    path = "/books"

    @get("/{book_id:int}")
    async def get_book(self, book_id: int) -> Book:
        if book_id not in BOOKS:
            raise NotFoundException(f"No book {book_id}")
        return BOOKS[book_id]

    @get("/")
    async def list_books(self, since: int = 0) -> list[Book]:
        return [book for book in BOOKS.values() if book.year >= since]

    @post("/")
    async def add_book(self, data: Book) -> Book:
        BOOKS[max(BOOKS) + 1] = data
        return data


app = TrioWeb(route_handlers=[index, BookController])
