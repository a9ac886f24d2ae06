"""Checking the addresses of Kitemaker's APIs (base_url, graphql_url, --base-url)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from kiteboard.api.urls import REST_BASE_URL as DEFAULT_BASE_URL
from kiteboard.config.errors import ConfigError, InsecureBaseURLError


def validate_base_url(
    url: str, *, path: Path | None = None, line: int | None = None, key: str = "base_url"
) -> str:
    """The base URL without a trailing slash, or a ConfigError saying what is wrong.

    Plain http is refused unless the host is this machine (127.0.0.1, localhost, ::1:
    the emulator): every request carries the token, which must not travel in clear.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigError(path, line, key, f"not a valid URL: {url!r}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(
            path, line, key, f"expected an http(s) URL like {DEFAULT_BASE_URL}, got {url!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(path, line, key, "the URL must not hold a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(path, line, key, "the URL must not have a ?query or #fragment")
    if parts.scheme == "http" and not _is_loopback(host):
        raise InsecureBaseURLError(
            path,
            line,
            key,
            f"refusing plain http to {host}: the token would travel unencrypted; use https "
            "(plain http is only for this machine: 127.0.0.1, localhost, ::1)",
        )
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
