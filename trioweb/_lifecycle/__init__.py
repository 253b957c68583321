"""The connection lifecycle: the one place that owns tasks, threads and the wire.

Ownership tree (DESIGN.md, "The centre")::

    hypercorn (trio worker)
      └─ TrioWeb.__call__(scope, receive, send)         one ASGI call = one connection
           └─ connection nursery ─────────────────────── owns everything below
                ├─ handler (sync handlers: trio.to_thread under HANDLER limiter)
                ├─ response sender (plain body | stream iterator | file chunks | SSE)
                ├─ receive relay (sole reader of receive(): body → request, disconnect → cancel)
                │    (also wakes for SSE keep-alive pings; a ping task lives for one send)
                ├─ WebSocket receive loop (sole reader; disconnect → WebSocketDisconnect,
                │                          spawned tasks cancelled, handler given a grace)
                ├─ tasks the handler spawned (``nursery`` parameter)
                └─ background tasks (after the response is complete)

Invariants this package keeps:

* Public modules import from here; nothing here imports a public module except the
  leaf modules ``trioweb.types`` and ``trioweb.exceptions``. (A test walks the imports.)
* A plain response opens no nursery and starts no task.
* Every user iterator that is driven here is closed on every path (completion, error,
  cancellation, disconnect), under a shielded, time-boxed scope.
* Exception groups raised by internal nurseries are unwrapped in :func:`unwrap_group` only.
* ``trio.Cancelled`` is never swallowed.
"""

from trioweb._lifecycle._errors import unwrap_group
from trioweb._lifecycle._relay import RELAY_TASK_NAME, ReceiveRelay
from trioweb._lifecycle._streaming import CLEANUP_TIMEOUT, StreamEnd, StreamPolicy, send_streaming
from trioweb._lifecycle._threads import (
    handler_limiter,
    iterator_limiter,
    run_sync_handler,
    run_sync_iterator_step,
)
from trioweb._lifecycle._websocket import (
    DISCONNECT_GRACE,
    WebSocketRelay,
    run_websocket_connection,
    send_denial,
)

__all__ = (
    "CLEANUP_TIMEOUT",
    "DISCONNECT_GRACE",
    "RELAY_TASK_NAME",
    "ReceiveRelay",
    "StreamEnd",
    "StreamPolicy",
    "WebSocketRelay",
    "handler_limiter",
    "iterator_limiter",
    "run_sync_handler",
    "run_sync_iterator_step",
    "run_websocket_connection",
    "send_denial",
    "send_streaming",
    "unwrap_group",
)
