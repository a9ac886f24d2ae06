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


# The store file is per (base URL, organization); the organization is only known after
# a request. So that the app paints from the store before any request (and offline),
# the organization last seen at a base URL by a profile is remembered in the state
# folder, by whoever learns it: the app connecting, or `kiteboard sync`.


def organization_store(base_url: str, organization_id: str, profile: str | None = None) -> Path:
    """The store file of `organization_id` at `base_url`, remembered as the one `profile`
    uses there (see `remembered_store`). Every writer of a store finds its file here."""
    _remember_organization(base_url, organization_id, profile)
    return store_file(base_url, organization_id)


def remembered_store(base_url: str, profile: str | None = None) -> Path | None:
    """The store file of the organization last seen at `base_url` by `profile`, if it
    exists."""
    import json

    try:
        known = json.loads(_organizations_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    org_id = known.get(_url_key(base_url, profile)) if isinstance(known, dict) else None
    if not isinstance(org_id, str):
        return None
    path = store_file(base_url, org_id)
    return path if path.exists() else None


def _organizations_file() -> Path:
    return state_dir() / "organizations.json"


def _url_key(base_url: str, profile: str | None) -> str:
    # Per profile: two profiles on one server are often two organizations (two
    # tokens), and each must paint its own board, not the other's, before connecting.
    text = base_url.rstrip("/") if profile is None else f"{base_url.rstrip('/')}\n{profile}"
    return sha256_hex(text)[:16]


def _remember_organization(base_url: str, org_id: str, profile: str | None) -> None:
    import json

    try:
        path = _organizations_file()
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
            known = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            known = {}
        key = _url_key(base_url, profile)
        if known.get(key) == org_id:
            return
        known[key] = org_id
        path.write_text(json.dumps(known), encoding="utf-8")
    except OSError:
        pass  # only painting from the store before connecting is lost
