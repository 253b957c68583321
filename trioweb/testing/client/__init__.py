"""The test clients: :class:`AsyncTestClient` for trio tests, :class:`TestClient` for sync code."""

from trioweb.testing.client.async_client import AsyncTestClient
from trioweb.testing.client.subprocess_client import (
    StartupError,
    subprocess_async_client,
    subprocess_sync_client,
)
from trioweb.testing.client.sync_client import TestClient

__all__ = (
    "AsyncTestClient",
    "StartupError",
    "TestClient",
    "subprocess_async_client",
    "subprocess_sync_client",
)
