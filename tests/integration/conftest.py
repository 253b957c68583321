"""Integration tests run a real hypercorn trio server; see `tests.integration._server`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import pytest

from tests.integration._server import open_server


@pytest.fixture
def serve() -> Callable[..., AbstractAsyncContextManager[str]]:
    """``async with serve(app, **config_overrides) as base_url:`` runs a real server.

    The same as importing ``open_server`` from ``tests.integration._server``.
    """
    return open_server
