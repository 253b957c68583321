"""``CompressionFacade``: what the compression middleware needs from a compressor.

A facade writes compressed bytes into the ``buffer`` it was given; the middleware takes them
out after every call. ``write`` must flush, so each chunk of a stream can be sent at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from io import BytesIO

    from trioweb.config.compression import CompressionConfig

__all__ = ("CompressionFacade",)


class CompressionFacade(Protocol):
    """A compressor for one response body (Litestar's facade interface)."""

    encoding: ClassVar[str]
    """The ``Content-Encoding`` token it produces, such as ``"gzip"``."""

    def __init__(
        self, buffer: BytesIO, compression_encoding: str, config: CompressionConfig
    ) -> None: ...

    def write(self, body: bytes | bytearray, final: bool = False) -> None:
        """Compress ``body`` into the buffer and flush; ``final``: no more data follows."""

    def close(self) -> None:
        """End the compressed stream (a no-op after a ``final`` write)."""
