"""How ``trioweb run``/``routes``/``info`` turn ``MODULE:APP`` into an app (no server here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from trioweb import TrioWeb
from trioweb.cli import _factory_call, discover_app, is_app_factory, load_app

FACTORY_MODULE = """\
from trioweb import Litestar, get


@get("/")
async def index() -> str:
    return "made"


def create_app() -> Litestar:
    return Litestar([index])


def make(debug: bool = False) -> Litestar:
    return Litestar([index], debug=debug)


async def raw_asgi(scope, receive, send):
    pass


class AsgiClass:
    def __init__(self, scope):
        self.scope = scope
"""


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    (tmp_path / "factory_mod.py").write_text(FACTORY_MODULE)
    yield tmp_path
    sys.modules.pop("factory_mod", None)
    while str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def test_a_factory_named_by_the_spec_is_called_as_litestars_cli_does(module_dir: Path) -> None:
    app = load_app("factory_mod:create_app", app_dir=module_dir)
    assert isinstance(app, TrioWeb)
    assert isinstance(load_app("factory_mod:make", app_dir=module_dir), TrioWeb)
    # workers spawned through hypercorn get the spec written as a call
    assert _factory_call("factory_mod:create_app") == "factory_mod:create_app()"
    assert _factory_call("factory_mod:raw_asgi") == "factory_mod:raw_asgi"


def test_an_asgi_callable_is_not_mistaken_for_a_factory(module_dir: Path) -> None:
    assert load_app("factory_mod:raw_asgi", app_dir=module_dir) is not None
    module = sys.modules["factory_mod"]
    assert not is_app_factory(module.raw_asgi)  # async, and takes (scope, receive, send)
    assert not is_app_factory(module.AsgiClass)  # a class: an ASGI 2 app, not called
    assert not is_app_factory(module.create_app())  # an app instance
    assert is_app_factory(module.create_app)


def test_discovery_finds_a_factory_by_name(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(FACTORY_MODULE)
    try:
        assert discover_app(tmp_path) == "app:create_app()"
        assert isinstance(load_app("app:create_app()", app_dir=tmp_path), TrioWeb)
    finally:
        sys.modules.pop("app", None)
        while str(tmp_path) in sys.path:
            sys.path.remove(str(tmp_path))
