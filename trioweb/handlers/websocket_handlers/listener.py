"""WebSocket listeners: a function called once per message, its return value sent back.

``@websocket_listener("/path")`` decorates a function taking ``data`` (the message, decoded
into the annotated type: ``str``, ``bytes``, or anything msgspec validates from JSON) plus
any handler parameters (``socket``, ``nursery``, path/query/header parameters,
dependencies, resolved once per connection). Unless the function is annotated ``-> None``,
what it returns is sent in ``send_mode``, by Litestar's rule: with a ``str``/``bytes`` (or
optional ``str``/``bytes``) return annotation as it is (``None`` sends nothing), otherwise
as JSON with the layered type encoders (``None`` sends ``null``, a ``str`` a JSON string).
Sync functions run in a worker thread unless ``sync_to_thread=False``.

Per connection: ``connection_accept_handler(socket)`` (default ``WebSocket.accept``), then
``on_accept``, then the message loop until the client leaves, then ``on_disconnect``
(shielded and time-boxed, so it also runs when the connection is cancelled). Or, instead of
those three, ``connection_lifespan``: an async context manager factory (taking any handler
parameters) entered around the loop; ``WebSocketDisconnect`` is raised into it.

A message that does not decode or validate closes the connection with 4500 (as Litestar) and the
validation detail as the reason.

:class:`WebsocketListener` is the class-based form: subclass it, set ``path`` and options as
class attributes, implement ``on_receive`` (and ``on_accept``/``on_disconnect`` if needed),
and register the class itself.
"""

from __future__ import annotations

import inspect
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Unpack

import msgspec
import trio

from trioweb._kwargs import Cleanup, KwargsPlan, type_hints
from trioweb._lifecycle import CLEANUP_TIMEOUT, run_sync_handler
from trioweb.connection.websocket import WebSocket, WebSocketMode
from trioweb.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    ValidationException,
    WebSocketDisconnect,
)
from trioweb.handlers.websocket_handlers.route_handler import (
    WebsocketHandlerOptions,
    WebsocketRouteHandler,
    _is_async_callable,
)
from trioweb.serialization import default_deserializer, encode_json

if TYPE_CHECKING:
    from trioweb.serialization import Serializer

__all__ = (
    "WebsocketListener",
    "WebsocketListenerRouteHandler",
    "websocket_listener",
)

AcceptHandler = Callable[[WebSocket[Any, Any, Any]], Coroutine[Any, Any, None]]
_UNSUPPORTED: Final = ("request", "body")


def _signature_without(
    fn: Callable[..., Any], names: frozenset[str], namespace: Mapping[str, Any]
) -> Callable[..., Any]:
    """A stand-in for ``fn`` whose signature lacks ``names`` (for building a plan)."""
    hints = type_hints(fn, namespace)
    signature = inspect.signature(fn)
    parameters = [p for name, p in signature.parameters.items() if name not in names]

    def stand_in(**kwargs: Any) -> None:  # pragma: no cover - never called
        pass

    stand_in.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    stand_in.__annotations__ = {k: v for k, v in hints.items() if k not in names and k != "return"}
    stand_in.__name__ = getattr(fn, "__name__", "listener")
    return stand_in


def _is_text_or_bytes(annotation: Any) -> bool:
    """Whether a return annotation is ``str``/``bytes``, a union of them, or optional."""
    if isinstance(annotation, type):
        return issubclass(annotation, str | bytes)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return bool(members) and all(_is_text_or_bytes(arg) for arg in members)
    return False


class _Decoder:
    """Turns a received message into the value of the ``data`` parameter."""

    __slots__ = ("_annotation", "_json", "_kind")

    def __init__(self, annotation: Any) -> None:
        self._annotation = annotation
        self._json: msgspec.json.Decoder[Any] | None = None
        if annotation is str:
            self._kind = "str"
        elif annotation is bytes:
            self._kind = "bytes"
        else:
            self._kind = "json"
            target = Any if annotation is inspect.Parameter.empty else annotation
            self._json = msgspec.json.Decoder(target, strict=False, dec_hook=default_deserializer)

    def __call__(self, raw: str | bytes, socket: WebSocket[Any, Any, Any]) -> Any:
        if self._kind == "str":
            return raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if self._kind == "bytes":
            return raw.encode("utf-8") if isinstance(raw, str) else raw
        assert self._json is not None
        try:
            return self._json.decode(raw)
        except msgspec.ValidationError as exc:
            raise ValidationException(
                detail=f"Validation failed for WEBSOCKET {socket.scope.get('path', '')}",
                extra=[{"message": str(exc), "key": "data", "source": "body"}],
            ) from exc
        except msgspec.DecodeError as exc:
            raise ClientException(detail=f"Invalid JSON in WebSocket message: {exc}") from exc


class WebsocketListenerRouteHandler(WebsocketRouteHandler):
    """A route that calls its function for every message and sends back what it returns."""

    def __init__(
        self,
        path: str | Sequence[str] | Callable[..., Any] | None = None,
        *,
        connection_accept_handler: AcceptHandler = WebSocket.accept,
        connection_lifespan: Callable[..., AbstractAsyncContextManager[Any]] | None = None,
        on_accept: Callable[..., Any] | None = None,
        on_disconnect: Callable[..., Any] | None = None,
        receive_mode: WebSocketMode = "text",
        send_mode: WebSocketMode = "text",
        sync_to_thread: bool | None = None,
        **options: Unpack[WebsocketHandlerOptions],
    ) -> None:
        if connection_lifespan is not None and (
            on_accept is not None
            or on_disconnect is not None
            or connection_accept_handler is not WebSocket.accept
        ):
            raise ImproperlyConfiguredException(
                "connection_lifespan can not be used with connection hooks "
                "(on_accept, on_disconnect, connection_accept_handler)"
            )
        fn = None
        if callable(path):
            fn, path = path, None
        super().__init__(path, **options)
        self.connection_accept_handler = connection_accept_handler
        self.connection_lifespan = connection_lifespan
        self.on_accept = on_accept
        self.on_disconnect = on_disconnect
        self.receive_mode: WebSocketMode = receive_mode
        self.send_mode: WebSocketMode = send_mode
        self.sync_to_thread = sync_to_thread
        if fn is not None:
            self(fn)

    def __call__(self, fn: Callable[..., Any]) -> WebsocketListenerRouteHandler:
        """Decorate the listener function (it must take ``data``)."""
        parameters = inspect.signature(fn).parameters
        if "data" not in parameters:
            raise ImproperlyConfiguredException(
                "Websocket listeners must accept a 'data' parameter"
            )
        for name in _UNSUPPORTED:
            if name in parameters:
                raise ImproperlyConfiguredException(
                    f"The {name} kwarg is not supported with websocket listeners"
                )
        self._fn = fn
        return self

    # -- build time ---------------------------------------------------------------------

    def _validate(self) -> None:
        hints = type_hints(self.fn, self.resolved_namespace)
        self._decode = _Decoder(hints.get("data", inspect.Parameter.empty))
        returns = hints.get("return", inspect.Parameter.empty)
        self._sends = returns not in (None, type(None))
        self._sends_as_is = _is_text_or_bytes(returns)
        self._is_async = _is_async_callable(self.fn)

    def _build_plan(self, fn: Callable[..., Any]) -> KwargsPlan:
        namespace = self.resolved_namespace
        plan = super()._build_plan(_signature_without(fn, frozenset({"data"}), namespace))
        self._hook_plans: dict[str, KwargsPlan] = {}
        for name in ("on_accept", "on_disconnect", "connection_lifespan"):
            hook = getattr(self, name)
            if hook is not None:
                self._hook_plans[name] = super()._build_plan(hook)
        return plan

    def _takes_nursery(self) -> bool:
        return super()._takes_nursery() or any(
            plan.wants_nursery for plan in self._hook_plans.values()
        )

    # -- connection time ----------------------------------------------------------------

    async def run(
        self, socket: WebSocket[Any, Any, Any], cleanups: Cleanup, nursery: trio.Nursery | None
    ) -> None:
        """Accept, run the message loop between the connection hooks (or lifespan)."""
        cache: dict[str, Any] = {}
        kwargs = await self.resolve_kwargs(socket, cleanups, nursery, cache=cache)
        hooks = {
            name: await self.resolve_kwargs(socket, cleanups, nursery, plan, cache)
            for name, plan in self._hook_plans.items()
        }
        if self.connection_lifespan is not None:
            async with self.connection_lifespan(**hooks["connection_lifespan"]):
                await self._loop(socket, kwargs)
            return
        await self.connection_accept_handler(socket)
        if self.on_accept is not None:
            await self._call(self.on_accept, hooks["on_accept"])
        try:
            await self._loop(socket, kwargs)
        except WebSocketDisconnect:
            pass
        finally:
            if self.on_disconnect is not None:
                with trio.move_on_after(CLEANUP_TIMEOUT, shield=True):
                    await self._call(self.on_disconnect, hooks["on_disconnect"])

    async def _loop(self, socket: WebSocket[Any, Any, Any], kwargs: dict[str, Any]) -> None:
        fn, decode, mode = self.fn, self._decode, self.receive_mode
        serializer = self.serializer
        while True:
            data = decode(await socket.receive_data(mode), socket)
            if self._is_async:
                result = await fn(data=data, **kwargs)
            else:
                result = await self._call(fn, {"data": data, **kwargs})
            if self._sends:
                await self._send(socket, result, serializer)

    async def _send(
        self, socket: WebSocket[Any, Any, Any], result: Any, serializer: Serializer
    ) -> None:
        # Litestar's rule: a return annotated str/bytes (or an optional one) is sent as it
        # is, anything else as JSON, so ``-> dict | None`` returning None sends "null" and an
        # unannotated listener returning "hi" sends '"hi"'. Kinder where Litestar fails: a
        # str/bytes listener returning None sends nothing, and a non-text value is JSON.
        if self._sends_as_is and isinstance(result, str | bytes):
            await socket.send_data(result, self.send_mode)
        elif not (self._sends_as_is and result is None):
            await socket.send_data(encode_json(result, serializer), self.send_mode)

    async def _call(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
        if _is_async_callable(fn):
            return await fn(**kwargs)
        if self.sync_to_thread is False:
            result = fn(**kwargs)
        else:
            result = await run_sync_handler(partial(fn, **kwargs))
        if inspect.isawaitable(result):
            result = await result
        return result


websocket_listener = WebsocketListenerRouteHandler
"""Declare a WebSocket listener: ``@websocket_listener("/path")`` (Litestar's name)."""


class WebsocketListener(ABC):
    """The class-based listener: subclass, set options as attributes, implement ``on_receive``.

    Register the class itself (``TrioWeb([MyListener])``); it is instantiated with its owner
    (the app or router) when the app is built.
    """

    path: str | list[str] | None = None
    dependencies: Mapping[str, Any] | None = None
    exception_handlers: Mapping[Any, Callable[..., Any]] | None = None
    guards: Sequence[Callable[..., Any]] | None = None
    middleware: Sequence[Any] | None = None
    on_accept: Callable[..., Any] | None = None
    on_disconnect: Callable[..., Any] | None = None
    receive_mode: WebSocketMode = "text"
    send_mode: WebSocketMode = "text"
    name: str | None = None
    opt: Mapping[str, Any] | None = None
    signature_namespace: Mapping[str, Any] | None = None
    type_decoders: Sequence[Any] | None = None
    type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None
    websocket_class: type[WebSocket[Any, Any, Any]] | None = None
    dto: Any = None
    return_dto: Any = None

    def __init__(self, owner: Any = None) -> None:
        self._owner = owner

    def to_handler(self) -> WebsocketListenerRouteHandler:
        """The route handler this listener stands for."""
        handler = WebsocketListenerRouteHandler(
            self.path,
            dependencies=self.dependencies,
            exception_handlers=self.exception_handlers,
            guards=self.guards,
            middleware=self.middleware,
            name=self.name,
            on_accept=self.on_accept,
            on_disconnect=self.on_disconnect,
            opt=self.opt,
            receive_mode=self.receive_mode,
            send_mode=self.send_mode,
            signature_namespace=self.signature_namespace,
            type_decoders=self.type_decoders,
            type_encoders=self.type_encoders,
            websocket_class=self.websocket_class,
        )(self.on_receive)
        handler.owner = self._owner
        return handler

    @abstractmethod
    def on_receive(self, *args: Any, **kwargs: Any) -> Any:
        """Called with each message as ``data`` (plus any dependencies); return a reply."""
        raise NotImplementedError
