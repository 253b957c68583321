"""JSON and MessagePack through msgspec: encoders built once, reused on every request."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import PurePath
from re import Pattern
from typing import Any, TypeVar, overload

import msgspec

from trioweb.exceptions import SerializationException

__all__ = (
    "DEFAULT_TYPE_ENCODERS",
    "decode_json",
    "decode_msgpack",
    "default_deserializer",
    "default_serializer",
    "encode_json",
    "encode_msgpack",
    "get_serializer",
)

T = TypeVar("T")

Serializer = Callable[[Any], Any]

DEFAULT_TYPE_ENCODERS: dict[Any, Callable[[Any], Any]] = {
    PurePath: str,
    IPv4Address: str,
    IPv4Interface: str,
    IPv4Network: str,
    IPv6Address: str,
    IPv6Interface: str,
    IPv6Network: str,
    Pattern: lambda value: value.pattern,
    deque: list,
    Decimal: lambda value: int(value) if value.as_tuple().exponent >= 0 else float(value),
    # subclasses of builtins that msgspec does not accept as-is
    str: str,
    int: int,
    float: float,
    set: set,
    frozenset: frozenset,
    bytes: bytes,
}


def _encode_with(encoders: Mapping[Any, Callable[[Any], Any]], value: Any) -> Any:
    for base in type(value).__mro__:
        encoder = encoders.get(base)
        if encoder is not None:
            return encoder(value)
    # pydantic v2 / attrs-like objects, without importing them
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json")
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"Unsupported type: {type(value)!r}")


def default_serializer(
    value: Any, type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None
) -> Any:
    """Turn a value msgspec does not know into one it does (``enc_hook``)."""
    if type_encoders:
        return _encode_with({**DEFAULT_TYPE_ENCODERS, **type_encoders}, value)
    return _encode_with(DEFAULT_TYPE_ENCODERS, value)


def default_deserializer(target_type: Any, value: Any) -> Any:
    """``dec_hook`` for types msgspec cannot build itself: call the type with the value."""
    if isinstance(value, target_type):
        return value
    try:
        return target_type(value)
    except Exception as exc:
        raise TypeError(f"Unsupported type: {target_type!r}") from exc


class _Codec:
    __slots__ = ("json", "msgpack", "serializer")

    def __init__(self, serializer: Serializer) -> None:
        self.serializer = serializer
        self.json = msgspec.json.Encoder(enc_hook=serializer)
        self.msgpack = msgspec.msgpack.Encoder(enc_hook=serializer)


def _default_hook(value: Any) -> Any:
    return _encode_with(DEFAULT_TYPE_ENCODERS, value)


_DEFAULT_CODEC = _Codec(_default_hook)


@lru_cache(maxsize=256)
def _codec_for(encoders: tuple[tuple[Any, Callable[[Any], Any]], ...]) -> _Codec:
    merged = {**DEFAULT_TYPE_ENCODERS, **dict(encoders)}

    def hook(value: Any) -> Any:
        return _encode_with(merged, value)

    return _Codec(hook)


def _codec(type_encoders: Mapping[Any, Callable[[Any], Any]] | None) -> _Codec:
    if not type_encoders:
        return _DEFAULT_CODEC
    return _codec_for(tuple(type_encoders.items()))


def get_serializer(type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None) -> Serializer:
    """Return the ``enc_hook`` for ``type_encoders`` (cached; build it at startup)."""
    return _codec(type_encoders).serializer


def _codec_for_serializer(serializer: Serializer | None) -> _Codec:
    if serializer is None or serializer is _DEFAULT_CODEC.serializer:
        return _DEFAULT_CODEC
    return _Codec(serializer)


def encode_json(value: Any, serializer: Serializer | None = None) -> bytes:
    """Encode ``value`` as compact JSON bytes."""
    try:
        return _codec_for_serializer(serializer).json.encode(value)
    except (TypeError, msgspec.EncodeError) as exc:
        raise SerializationException(str(exc)) from exc


def encode_msgpack(value: Any, serializer: Serializer | None = None) -> bytes:
    """Encode ``value`` as MessagePack bytes."""
    try:
        return _codec_for_serializer(serializer).msgpack.encode(value)
    except (TypeError, msgspec.EncodeError) as exc:
        raise SerializationException(str(exc)) from exc


@overload
def decode_json(value: str | bytes, target_type: type[T], *, strict: bool = ...) -> T: ...
@overload
def decode_json(value: str | bytes, target_type: None = None, *, strict: bool = ...) -> Any: ...
def decode_json(value: str | bytes, target_type: Any = None, *, strict: bool = True) -> Any:
    """Decode JSON, optionally validating into ``target_type``."""
    try:
        if target_type is None:
            return msgspec.json.decode(value)
        return msgspec.json.decode(
            value, type=target_type, strict=strict, dec_hook=default_deserializer
        )
    except msgspec.DecodeError as exc:
        raise SerializationException(str(exc)) from exc


@overload
def decode_msgpack(value: bytes, target_type: type[T], *, strict: bool = ...) -> T: ...
@overload
def decode_msgpack(value: bytes, target_type: None = None, *, strict: bool = ...) -> Any: ...
def decode_msgpack(value: bytes, target_type: Any = None, *, strict: bool = True) -> Any:
    """Decode MessagePack, optionally validating into ``target_type``."""
    try:
        if target_type is None:
            return msgspec.msgpack.decode(value)
        return msgspec.msgpack.decode(
            value, type=target_type, strict=strict, dec_hook=default_deserializer
        )
    except msgspec.DecodeError as exc:
        raise SerializationException(str(exc)) from exc
