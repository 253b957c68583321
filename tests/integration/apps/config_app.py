"""An app with no logging configuration whose ``/boom`` handler raises.

Served by ``hypercorn --worker-class trio`` in ``test_app_config_server``: the traceback of an
unhandled handler error must reach the server's stderr without any setup.
"""

from trioweb import TrioWeb, get


@get("/")
async def index() -> str:
    return "ok"


@get("/boom")
async def boom() -> None:
    raise RuntimeError("an unhandled handler error")


app = TrioWeb([index, boom])
