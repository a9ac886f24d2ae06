"""LocalState: the small things the UI keeps in the store (e.g. the last space) and
the drafts of its forms, each one write of its own."""

from __future__ import annotations

import json
import time
from typing import Any

from kiteboard.store.database import Database


class LocalState:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get_value(self, key: str) -> Any:
        """A small JSON value the UI keeps (e.g. the last space), or None."""
        row = self._db.row("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def set_value(self, key: str, value: Any) -> None:
        """Keep a JSON-serialisable value; None removes it."""
        with self._db.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM kv WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, json.dumps(value))
                )

    def save_draft(self, key: str, data: dict[str, Any]) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO drafts (key, data, saved_at) VALUES (?, ?, ?)",
                (key, json.dumps(data), time.time()),
            )

    def load_draft(self, key: str) -> dict[str, Any] | None:
        row = self._db.row("SELECT data FROM drafts WHERE key = ?", (key,))
        if not row:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def clear_draft(self, key: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE key = ?", (key,))
