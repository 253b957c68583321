"""``QueueListenerHandler``: log records are written by a thread, never by the event loop.

A handler that writes to a terminal or a file can block; in a trio app that would stall
every connection. This handler only puts records on a queue; a ``QueueListener`` thread
hands them to the real handlers (a ``StreamHandler`` on stderr by default). The listener is
stopped, and the queue drained, at interpreter exit.
"""

from __future__ import annotations

import atexit
import logging
from logging.handlers import QueueHandler, QueueListener
from queue import Queue
from typing import Any

__all__ = ("LoggingQueueListener", "QueueListenerHandler")


class LoggingQueueListener(QueueListener):
    """A ``QueueListener`` that starts at once and stops at interpreter exit."""

    def __init__(
        self,
        queue: Queue[logging.LogRecord],
        *handlers: logging.Handler,
        respect_handler_level: bool = False,
    ) -> None:
        super().__init__(queue, *handlers, respect_handler_level=respect_handler_level)
        self.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        """Write out the queued records and end the thread; a second call does nothing."""
        if self._thread is not None:
            super().stop()


def _resolve(handlers: Any) -> list[logging.Handler]:
    # dictConfig passes a ConvertingList whose items become handlers when indexed.
    return [handlers[index] for index in range(len(handlers))]


class QueueListenerHandler(QueueHandler):
    """Queue records for a listener thread that passes them to ``handlers``."""

    def __init__(self, handlers: Any = None) -> None:
        super().__init__(Queue(-1))
        targets = _resolve(handlers) if handlers else [logging.StreamHandler()]
        self.listener = LoggingQueueListener(self.queue, *targets)  # type: ignore[arg-type]
