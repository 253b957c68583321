"""``python -m trioweb`` as a user runs it: a subprocess serving on a real loopback port.

The same scenarios run against ``hypercorn --worker-class trio`` where the CLI promises to
behave like it.  The served app is the raw ASGI app in `tests.integration.apps.cli_app`, which
records its lifecycle in a marker file.  Real sockets and real time: no ``autojump_clock``.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trio

from tests.integration.apps import cli_app

ROOT = Path(__file__).resolve().parents[2]
APP = "tests.integration.apps.cli_app:app"
HYPERCORN = Path(sys.executable).with_name("hypercorn")
STARTUP_TIMEOUT = 30.0
EXIT_MARGIN = 4.0  # beyond graceful_timeout: lifespan shutdown and interpreter exit

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: trio.Process
    port: int
    marker: Path
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self) -> list[str]:
        return self.marker.read_text().split() if self.marker.exists() else []


def trioweb_command(port: int, *args: str) -> list[str]:
    return [sys.executable, "-m", "trioweb", "run", APP, "--port", str(port), *args]


def hypercorn_command(port: int, *args: str) -> list[str]:
    return [str(HYPERCORN), "--worker-class", "trio", "--bind", f"127.0.0.1:{port}", *args, APP]


@asynccontextmanager
async def running(tmp_path, make_command, *args, port=None, env=None):
    """Start the server command, wait until it answers over HTTP, and always stop it."""
    port = free_port() if port is None else port
    marker = tmp_path / "marker"
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    full_env = {**os.environ, cli_app.MARKER_ENV: str(marker), **(env or {})}
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await trio.lowlevel.open_process(
            make_command(port, *args), cwd=ROOT, env=full_env, stdout=out, stderr=err
        )
    server = Server(process, port, marker, stdout, stderr)
    try:
        await wait_until_serving(server)
        yield server
    finally:
        await stop(process)


async def wait_until_serving(server: Server) -> None:
    with trio.fail_after(STARTUP_TIMEOUT):
        async with httpx.AsyncClient() as client:
            while True:
                if server.process.poll() is not None:
                    pytest.fail(
                        f"server exited with {server.process.returncode}:\n"
                        + server.stderr.read_text()
                    )
                try:
                    await client.get(server.url + "/", timeout=1.0)
                except httpx.TransportError:
                    await trio.sleep(0.05)
                else:
                    return


async def stop(process: trio.Process) -> None:
    """SIGTERM (so hypercorn's parent can stop its workers), then SIGKILL after 10 s."""
    with trio.CancelScope(shield=True):
        if process.poll() is None:
            process.terminate()
            with trio.move_on_after(10):
                await process.wait()
        if process.poll() is None:
            process.kill()
            await process.wait()


async def start_slow_stream(port: int, query: str) -> tuple[trio.SocketStream, bytes]:
    """GET /slow over a raw socket and return once the first chunk has arrived."""
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    await stream.send_all(f"GET /slow?{query} HTTP/1.1\r\nhost: test\r\n\r\n".encode())
    received = b""
    while b"chunk 0\n" not in received:
        data = await stream.receive_some()
        assert data, "connection closed before the first chunk"
        received += data
    return stream, received


async def signal_and_wait(server: Server, signum: int, stream, received: bytes):
    """Send ``signum`` while reading ``stream`` to EOF; return (seconds to exit, all bytes)."""
    result = {"bytes": received}

    async def read_to_eof() -> None:
        async with stream:
            try:
                while data := await stream.receive_some():
                    result["bytes"] += data
            except trio.BrokenResourceError:
                pass

    async with trio.open_nursery() as nursery:
        nursery.start_soon(read_to_eof)
        started = trio.current_time()
        server.process.send_signal(signum)
        with trio.fail_after(30):
            await server.process.wait()
        elapsed = trio.current_time() - started
    return elapsed, result["bytes"]


async def run_cli(*args: str, cwd: Path = ROOT, env=None) -> subprocess.CompletedProcess:
    with trio.fail_after(STARTUP_TIMEOUT):
        return await trio.run_process(
            [sys.executable, "-m", "trioweb", *args],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_stdout=True,
            capture_stderr=True,
            check=False,
        )


# --- serving -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["run", APP], {}, id="positional"),
        pytest.param(["--app", APP, "run"], {}, id="app-option"),
        pytest.param(["run"], {"TRIOWEB_APP": APP}, id="env-var"),
        pytest.param(["--app", "no.such:app", "run", APP], {}, id="positional-wins"),
    ],
)
async def test_run_serves_the_app(tmp_path, args, env):
    def command(port):
        return [sys.executable, "-m", "trioweb", *args, "--port", str(port)]

    async with running(tmp_path, command, env=env) as server, httpx.AsyncClient() as client:
        response = await client.get(server.url + "/")
        assert response.status_code == 200
        assert response.content == cli_app.BODY
        assert (await client.get(server.url + "/debug")).text == "False -"
        assert f"serving {APP} on {server.url} " in server.stdout.read_text()
        assert server.events() == ["startup"]


async def test_get_matches_hypercorn(tmp_path):
    responses = []
    for name, command in [("trioweb", trioweb_command), ("hypercorn", hypercorn_command)]:
        (tmp_path / name).mkdir()
        async with running(tmp_path / name, command) as server, httpx.AsyncClient() as client:
            responses.append(await client.get(server.url + "/"))
    ours, theirs = responses
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)
    assert ours.headers["server"] == theirs.headers["server"] == "hypercorn-h11"
    assert {k for k in ours.headers if k != "date"} == {k for k in theirs.headers if k != "date"}


async def test_debug_sets_app_debug(tmp_path):
    async with (
        running(tmp_path, trioweb_command, "--debug") as server,
        httpx.AsyncClient() as client,
    ):
        assert (await client.get(server.url + "/debug")).text == "True 1"


async def test_root_path_reaches_the_app(tmp_path):
    async with (
        running(tmp_path, trioweb_command, "--root-path", "/api") as server,
        httpx.AsyncClient() as client,
    ):
        assert (await client.get(server.url + "/")).content == cli_app.BODY


async def test_workers_app_dir_and_debug_are_handed_to_hypercorn(tmp_path):
    # The app lives outside the cwd: spawned workers must inherit --app-dir on sys.path.
    # They import the app afresh, so --debug reaches them only as $TRIOWEB_DEBUG.
    app_dir = tmp_path / "elsewhere"
    app_dir.mkdir()
    shutil.copy(Path(cli_app.__file__), app_dir / "moved_app.py")

    def command(port):
        return [
            *[sys.executable, "-m", "trioweb", "run", "moved_app:app"],
            *["--port", str(port), "--workers", "2", "--app-dir", str(app_dir), "--debug"],
        ]

    async with running(tmp_path, command) as server:
        async with httpx.AsyncClient() as client:
            assert (await client.get(server.url + "/")).content == cli_app.BODY
            assert (await client.get(server.url + "/debug")).text == "False 1"
        assert "2 workers" in server.stdout.read_text()
        with trio.fail_after(STARTUP_TIMEOUT):
            while server.events().count("startup") < 2:
                await trio.sleep(0.05)
        server.process.send_signal(signal.SIGTERM)
        with trio.fail_after(30):
            assert await server.process.wait() == 0
    assert server.events().count("shutdown") == 2


# --- shutdown ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [trioweb_command, hypercorn_command], ids=["trioweb", "hypercorn"]
)
async def test_sigterm_cancels_endless_stream_after_graceful_timeout(tmp_path, command):
    graceful = 1
    async with running(tmp_path, command, "--graceful-timeout", str(graceful)) as server:
        stream, received = await start_slow_stream(server.port, "chunks=100000&interval=0.05")
        elapsed, received = await signal_and_wait(server, signal.SIGTERM, stream, received)
    assert server.process.returncode == 0
    assert graceful - 0.05 <= elapsed < graceful + EXIT_MARGIN
    assert b"0\r\n\r\n" not in received  # the stream was cut, not finished
    assert server.events() == ["startup", "slow-cancelled", "shutdown-started", "shutdown"]


@pytest.mark.parametrize(
    "command", [trioweb_command, hypercorn_command], ids=["trioweb", "hypercorn"]
)
async def test_sigint_lets_in_flight_stream_finish(tmp_path, command):
    graceful = 10
    async with running(tmp_path, command, "--graceful-timeout", str(graceful)) as server:
        stream, received = await start_slow_stream(server.port, "chunks=10&interval=0.1")
        elapsed, received = await signal_and_wait(server, signal.SIGINT, stream, received)
    assert server.process.returncode == 0
    assert elapsed < 1.0 + EXIT_MARGIN  # the stream's own second, not the graceful timeout
    assert all(b"chunk %d\n" % index in received for index in range(10))
    assert received.endswith(b"0\r\n\r\n")
    assert server.events() == ["startup", "slow-done", "shutdown-started", "shutdown"]


async def test_shutdown_is_announced_and_refuses_new_connections(tmp_path):
    async with running(tmp_path, trioweb_command, "--graceful-timeout", "5") as server:
        stream, received = await start_slow_stream(server.port, "chunks=20&interval=0.1")
        async with stream:
            server.process.send_signal(signal.SIGTERM)
            with trio.fail_after(STARTUP_TIMEOUT):
                while "received SIGTERM, shutting down" not in server.stdout.read_text():
                    await trio.sleep(0.05)
            async with httpx.AsyncClient() as client:
                with pytest.raises(httpx.ConnectError):
                    await client.get(server.url + "/")
        with trio.fail_after(30):
            assert await server.process.wait() == 0


async def test_second_signal_forces_exit(tmp_path):
    env = {cli_app.HANG_SHUTDOWN_ENV: "1"}
    async with running(tmp_path, trioweb_command, env=env) as server:
        server.process.send_signal(signal.SIGTERM)
        with trio.fail_after(STARTUP_TIMEOUT):
            while "shutdown-started" not in server.events():
                await trio.sleep(0.05)
        server.process.send_signal(signal.SIGINT)
        with trio.fail_after(EXIT_MARGIN):
            assert await server.process.wait() == 1
    assert "received SIGINT again" in server.stdout.read_text()
    assert "Traceback" not in server.stderr.read_text()
    assert server.events() == ["startup", "shutdown-started"]


# --- errors and the other commands ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "tests.integration.apps.nope:app"], "could not import module"),
        (["run", "no_such_package.sub:app"], "no module named 'no_such_package'"),
        (["run", "tests.integration.apps.cli_app:nope"], "has no attribute 'nope'"),
        (["run", "tests.integration.apps.cli_app:BODY"], "not an ASGI application"),
        (["run", "--workers", "2", "tests.integration.apps.nope:app"], "could not import"),
        (["run", ":app"], "invalid app"),
        (["run", "wsgi:tests.integration.apps.cli_app:app"], "ASGI apps only"),
        (["run"], "no app given"),
        (["routes", "tests.integration.apps.nope:app"], "could not import module"),
    ],
)
async def test_bad_app_exits_2_with_one_line(args, expected):
    env = {"TRIOWEB_APP": ""}
    result = await run_cli(*args, env=env)
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("trioweb: error: ")
    assert expected in stderr
    assert result.stdout == b""


async def test_port_in_use_exits_1_with_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = await run_cli("run", APP, "--port", str(port))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert stderr.splitlines() == [stderr.strip()]
    assert f"cannot bind 127.0.0.1:{port}" in stderr


async def test_usage_errors_exit_2():
    assert (await run_cli()).returncode == 2
    assert (await run_cli("run", APP, "--workers", "0")).returncode == 2
    assert (await run_cli("--help")).returncode == 0


async def test_routes_lists_the_app_routes():
    result = await run_cli("--app", APP, "routes")
    assert result.returncode == 0
    lines = [line.split(maxsplit=2) for line in result.stdout.decode().splitlines()]
    assert lines == [
        ["GET,HEAD", "/", "(Route)"],
        ["GET", "/debug", "(Route)"],
        ["GET,POST,WS", "/items", "(create_item, list_items, item_feed)"],
        ["GET", "/slow", "(Route)"],
    ]


async def test_routes_of_an_app_without_routes():
    result = await run_cli("routes", "tests.integration.test_server_harness:hello_app")
    assert result.returncode == 1
    assert "has no 'routes' attribute" in result.stderr.decode()


async def test_app_dir_is_searched_first(tmp_path):
    (tmp_path / "dir_app.py").write_text(
        "class App:\n    routes = ()\n\n    async def __call__(self, scope, receive, send):\n"
        "        raise RuntimeError\n\n\napp = App()\n"
    )
    app_dir = ["--app-dir", str(tmp_path)]
    assert (await run_cli("routes", "dir_app:app", *app_dir)).returncode == 0
    assert (await run_cli(*app_dir, "routes", "dir_app:app")).returncode == 0
    assert (await run_cli("routes", "dir_app:app")).returncode == 2


@pytest.mark.parametrize(
    "spec",
    [
        "tests.integration.apps.cli_app:CliApp()",  # a factory expression
        "asgi:tests.integration.apps.cli_app:app",  # an explicit mode
        "tests/integration/apps/cli_app.py:app",  # a file path
    ],
)
async def test_hypercorn_app_spec_forms(spec):
    result = await run_cli("routes", spec)
    assert result.returncode == 0, result.stderr
    assert "/slow" in result.stdout.decode()


async def test_version():
    result = await run_cli("version")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("trioweb ")
    assert "hypercorn 0." in result.stdout.decode()


# --- finding the app as Litestar's CLI does -------------------------------------------------

DISCOVERED_APP = """\
from trioweb import Litestar, get


@get("/")
async def index() -> str:
    return "found {where}"
"""


def write_app(root: Path, relative: str, tail: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent != root and not (path.parent / "__init__.py").exists():
        (path.parent / "__init__.py").write_text("")
    path.write_text(DISCOVERED_APP.format(where=relative) + tail)


@pytest.mark.parametrize(
    ("relative", "tail", "spec"),
    [
        ("app.py", "app = Litestar([index])\n", "app:app"),
        ("application.py", "application = Litestar([index])\n", "application:application"),
        ("app.py", "server = Litestar([index])\n", "app:server"),
        ("app/__init__.py", "def create_app():\n    return Litestar([index])\n", "app:create_app()"),
        (
            "application/main.py",
            "def build() -> Litestar:\n    return Litestar([index])\n",
            "application.main:build()",
        ),
    ],
)
async def test_an_app_in_a_canonical_module_is_found(tmp_path, relative, tail, spec):
    write_app(tmp_path, relative, tail)
    env = {"TRIOWEB_APP": "", "LITESTAR_APP": ""}
    result = await run_cli("info", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert f"app              {spec} (TrioWeb)" in result.stdout.decode().splitlines()
    result = await run_cli("--app-dir", str(tmp_path), "routes", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[0].split() == ["GET", "/", "(index)"]


async def test_litestar_app_is_read_when_trioweb_app_is_unset():
    result = await run_cli("routes", env={"TRIOWEB_APP": "", "LITESTAR_APP": APP})
    assert result.returncode == 0, result.stderr
    assert "/slow" in result.stdout.decode()


async def test_litestars_short_options_serve_a_discovered_app(tmp_path):
    write_app(tmp_path, "app.py", "app = Litestar([index])\n")

    def command(port):
        return [
            *[sys.executable, "-m", "trioweb", "--app-dir", str(tmp_path), "run"],
            *["-H", "127.0.0.1", "-p", str(port), "-d"],
        ]

    env = {"TRIOWEB_APP": "", "LITESTAR_APP": ""}
    async with running(tmp_path, command, env=env) as server, httpx.AsyncClient() as client:
        assert (await client.get(server.url + "/")).text == "found app.py"
        assert f"serving app:app on {server.url} " in server.stdout.read_text()


async def test_run_serves_on_a_unix_domain_socket(tmp_path):
    socket_path = tmp_path / "trioweb.sock"
    process = await trio.lowlevel.open_process(
        [sys.executable, "-m", "trioweb", "run", APP, "--uds", str(socket_path)],
        cwd=ROOT,
        env={**os.environ, cli_app.MARKER_ENV: str(tmp_path / "marker")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        transport = httpx.AsyncHTTPTransport(uds=str(socket_path))
        async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
            with trio.fail_after(STARTUP_TIMEOUT):
                while True:
                    try:
                        response = await client.get("/")
                        break
                    except httpx.TransportError:
                        await trio.sleep(0.05)
        assert response.content == cli_app.BODY
    finally:
        await stop(process)
    assert process.returncode == 0


async def test_info_describes_the_app():
    result = await run_cli("info", APP)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("trioweb version")
    assert f"app              {APP} (CliApp)" in lines
    assert "debug mode       disabled" in lines


async def test_ssl_needs_both_files():
    result = await run_cli("run", APP, "--ssl-certfile", "cert.pem")
    assert result.returncode == 2
    assert "must be given together" in result.stderr.decode()


async def test_litestars_environment_variables_set_the_defaults(tmp_path):
    # a deployment ported from Litestar keeps its LITESTAR_HOST/LITESTAR_PORT/... settings
    def command(port):
        return [sys.executable, "-m", "trioweb", "run", APP]

    port = free_port()
    env = {"LITESTAR_HOST": "127.0.0.1", "LITESTAR_PORT": str(port), "LITESTAR_DEBUG": "1"}
    async with (
        running(tmp_path, command, port=port, env=env) as server,
        httpx.AsyncClient() as client,
    ):
        assert (await client.get(server.url + "/")).content == cli_app.BODY
        assert (await client.get(server.url + "/debug")).text == "True 1"
    result = await run_cli("run", APP, env={"LITESTAR_PORT": "not-a-port"})
    assert result.returncode == 2
    assert "invalid int value: 'not-a-port'" in result.stderr.decode()
