"""Where kiteboard keeps its files. Folders are created on use, never on import.

Config lives in the platform's config folder, the store (a cache that can always be
rebuilt from the server) in the cache folder, and small bits of UI state (theme, last
space) in the state folder.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

APP_NAME = "kiteboard"


def sha256_hex(data: str | bytes) -> str:
    """The SHA-256 of `data` (text as UTF-8), in hex. From CPython's own SHA-256 module when it
    is there (`_sha2` from 3.12, `_sha256` before): `hashlib` loads OpenSSL first, ~5 ms
    of every start for a digest of a few bytes. The digest is the same either way."""
    return _sha256()(data.encode() if isinstance(data, str) else data).hexdigest()


@functools.cache
def _sha256() -> Any:
    # Found once: a module that is not there is searched for again on every import.
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef]
        except ImportError:
            from hashlib import sha256
    return sha256


def _platformdirs():
    # Imported on use: platformdirs is cheap, but nothing at import time needs it.
    import platformdirs

    return platformdirs


def config_file() -> Path:
    """The config file: $KITEBOARD_CONFIG, else the platform's config folder."""
    if env := os.environ.get("KITEBOARD_CONFIG"):
        return Path(env).expanduser()
    return Path(_platformdirs().user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def cache_dir(*, create: bool = True) -> Path:
    path = Path(_platformdirs().user_cache_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def state_dir(*, create: bool = True) -> Path:
    path = Path(_platformdirs().user_state_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def store_file(base_url: str, organization_id: str) -> Path:
    """One store file per (base URL, organization).

    The name is a digest so that a URL never becomes a path, and the file name says
    nothing about the account; the token is never part of it.
    """
    digest = sha256_hex(f"{base_url.rstrip('/')}\n{organization_id}")
    return cache_dir() / f"store-{digest[:16]}.sqlite3"
