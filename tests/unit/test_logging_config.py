"""``logging_config=``: dictConfig at build time, and which exceptions get logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from trioweb import TrioWeb, get
from trioweb.exceptions import NotFoundException
from trioweb.logging import LoggingConfig
from trioweb.logging import config as config_module
from trioweb.logging.standard import QueueListenerHandler
from trioweb.testing import AsyncTestClient

NAMES = ("", "trioweb", "litestar")


@pytest.fixture(autouse=True)
def restore_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """dictConfig changes process-wide state: put every touched logger back afterwards,
    and stop the listener threads the configs started."""
    started: list[QueueListenerHandler] = []
    original_init = QueueListenerHandler.__init__

    def recording_init(self: QueueListenerHandler, handlers: Any = None) -> None:
        original_init(self, handlers)
        started.append(self)

    monkeypatch.setattr(QueueListenerHandler, "__init__", recording_init)
    saved = {}
    for name in NAMES:
        logger = logging.getLogger(name)
        saved[name] = (logger.handlers[:], logger.level, logger.propagate, logger.disabled)
    yield
    for handler in started:
        handler.listener.stop()
    for name, (handlers, level, propagate, disabled) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


@get("/boom")
async def boom() -> None:
    raise RuntimeError("boom")


@get("/missing")
async def missing() -> None:
    raise NotFoundException()


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, logger: logging.Logger, scope: Any, lines: list[str]) -> None:
        self.calls.append((logger.name, scope["path"], lines[-1].strip()))


def quiet_config(**options: Any) -> LoggingConfig:
    """A config that leaves the root logger alone and keeps trioweb's records propagating."""
    return LoggingConfig(
        configure_root_logger=False,
        # propagating, so pytest's caplog (on the root logger) sees the records
        loggers={"trioweb": {"level": "INFO", "handlers": [], "propagate": True}},
        **options,
    )


def test_defaults_mirror_litestars() -> None:
    config = LoggingConfig()
    assert config.version == 1
    assert config.disable_existing_loggers is False
    assert config.formatters["standard"] == {
        "format": "%(levelname)s - %(asctime)s - %(name)s - %(module)s - %(message)s"
    }
    assert set(config.handlers) == {"console", "queue_listener"}
    assert config.loggers == {
        "trioweb": {"level": "INFO", "handlers": ["queue_listener"], "propagate": False}
    }
    assert config.root == {"handlers": ["queue_listener"], "level": "INFO"}
    assert config.log_exceptions == "debug"
    assert config.exception_logging_handler is config_module.default_exception_logging_handler


def test_a_litestar_logger_entry_configures_trioweb_too() -> None:
    config = LoggingConfig(loggers={"litestar": {"level": "WARNING", "handlers": ["console"]}})
    assert config.loggers["trioweb"] == {"level": "WARNING", "handlers": ["console"]}


def test_only_the_standard_library_is_supported() -> None:
    with pytest.raises(Exception, match="picologging"):
        LoggingConfig(logging_module="picologging")


def test_the_config_is_applied_when_the_app_is_built() -> None:
    app = TrioWeb([], logging_config=LoggingConfig(), openapi_config=None)
    trioweb_logger = logging.getLogger("trioweb")
    assert trioweb_logger.level == logging.INFO
    assert trioweb_logger.propagate is False
    assert [type(h) for h in trioweb_logger.handlers] == [QueueListenerHandler]
    assert [type(h) for h in logging.getLogger().handlers] == [QueueListenerHandler]
    assert app.logger is trioweb_logger
    assert app.get_logger("x") is logging.getLogger("x")


def test_the_root_logger_can_be_left_alone() -> None:
    root_handlers = logging.getLogger().handlers[:]
    TrioWeb([], logging_config=quiet_config(), openapi_config=None)
    assert logging.getLogger().handlers == root_handlers


def test_without_a_config_logging_is_left_alone() -> None:
    before = logging.getLogger("trioweb").handlers[:]
    app = TrioWeb([], openapi_config=None)
    assert logging.getLogger("trioweb").handlers == before
    assert app.logger is logging.getLogger("trioweb")


async def test_without_a_config_unexpected_errors_are_logged_with_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with AsyncTestClient(TrioWeb([boom, missing], openapi_config=None)) as client:
        await client.get("/boom")
        await client.get("/missing")
    records = [r for r in caplog.records if r.name == "trioweb"]
    assert len(records) == 1  # the 404 is not an error
    assert records[0].levelno == logging.ERROR
    assert records[0].exc_info is not None and records[0].exc_info[0] is RuntimeError


async def test_always_calls_the_handler_for_every_exception(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    config = quiet_config(log_exceptions="always", exception_logging_handler=recorder)
    caplog.set_level(logging.ERROR, "trioweb")
    async with AsyncTestClient(TrioWeb([boom, missing], logging_config=config)) as client:
        await client.get("/boom")
        await client.get("/missing")
        await client.get("/nowhere")
    assert recorder.calls == [
        ("trioweb", "/boom", "RuntimeError: boom"),
        (
            "trioweb",
            "/missing",
            "trioweb.exceptions.http_exceptions.NotFoundException: 404: Not Found",
        ),
        (
            "trioweb",
            "/nowhere",
            "trioweb.exceptions.http_exceptions.NotFoundException: 404: Not Found",
        ),
    ]
    # the handler took charge: no second record of the 500
    assert [r for r in caplog.records if r.name == "trioweb"] == []


async def test_debug_mode_logs_only_in_debug(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    config = quiet_config(exception_logging_handler=recorder)
    async with AsyncTestClient(TrioWeb([boom], logging_config=config)) as client:
        await client.get("/boom")
    assert recorder.calls == []
    # trioweb's own error log still reports the unexpected error
    assert [r.exc_info[0] for r in caplog.records if r.name == "trioweb" and r.exc_info] == [
        RuntimeError
    ]
    async with AsyncTestClient(TrioWeb([boom], logging_config=config, debug=True)) as client:
        await client.get("/boom")
    assert [path for _, path, _ in recorder.calls] == ["/boom"]


async def test_the_default_handler_writes_the_traceback(caplog: pytest.LogCaptureFixture) -> None:
    config = quiet_config(log_exceptions="always")
    caplog.set_level(logging.ERROR, "trioweb")
    async with AsyncTestClient(TrioWeb([boom], logging_config=config)) as client:
        await client.get("/boom")
    (record,) = [r for r in caplog.records if r.name == "trioweb"]
    message = record.getMessage()
    assert message.startswith("Uncaught exception (connection_type=http, path='/boom'):")
    assert "Traceback" in message and "RuntimeError: boom" in message


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("/boom", {"log_exceptions": "never"}),
        ("/boom", {"disable_stack_trace": {RuntimeError}}),
        ("/missing", {"log_exceptions": "always", "disable_stack_trace": {404}}),
    ],
)
async def test_exceptions_can_be_kept_out_of_the_log(
    path: str, options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    config = quiet_config(exception_logging_handler=recorder, **options)
    async with AsyncTestClient(TrioWeb([boom, missing], logging_config=config)) as client:
        response = await client.get(path)
    assert response.status_code in (404, 500)
    assert recorder.calls == []
    assert [r for r in caplog.records if r.name == "trioweb"] == []


async def test_a_failing_exception_logging_handler_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(logger: logging.Logger, scope: Any, lines: list[str]) -> None:
        raise ValueError("broken handler")

    config = quiet_config(log_exceptions="always", exception_logging_handler=broken)
    caplog.set_level(logging.ERROR, "trioweb")
    async with AsyncTestClient(TrioWeb([boom], logging_config=config)) as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "the exception_logging_handler raised" in caplog.text


def test_the_package_exports() -> None:
    import trioweb.logging

    assert trioweb.logging.__all__ == ("BaseLoggingConfig", "LoggingConfig")
