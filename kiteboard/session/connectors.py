"""Connectors: how a Session reaches Kitemaker (the real one, or the demo emulator).

Everything heavy (httpx, pydantic, the emulator) is imported inside the connector, which
runs in a worker after the first paint.
"""

from __future__ import annotations

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
                path = locations.organization_store(base_url, organization.id, profile)
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
