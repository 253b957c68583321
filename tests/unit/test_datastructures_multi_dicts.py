"""``MultiDict``, ``ImmutableMultiDict`` and ``FormMultiDict``."""

from typing import Any

import multidict
import pytest

from trioweb.datastructures import (
    FormMultiDict,
    ImmutableMultiDict,
    MultiDict,
    MultiMixin,
    UploadFile,
)


def test_multidict_keeps_every_value() -> None:
    data = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert data["a"] == 1
    assert data.getall("a") == [1, 3]
    assert data.getone("b") == 2
    assert len(data) == 3
    assert list(data) == ["a", "b"]
    assert list(data.items()) == [("a", 1), ("b", 2), ("a", 3)]
    assert data.dict() == {"a": [1, 3], "b": [2]}
    assert list(data.multi_items()) == [("a", 1), ("a", 3), ("b", 2)]
    assert repr(data) == "<MultiDict('a': 1, 'b': 2, 'a': 3)>"


def test_multidict_mutation() -> None:
    data: MultiDict[str] = MultiDict({"a": "1"})
    data.add("a", "2")
    data.add("b", "3")
    assert data.getall("a") == ["1", "2"]
    data["a"] = "only"
    assert data.getall("a") == ["only"]
    data.extend([("c", "4"), ("c", "5")])
    assert data.popall("c") == ["4", "5"]
    del data["b"]
    assert dict(data) == {"a": "only"}


def test_missing_key() -> None:
    data: MultiDict[str] = MultiDict()
    with pytest.raises(KeyError):
        data.getall("x")
    assert data.getall("x", []) == []
    assert data.get("x") is None
    assert not data


def test_constructors() -> None:
    assert MultiDict() == MultiDict(None) == MultiDict([]) == MultiDict({})
    assert MultiDict({"k": [1, 2]}).getall("k") == [[1, 2]]  # a list value is one value
    assert MultiDict(MultiDict([("a", 1), ("a", 2)])).getall("a") == [1, 2]
    assert MultiDict(iter([("x", 1)]))["x"] == 1


def test_copies() -> None:
    data = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    copy = data.copy()
    assert type(copy) is MultiDict
    assert list(copy.items()) == list(data.items())
    copy.add("z", 0)
    assert "z" not in data

    frozen = data.immutable()
    assert type(frozen) is ImmutableMultiDict
    assert list(frozen.items()) == list(data.items())
    thawed = frozen.mutable_copy()
    assert type(thawed) is MultiDict
    thawed.add("q", 1)
    assert "q" not in frozen
    assert type(frozen.copy()) is ImmutableMultiDict


def test_immutable_multidict_rejects_changes() -> None:
    frozen: ImmutableMultiDict[str] = ImmutableMultiDict({"a": "1"})
    with pytest.raises(TypeError):
        frozen["a"] = "2"  # type: ignore[index]
    with pytest.raises(AttributeError):
        frozen.add("a", "2")  # type: ignore[attr-defined]
    assert frozen.dict() == {"a": ["1"]}
    assert repr(frozen) == "<ImmutableMultiDict('a': '1')>"


def test_equality_follows_multidict() -> None:
    assert MultiDict([("a", 1), ("b", 2)]) == {"b": 2, "a": 1}
    assert MultiDict([("a", 1), ("a", 2)]) != {"a": 1}
    assert MultiDict([("a", 1)]) == ImmutableMultiDict([("a", 1)])


def test_types() -> None:
    values: tuple[MultiMixin[Any], ...] = (MultiDict(), ImmutableMultiDict(), FormMultiDict())
    for value in values:
        assert isinstance(value, MultiMixin)
        assert isinstance(value, multidict.MultiMapping)
    assert isinstance(MultiDict(), multidict.MultiDict)
    assert isinstance(ImmutableMultiDict(), multidict.MultiDictProxy)


def test_form_multidict_from_form_data() -> None:
    form = FormMultiDict.from_form_data({"tags": ["a", "b"], "name": "x"})
    assert form.getall("tags") == ["a", "b"]
    assert form["name"] == "x"
    assert repr(form) == "<FormMultiDict('tags': 'a', 'tags': 'b', 'name': 'x')>"


async def test_form_multidict_close_closes_upload_files() -> None:
    first = UploadFile("text/plain", "a.txt", b"a")
    second = UploadFile("text/plain", "b.txt", b"b")
    form = FormMultiDict([("file", first), ("file", second), ("name", "x")])
    await form.close()
    assert first.file.closed
    assert second.file.closed
    await form.close()  # closing twice is fine
