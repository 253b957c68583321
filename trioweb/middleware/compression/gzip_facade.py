"""``GzipCompression``: gzip from the standard library's zlib."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, ClassVar

from trioweb.enums import CompressionEncoding
from trioweb.middleware.compression.facade import CompressionFacade

if TYPE_CHECKING:
    from io import BytesIO

    from trioweb.config.compression import CompressionConfig

__all__ = ("GzipCompression",)

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream


class GzipCompression(CompressionFacade):
    """A gzip stream; every ``write`` ends with a sync flush so the bytes so far decode."""

    __slots__ = ("_compressor", "_finished", "buffer", "compression_encoding")

    encoding: ClassVar[str] = CompressionEncoding.GZIP

    def __init__(
        self, buffer: BytesIO, compression_encoding: str, config: CompressionConfig
    ) -> None:
        self.buffer = buffer
        self.compression_encoding = compression_encoding
        self._compressor = zlib.compressobj(config.gzip_compress_level, zlib.DEFLATED, _GZIP_WBITS)
        self._finished = False

    def write(self, body: bytes | bytearray, final: bool = False) -> None:
        """Compress ``body``; flush it (``final``: finish the stream)."""
        compressor = self._compressor
        self.buffer.write(compressor.compress(body))
        # Flushed even when final, as Litestar does, so a body has the length it has there.
        self.buffer.write(compressor.flush(zlib.Z_SYNC_FLUSH))
        if final:
            self.close()

    def close(self) -> None:
        """Write the gzip trailer unless a ``final`` write did."""
        if not self._finished:
            self.buffer.write(self._compressor.flush(zlib.Z_FINISH))
            self._finished = True
