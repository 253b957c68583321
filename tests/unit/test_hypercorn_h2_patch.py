"""The guarded fix for hypercorn leaving unended HTTP/2 streams open.

The behaviour is checked against a real server over h2c in
``tests/integration/test_streaming_server.py`` (an aborted stream is reset, its neighbours
on the connection go on); these tests pin the guard.
"""

from __future__ import annotations

from typing import Any

from hypercorn.protocol.h2 import H2Protocol, StreamBuffer

from trioweb import _hypercorn_h2_patch as h2_patch
from trioweb import _hypercorn_patch as patch


def test_the_close_race_fix_installs_it_too() -> None:
    patch.apply(force_import=True)
    assert h2_patch.status() == "patched"
    assert getattr(H2Protocol._close_stream, "__trioweb_patched__", False)
    assert h2_patch.apply() == "patched"  # idempotent


def test_the_guard_reads_hypercorns_code_not_its_version() -> None:
    assert h2_patch._original is not None

    class Original(H2Protocol):
        _close_stream = h2_patch._original  # type: ignore[assignment]

    assert h2_patch.defect_present(Original, StreamBuffer) == (
        True,
        "H2Protocol._close_stream forgets a stream without ending or resetting it",
    )
    class Fixed(H2Protocol):
        async def _close_stream(self, stream_id: int) -> None:
            self.connection.reset_stream(stream_id)

    # a hypercorn that resets unended streams itself is left alone
    assert h2_patch.defect_present(Fixed, StreamBuffer) == (
        False,
        "H2Protocol._close_stream already resets streams",
    )

    class Reshaped:
        async def _close_stream(self, stream_id: int) -> None: ...

    class OtherBuffer:
        def __init__(self) -> None:
            self.done = False

    assert h2_patch.defect_present(Reshaped, StreamBuffer)[0] is False
    assert h2_patch.defect_present(Original, OtherBuffer) == (
        False,
        "StreamBuffer no longer has a _complete flag",
    )


def test_a_stream_that_ended_or_that_the_client_closed_is_not_reset() -> None:
    class Buffer:
        def __init__(self, complete: bool) -> None:
            self._complete = complete

    class H2Stream:
        def __init__(self, closed: bool) -> None:
            self.closed = closed

    def protocol(complete: bool, client_closed: bool, connection_closed: bool = False) -> Any:
        fake: Any = type("FakeProtocol", (), {})()
        fake.closed = connection_closed
        fake.stream_buffers = {1: Buffer(complete)}
        fake.connection = type("Connection", (), {"streams": {1: H2Stream(client_closed)}})()
        return fake

    assert h2_patch._unended(protocol(complete=False, client_closed=False), 1)
    assert not h2_patch._unended(protocol(complete=True, client_closed=False), 1)
    assert not h2_patch._unended(protocol(complete=False, client_closed=True), 1)
    assert not h2_patch._unended(protocol(False, False, connection_closed=True), 1)
    assert not h2_patch._unended(protocol(complete=False, client_closed=False), 3)
