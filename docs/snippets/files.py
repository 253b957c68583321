"""Files: downloads with Litestar's headers, ranges, conditional requests and a 404."""

from __future__ import annotations

from pathlib import Path

from trioweb import TrioWeb, get
from trioweb.response import File

ASSETS = Path(__file__).parent / "assets"


@get("/report")
async def report() -> File:
    # content-type guessed from the filename: text/csv
    return File(ASSETS / "report.csv", filename="report.csv")


@get("/report/view")
async def view_report() -> File:
    return File(ASSETS / "report.csv", filename="report.csv", content_disposition_type="inline")


@get("/report/unicode")
async def unicode_name() -> File:
    return File(ASSETS / "report.csv", filename="résumé.csv")


@get("/report/stream")
async def streamed_report() -> File:
    # a file larger than chunk_size is streamed, chunk_size bytes at a time
    return File(ASSETS / "report.csv", filename="report.csv", chunk_size=8)


@get("/missing")
async def missing() -> File:
    return File(ASSETS / "no-such-file.csv")


app = TrioWeb(route_handlers=[report, view_report, unicode_name, streamed_report, missing])
