"""Response compression: the middleware and its gzip and brotli compressors."""

from trioweb.middleware.compression.brotli_facade import BrotliCompression
from trioweb.middleware.compression.facade import CompressionFacade
from trioweb.middleware.compression.gzip_facade import GzipCompression
from trioweb.middleware.compression.middleware import CompressionMiddleware

__all__ = ("BrotliCompression", "CompressionFacade", "CompressionMiddleware", "GzipCompression")
