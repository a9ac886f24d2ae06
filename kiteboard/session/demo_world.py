"""The demo's world, kept between runs: a second `kiteboard --demo` paints its board from
the store at once (as a real account's second start does) and finds the emulator as
the first run left it, changes included.

The emulator's state is not saved: it is rebuilt from its seed (the demo data is
deterministic) and the writes of earlier runs are replayed from a journal, each at the
clock time it was made, so the ids and timestamps come out the same and the kept store
agrees with the emulator it syncs with (the journal: demo_journal.py).

    <cache>/demo/store.sqlite3   the store, as a real account's
    <cache>/demo/journal.jsonl   every write request the emulator received, in order
    <cache>/demo/world.json      which demo data the world was built from

The world starts afresh when asked (`kiteboard --demo --reset-demo`), when the demo data
changed (another kiteboard), or when the journal cannot be replayed. A second
`kiteboard --demo` running at the same time gets a world of its own, in a temporary
folder, so that two journals never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kiteboard
from kiteboard.session.connectors import demo_connector
from kiteboard.session.session import Connector, Session

if TYPE_CHECKING:
    from kiteboard.store.db import Store

log = logging.getLogger(__name__)

SEED = 1
# What the demo world is built from: a change to any of these may change its ids.
_DATA_SOURCES = ("demo.py", "demo_text.py", "demo_titles.py", "state.py", "records.py")


def demo_folder() -> Path:
    from kiteboard import locations

    return locations.cache_dir() / "demo"


def _data_fingerprint() -> str:
    """A digest of the emulator's demo data code (read, not imported: this runs
    before the first paint)."""
    from kiteboard.locations import sha256_hex

    folder = Path(kiteboard.__file__).parent / "emulator"
    data = f"seed {SEED}".encode() + b"".join((folder / n).read_bytes() for n in _DATA_SOURCES)
    return sha256_hex(data)[:16]


def reset(folder: Path) -> None:
    """Forget the world kept in `folder` (its store and its journal)."""
    for name in ("store.sqlite3", "journal.jsonl", "world.json"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                (folder / f"{name}{suffix}").unlink()


def demo_session(
    *, reset_world: bool = False, keep: bool = True, refresh_interval: float | None = 30.0
) -> Session:
    """The Session of `kiteboard --demo` (see demo_source)."""
    connect, open_store = demo_source(reset_world=reset_world, keep=keep)
    return Session(
        connect=connect, open_store=open_store, demo=True, refresh_interval=refresh_interval
    )


def demo_source(
    *, reset_world: bool = False, keep: bool = True
) -> tuple[Connector, Callable[[], Store | None]]:
    """The demo's connector and store opener: the kept world (see the module's
    docstring), or, when it cannot be kept (`keep` False: the config says no store; the
    folder cannot be written; another demo holds it), a world that ends with the run."""
    folder = _open_world(reset_world=reset_world) if keep else None
    if folder is None:
        return demo_connector(), lambda: None

    journal = folder / "journal.jsonl"

    def open_store() -> Store:
        from kiteboard.store.db import Store

        store = Store.open(folder / "store.sqlite3")
        if store.read.organization() is None and not journal.exists():
            # A fresh world: its store is filled from the demo data at once, so that
            # the first run paints its board as soon as a second one does; the first
            # sync then checks all of it against the emulator (see demo_seed.py).
            from kiteboard.emulator.demo import build_demo_state
            from kiteboard.session.demo_seed import seed_store

            seed_store(store, build_demo_state(seed=SEED))
        return store

    return demo_connector(seed=SEED, store_dir=folder, journal=journal), open_store


# The kept worlds' locks, held until the process ends (one process may open its world
# more than once: the first-run screen's demo, tests).
_held: dict[Path, Any] = {}


def _open_world(*, reset_world: bool) -> Path | None:
    """The kept world's folder, locked for this process, or None."""
    try:
        folder = demo_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder not in _held:
            lock = open(folder / "lock", "w")  # noqa: SIM115 (held for the whole run)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                return None  # another demo runs: this one gets a world of its own
            _held[folder] = lock
    except OSError as error:
        log.warning("the demo world cannot be kept: %s", error)
        return None
    try:
        marker = folder / "world.json"
        wanted = {"demo_data": _data_fingerprint()}
        try:
            kept = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if reset_world or kept != wanted:
            reset(folder)
            marker.write_text(json.dumps(wanted), encoding="utf-8")
    except OSError as error:
        log.warning("the demo world cannot be kept: %s", error)
        return None
    return folder
