"""Where kiteboard keeps its files. Folders are created on use, never on import.

Config lives in the platform's config folder, the store (a cache that can always be
rebuilt from the server) in the cache folder, and small bits of UI state (theme, last
space) in the state folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

APP_NAME = "kiteboard"


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
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{organization_id}".encode()).hexdigest()
    return cache_dir() / f"store-{digest[:16]}.sqlite3"
