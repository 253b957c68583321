"""Data structures of requests and responses, mirroring ``litestar.datastructures``.

Submodules, one concept each: :mod:`.headers` (request ``Headers``, ``MutableScopeHeaders``,
typed headers, ``Accept``), :mod:`.multi_dicts`, :mod:`.cookie`, :mod:`.url`, :mod:`.state`,
:mod:`.upload_file`, :mod:`.response_header`, :mod:`.secret_values`.
"""

from trioweb.datastructures.cookie import Cookie
from trioweb.datastructures.headers import (
    Accept,
    CacheControlHeader,
    ETag,
    Header,
    Headers,
    MutableScopeHeaders,
)
from trioweb.datastructures.multi_dicts import (
    FormMultiDict,
    ImmutableMultiDict,
    MultiDict,
    MultiMixin,
)
from trioweb.datastructures.response_header import ResponseHeader
from trioweb.datastructures.secret_values import SecretBytes, SecretString
from trioweb.datastructures.state import ImmutableState, State
from trioweb.datastructures.upload_file import UploadFile
from trioweb.datastructures.url import URL, Address

__all__ = (
    "URL",
    "Accept",
    "Address",
    "CacheControlHeader",
    "Cookie",
    "ETag",
    "FormMultiDict",
    "Header",
    "Headers",
    "ImmutableMultiDict",
    "ImmutableState",
    "MultiDict",
    "MultiMixin",
    "MutableScopeHeaders",
    "ResponseHeader",
    "SecretBytes",
    "SecretString",
    "State",
    "UploadFile",
)
