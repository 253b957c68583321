"""``CompressionConfig``: gzip or brotli response compression (``compression_config=``).

As in Litestar, compression is route middleware: it applies to the responses of matched
routes (errors from handlers included, 404/405 answers not), only when the client accepts
the encoding, to bodies of at least ``minimum_size`` bytes, and to every streamed response
(each chunk is flushed, so streams and server-sent events still arrive as they are sent).
See :mod:`trioweb.middleware.compression` for the details and the differences from Litestar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.middleware.compression import (
    BrotliCompression,
    CompressionFacade,
    CompressionMiddleware,
    GzipCompression,
)

__all__ = ("CompressionConfig",)


@dataclass
class CompressionConfig:
    """How responses are compressed."""

    backend: Literal["gzip", "brotli"] | str
    """``"gzip"`` (standard library) or ``"brotli"`` (needs the ``brotli`` package); another
    name needs ``compression_facade``."""
    minimum_size: int = 500
    """Bodies smaller than this (in one message) are sent as they are."""
    gzip_compress_level: int = 9
    """0-9, as for :mod:`gzip`."""
    brotli_quality: int = 5
    """0-11: higher is smaller and slower."""
    brotli_mode: Literal["generic", "text", "font"] = "text"
    """The brotli compressor's mode."""
    brotli_lgwin: int = 22
    """Base 2 logarithm of the brotli window size, 10-24."""
    brotli_lgblock: Literal[0, 16, 17, 18, 19, 20, 21, 22, 23, 24] = 0
    """Base 2 logarithm of the brotli input block size; 0 lets brotli choose."""
    brotli_gzip_fallback: bool = True
    """With the brotli backend, use gzip for clients that accept gzip but not brotli."""
    middleware_class: type[CompressionMiddleware] = CompressionMiddleware
    """The middleware to install (a subclass of ``CompressionMiddleware``)."""
    exclude: str | list[str] | None = None
    """Path patterns (regular expressions) not to compress."""
    exclude_opt_key: str | None = None
    """A handler ``opt`` key that, when true, turns compression off for that handler."""
    compression_facade: type[CompressionFacade] = GzipCompression
    """The compressor of the backend; set from ``backend`` for gzip and brotli."""
    backend_config: Any = None
    """Options for a custom backend's facade."""
    gzip_fallback: bool = True
    """Use gzip for clients that do not accept the backend's encoding but accept gzip."""

    def __post_init__(self) -> None:
        if self.minimum_size <= 0:
            raise ImproperlyConfiguredException("minimum_size must be greater than 0")
        if self.backend == "gzip":
            if not 0 <= self.gzip_compress_level <= 9:
                raise ImproperlyConfiguredException(
                    "gzip_compress_level must be a value between 0 and 9"
                )
        elif self.backend == "brotli":
            if not BrotliCompression.is_available():
                raise ImproperlyConfiguredException(
                    "The 'brotli' compression backend needs the 'brotli' package, which is not "
                    "installed: run 'pip install brotli', or use backend='gzip'"
                )
            if not 0 <= self.brotli_quality <= 11:
                raise ImproperlyConfiguredException(
                    "brotli_quality must be a value between 0 and 11"
                )
            if not 10 <= self.brotli_lgwin <= 24:
                raise ImproperlyConfiguredException(
                    "brotli_lgwin must be a value between 10 and 24"
                )
            self.gzip_fallback = self.brotli_gzip_fallback
            self.compression_facade = BrotliCompression
