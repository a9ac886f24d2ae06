"""Store: the local SQLite cache of one (base URL, organization).

``Store`` owns the file and its connection; its roles are objects of their own:
``read`` (store_reader.py: every query; the UI reads boards, items and comments there),
``write`` (store_writer.py: what the sync engine and the writer put in), ``local``
(local_state.py: the UI's small values and drafts) and ``activity`` (activity.py: the
log of what changed, written by the sync, read by the activity screen).
``transaction()`` groups writes of several calls into one (database.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiteboard.store.activity import ActivityLog
from kiteboard.store.database import Database
from kiteboard.store.local_state import LocalState
from kiteboard.store.schema import ReadOnly, connect
from kiteboard.store.store_reader import StoreReader
from kiteboard.store.store_writer import StoreWriter


class Store:
    """Open with ``Store.open(path)``; ``notice`` is a sentence for the user when the
    file had to be rebuilt (damaged, or from another version) or can only be read
    (``read_only``), else None."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, notice: str | None, *, read_only: bool = False
    ) -> None:
        self._db = Database(conn)
        self.path = path
        self.notice = notice
        self.read_only = read_only  # the file cannot be written: every write would fail
        self.read = StoreReader(self._db)
        self.write = StoreWriter(self._db)
        self.local = LocalState(self._db)
        self.activity = ActivityLog(self._db)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        opened = connect(path)
        if isinstance(opened, ReadOnly):
            return cls(opened.conn, path, opened.notice, read_only=True)
        conn, notice = opened
        return cls(conn, path, notice)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write, of as many writes as run inside it (no ``await``)."""
        with self._db.transaction() as conn:
            yield conn
