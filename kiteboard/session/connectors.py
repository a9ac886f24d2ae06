"""Connectors: how a Session reaches Kitemaker (the real one, or the demo emulator).

Everything heavy (httpx, pydantic, the emulator) is imported inside the connector, which
runs in a worker after the first paint.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiteboard.session.session import Connection, Connector

if TYPE_CHECKING:
    from kiteboard.store.db import Store

DEMO_BASE_URL = "http://demo.invalid/developers/rest/v1"
DEMO_TOKEN = "demo"


def demo_connector(
    *,
    seed: int = 1,
    items: int | None = None,
    clock: Callable[[], float] | None = None,
    store_dir: Path | None = None,
    state: Any = None,
    journal: Path | None = None,
) -> Connector:
    """The in-process emulator with demo data, a fresh store in a temporary folder
    (removed on close, unless `store_dir` is given): no account, no network.
    Tests pass their own emulator `state` (to change it under the app's feet).
    `journal`: the writes of earlier runs are replayed from it and the new ones kept
    there (the demo world kept between runs: demo_world.py, demo_journal.py)."""

    async def connect(store: Store | None) -> Connection:
        from kiteboard.api import KitemakerClient
        from kiteboard.emulator.app import Emulator
        from kiteboard.emulator.demo import build_demo_state
        from kiteboard.emulator.transport import EmulatorTransport
        from kiteboard.store.db import Store
        from kiteboard.store.sync import SyncEngine

        temporary = None
        if store is None:
            folder = store_dir
            if folder is None:
                folder = temporary = Path(tempfile.mkdtemp(prefix="kiteboard-demo-"))
            store = Store.open(folder / "demo.sqlite3")
        demo = state if state is not None else build_demo_state(seed=seed, items=items)
        emulator = Emulator(demo, token=DEMO_TOKEN)
        if journal is not None:
            from kiteboard.session.demo_journal import JournalDropped, journaled

            try:
                journaled(emulator, journal)
            except JournalDropped:  # replayed in part: start again from the demo data
                emulator = Emulator(build_demo_state(seed=seed, items=items), token=DEMO_TOKEN)
                journaled(emulator, journal)
        client = KitemakerClient(DEMO_BASE_URL, DEMO_TOKEN, transport=EmulatorTransport(emulator))
        engine_options = {} if clock is None else {"clock": clock}
        engine = SyncEngine(client, store, **engine_options)
        opened = store

        async def close() -> None:
            await client.aclose()
            if temporary is not None:
                opened.close()
                shutil.rmtree(temporary, ignore_errors=True)

        return Connection(store, engine, close)

    return connect


# -- the real Kitemaker -----------------------------------------------------------
# The store file is per (base URL, organization); the organization is only known after
# a request. To paint from the store before any request, the organization last seen
# at a base URL is remembered in the state folder.


def _orgs_file() -> Path:
    from kiteboard import locations

    return locations.state_dir() / "organizations.json"


def _url_key(base_url: str, profile: str | None) -> str:
    # Per profile: two profiles on one server are often two organizations (two
    # tokens), and each must paint its own board, not the other's, before connecting.
    text = base_url.rstrip("/") if profile is None else f"{base_url.rstrip('/')}\n{profile}"
    from kiteboard.locations import sha256_hex

    return sha256_hex(text)[:16]


def remembered_store(base_url: str, profile: str | None = None) -> Path | None:
    """The store file of the organization last seen at `base_url` by `profile`, if it
    exists."""
    from kiteboard import locations

    try:
        known = json.loads(_orgs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    org_id = known.get(_url_key(base_url, profile)) if isinstance(known, dict) else None
    if not isinstance(org_id, str):
        return None
    path = locations.store_file(base_url, org_id)
    return path if path.exists() else None


def remember_organization(base_url: str, org_id: str, profile: str | None = None) -> None:
    path = _orgs_file()
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    key = _url_key(base_url, profile)
    if known.get(key) == org_id:
        return
    known[key] = org_id
    with contextlib.suppress(OSError):  # only a faster start next time is lost
        path.write_text(json.dumps(known), encoding="utf-8")


def live_connector(
    base_url: str,
    reveal_token: Callable[[], str],
    *,
    space_keys: Mapping[str, str] | None = None,
    store_enabled: bool = True,
    profile: str | None = None,
) -> Connector:
    """Kitemaker at `base_url`. The token is only revealed here, to the client."""

    async def connect(store: Store | None) -> Connection:
        from kiteboard import locations
        from kiteboard.api import KitemakerClient
        from kiteboard.store.db import Store
        from kiteboard.store.sync import SyncEngine

        client = KitemakerClient(base_url, reveal_token())
        temporary = None
        try:
            organization = await client.organization()
            if store_enabled:
                path = locations.store_file(base_url, organization.id)
                remember_organization(base_url, organization.id, profile)
            else:
                temporary = Path(tempfile.mkdtemp(prefix="kiteboard-"))
                path = temporary / "store.sqlite3"
            if store is None or Path(store.path) != path:
                if store is not None:
                    store.close()
                store = Store.open(path)
        except BaseException:
            await client.aclose()
            raise
        engine = SyncEngine(client, store, space_keys=dict(space_keys or {}))
        opened = store

        async def close() -> None:
            await client.aclose()
            if temporary is not None:
                opened.close()
                shutil.rmtree(temporary, ignore_errors=True)

        return Connection(store, engine, close)

    return connect
