"""``import trioweb`` stays cheap: the heavy modules load on first use, names stay importable."""

from __future__ import annotations

import json
import subprocess
import sys

# Each is only needed by a feature an app may never use; together they were about half of
# the import time (docs/performance.md compares it with Starlette's).
DEFERRED = (
    "email.utils",  # HTTP dates: conditional requests, files
    "html",  # the debug error page
    "http.cookies",  # setting or reading cookies
    "importlib.metadata",  # hypercorn's version, for the patch status
    "mimetypes",  # guessing a file's media type
    "python_multipart",  # forms
    "trioweb.params",  # Parameter / Body / Dependency
    "trioweb.response.file",
    "trioweb.response.sse",
    "trioweb.response.template",
    "trioweb.logging.config",
    "trioweb.stores",  # sessions and their stores, and the encryption they need
    "trioweb.middleware.session",
    "cryptography",
)


def _loaded_after(statement: str) -> list[str]:
    program = (
        "import sys, json\n"
        "import trio, hypercorn.trio\n"
        f"{statement}\n"
        f"print(json.dumps([m for m in {list(DEFERRED)!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_importing_trioweb_leaves_the_heavy_modules_unloaded() -> None:
    assert _loaded_after("import trioweb") == []


def test_the_deferred_names_import_from_their_usual_paths() -> None:
    loaded = _loaded_after(
        "from trioweb.response import File, Redirect, ServerSentEvent, Template\n"
        "from trioweb.params import Parameter\n"
        "from trioweb.datastructures import Cookie\n"
        "Cookie(key='a', value='b').to_header()"
    )
    assert {"trioweb.response.file", "trioweb.response.sse", "trioweb.params"} <= set(loaded)
    assert "http.cookies" in loaded


def test_an_app_without_sessions_loads_no_store() -> None:
    loaded = _loaded_after("import trioweb\ntrioweb.TrioWeb([])")
    assert not {"trioweb.stores", "trioweb.middleware.session", "cryptography"} & set(loaded)
    loaded = _loaded_after(
        "from trioweb.middleware.session.server_side import ServerSideSessionConfig\n"
        "import trioweb\ntrioweb.TrioWeb([]).stores.get('sessions')"
    )
    assert {"trioweb.stores", "trioweb.middleware.session"} <= set(loaded)
    assert "cryptography" not in loaded  # only cookie sessions need it
