"""Serve one contestant on hypercorn's trio worker, in this process (one worker).

``python -m bench.serve NAME`` binds 127.0.0.1 on a free port, prints ``READY <port>`` once
it listens, and serves until SIGTERM or SIGINT. Nothing but the bind and the backlog is
changed from hypercorn's defaults, so the contestants see the server users get.
"""

from __future__ import annotations

import argparse
import resource
import signal
import sys
from typing import Any

import trio
from hypercorn.config import Config
from hypercorn.trio import serve

from bench.apps import load_app


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def _serve(app: Any, port: int) -> None:
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.backlog = 4096
    config.accesslog = None
    stop = trio.Event()

    async def wait_for_signal() -> None:
        with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
            async for _ in signals:
                stop.set()
                return

    async with trio.open_nursery() as nursery:
        nursery.start_soon(wait_for_signal)
        binds = await nursery.start(
            lambda task_status: serve(
                app, config, shutdown_trigger=stop.wait, task_status=task_status
            )
        )
        bound = binds[0].rsplit(":", 1)[1]
        print(f"READY {bound}", flush=True)
        await stop.wait()
        nursery.cancel_scope.deadline = trio.current_time() + 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contestant")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    _raise_fd_limit()
    app = load_app(args.contestant)
    try:
        trio.run(_serve, app, args.port)
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
