"""Edits of a raw ASGI header list (``[(name, value), ...]``, names lower-case bytes).

The built-in middleware rewrites ``http.response.start`` messages on their way out; these
helpers do it in place without building a headers object per response.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ("add_vary", "find_header", "remove_header", "set_header")

RawHeaders = list[tuple[bytes, bytes]]


def find_header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of ``name`` (lower-case), or ``None``."""
    for key, value in headers:
        if key == name or key.lower() == name:
            return value
    return None


def set_header(headers: RawHeaders, name: bytes, value: bytes) -> None:
    """Replace the first ``name`` header in place (dropping any others), or append it."""
    position = -1
    for index in range(len(headers) - 1, -1, -1):
        if headers[index][0].lower() == name:
            if position != -1:
                del headers[position]
            position = index
    if position == -1:
        headers.append((name, value))
    else:
        headers[position] = (name, value)


def remove_header(headers: RawHeaders, name: bytes) -> None:
    """Remove every ``name`` header."""
    headers[:] = [item for item in headers if item[0].lower() != name]


def add_vary(headers: RawHeaders, token: bytes) -> None:
    """Add ``token`` to ``Vary`` unless it (or ``*``) is already listed."""
    for index, (key, value) in enumerate(headers):
        if key.lower() == b"vary":
            listed = {part.strip().lower() for part in value.split(b",")}
            if token.lower() not in listed and b"*" not in listed:
                headers[index] = (key, value + b"," + token)
            return
    headers.append((b"vary", token))
