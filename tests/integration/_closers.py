"""Clients that close a WebSocket at the same moment as the server does.

Each client completes the handshake, then sends a text message *and* its close frame in one
TCP write. A server app that closes as soon as the message arrives is then closing while
hypercorn's read loop answers the client's close frame: the race of hypercorn 0.18's trio
``TCPServer._close`` (see ``trioweb/_hypercorn_patch.py``).

Run as a script to hammer a server from another process::

    python -m tests.integration._closers PORT [TOTAL] [CONCURRENCY] [PATH]
"""

from __future__ import annotations

import collections
import random
import sys
import time

import trio
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, RejectConnection, Request, TextMessage

__all__ = ["close_at_once", "hammer"]

CLIENT_TIMEOUT = 5.0


async def close_at_once(port: int, path: str = "/close", jitter: float = 0.0) -> None:
    """One connection: handshake, then message + close frame together; read until EOF."""
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    try:
        client = WSConnection(ConnectionType.CLIENT)
        await stream.send_all(client.send(Request(host="127.0.0.1", target=path)))
        accepted = False
        while not accepted:
            data = await stream.receive_some()
            if not data:
                raise ConnectionError("server closed during the handshake")
            client.receive_data(data)
            for event in client.events():
                if isinstance(event, RejectConnection):
                    raise ConnectionError(f"handshake rejected with {event.status_code}")
                accepted = accepted or isinstance(event, AcceptConnection)
        message, close = client.send(TextMessage("bye")), client.send(CloseConnection(1000))
        if jitter:
            await stream.send_all(message)
            await trio.sleep(random.uniform(0, jitter))
            await stream.send_all(close)
        else:
            await stream.send_all(message + close)
        while await stream.receive_some():
            pass
    except trio.BrokenResourceError:
        pass  # a reset after the close handshake is fine
    finally:
        await stream.aclose()


async def hammer(
    port: int, total: int, concurrency: int = 50, path: str = "/close", jitter: float = 0.0
) -> collections.Counter[str]:
    """Run ``total`` simultaneous-close connections, ``concurrency`` at a time.

    Returns how they ended: ``"closed"`` or an exception name. Stops early (returns) when
    the server no longer accepts connections.
    """
    outcomes: collections.Counter[str] = collections.Counter()
    limit = trio.Semaphore(concurrency)

    async def one() -> None:
        try:
            with trio.fail_after(CLIENT_TIMEOUT):
                await close_at_once(port, path, jitter)
            outcomes["closed"] += 1
        except (OSError, trio.TooSlowError) as exc:
            outcomes[type(exc).__name__] += 1
        finally:
            limit.release()

    async with trio.open_nursery() as nursery:
        for _ in range(total):
            await limit.acquire()
            if outcomes["ConnectionRefusedError"]:
                limit.release()
                break
            nursery.start_soon(one)
    return outcomes


def main() -> None:
    port = int(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    path = sys.argv[4] if len(sys.argv) > 4 else "/close"
    started = time.monotonic()
    outcomes = trio.run(hammer, port, total, concurrency, path)
    elapsed = time.monotonic() - started
    print(dict(outcomes), f"{elapsed:.1f} s", f"{sum(outcomes.values()) / elapsed:.0f}/s")


if __name__ == "__main__":
    main()
