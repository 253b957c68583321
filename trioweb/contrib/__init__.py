"""Integrations with optional third-party packages, mirroring ``litestar.contrib``."""
