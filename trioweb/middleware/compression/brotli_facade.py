"""``BrotliCompression``: brotli, available when the ``brotli`` package is installed.

This module imports without ``brotli``; :class:`~trioweb.config.compression.CompressionConfig`
checks :meth:`BrotliCompression.is_available` and refuses the brotli backend when it is
missing, so the error comes when the app is configured, not on a request.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, ClassVar

from trioweb.enums import CompressionEncoding
from trioweb.exceptions import MissingDependencyException
from trioweb.middleware.compression.facade import CompressionFacade

if TYPE_CHECKING:
    from io import BytesIO

    from trioweb.config.compression import CompressionConfig

__all__ = ("BrotliCompression",)


class BrotliCompression(CompressionFacade):
    """A brotli stream; every ``write`` flushes so the bytes so far decode."""

    __slots__ = ("_compressor", "_finished", "buffer", "compression_encoding")

    encoding: ClassVar[str] = CompressionEncoding.BROTLI

    @staticmethod
    def is_available() -> bool:
        """Whether the ``brotli`` package can be imported."""
        return importlib.util.find_spec("brotli") is not None

    def __init__(
        self, buffer: BytesIO, compression_encoding: str, config: CompressionConfig
    ) -> None:
        try:
            brotli: Any = importlib.import_module("brotli")
        except ImportError as error:
            raise MissingDependencyException("brotli") from error
        modes = {"generic": brotli.MODE_GENERIC, "text": brotli.MODE_TEXT, "font": brotli.MODE_FONT}
        self.buffer = buffer
        self.compression_encoding = compression_encoding
        self._compressor = brotli.Compressor(
            quality=config.brotli_quality,
            mode=modes[config.brotli_mode],
            lgwin=config.brotli_lgwin,
            lgblock=config.brotli_lgblock,
        )
        self._finished = False

    def write(self, body: bytes | bytearray, final: bool = False) -> None:
        """Compress ``body``; flush it (``final``: finish the stream)."""
        compressor = self._compressor
        self.buffer.write(compressor.process(bytes(body)))
        # Flushed even when final, as Litestar does, so a body has the length it has there.
        self.buffer.write(compressor.flush())
        if final:
            self.close()

    def close(self) -> None:
        """End the brotli stream unless a ``final`` write did."""
        if not self._finished:
            self.buffer.write(self._compressor.finish())
            self._finished = True
