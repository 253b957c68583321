"""Cookie sessions: the session lives in the client's cookies, encrypted with AES-GCM.

The wire format is Litestar's, so a cookie one sets the other reads (with the same secret):
``base64(nonce[12] + ciphertext_and_tag + b"additional_authenticated_data=" + aad)``, where
``aad`` is ``{"expires_at": <unix time>}`` as JSON, authenticated with the data. A value longer
than ``CHUNK_SIZE`` is split over cookies ``session-0``, ``session-1``, ...; a single chunk is
``session``. Cookies the request carried that the response does not set again are deleted
(value ``null``, ``expires`` now) -- so an empty session deletes them all.

Needs the ``cryptography`` package: ``pip install 'trioweb[cryptography]'``.
"""

from __future__ import annotations

import binascii
import re
import time
from base64 import b64decode, b64encode
from dataclasses import dataclass, field
from os import urandom
from typing import TYPE_CHECKING, Any, Literal

from trioweb.datastructures import Cookie, MutableScopeHeaders
from trioweb.exceptions import (
    ImproperlyConfiguredException,
    MissingDependencyException,
    SerializationException,
)
from trioweb.middleware.session.base import (
    ONE_DAY_IN_SECONDS,
    BaseBackendConfig,
    BaseSessionBackend,
    default_scopes,
)
from trioweb.serialization import decode_json, encode_json
from trioweb.types.empty import Empty

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError as exc:  # pragma: no cover - the test extra installs it
    raise MissingDependencyException("cryptography", extra="cryptography") from exc

if TYPE_CHECKING:
    from trioweb.connection.base import ASGIConnection
    from trioweb.types import Message, Scope

__all__ = ("ClientSideSessionBackend", "CookieBackendConfig")

NONCE_SIZE = 12
CHUNK_SIZE = 4096 - 64
"""Base64 characters per cookie: a cookie with its attributes stays under browsers' 4 KB."""
AAD = b"additional_authenticated_data="

#: Errors that mean "this cookie is not a session we wrote": the session is then empty.
_UNREADABLE = (
    InvalidTag,
    binascii.Error,
    SerializationException,
    ValueError,
    KeyError,
    TypeError,
)


class ClientSideSessionBackend(BaseSessionBackend["CookieBackendConfig"]):
    """Keeps the session in encrypted cookies."""

    __slots__ = ("_clear_params", "_set_params", "aesgcm", "cookie_re")

    def __init__(self, config: CookieBackendConfig) -> None:
        super().__init__(config)
        self.aesgcm = AESGCM(config.secret)
        self.cookie_re = re.compile(rf"{re.escape(config.key)}(?:-\d+)?")
        self._set_params = config._cookie_params()
        self._clear_params = config._cookie_params(with_max_age=False)

    def dump_data(self, data: Any, scope: Scope | None = None) -> list[bytes]:
        """``data`` serialised, encrypted, base64-encoded and cut into ``CHUNK_SIZE`` chunks."""
        serialized = self.serialize_data(data, scope)
        associated_data = encode_json({"expires_at": round(time.time()) + self.config.max_age})
        nonce = urandom(NONCE_SIZE)
        encrypted = self.aesgcm.encrypt(nonce, serialized, associated_data)
        encoded = b64encode(nonce + encrypted + AAD + associated_data)
        return [encoded[i : i + CHUNK_SIZE] for i in range(0, len(encoded), CHUNK_SIZE)]

    def load_data(self, data: list[bytes]) -> dict[str, Any]:
        """The session in the joined chunks; ``{}`` if it has expired.

        Error handling: ``InvalidTag`` (tampered or another secret), ``binascii.Error`` (not
        base64), ``SerializationException`` (bad JSON) and the errors of a malformed expiry
        propagate; :meth:`load_from_connection` catches them.
        """
        decoded = b64decode(b"".join(data), validate=True)
        nonce = decoded[:NONCE_SIZE]
        aad_start = decoded.find(AAD)
        if aad_start == -1:
            return {}
        associated_data = decoded[aad_start + len(AAD) :]
        if decode_json(associated_data)["expires_at"] <= round(time.time()):
            return {}
        decrypted = self.aesgcm.decrypt(nonce, decoded[NONCE_SIZE:aad_start], associated_data)
        session = self.deserialize_data(decrypted)
        return session if isinstance(session, dict) else {}

    def get_cookie_keys(self, connection: ASGIConnection[Any, Any, Any, Any]) -> list[str]:
        """The request's session cookie names, in order (``session-0`` < ``session-1``...)."""
        keys = [key for key in connection.cookies if self.cookie_re.fullmatch(key)]
        # numeric order, so session-10 follows session-9
        return sorted(keys, key=lambda key: (len(key), key))

    def get_cookie_key_set(self, connection: ASGIConnection[Any, Any, Any, Any]) -> set[str]:
        """The request's session cookie names."""
        return {key for key in connection.cookies if self.cookie_re.fullmatch(key)}

    def _create_session_cookies(self, data: list[bytes]) -> list[Cookie]:
        key = self.config.key
        if len(data) == 1:
            return [Cookie(key=key, value=data[0].decode("ascii"), **self._set_params)]
        return [
            Cookie(key=f"{key}-{i}", value=chunk.decode("ascii"), **self._set_params)
            for i, chunk in enumerate(data)
        ]

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Set the session cookies; delete the request's session cookies not set again."""
        headers = MutableScopeHeaders.from_message(message)
        to_clear = self.get_cookie_key_set(connection)
        if scope_session and scope_session is not Empty:
            for cookie in self._create_session_cookies(
                self.dump_data(scope_session, connection.scope)
            ):
                headers.add("Set-Cookie", cookie.to_header(header=""))
                to_clear.discard(cookie.key)
        for key in sorted(to_clear):
            cleared = Cookie(key=key, value="null", expires=0, **self._clear_params)
            headers.add("Set-Cookie", cleared.to_header(header=""))

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        """The session in the request's cookies; ``{}`` if none, expired or unreadable."""
        keys = self.get_cookie_keys(connection)
        if not keys:
            return {}
        cookies = connection.cookies
        try:
            return self.load_data([cookies[key].encode("latin-1") for key in keys])
        except _UNREADABLE:
            return {}

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        """Cookie sessions have no id."""
        return None


@dataclass
class CookieBackendConfig(BaseBackendConfig[ClientSideSessionBackend]):
    """Encrypted cookie sessions: ``CookieBackendConfig(secret=os.urandom(16)).middleware``."""

    _backend_class = ClientSideSessionBackend

    secret: bytes
    """The AES key: 16, 24 or 32 bytes."""
    key: str = field(default="session")
    max_age: int = field(default=ONE_DAY_IN_SECONDS * 14)
    scopes: set[str] = field(default_factory=default_scopes)
    path: str = field(default="/")
    domain: str | None = field(default=None)
    secure: bool = field(default=False)
    httponly: bool = field(default=True)
    samesite: Literal["lax", "strict", "none"] = field(default="lax")
    exclude: str | list[str] | None = field(default=None)
    exclude_opt_key: str = field(default="skip_session")

    def __post_init__(self) -> None:
        if len(self.key) < 1 or len(self.key) > 256:
            raise ImproperlyConfiguredException("key must be a string with a length between 1-256")
        if self.max_age < 1:
            raise ImproperlyConfiguredException("max_age must be greater than 0")
        if len(self.secret) not in {16, 24, 32}:
            raise ImproperlyConfiguredException(
                "secret length must be 16 (128 bit), 24 (192 bit) or 32 (256 bit)"
            )
