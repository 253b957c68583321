"""``UploadFile`` under trio: in memory until the spool limit, then on disk via threads."""

from typing import Any

import pytest
import trio

from trioweb.datastructures import UploadFile


@pytest.fixture
def thread_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = trio.to_thread.run_sync

    async def counting(fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(fn.__name__)
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(trio.to_thread, "run_sync", counting)
    return calls


async def test_small_file_stays_in_memory(thread_calls: list[str]) -> None:
    upload = UploadFile("text/plain", "a.txt", b"hello world", headers={"x": "1"})
    assert (upload.filename, upload.content_type, upload.headers) == (
        "a.txt",
        "text/plain",
        {"x": "1"},
    )
    assert not upload.rolled_to_disk
    assert await upload.read(5) == b"hello"
    assert await upload.read() == b" world"
    assert await upload.seek(0) == 0
    assert await upload.read() == b"hello world"
    assert await upload.write(b"!") == 1
    await upload.close()
    assert upload.file.closed
    assert thread_calls == []


async def test_large_file_rolls_to_disk_and_uses_threads(thread_calls: list[str]) -> None:
    upload = UploadFile("application/octet-stream", "big.bin", max_spool_size=10)
    assert await upload.write(b"0123456789") == 10
    assert not upload.rolled_to_disk
    assert thread_calls == []
    assert await upload.write(b"abc") == 3  # this write rolls the file over
    assert upload.rolled_to_disk
    assert await upload.seek(0) == 0
    assert await upload.read() == b"0123456789abc"
    assert await upload.seek(10) == 10
    assert await upload.read(2) == b"ab"
    await upload.close()
    assert upload.file.closed
    assert thread_calls == ["write", "seek", "read", "seek", "read", "close"]


async def test_initial_data_over_the_limit_is_on_disk() -> None:
    upload = UploadFile("text/plain", "f", file_data=b"x" * 100, max_spool_size=10)
    assert upload.rolled_to_disk
    assert await upload.read() == b"x" * 100
    await upload.close()


async def test_defaults_and_repr() -> None:
    upload = UploadFile("text/plain", "f.txt")
    assert upload.headers == {}
    assert await upload.read() == b""
    assert repr(upload) == "f.txt - text/plain"
    await upload.close()
    await upload.close()  # idempotent


async def test_cancelled_read_is_not_abandoned() -> None:
    upload = UploadFile("text/plain", "f", file_data=b"y" * 100, max_spool_size=10)
    with trio.CancelScope() as scope:
        scope.cancel()
        await upload.read(1)
    # The read either completed before the cancellation or never started: the position
    # is consistent with the data read.
    position = upload.file.tell()
    assert position in (0, 1)
    assert await upload.read() == b"y" * (100 - position)
    await upload.close()
