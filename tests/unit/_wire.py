"""What a response looks like on the wire, for tests that pin Litestar's exact answers.

The expected values in ``test_routing``, ``test_params``, ``test_body``, ``test_di``,
``test_layered``, ``test_responses``, ``test_errors`` and ``test_request`` were observed
from Litestar 2.25 answering the same app (``tools/litestar_diff`` runs both side by side);
where trioweb answers differently on purpose, the test says so.
"""

import httpx


def wire(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """``(status, headers in wire order, body)``."""
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
    return response.status_code, headers, response.content


def json_error(status: int, detail: str) -> bytes:
    """Litestar's error body without ``extra``."""
    return b'{"status_code":%d,"detail":"%s"}' % (status, detail.encode())
