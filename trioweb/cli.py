"""The ``trioweb`` command line: serve an app on hypercorn's trio worker, list its routes.

Commands::

    trioweb run [MODULE:APP] [-H HOST] [-p PORT] [-W N] [-r] [-d] [--uds PATH] [--fd N]
                             [--ssl-certfile F --ssl-keyfile F] [--root-path PATH]
                             [--graceful-timeout SECONDS] [--app-dir DIR]
    trioweb routes [MODULE:APP] [--app-dir DIR]
    trioweb info [MODULE:APP] [--app-dir DIR]
    trioweb version

The app may also come from ``--app MODULE:APP`` before the command (``trioweb --app m:app run``,
as in Litestar's CLI) or from the ``TRIOWEB_APP`` environment variable (``LITESTAR_APP`` is read
too, for ported deployments); a positional spec wins over ``--app``, which wins over the
environment. With none of them the app is found the way Litestar's CLI finds it: in ``app.py``,
``application.py`` or the ``app/``/``application/`` packages (and their modules) under the app
directory, an app instance (``app`` or ``application`` first, then any), else a ``create_app``
factory, else a function annotated to return ``TrioWeb``/``Litestar``. Litestar's short options
(``-H -p -r -d -W``, ``--wc``/``--web-concurrency`` for ``--workers``) work too, and ``run``'s
options default from the environment (``TRIOWEB_HOST`` or ``LITESTAR_HOST``, ``..._PORT``,
``WEB_CONCURRENCY``, ``..._DEBUG``, ...).

``run`` behaves like ``hypercorn --worker-class trio MODULE:APP``: the same hypercorn ``Config``
defaults (bind 127.0.0.1:8000, graceful_timeout 3 s, ``read_timeout=None``), the same app-spec
rules (``module:attr``, a bare ``module`` meaning ``module:app``, ``path/to/file.py:app``,
factory expressions such as ``module:create_app()``, an ``asgi:`` prefix).
Two deliberate differences:

* With one worker and no reloader the app is served in this process, through
  ``trio.run(hypercorn.trio.serve, ...)``, rather than in a spawned child process.  A signal
  receiver for SIGINT and SIGTERM is open for the whole run, so neither ever surfaces as
  ``KeyboardInterrupt`` inside an app task: the first signal starts hypercorn's graceful shutdown
  (in-flight requests get ``graceful_timeout`` seconds and are then cancelled, lifespan shutdown
  runs, exit code 0); a second signal cancels everything still running (exit code 1).
* ``--workers N`` (N > 1) spawns N hypercorn trio workers sharing the listening sockets, as
  hypercorn's own CLI does, but supervises them so that a signal shuts *every* worker down
  gracefully: hypercorn 0.18's supervisor returns as soon as the first worker has exited and
  terminates the rest, so their in-flight requests and lifespan shutdown never run.  A worker
  that exits with 0 (``max_requests``) is replaced; one that fails stops the others and its
  exit code is returned.  ``--reload`` hands over to ``hypercorn.run.run``.  Spawned workers
  import the app afresh, so there ``--debug`` reaches the app only as ``TRIOWEB_DEBUG=1`` in
  the environment (set before any import, like Litestar's ``LITESTAR_DEBUG``).

Error handling:
    A bad app spec, a module that cannot be found, a missing attribute or an address already
    in use prints one ``trioweb: error: ...`` line on stderr, no traceback; usage errors and app
    load errors exit 2, bind errors exit 1.  Exceptions raised by the app's own module while it
    is imported propagate with their traceback, because that is a bug in user code.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import inspect
import multiprocessing
import os
import platform
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as MultiprocessingEvent
from pathlib import Path
from types import FrameType
from typing import cast

import trio
from hypercorn.config import Config, Sockets
from hypercorn.run import run as hypercorn_run
from hypercorn.trio import serve
from hypercorn.trio.run import trio_worker
from hypercorn.typing import Framework

from trioweb import _hypercorn_patch

__all__ = ["AppLoadError", "load_app", "main"]

APP_ENV_VAR = "TRIOWEB_APP"
#: Read when ``TRIOWEB_APP`` is unset, so a deployment ported from Litestar keeps working.
LITESTAR_APP_ENV_VAR = "LITESTAR_APP"
#: Litestar's canonical module and package names searched when no app is named.
AUTODISCOVERY_NAMES = ("app", "application")
#: Set to "1" by ``--debug`` before the app is imported (the analogue of ``LITESTAR_DEBUG``), so
#: that apps built in spawned worker processes can see the flag too.
DEBUG_ENV_VAR = "TRIOWEB_DEBUG"

_PROG = "trioweb"
_EXIT_USAGE = 2
#: Time a worker gets beyond ``graceful_timeout`` for lifespan shutdown and interpreter exit
#: before the supervisor kills it.
_WORKER_EXIT_MARGIN = 10.0
_SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


class AppLoadError(Exception):
    """The app spec is malformed, or its module or attribute does not exist."""


def load_app(spec: str, *, app_dir: str | os.PathLike[str] = ".") -> object:
    """Import the object named by ``spec`` (``module:attr``), with ``app_dir`` first on sys.path.

    Error handling:
        Raises `AppLoadError` when the spec is malformed, the module itself cannot be found, or
        the attribute is missing.  Any other exception from importing the module (including a
        `ModuleNotFoundError` for one of *its* imports) propagates unchanged.
    """
    target = spec
    mode, _, rest = spec.partition(":")
    if mode in ("asgi", "wsgi") and ":" in rest:  # hypercorn's "asgi:module:attr" form
        if mode == "wsgi":
            raise AppLoadError(f"invalid app {spec!r}: trioweb serves ASGI apps only")
        target = rest
    module_name, _, attr = target.partition(":")
    attr = attr or "app"  # hypercorn treats a bare "module" as "module:app"
    if not module_name:
        raise AppLoadError(f"invalid app {spec!r}: expected 'module:attribute'")
    app_dir = os.path.abspath(app_dir)
    sys.path.insert(0, app_dir)
    if module_name.endswith(".py"):  # a file path, resolved the way hypercorn resolves it
        file = Path(module_name).resolve()
        sys.path.insert(0, str(file.parent))
        module_name = file.stem
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module_name != missing and not module_name.startswith(missing + "."):
            raise
        raise AppLoadError(
            f"could not import module {module_name!r} for app {spec!r} "
            f"(no module named {missing!r}; searched from {app_dir})"
        ) from None
    app: object = module
    if _DOTTED_NAME.fullmatch(attr):
        for part in attr.split("."):
            try:
                app = getattr(app, part)
            except AttributeError:
                raise AppLoadError(
                    f"module {module_name!r} has no attribute {attr!r} (app {spec!r})"
                ) from None
        if is_app_factory(app):  # Litestar's CLI calls a factory named by --app
            app = cast("Callable[[], object]", app)()
    else:  # a factory call such as "create_app()", evaluated as hypercorn evaluates it
        try:
            code = compile(attr, f"<app {spec}>", "eval")
        except SyntaxError:
            raise AppLoadError(
                f"invalid app {spec!r}: {attr!r} is neither an attribute nor an expression"
            ) from None
        app = eval(code, vars(module))
    if not callable(app):
        raise AppLoadError(f"{spec!r} is not an ASGI application (got {type(app).__name__!r})")
    return app


def is_app_factory(obj: object) -> bool:
    """Whether ``obj`` is an app factory rather than an ASGI app: a plain (not ``async``)
    function that takes no required argument, as Litestar's ``create_app``. An ASGI app
    takes ``(scope, receive, send)``, so the two never look alike."""
    from trioweb.app import TrioWeb

    if isinstance(obj, TrioWeb) or not inspect.isfunction(obj):
        return False
    if inspect.iscoroutinefunction(obj):
        return False
    try:
        inspect.signature(obj).bind()
    except TypeError:
        return False
    return True


def discover_app(app_dir: str | os.PathLike[str] = ".") -> str | None:
    """The spec of the app in ``app_dir``'s canonical modules, found as Litestar's CLI does.

    Searched in order: ``app`` (``app.py`` or the ``app/`` package, then each public module
    of that package), then ``application`` likewise. In each module: an app instance (the
    ``app`` or ``application`` attribute first, then any other), else a ``create_app``
    factory, else a function whose return annotation is ``TrioWeb`` or ``Litestar``. A
    factory is returned as a call (``"app:create_app()"``), which :func:`load_app` evaluates.

    Error handling:
        An exception raised while importing a candidate module propagates (a bug in user
        code); ``None`` means nothing was found.
    """
    from trioweb.app import TrioWeb

    base = Path(os.path.abspath(app_dir))
    if str(base) not in sys.path:
        sys.path.insert(0, str(base))
    for dotted in _candidate_modules(base):
        module = importlib.import_module(dotted)
        namespace = vars(module)
        named = [(name, namespace.get(name)) for name in AUTODISCOVERY_NAMES]
        for attr, value in [*named, *namespace.items()]:
            if isinstance(value, TrioWeb):
                return f"{dotted}:{attr}"
        if callable(namespace.get("create_app")):
            return f"{dotted}:create_app()"
        for attr, value in namespace.items():
            if callable(value) and not isinstance(value, type) and _returns_app(value, TrioWeb):
                return f"{dotted}:{attr}()"
    return None


def _candidate_modules(base: Path) -> Iterator[str]:
    for name in AUTODISCOVERY_NAMES:
        package = base / name
        if package.with_suffix(".py").is_file() or (package / "__init__.py").is_file():
            yield name
        if package.is_dir():
            for file in sorted(package.iterdir()):
                if file.suffix == ".py" and not file.name.startswith((".", "_")):
                    yield f"{name}.{file.stem}"


def _returns_app(fn: Callable[..., object], app_class: type) -> bool:
    try:
        annotation = inspect.get_annotations(fn, eval_str=False).get("return")
    except (TypeError, ValueError):
        return False
    return annotation is app_class or annotation in ("TrioWeb", "Litestar")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed by argparse
        return exit_.code if isinstance(exit_.code, int) else _EXIT_USAGE
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except AppLoadError as error:
        _error(str(error))
        return _EXIT_USAGE


# --- commands ------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    spec = _app_spec(args)
    if args.debug:
        os.environ[DEBUG_ENV_VAR] = "1"
    app = load_app(spec, app_dir=args.app_dir)
    if args.debug and hasattr(app, "debug"):
        # A read-only property means the app decides for itself.
        with contextlib.suppress(AttributeError):
            app.debug = True

    # hypercorn's trio server is imported (above): fix its close race before serving,
    # whatever the app is (see trioweb/_hypercorn_patch.py)
    _hypercorn_patch.apply()

    config = Config()
    # spawned workers load the app through hypercorn, which calls a factory only when told
    config.application_path = _factory_call(spec)
    config.worker_class = "trio"
    if args.uds is not None:
        config.bind = [f"unix:{args.uds}"]
    elif args.fd is not None:
        config.bind = [f"fd://{args.fd}"]
    else:
        config.bind = [_bind_address(args.host, args.port)]
    if (args.ssl_certfile is None) != (args.ssl_keyfile is None):
        _error("--ssl-certfile and --ssl-keyfile must be given together")
        return _EXIT_USAGE
    config.certfile, config.keyfile = args.ssl_certfile, args.ssl_keyfile
    config.graceful_timeout = args.graceful_timeout
    config.read_timeout = None  # it would cut off healthy SSE streams; see notes/engine.md §1
    config.root_path = args.root_path
    if args.debug:
        config.loglevel = "DEBUG"

    # an inherited descriptor is bound already, and closing a probe socket would close it
    bind_error = None if args.fd is not None else _check_bind(config)
    if bind_error is not None:
        _error(bind_error)
        return 1

    if args.workers == 1 and not args.reload:
        return trio.run(_serve_until_signalled, cast(Framework, app), config, spec)

    # Spawned workers re-import the app from `application_path`; they inherit sys.path (with
    # --app-dir) through multiprocessing's spawn preparation data, and the environment.
    config.workers = args.workers
    config.use_reloader = args.reload
    config.debug = args.debug
    mode = f"{args.workers} worker{'s' if args.workers > 1 else ''}"
    if args.reload:
        mode += ", reloading on changes"
    scheme = "https" if config.ssl_enabled else "http"
    _say(f"serving {spec} on {scheme}://{config.bind[0]} ({mode}; press CTRL+C to quit)")
    if args.reload:
        return hypercorn_run(config)
    return _supervise(config)


def _routes(args: argparse.Namespace) -> int:
    spec = _app_spec(args)
    app = load_app(spec, app_dir=args.app_dir)
    routes = getattr(app, "routes", None)
    if routes is None:
        _error(f"{spec!r} has no 'routes' attribute; is it a trioweb app?")
        return 1
    rows = sorted((_describe_route(route) for route in routes), key=lambda row: row[1])
    width = max((len(methods) for methods, _, _ in rows), default=0)
    for methods, path, handlers in rows:
        print(f"{methods:<{width}}  {path}  ({handlers})")
    return 0


def _info(args: argparse.Namespace) -> int:
    spec = _app_spec(args)
    app = load_app(spec, app_dir=args.app_dir)
    routes = getattr(app, "routes", None)
    if routes is None:
        _error(f"{spec!r} has no 'routes' attribute; is it a trioweb app?")
        return 1
    openapi = getattr(app, "openapi_config", None)
    template = getattr(app, "template_config", None)
    layer_value = getattr(app, "layer_value", None)
    middleware = [
        _callable_name(getattr(item, "middleware", item)) or type(item).__name__
        for item in ((layer_value("middleware") if layer_value else None) or ())
    ]
    rows = [
        ("trioweb version", _distribution_version("trioweb")),
        ("app", f"{spec} ({type(app).__name__})"),
        ("debug mode", _enabled(getattr(app, "debug", False))),
        ("routes", str(len(routes))),
        ("CORS", _enabled(getattr(app, "cors_config", None))),
        ("CSRF", _enabled(getattr(app, "csrf_config", None))),
        ("compression", _enabled(getattr(app, "compression_config", None))),
        ("allowed hosts", _enabled(getattr(app, "allowed_hosts", None))),
        ("OpenAPI", f"enabled at {openapi.schema_path}" if openapi is not None else "disabled"),
        ("template engine", type(template.engine_instance).__name__ if template else "none"),
        ("middlewares", ", ".join(middleware) or "none"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


def _enabled(value: object) -> str:
    return "enabled" if value else "disabled"


def _version(args: argparse.Namespace) -> int:
    print(
        f"trioweb {_distribution_version('trioweb')} "
        f"(trio {trio.__version__}, hypercorn {_distribution_version('hypercorn')}, "
        f"{platform.python_implementation()} {platform.python_version()})"
    )
    return 0


# --- serving in this process ---------------------------------------------------------------


async def _serve_until_signalled(app: Framework, config: Config, spec: str) -> int:
    """Serve until SIGINT or SIGTERM, then shut down gracefully; a second signal forces it.

    Cancellation:
        The first signal sets hypercorn's shutdown trigger: listeners close, in-flight requests
        get ``config.graceful_timeout`` seconds before hypercorn cancels them, then lifespan
        shutdown runs.  A second signal cancels the whole server, lifespan shutdown included.
        Neither can interrupt a send that hypercorn has shielded while a client is not reading.
    """
    shutdown = trio.Event()
    watching = trio.CancelScope()

    async def run_server(*, task_status: trio.TaskStatus[list[str]]) -> None:
        try:
            await serve(app, config, shutdown_trigger=shutdown.wait, task_status=task_status)
        finally:
            watching.cancel()

    # Opened before hypercorn starts so that no signal ever becomes a KeyboardInterrupt
    # raised inside an app task; signals that arrive during lifespan startup wait here.
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async with trio.open_nursery() as nursery:
            urls: list[str] = await nursery.start(run_server)
            for url in urls:
                _say(f"serving {spec} on {url} (press CTRL+C to quit)")
            with watching:
                async for signum in signals:
                    name = signal.Signals(signum).name
                    if shutdown.is_set():
                        _say(f"received {name} again, cancelling everything")
                        nursery.cancel_scope.cancel()
                        return 1
                    _say(
                        f"received {name}, shutting down "
                        f"(graceful timeout {config.graceful_timeout:g}s)"
                    )
                    shutdown.set()
    return 0


# --- serving in worker processes ----------------------------------------------------------


def _supervise(config: Config) -> int:
    """Serve from ``config.workers`` spawned trio workers until SIGINT or SIGTERM.

    Cancellation:
        The first signal sets the shared shutdown event; each worker notices it within 0.1 s
        and shuts down as a single-process server does (graceful timeout, then lifespan
        shutdown).  Workers still alive ``graceful_timeout`` + 10 s later, or at a second
        signal, are killed and the exit code is 1.

    Error handling:
        A worker that exits with a non-zero code stops the others; its code is returned.
    """
    context = multiprocessing.get_context("spawn")
    shutdown = context.Event()
    sockets = config.create_sockets()
    workers: list[BaseProcess] = []
    stopping = False
    exit_code = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            _say(f"received {signal.Signals(signum).name} again, killing the workers")
            for worker in workers:
                worker.kill()
            return
        _say(
            f"received {signal.Signals(signum).name}, shutting down "
            f"(graceful timeout {config.graceful_timeout:g}s)"
        )
        stopping = True
        shutdown.set()

    # Workers inherit ignored signals across the spawn, so only this process reacts to them
    # (a Ctrl+C reaches the whole process group).
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _SHUTDOWN_SIGNALS}
    try:
        while not stopping:
            while len(workers) < config.workers:
                spawned = context.Process(
                    target=_worker,
                    kwargs={"config": config, "sockets": sockets, "shutdown_event": shutdown},
                )
                spawned.start()
                workers.append(spawned)
            for signum in _SHUTDOWN_SIGNALS:
                signal.signal(signum, on_signal)
            wait([worker.sentinel for worker in workers])
            for worker in [worker for worker in workers if worker.exitcode is not None]:
                workers.remove(worker)
                if worker.exitcode != 0 and not stopping:
                    _error(f"a worker exited with code {worker.exitcode}; stopping")
                    exit_code = 1 if worker.exitcode is None else abs(worker.exitcode) or 1
                    stopping = True
                    shutdown.set()
        deadline = time.monotonic() + config.graceful_timeout + _WORKER_EXIT_MARGIN
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.exitcode is None:
                worker.kill()
                worker.join()
            if worker.exitcode != 0:
                exit_code = exit_code or 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for sock in (*sockets.secure_sockets, *sockets.insecure_sockets, *sockets.quic_sockets):
            sock.close()
    return exit_code


def _worker(config: Config, sockets: Sockets, shutdown_event: MultiprocessingEvent) -> None:
    """One spawned worker process: hypercorn's trio worker on the shared sockets."""
    for signum in _SHUTDOWN_SIGNALS:  # the supervisor drives shutdown through the event
        signal.signal(signum, signal.SIG_IGN)
    _hypercorn_patch.apply()
    trio_worker(config, sockets, shutdown_event)


# --- helpers -------------------------------------------------------------------------------


def _app_spec(args: argparse.Namespace) -> str:
    spec: str | None = (
        args.app_spec
        or args.app_option
        or os.environ.get(APP_ENV_VAR)
        or os.environ.get(LITESTAR_APP_ENV_VAR)
        or discover_app(args.app_dir)
    )
    if not spec:
        raise AppLoadError(
            f"no app given: pass MODULE:APP, use --app MODULE:APP, or set {APP_ENV_VAR} "
            f"(none found in app.py, application.py, app/ or application/ under "
            f"{os.path.abspath(args.app_dir)})"
        )
    return spec


def _factory_call(spec: str) -> str:
    """``spec`` written as a call when it names an app factory (``m:create_app()``)."""
    module_name, _, attr = spec.rpartition(":")
    module = sys.modules.get(module_name)
    if module is None or not _DOTTED_NAME.fullmatch(attr):
        return spec
    target: object = module
    for part in attr.split("."):
        target = getattr(target, part, None)
    return f"{spec}()" if is_app_factory(target) else spec


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_bind(config: Config) -> str | None:
    """Bind (without listening) and release the configured sockets; describe a failure."""
    try:
        sockets = config.create_sockets()
    except OSError as error:
        return f"cannot bind {', '.join(config.bind)}: {error.strerror or error}"
    for sock in (*sockets.secure_sockets, *sockets.insecure_sockets, *sockets.quic_sockets):
        sock.close()
    return None


def _describe_route(route: object) -> tuple[str, str, str]:
    """Return (methods, path, handlers) for a route object of unknown shape.

    Understands ``methods``/``http_methods`` collections (Litestar-like routes) and trioweb's
    ``handlers`` mapping (method -> handler) with optional ``websocket`` and ``mount``.
    """
    path = getattr(route, "path", None)
    handlers = getattr(route, "handlers", None)
    handlers = handlers if isinstance(handlers, Mapping) else {}
    extras = {
        label: value
        for label in ("websocket", "mount")
        if (value := getattr(route, label, None)) is not None
    }
    methods = getattr(route, "methods", None) or getattr(route, "http_methods", None)
    if isinstance(methods, str):
        labels = [methods]
    else:
        labels = sorted(str(method) for method in (methods or handlers))
    labels += [{"websocket": "WS", "mount": "MOUNT"}[label] for label in extras]
    names = [_callable_name(value) for value in (*handlers.values(), *extras.values())]
    return (
        ",".join(labels) or "*",
        str(path) if path is not None else repr(route),
        ", ".join(dict.fromkeys(name for name in names if name)) or type(route).__name__,
    )


def _callable_name(obj: object) -> str | None:
    name = getattr(obj, "name", None) or getattr(getattr(obj, "fn", obj), "__name__", None)
    return name if isinstance(name, str) else None


def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def _say(message: str) -> None:
    print(f"{_PROG}: {message}", flush=True)


def _error(message: str) -> None:
    print(f"{_PROG}: error: {message}", file=sys.stderr, flush=True)


def _env(name: str, *bare: str) -> str | None:
    """``$TRIOWEB_<name>``, else ``$LITESTAR_<name>``, else the first of ``bare`` set."""
    for key in (f"TRIOWEB_{name}", f"LITESTAR_{name}", *bare):
        value = os.environ.get(key)
        if value:
            return value
    return None


def _env_flag(name: str) -> bool:
    return (_env(name) or "").strip().lower() in ("1", "true", "yes", "on")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds >= 0, got {text}")
    return value


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG, description="Serve and inspect trioweb (or any ASGI) apps on trio."
    )
    parser.add_argument(
        "--app",
        dest="app_option",
        metavar="MODULE:APP",
        help=f"the app to use (default: ${APP_ENV_VAR})",
    )
    parser.add_argument(
        "--app-dir",
        default=".",
        metavar="DIR",
        help="directory put first on sys.path before importing the app (default: cwd)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    # Subcommand options use SUPPRESS so that an absent one keeps the top-level value.
    app_args = argparse.ArgumentParser(add_help=False)
    app_args.add_argument(
        "app_spec",
        nargs="?",
        metavar="MODULE:APP",
        help="the app, e.g. examples.hello:app (overrides --app and $TRIOWEB_APP)",
    )
    app_args.add_argument(
        "--app-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="directory put first on sys.path before importing the app (default: cwd)",
    )

    run = commands.add_parser(
        "run", parents=[app_args], help="serve the app with hypercorn's trio worker"
    )
    # Defaults come from the environment first, under trioweb's or Litestar's names
    # (LITESTAR_HOST, LITESTAR_PORT, WEB_CONCURRENCY, ...), so ported deployments keep working.
    run.add_argument(
        "-H",
        "--host",
        default=_env("HOST") or "127.0.0.1",
        help="address to bind (default: %(default)s; $TRIOWEB_HOST, $LITESTAR_HOST)",
    )
    run.add_argument(
        "-p",
        "--port",
        type=int,
        default=_env("PORT") or 8000,
        help="port to bind (default: %(default)s; $TRIOWEB_PORT, $LITESTAR_PORT)",
    )
    run.add_argument(
        "-W",
        "--workers",
        "--wc",
        "--web-concurrency",
        dest="workers",
        type=_positive_int,
        default=_env("WORKERS", "WEB_CONCURRENCY") or 1,
        help="worker processes; more than 1 spawns them through hypercorn (default: "
        "%(default)s; $TRIOWEB_WORKERS, $LITESTAR_WEB_CONCURRENCY, $WEB_CONCURRENCY)",
    )
    run.add_argument(
        "-r",
        "--reload",
        action="store_true",
        default=_env_flag("RELOAD"),
        help="restart the worker when a source file changes ($LITESTAR_RELOAD)",
    )
    run.add_argument(
        "-d",
        "--debug",
        action="store_true",
        default=_env_flag("DEBUG"),
        help=f"set app.debug and ${DEBUG_ENV_VAR}=1, and hypercorn's log level to DEBUG "
        "($LITESTAR_DEBUG)",
    )
    bind = run.add_mutually_exclusive_group()
    bind.add_argument(
        "-U", "--uds", "--unix-domain-socket", dest="uds", metavar="PATH",
        default=_env("UNIX_DOMAIN_SOCKET"),
        help="bind to this UNIX domain socket instead of --host/--port",
    )
    bind.add_argument(
        "-F", "--fd", "--file-descriptor", dest="fd", type=int, metavar="N",
        default=_env("FILE_DESCRIPTOR"),
        help="serve on this already bound socket file descriptor instead of --host/--port",
    )
    run.add_argument(
        "--ssl-certfile",
        metavar="FILE",
        default=_env("SSL_CERT_PATH"),
        help="serve HTTPS with this certificate",
    )
    run.add_argument(
        "--ssl-keyfile",
        metavar="FILE",
        default=_env("SSL_KEY_PATH"),
        help="the key of --ssl-certfile",
    )
    run.add_argument("--root-path", default="", help="the ASGI root_path (default: empty)")
    run.add_argument(
        "--graceful-timeout",
        type=_non_negative_float,
        default=Config.graceful_timeout,
        metavar="SECONDS",
        help="time in-flight requests get after SIGINT/SIGTERM (default: %(default)s)",
    )
    run.set_defaults(command=_run)

    routes = commands.add_parser("routes", parents=[app_args], help="list the app's routes")
    routes.set_defaults(command=_routes)

    info = commands.add_parser(
        "info", parents=[app_args], help="show what the app is configured with"
    )
    info.set_defaults(command=_info)

    version = commands.add_parser("version", help="show trioweb, trio and hypercorn versions")
    version.set_defaults(command=_version)
    return parser
