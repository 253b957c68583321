"""``State`` and ``ImmutableState``: a dict with attribute access, for application and
connection state.

``State`` is what ``app.state`` and ``request.state`` are. It wraps a dict (by default
the very dict it is given, so a connection's state object and ``scope["state"]`` stay one
and the same) and offers both ``state["key"]`` and ``state.key``. Writes take a lock,
because synchronous handlers run in worker threads.

``ImmutableState`` is the read-only form; by default it deep-copies what it is given.

Copies (``copy()``, ``mutable_copy()``, ``immutable_copy()``, ``copy.copy``) are real
copies: a new dict, deep-copied when the state was made with ``deep_copy``. Litestar's
share the dict when ``deep_copy`` is off, so that a change to an "immutable copy"'s
source shows through it; that is not reproduced.

Keys whose name is :data:`CONNECTION_STATE_KEY` hold the framework's private
per-connection data inside ``scope["state"]``; :meth:`ImmutableState.dict` and
:meth:`State.copy` leave that key out, as Litestar does with its own.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from copy import deepcopy
from threading import RLock
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from typing import Self

__all__ = ("CONNECTION_STATE_KEY", "ImmutableState", "State")

CONNECTION_STATE_KEY: Final = "_trioweb_connection_state"
"""Key of the framework's private data in ``scope["state"]``; hidden from ``dict()``."""


class ImmutableState(Mapping[str, Any]):
    """Read-only state, readable as ``state["key"]`` or ``state.key``."""

    __slots__ = ("_deep_copy", "_state")

    _deep_copy: bool
    _state: dict[str, Any]

    def __init__(
        self,
        state: ImmutableState | Mapping[str, Any] | Iterable[tuple[str, Any]],
        deep_copy: bool = True,
    ) -> None:
        """Wrap ``state`` (another state, a mapping or ``(key, value)`` pairs).

        With ``deep_copy`` the contents are deep-copied; otherwise a ``dict`` is wrapped
        as is (not copied) and anything else is turned into a new dict.
        """
        if isinstance(state, ImmutableState):
            state = state._state
        if not isinstance(state, dict):
            state = dict(state)
        object.__setattr__(self, "_deep_copy", deep_copy)
        object.__setattr__(self, "_state", deepcopy(state) if deep_copy else state)

    def __bool__(self) -> bool:
        return bool(self._state)

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def __getattr__(self, key: str) -> Any:
        """Read ``key`` as an attribute; ``AttributeError`` if it is not set."""
        # Not ``self._state``: on an instance whose slot is not set yet that lookup would
        # come back here and recurse.
        state: dict[str, Any] = object.__getattribute__(self, "_state")
        try:
            return state[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def __copy__(self) -> Self:
        """A shallow copy (``copy.copy``), with the same ``deep_copy`` setting."""
        return type(self)(self._copied_state(), deep_copy=self._deep_copy)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._state!r})"

    def _copied_state(self) -> builtins.dict[str, Any]:
        # A new dict even without ``deep_copy``: otherwise a "copy" would share (and
        # write through to) the original's dict.
        return self._state if self._deep_copy else builtins.dict(self._state)

    def mutable_copy(self) -> State:
        """A mutable :class:`State` with the same contents (a copy: changes stay apart)."""
        return State(self._copied_state(), deep_copy=self._deep_copy)

    def dict(self) -> builtins.dict[str, Any]:
        """A shallow copy of the wrapped dict, without the framework's private key."""
        return {key: value for key, value in self._state.items() if key != CONNECTION_STATE_KEY}


class State(ImmutableState, MutableMapping[str, Any]):
    """Mutable state, readable and writable as ``state["key"]`` or ``state.key``."""

    __slots__ = ("_lock",)

    _lock: RLock

    def __init__(
        self,
        state: ImmutableState | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        deep_copy: bool = False,
    ) -> None:
        """Wrap ``state``; by default a given ``dict`` is used as is, so writes reach it."""
        super().__init__(state if state is not None else {}, deep_copy=deep_copy)
        object.__setattr__(self, "_lock", RLock())

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            self._state[key] = value

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._state[key]

    def __setattr__(self, key: str, value: Any) -> None:
        """Set ``key`` as an attribute."""
        with self._lock:
            self._state[key] = value

    def __delattr__(self, key: str) -> None:
        """Delete ``key`` as an attribute; ``AttributeError`` if it is not set."""
        try:
            with self._lock:
                del self._state[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def copy(self) -> Self:
        """A shallow copy (new dict), without the framework's private key."""
        return type(self)(self.dict(), deep_copy=self._deep_copy)

    def immutable_copy(self) -> ImmutableState:
        """A read-only copy (later changes to this state do not show in it)."""
        return ImmutableState(self._copied_state(), deep_copy=self._deep_copy)
