"""Byte ranges (RFC 9110 §14): parsing ``Range`` and laying out ``multipart/byteranges``.

Invariants of :func:`parse_range_header`'s result:

* ``None``: the header must be ignored and the whole representation sent (another unit
  than ``bytes``, a syntax error, a range whose last position precedes its first, or more
  than :data:`MAX_RANGES` ranges once merged, a sign of abuse);
* ``[]``: no range is satisfiable, the answer is 416 with ``Content-Range: bytes */size``;
* otherwise the satisfiable ranges, clipped to the representation, sorted, with overlapping
  and adjacent ranges merged (RFC 9110 §14.2 allows coalescing), so parts never overlap.

Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = (
    "MAX_RANGES",
    "ByteRange",
    "MultipartLayout",
    "content_range",
    "multipart_layout",
    "parse_range_header",
)

MAX_RANGES: Final = 32
"""Ranges served as one multipart response; a request asking for more gets the whole file."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    """Positions ``start`` to ``end`` of a representation, both included."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """The number of bytes in the range."""
        return self.end - self.start + 1


def _digits(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def parse_range_header(value: str, size: int) -> list[ByteRange] | None:
    """Parse ``Range`` for a representation of ``size`` bytes (see the module invariants)."""
    unit, equals, specs = value.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    satisfiable: list[ByteRange] = []
    seen_any = False
    for raw_spec in specs.split(","):
        spec = raw_spec.strip()
        if not spec:
            continue  # empty list elements are allowed and ignored (RFC 9110 §5.6.1)
        seen_any = True
        first_text, dash, last_text = spec.partition("-")
        if not dash:
            return None
        if not first_text.strip():  # suffix range: the last N bytes
            suffix = _digits(last_text)
            if suffix is None:
                return None
            if suffix > 0 and size > 0:
                satisfiable.append(ByteRange(max(0, size - suffix), size - 1))
            continue
        first = _digits(first_text)
        last = _digits(last_text) if last_text.strip() else size - 1
        if first is None or last is None:
            return None
        if last_text.strip() and last < first:
            return None
        if first < size:
            satisfiable.append(ByteRange(first, min(last, size - 1)))
    if not seen_any:
        return None
    merged = _coalesce(satisfiable)
    if len(merged) > MAX_RANGES:
        return None
    return merged


def _coalesce(ranges: list[ByteRange]) -> list[ByteRange]:
    merged: list[ByteRange] = []
    for current in sorted(ranges, key=lambda r: r.start):
        if merged and current.start <= merged[-1].end + 1:
            last = merged[-1]
            merged[-1] = ByteRange(last.start, max(last.end, current.end))
        else:
            merged.append(current)
    return merged


def content_range(byte_range: ByteRange, size: int) -> str:
    """The ``Content-Range`` value of one range."""
    return f"bytes {byte_range.start}-{byte_range.end}/{size}"


@dataclass(frozen=True, slots=True)
class MultipartLayout:
    """A ``multipart/byteranges`` body: each part's header then its range, then a trailer."""

    parts: tuple[tuple[bytes, ByteRange], ...]
    trailer: bytes
    content_length: int
    content_type: str


def multipart_layout(
    ranges: list[ByteRange], size: int, media_type: str, boundary: str
) -> MultipartLayout:
    """Lay out the parts of a multi-range answer; the length is known before any read."""
    parts: list[tuple[bytes, ByteRange]] = []
    total = 0
    for index, byte_range in enumerate(ranges):
        # each delimiter after the first starts with the CRLF that ends the previous part
        head = (b"" if index == 0 else b"\r\n") + (
            f"--{boundary}\r\n"
            f"Content-Type: {media_type}\r\n"
            f"Content-Range: {content_range(byte_range, size)}\r\n\r\n"
        ).encode("latin-1")
        parts.append((head, byte_range))
        total += len(head) + byte_range.length
    trailer = f"\r\n--{boundary}--\r\n".encode("latin-1")
    total += len(trailer)
    return MultipartLayout(
        parts=tuple(parts),
        trailer=trailer,
        content_length=total,
        content_type=f"multipart/byteranges; boundary={boundary}",
    )
