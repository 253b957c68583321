"""``AppConfig``: every keyword of the app, as the ``on_app_init`` hooks see it (Litestar's).

``TrioWeb(..., on_app_init=[hook])`` gathers its keywords into an :class:`AppConfig`, calls
each hook with it in order (a hook returns the config, changed as it likes: appending to
``route_handlers``, ``on_startup`` or ``middleware``, adding ``dependencies``, setting
``debug``...), then builds the app from the config the last hook returned.

Error handling: a hook that returns something other than an ``AppConfig`` raises
``ImproperlyConfiguredException`` when the app is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trioweb.datastructures.state import State
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.types.empty import Empty

__all__ = ("AppConfig", "apply_app_init_hooks")

#: Litestar keywords trioweb accepts without acting on them: handed back to the app only when
#: a hook set them, so their defaults never trip its "not supported" checks.
_LITESTAR_ONLY: frozenset[str] = frozenset(
    {
        "debugger_module",
        "dto",
        "event_emitter_backend",
        "experimental_features",
        "include_in_schema",
        "listeners",
        "multipart_form_part_limit",
        "parameters",
        "path",
        "pdb_on_exception",
        "plugins",
        "response_cache_config",
        "return_dto",
        "security",
        "static_files_config",
        "stores",
        "tags",
    }
)


@dataclass
class AppConfig:
    """The app's keywords; collections are never ``None`` here, so hooks can add to them."""

    route_handlers: list[Any] = field(default_factory=list)
    after_exception: list[Callable[..., Any]] = field(default_factory=list)
    after_request: Callable[..., Any] | None = None
    after_response: Callable[..., Any] | None = None
    allowed_hosts: Any = None
    before_request: Callable[..., Any] | None = None
    before_send: list[Callable[..., Any]] = field(default_factory=list)
    cache_control: Any = None
    cancel_on_disconnect: bool | None = None
    compression_config: Any = None
    cors_config: Any = None
    csrf_config: Any = None
    debug: bool | None = None
    dependencies: dict[str, Any] = field(default_factory=dict)
    etag: Any = None
    exception_handlers: dict[Any, Callable[..., Any]] = field(default_factory=dict)
    guards: list[Callable[..., Any]] = field(default_factory=list)
    lifespan: list[Any] = field(default_factory=list)
    logging_config: Any = None
    middleware: list[Any] = field(default_factory=list)
    on_app_init: list[Callable[[AppConfig], AppConfig]] = field(default_factory=list)
    on_shutdown: list[Callable[..., Any]] = field(default_factory=list)
    on_startup: list[Callable[..., Any]] = field(default_factory=list)
    openapi_config: Any = Empty
    opt: dict[str, Any] = field(default_factory=dict)
    request_class: type[Any] | None = None
    request_max_body_size: int | None = 10_000_000
    response_class: type[Any] | None = None
    response_cookies: list[Any] = field(default_factory=list)
    response_headers: list[Any] = field(default_factory=list)
    shutdown_timeout: float | None = None
    signature_namespace: dict[str, Any] = field(default_factory=dict)
    signature_types: list[Any] = field(default_factory=list)
    state: State = field(default_factory=State)
    stream_idle_timeout: float | None = None
    stream_total_timeout: float | None = None
    template_config: Any = None
    type_encoders: dict[Any, Callable[[Any], Any]] = field(default_factory=dict)
    type_decoders: list[Any] = field(default_factory=list)
    websocket_class: type[Any] | None = None
    # accepted for compatibility (see trioweb.config._app_options)
    debugger_module: Any = None
    dto: Any = None
    event_emitter_backend: Any = None
    experimental_features: Any = None
    include_in_schema: Any = None
    listeners: list[Any] = field(default_factory=list)
    multipart_form_part_limit: int = 1000
    parameters: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    pdb_on_exception: bool | None = None
    plugins: list[Any] = field(default_factory=list)
    response_cache_config: Any = None
    return_dto: Any = None
    security: list[Any] = field(default_factory=list)
    static_files_config: list[Any] = field(default_factory=list)
    stores: Any = None
    tags: list[str] = field(default_factory=list)

    @classmethod
    def from_app_options(cls, options: Mapping[str, Any]) -> AppConfig:
        """The config of the keywords given to the app (``None`` collections become empty)."""
        defaults = cls()
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):
            value = options.get(item.name, getattr(defaults, item.name))
            default = getattr(defaults, item.name)
            if value is None and isinstance(default, list | dict | State):
                value = default
            elif isinstance(default, list) and isinstance(value, Sequence | set):
                value = list(value)
            elif isinstance(default, dict) and isinstance(value, Mapping):
                value = dict(value)
            values[item.name] = value
        return cls(**values)

    def to_app_options(self) -> dict[str, Any]:
        """The keywords to build the app with (Litestar-only ones only when changed)."""
        defaults = AppConfig()
        options: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.name in _LITESTAR_ONLY and value == getattr(defaults, item.name):
                continue
            options[item.name] = value
        if options["shutdown_timeout"] is None:
            del options["shutdown_timeout"]
        return options


def apply_app_init_hooks(options: Mapping[str, Any]) -> dict[str, Any]:
    """Run the ``on_app_init`` hooks in ``options`` over its config; the app's new keywords."""
    config = AppConfig.from_app_options(options)
    for hook in list(config.on_app_init):
        config = hook(config)
        if not isinstance(config, AppConfig):
            raise ImproperlyConfiguredException(
                f"the on_app_init hook {getattr(hook, '__qualname__', hook)!r} must return "
                f"the AppConfig it was given, not {type(config).__name__!r}"
            )
    return config.to_app_options()
