"""App-level configuration objects, at Litestar's module paths.

``trioweb.config.cors.CORSConfig``, ``trioweb.config.compression.CompressionConfig``,
``trioweb.config.allowed_hosts.AllowedHostsConfig`` and ``trioweb.config.csrf.CSRFConfig``;
each is passed to :class:`~trioweb.TrioWeb` by keyword and checked when it is created.
``trioweb.config.app.AppConfig`` holds every keyword of the app, for ``on_app_init`` hooks.
"""
