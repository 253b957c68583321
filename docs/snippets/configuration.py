"""The app-level configuration objects together (docs/configuration.md)."""

from __future__ import annotations

import msgspec

from trioweb import TrioWeb, get, post
from trioweb.config.compression import CompressionConfig
from trioweb.config.cors import CORSConfig
from trioweb.config.csrf import CSRFConfig
from trioweb.logging import LoggingConfig
from trioweb.openapi import OpenAPIConfig


class Book(msgspec.Struct):
    title: str
    year: int


@get("/books/{book_id:int}", tags=["books"])
async def get_book(book_id: int) -> Book:
    return Book(title="Structured Concurrency", year=2018)


@post("/books", tags=["books"])
async def add_book(data: Book) -> Book:
    return data


app = TrioWeb(
    [get_book, add_book],
    cors_config=CORSConfig(allow_origins=["https://app.example.com"], allow_credentials=True),
    compression_config=CompressionConfig(backend="gzip", minimum_size=500),
    csrf_config=CSRFConfig(secret="change me, and keep me out of the repository"),
    allowed_hosts=["localhost", "127.0.0.1", "testserver.local", "*.example.com"],
    logging_config=LoggingConfig(
        configure_root_logger=False,  # leave the host application's logging alone
        loggers={"trioweb": {"level": "INFO", "handlers": ["queue_listener"]}},
    ),
    openapi_config=OpenAPIConfig(title="Library", version="1.0.0"),
)
