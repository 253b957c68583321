"""``State`` and ``ImmutableState``."""

import copy
import threading

import pytest

from trioweb.datastructures import ImmutableState, State
from trioweb.datastructures.state import CONNECTION_STATE_KEY


def test_attribute_and_item_access() -> None:
    state = State({"first": 1})
    state.second = 2
    state["third"] = 3
    assert state.first == state["first"] == 1
    assert state.second == state["second"] == 2
    assert state.third == 3
    assert len(state) == 3
    assert list(state.items()) == [("first", 1), ("second", 2), ("third", 3)]
    del state.first
    del state["second"]
    assert state.dict() == {"third": 3}


def test_missing_keys() -> None:
    state = State()
    assert not state
    with pytest.raises(AttributeError):
        state.missing  # noqa: B018
    with pytest.raises(KeyError):
        state["missing"]
    with pytest.raises(AttributeError):
        del state.missing
    with pytest.raises(KeyError):
        del state["missing"]


def test_state_wraps_a_dict_without_copying_by_default() -> None:
    backing = {"a": 1}
    state = State(backing)
    state.b = 2
    assert backing == {"a": 1, "b": 2}
    assert State(backing, deep_copy=True).dict() == backing
    deep = State({"nested": {"x": 1}}, deep_copy=True)
    assert State(deep).nested == {"x": 1}


def test_other_sources() -> None:
    assert State([("k", 1)]).k == 1
    assert State(ImmutableState({"k": 1})).k == 1
    assert State(None).dict() == {}


def test_copy_is_shallow_and_independent() -> None:
    nested = {"x": 1}
    state = State({"a": 1, "nested": nested})
    clone = state.copy()
    clone.z = 1
    assert "z" not in state
    assert clone.nested is nested
    assert type(clone) is State
    shallow = copy.copy(state)
    assert shallow.dict() == state.dict()
    shallow.y = 1
    assert "y" not in state


def test_immutable_state() -> None:
    nested = {"x": 1}
    frozen = ImmutableState({"nested": nested, "a": 1})
    assert frozen.nested == {"x": 1}
    assert frozen.nested is not nested  # deep-copied by default
    assert frozen["a"] == 1
    with pytest.raises(AttributeError):
        frozen.a = 2  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del frozen.a
    with pytest.raises(TypeError):
        frozen["a"] = 2
    shared = ImmutableState(nested, deep_copy=False)
    nested["y"] = 2
    assert shared.y == 2


def test_conversions() -> None:
    state = State({"a": 1})
    frozen = state.immutable_copy()
    assert type(frozen) is ImmutableState
    assert frozen.dict() == {"a": 1}
    thawed = frozen.mutable_copy()
    assert type(thawed) is State
    thawed.b = 2
    assert "b" not in frozen
    state.c = 3
    assert "c" not in frozen


def test_private_connection_key_is_hidden() -> None:
    state = State({"a": 1, CONNECTION_STATE_KEY: object()})
    assert state.dict() == {"a": 1}
    assert CONNECTION_STATE_KEY not in state.copy()
    assert CONNECTION_STATE_KEY in state


def test_concurrent_writes_from_threads() -> None:
    state = State()

    def writer(prefix: str) -> None:
        for i in range(200):
            state[f"{prefix}{i}"] = i

    threads = [threading.Thread(target=writer, args=(str(n),)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(state) == 800


def test_repr() -> None:
    assert repr(State({"a": 1})) == "State({'a': 1})"
    assert repr(ImmutableState({"a": 1})) == "ImmutableState({'a': 1})"
