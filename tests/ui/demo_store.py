"""A store filled straight from the emulator's demo state: what a finished sync would
hold, built in milliseconds and the same every time (for snapshots and benchmarks)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiteboard.emulator.demo import BASE_MS, build_demo_state
from kiteboard.emulator.state import EmulatorState
from kiteboard.session.demo_seed import seed_store
from kiteboard.store.db import Store

# The demo's history ends shortly after BASE_MS; the clock is fixed a little later.
FIXED_NOW = BASE_MS / 1000 + 3 * 86_400 + 1234


def fill_store(store: Store, state: EmulatorState, *, synced_at: float = FIXED_NOW) -> None:
    """As a finished sync leaves the store (synced at `synced_at`)."""
    seed_store(store, state, synced_at=synced_at, key_source="test")


def demo_store(path: Path, *, items: int | None = None) -> Store:
    store = Store.open(path)
    fill_store(store, build_demo_state(seed=1, items=items))
    return store


def fixed_clock() -> float:
    return FIXED_NOW


def fixed_datetime() -> datetime:
    return datetime.fromtimestamp(FIXED_NOW, UTC)
