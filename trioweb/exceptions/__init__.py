"""Framework exceptions, mirroring ``litestar.exceptions`` (names, bases, defaults, messages).

The tree (HTTP status or WebSocket close code on the right)::

    Exception
    └── LitestarException  (alias TrioWebException)
        ├── HTTPException ............................ 500
        │   ├── ImproperlyConfiguredException ........ 500  also ValueError
        │   ├── ClientException ...................... 400
        │   │   ├── ValidationException .............. 400  also ValueError
        │   │   ├── NotAuthorizedException ........... 401
        │   │   ├── PermissionDeniedException ........ 403
        │   │   ├── NotFoundException ................ 404  also ValueError
        │   │   ├── MethodNotAllowedException ........ 405
        │   │   ├── RequestEntityTooLarge ............ 413
        │   │   └── TooManyRequestsException ......... 429
        │   └── InternalServerException .............. 500
        │       ├── ServiceUnavailableException ...... 503
        │       ├── NoRouteMatchFoundException ....... 500
        │       └── TemplateNotFoundException ........ 500
        ├── WebSocketException ....................... close code 4500
        │   └── WebSocketDisconnect .................. close code 1000
        ├── DTOFactoryException
        │   └── InvalidAnnotationException
        ├── SerializationException
        └── MissingDependencyException ............... also ImportError

    UserWarning
    └── LitestarWarning
    DeprecationWarning
    └── LitestarDeprecationWarning

An :class:`HTTPException` raised from a handler becomes a response with its ``status_code``, its
``headers`` and the JSON body built by
:func:`~trioweb.exceptions.responses.http_exception_to_content`.
"""

from trioweb.exceptions.base_exceptions import (
    LitestarDeprecationWarning,
    LitestarException,
    LitestarWarning,
    MissingDependencyException,
    SerializationException,
    TrioWebException,
)
from trioweb.exceptions.dto_exceptions import DTOFactoryException, InvalidAnnotationException
from trioweb.exceptions.http_exceptions import (
    ClientException,
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    MethodNotAllowedException,
    NoRouteMatchFoundException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    RequestEntityTooLarge,
    ServiceUnavailableException,
    TemplateNotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from trioweb.exceptions.websocket_exceptions import WebSocketDisconnect, WebSocketException

__all__ = (
    "ClientException",
    "DTOFactoryException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "InvalidAnnotationException",
    "LitestarDeprecationWarning",
    "LitestarException",
    "LitestarWarning",
    "MethodNotAllowedException",
    "MissingDependencyException",
    "NoRouteMatchFoundException",
    "NotAuthorizedException",
    "NotFoundException",
    "PermissionDeniedException",
    "RequestEntityTooLarge",
    "SerializationException",
    "ServiceUnavailableException",
    "TemplateNotFoundException",
    "TooManyRequestsException",
    "TrioWebException",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
)
