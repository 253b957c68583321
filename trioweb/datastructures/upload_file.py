"""``UploadFile``: one uploaded file, spooled in memory and rolled to disk past a size limit.

Blocking file calls are the reason this type is async. While the data is in memory
(a ``BytesIO`` inside :class:`tempfile.SpooledTemporaryFile`) every operation is a cheap
memory copy and runs inline; once the file has rolled over to a real temporary file on
disk, each operation runs in a worker thread via :func:`trio.to_thread.run_sync`.
Litestar decides the same way, from the spooled file's rolled-over flag; in addition, a
``write`` that is about to push the file over the limit runs in a thread too, because the
rollover itself copies everything written so far to disk.

Cancellation:
    A thread-backed call is not abandoned when cancelled: trio waits for the file
    operation to finish before raising ``Cancelled``, so the file position and contents
    always match what was actually done.
"""

from __future__ import annotations

from tempfile import SpooledTemporaryFile
from typing import Final

import trio

__all__ = ("ONE_MEGABYTE", "UploadFile")

ONE_MEGABYTE: Final = 1024 * 1024
"""Default in-memory size limit of an upload before it is rolled over to disk."""


class UploadFile:
    """Representation of a file upload."""

    __slots__ = ("_max_spool_size", "content_type", "file", "filename", "headers")

    def __init__(
        self,
        content_type: str,
        filename: str,
        file_data: bytes | None = None,
        headers: dict[str, str] | None = None,
        max_spool_size: int = ONE_MEGABYTE,
    ) -> None:
        """Create the spooled file and write ``file_data`` (if any) to it, rewound to the start.

        Args:
            content_type: Content type of the file, as the client declared it.
            filename: The file name, as the client declared it.
            file_data: Initial contents.
            headers: The headers of this part of the multipart body.
            max_spool_size: Size in bytes above which the data is rolled over to disk.
        """
        self.filename = filename
        self.content_type = content_type
        self.file: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(max_size=max_spool_size)  # noqa: SIM115
        self.headers = headers or {}
        self._max_spool_size = max_spool_size
        if file_data:
            self.file.write(file_data)
            self.file.seek(0)

    @property
    def rolled_to_disk(self) -> bool:
        """Whether the data has outgrown ``max_spool_size`` and now lives in a file on disk."""
        return bool(getattr(self.file, "_rolled", False))

    def _write_rolls_over(self, size: int) -> bool:
        limit = self._max_spool_size
        return bool(limit) and self.file.tell() + size > limit

    async def write(self, data: bytes | bytearray) -> int:
        """Write ``data`` at the current position; return the number of bytes written."""
        if self.rolled_to_disk or self._write_rolls_over(len(data)):
            return await trio.to_thread.run_sync(self.file.write, data)
        return self.file.write(data)

    async def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes from the current position (everything left if negative)."""
        if self.rolled_to_disk:
            return await trio.to_thread.run_sync(self.file.read, size)
        return self.file.read(size)

    async def seek(self, offset: int) -> int:
        """Move to absolute position ``offset``; return the new position."""
        if self.rolled_to_disk:
            return await trio.to_thread.run_sync(self.file.seek, offset)
        return self.file.seek(offset)

    async def close(self) -> None:
        """Close the file (deleting its temporary file on disk, if any); idempotent."""
        if self.file.closed:
            return
        if self.rolled_to_disk:
            await trio.to_thread.run_sync(self.file.close)
        else:
            self.file.close()

    def __repr__(self) -> str:
        return f"{self.filename} - {self.content_type}"
