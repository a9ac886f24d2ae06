"""Database: the one SQLite connection of a store, guarded by a lock, so a UI may read
from a worker thread while the loop writes.

Every write runs inside ``transaction()`` (BEGIN IMMEDIATE ... COMMIT): a sync step is
all or nothing, whatever kills the process. Never ``await`` inside a transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Database:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.lock = threading.RLock()  # held for a read of several statements, too
        self._depth = 0  # nesting of transaction()

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write. Nested uses join the outer transaction."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._depth = 0
                # SQLite ends the transaction itself on some errors (a full disk): a
                # ROLLBACK then would fail, and hide why it did.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._conn.execute("COMMIT")

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return self._conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self.lock:
            return self._conn.execute(sql, params).fetchone()
