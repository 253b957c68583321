"""Load generators written against raw sockets, so that the client costs far less than the
server it measures: HTTP/1.1 requests, streamed bodies, held-open SSE connections and
WebSocket echo (frames are pre-built; echoes are counted by length, never parsed).

Every loop here is bounded in count and time and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import os
import selectors
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = (
    "HttpError",
    "hold_sse",
    "hold_websockets",
    "http_request",
    "stream_then_close",
    "time_stream",
    "websocket_echo_rate",
)

HOST = "127.0.0.1"
_TIMEOUT = 30.0


class HttpError(RuntimeError):
    """The server answered something unexpected."""


def _connect(port: int, timeout: float = _TIMEOUT) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _request_bytes(method: str, path: str, body: bytes = b"", close: bool = True) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "User-Agent: bench/1.0"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _read_head(sock: socket.socket, buffer: bytearray) -> tuple[int, dict[str, str]]:
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            raise HttpError("connection closed before the response head")
        buffer += data
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    buffer[:] = rest
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers


def _read_body(sock: socket.socket, buffer: bytearray, headers: dict[str, str]) -> bytes:
    """The raw body: ``Content-Length`` bytes, or chunked framing up to the last chunk."""
    if "content-length" in headers:
        size = int(headers["content-length"])
        while len(buffer) < size:
            data = sock.recv(65536)
            if not data:
                raise HttpError("connection closed inside the body")
            buffer += data
        return bytes(buffer[:size])
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while not (buffer.startswith(b"0\r\n\r\n") or buffer.endswith(b"\r\n0\r\n\r\n")):
            data = sock.recv(262144)
            if not data:
                raise HttpError("connection closed inside a chunked body")
            buffer += data
        return bytes(buffer)
    while True:
        data = sock.recv(262144)
        if not data:
            return bytes(buffer)
        buffer += data


def http_request(
    port: int, method: str, path: str, body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection; the client closes it after the response."""
    with _connect(port) as sock:
        sock.sendall(_request_bytes(method, path, body))
        buffer = bytearray()
        status, headers = _read_head(sock, buffer)
        return status, headers, _read_body(sock, buffer, headers)


def time_stream(port: int, path: str, marker: bytes, expected: int) -> float:
    """Seconds from sending the request to the end of a streamed body of ``expected`` items."""
    with _connect(port) as sock:
        start = time.perf_counter()
        sock.sendall(_request_bytes("GET", path))
        buffer = bytearray()
        status, headers = _read_head(sock, buffer)
        body = _read_body(sock, buffer, headers)
        elapsed = time.perf_counter() - start
    if status != 200 or body.count(marker) != expected:
        raise HttpError(f"{path}: status {status}, {body.count(marker)} of {expected} items")
    return elapsed


def stream_then_close(port: int, path: str) -> float:
    """Start a stream, wait for its first chunk, close the socket; return the close time.

    The time is ``time.monotonic()``, which the server's ``finally`` also records
    (CLOCK_MONOTONIC is shared by every process on the machine).
    """
    sock = _connect(port)
    try:
        sock.sendall(_request_bytes("GET", path))
        buffer = bytearray()
        status, _ = _read_head(sock, buffer)
        if status != 200:
            raise HttpError(f"{path}: status {status}")
        while not buffer:
            data = sock.recv(65536)
            if not data:
                raise HttpError(f"{path}: closed before the first chunk")
            buffer += data
        closed_at = time.monotonic()
    finally:
        sock.close()
    return closed_at


@contextmanager
def hold_sse(port: int, path: str, count: int) -> Iterator[int]:
    """Open ``count`` SSE streams, each read up to its first event, and keep them open."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = _connect(port)
            sockets.append(sock)
            sock.sendall(_request_bytes("GET", path, close=False))
            buffer = bytearray()
            status, _ = _read_head(sock, buffer)
            if status != 200:
                raise HttpError(f"{path}: status {status}")
            while b"ready" not in buffer:
                data = sock.recv(65536)
                if not data:
                    raise HttpError(f"{path}: closed before the first event")
                buffer += data
        yield len(sockets)
    finally:
        for sock in sockets:
            sock.close()


# -- WebSocket ------------------------------------------------------------------------------

_MASK = b"\x13\x37\xbe\xef"


def _client_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """A masked client frame (payload < 126 bytes)."""
    assert len(payload) < 126
    masked = bytes(b ^ _MASK[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + _MASK + masked


def _websocket_connect(port: int, path: str) -> socket.socket:
    sock = _connect(port)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    buffer = bytearray()
    status, _ = _read_head(sock, buffer)
    if status != 101:
        sock.close()
        raise HttpError(f"websocket {path}: status {status}")
    if buffer:
        sock.close()
        raise HttpError("unexpected bytes after the upgrade")
    return sock


def websocket_echo_rate(
    port: int, path: str, *, connections: int, window: int, duration: float
) -> float:
    """Echo round-trips per second: ``connections`` sockets, ``window`` messages in flight each."""
    payload = b"hello, trio websocket"
    frame = _client_frame(payload)
    echo_size = 2 + len(payload)
    sockets = [_websocket_connect(port, path) for _ in range(connections)]
    selector = selectors.DefaultSelector()
    pending: dict[int, int] = {}
    try:
        for sock in sockets:
            sock.setblocking(False)
            sock.sendall(frame * window)
            selector.register(sock, selectors.EVENT_READ)
            pending[sock.fileno()] = 0
        echoes = 0
        start = time.perf_counter()
        deadline = start + duration
        while (now := time.perf_counter()) < deadline:
            for key, _ in selector.select(timeout=deadline - now):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(262144)
                except BlockingIOError:
                    continue
                if not data:
                    raise HttpError("websocket closed during the echo test")
                total = pending[sock.fileno()] + len(data)
                done, pending[sock.fileno()] = divmod(total, echo_size)
                echoes += done
                if done:
                    sock.setblocking(True)
                    sock.sendall(frame * done)
                    sock.setblocking(False)
        elapsed = time.perf_counter() - start
    finally:
        selector.close()
        close = _client_frame(b"\x03\xe8", opcode=0x8)
        for sock in sockets:
            try:
                sock.setblocking(True)
                sock.sendall(close)
            except OSError:
                pass
            sock.close()
    return echoes / elapsed


@contextmanager
def hold_websockets(port: int, path: str, count: int) -> Iterator[int]:
    """Open ``count`` WebSocket connections, check each echoes once, keep them open idle."""
    payload = b"ping"
    frame = _client_frame(payload)
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = _websocket_connect(port, path)
            sockets.append(sock)
            sock.sendall(frame)
            received = b""
            while len(received) < 2 + len(payload):
                data = sock.recv(65536)
                if not data:
                    raise HttpError("websocket closed before the echo")
                received += data
        yield len(sockets)
    finally:
        close = _client_frame(b"\x03\xe8", opcode=0x8)
        for sock in sockets:
            try:
                sock.sendall(close)
            except OSError:
                pass
            sock.close()
