"""StoreWriter: the store's writes, as the sync engine and the writer make them.

Every method is one transaction (or joins the caller's: ``Store.transaction()``) and
reports what really changed, so the engine announces only real changes: an unchanged
refresh announces nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Literal

from kiteboard.store.database import Database
from kiteboard.store.records import LABEL_SEP, CommentRecord, ItemRecord, SpaceSync

Change = Literal["added", "changed"]


class TitleDiff:
    """What a /metadata/workitems listing changed in the store."""

    # A plain class (not a dataclass, ~1 ms to define): imported before the first frame.
    __slots__ = ("added", "changed", "moved_away", "removed")

    def __init__(self) -> None:
        self.added: set[str] = set()  # new stubs (known by id and title)
        self.changed: set[str] = set()  # retitled
        self.removed: set[str] = set()  # gone from the space
        self.moved_away: dict[str, str] = {}  # id -> the space it left


class StoreWriter:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- organization, spaces, columns, labels ---------------------------------------

    def save_organization(self, org_id: str, name: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM organization WHERE id != ?", (org_id,))
            conn.execute(
                "INSERT OR REPLACE INTO organization (id, name) VALUES (?, ?)", (org_id, name)
            )

    def save_spaces(self, entries: Iterable[tuple[str, str]]) -> bool:
        """The organization's spaces, in the server's order. A space no longer listed
        is forgotten with everything in it. True when anything changed."""
        entries = list(entries)
        with self._db.transaction() as conn:
            before = conn.execute("SELECT id, name, position FROM spaces").fetchall()
            wanted = {ident: (name, pos) for pos, (ident, name) in enumerate(entries)}
            for ident, _name, _pos in before:
                if ident not in wanted:
                    _forget_space(conn, ident)
            for ident, (name, pos) in wanted.items():
                conn.execute(
                    "INSERT INTO spaces (id, name, position) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "position = excluded.position",
                    (ident, name, pos),
                )
        return sorted(before) != sorted((i, n, p) for i, (n, p) in wanted.items())

    def set_space_key(self, space_id: str, key: str, source: str) -> bool:
        """Remember the space's key. A different key than before makes every number
        that answered 404 under the old key worth asking again. True when changed."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT key FROM spaces WHERE id = ?", (space_id,)).fetchone()
            if row is None:
                return False
            conn.execute(
                "UPDATE spaces SET key = ?, key_source = ? WHERE id = ?", (key, source, space_id)
            )
            conn.execute(
                "DELETE FROM missing_numbers WHERE space_id = ? AND key != ?", (space_id, key)
            )
            return row[0] != key

    def forget_space_key(self, space_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE spaces SET key = NULL, key_source = NULL WHERE id = ?", (space_id,)
            )

    def save_statuses(self, space_id: str, entries: Iterable[tuple[str, str]]) -> bool:
        """The space's columns in board order. True when anything changed."""
        wanted = [(ident, name, pos) for pos, (ident, name) in enumerate(entries)]
        with self._db.transaction() as conn:
            before = conn.execute(
                "SELECT id, name, position FROM statuses WHERE space_id = ? ORDER BY position",
                (space_id,),
            ).fetchall()
            if before == wanted:
                return False
            conn.execute("DELETE FROM statuses WHERE space_id = ?", (space_id,))
            conn.executemany(
                "INSERT OR REPLACE INTO statuses (id, space_id, name, position) "
                "VALUES (?, ?, ?, ?)",
                [(ident, space_id, name, pos) for ident, name, pos in wanted],
            )
        return True

    def save_labels(self, space_id: str, entries: Iterable[tuple[str, str]]) -> bool:
        """The space's labels (names only: /metadata/labels has no colors; colors come
        from the items that carry them and are kept). True when anything changed."""
        wanted = dict(entries)
        with self._db.transaction() as conn:
            before = dict(
                conn.execute(
                    "SELECT id, name FROM labels WHERE space_id = ?", (space_id,)
                ).fetchall()
            )
            if before == wanted:
                return False
            gone = [(ident,) for ident in before if ident not in wanted]
            conn.executemany("DELETE FROM labels WHERE id = ?", gone)
            conn.executemany(
                "INSERT INTO labels (id, space_id, name) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "space_id = excluded.space_id",
                [(ident, space_id, name) for ident, name in wanted.items()],
            )
        return True

    def save_label(self, space_id: str, label_id: str, name: str, color: str | None) -> None:
        with self._db.transaction() as conn:
            _upsert_label(conn, space_id, label_id, name, color)

    # ----- items ----------------------------------------------------------------------

    def upsert_item(self, item: ItemRecord) -> tuple[Change | None, str | None]:
        """Write a full item unless the store already has it, or a newer version.

        Returns (what happened, the space the item left or None): ("added", None) for a
        new item, ("changed", ...) for a stub loaded or an item that changed, (None,
        None) when nothing was written. An older version (updatedAt before the stored
        one: a slow backfill answer racing a refresh) never overwrites a newer one."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT i.space_id, i.updated_at, i.loaded, i.status_id, b.json FROM items i "
                "LEFT JOIN item_bodies b ON b.item_id = i.id WHERE i.id = ?",
                (item.id,),
            ).fetchone()
            if row is not None:
                old_space, old_updated, was_loaded, old_status, old_json = row
                if was_loaded and old_space == item.space_id:
                    # (The status is compared too: an optimistic move changes only it.)
                    if old_json == item.body_json and old_status == item.status_id:
                        conn.execute("UPDATE items SET recheck = 0 WHERE id = ?", (item.id,))
                        return None, None
                    if old_updated and item.updated_at and item.updated_at < old_updated:
                        conn.execute("UPDATE items SET recheck = 0 WHERE id = ?", (item.id,))
                        return None, None
            conn.execute(
                "INSERT OR REPLACE INTO items (id, space_id, number, title, status_id, "
                "label_ids, effort, impact, created_at, updated_at, loaded, recheck) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)",
                (
                    item.id,
                    item.space_id,
                    item.number,
                    item.title,
                    item.status_id,
                    LABEL_SEP.join(label[0] for label in item.labels),
                    item.effort,
                    item.impact,
                    item.created_at,
                    item.updated_at,
                ),
            )
            conn.execute(
                "INSERT OR REPLACE INTO item_bodies (item_id, json) VALUES (?, ?)",
                (item.id, item.body_json),
            )
            for label_id, name, color in item.labels:
                _upsert_label(conn, item.space_id, label_id, name, color)
            if item.number is not None:
                _ensure_sync_row(conn, item.space_id)
                conn.execute(
                    "UPDATE space_sync SET max_number = max(max_number, ?) WHERE space_id = ?",
                    (item.number, item.space_id),
                )
                conn.execute(
                    "DELETE FROM missing_numbers WHERE space_id = ? AND number = ?",
                    (item.space_id, item.number),
                )
        if row is None:
            return "added", None
        return "changed", (row[0] if row[0] != item.space_id else None)

    def save_titles(
        self, space_id: str, entries: Iterable[tuple[str, str]], *, removals: bool = True
    ) -> TitleDiff:
        """Apply a /metadata/workitems listing: every item of the space by id and title.

        Unknown ids become stubs (loaded=False: shown as loading, never dropped); new
        titles are written; items of the space no longer listed are removed (deleted, or
        moved to another space) unless ``removals`` is False. An id known in another
        space moved here: it becomes a stub (its number and status there are stale)."""
        wanted = dict(entries)
        diff = TitleDiff()
        with self._db.transaction() as conn:
            before = dict(
                conn.execute("SELECT id, title FROM items WHERE space_id = ?", (space_id,))
            )
            for ident, title in wanted.items():
                if ident in before:
                    if before[ident] != title:
                        conn.execute("UPDATE items SET title = ? WHERE id = ?", (title, ident))
                        diff.changed.add(ident)
                    continue
                elsewhere = conn.execute(
                    "SELECT space_id FROM items WHERE id = ?", (ident,)
                ).fetchone()
                if elsewhere:
                    diff.moved_away[ident] = elsewhere[0]
                    conn.execute("DELETE FROM item_bodies WHERE item_id = ?", (ident,))
                conn.execute(
                    "INSERT OR REPLACE INTO items (id, space_id, title, loaded) "
                    "VALUES (?, ?, ?, 0)",
                    (ident, space_id, title),
                )
                diff.added.add(ident)
            if removals:
                for ident in before:
                    if ident not in wanted:
                        _delete_item(conn, ident)
                        diff.removed.add(ident)
        return diff

    def remove_item(self, item_id: str) -> str | None:
        """Forget an item (deleted on the server). Returns the space it was in."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT space_id FROM items WHERE id = ?", (item_id,)).fetchone()
            if row:
                _delete_item(conn, item_id)
        return row[0] if row else None

    def set_item_status(self, item_id: str, status_id: str) -> str | None:
        """Put a card in another column before the server confirms (an optimistic
        move). Returns the item's space, or None if the item is unknown."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT space_id FROM items WHERE id = ?", (item_id,)).fetchone()
            if row:
                conn.execute("UPDATE items SET status_id = ? WHERE id = ?", (status_id, item_id))
        return row[0] if row else None

    def mark_recheck(self, space_id: str, updated_before: str) -> int:
        """Flag loaded items last seen as updated before a time: after a gap in the
        change feed they may have changed unseen. Returns how many were flagged."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE items SET recheck = 1 WHERE space_id = ? AND loaded = 1 "
                "AND number IS NOT NULL AND (updated_at IS NULL OR updated_at < ?)",
                (space_id, updated_before),
            )
            return cursor.rowcount

    def clear_recheck(self, space_id: str, number: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE items SET recheck = 0 WHERE space_id = ? AND number = ?", (space_id, number)
            )

    # ----- numbers that answered 404 --------------------------------------------------

    def add_missing(self, space_id: str, number: int, key: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO missing_numbers (space_id, number, key) VALUES (?, ?, ?)",
                (space_id, number, key),
            )

    # ----- comments -------------------------------------------------------------------

    def add_comments(self, comments: Iterable[CommentRecord]) -> dict[str, set[str]]:
        """Keep every comment ever seen. Returns {space id: item ids whose comments
        changed} (new comments, or edited ones)."""
        changed: dict[str, set[str]] = {}
        with self._db.transaction() as conn:
            for c in comments:
                row = conn.execute(
                    "SELECT body, updated_at FROM comments WHERE id = ?", (c.id,)
                ).fetchone()
                if row is not None and row == (c.body, c.updated_at):
                    continue
                conn.execute(
                    "INSERT OR REPLACE INTO comments (id, item_id, space_id, body, actor_name, "
                    "actor_type, thread_id, reply, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        c.id,
                        c.item_id,
                        c.space_id,
                        c.body,
                        c.actor_name,
                        c.actor_type,
                        c.thread_id,
                        int(c.reply),
                        c.created_at,
                        c.updated_at,
                    ),
                )
                changed.setdefault(c.space_id or "", set()).add(c.item_id)
        return changed

    # ----- bookkeeping ----------------------------------------------------------------

    def save_sync_state(self, state: SpaceSync) -> None:
        with self._db.transaction() as conn:
            _ensure_sync_row(conn, state.space_id)
            conn.execute(
                "UPDATE space_sync SET max_number = max(max_number, ?), feed_high_water = ?, "
                "comments_high_water = ?, comments_since = ?, comments_complete = ?, "
                "last_synced_at = ?, layout_synced_at = ? WHERE space_id = ?",
                (
                    state.max_number,
                    state.feed_high_water,
                    state.comments_high_water,
                    state.comments_since,
                    int(state.comments_complete),
                    state.last_synced_at,
                    state.layout_synced_at,
                    state.space_id,
                ),
            )


def _ensure_sync_row(conn: sqlite3.Connection, space_id: str) -> None:
    conn.execute("INSERT OR IGNORE INTO space_sync (space_id) VALUES (?)", (space_id,))


def _upsert_label(
    conn: sqlite3.Connection, space_id: str, label_id: str, name: str, color: str | None
) -> None:
    conn.execute(
        "INSERT INTO labels (id, space_id, name, color) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "color = coalesce(excluded.color, labels.color), "
        "space_id = coalesce(labels.space_id, excluded.space_id)",
        (label_id, space_id, name, color),
    )


def _delete_item(conn: sqlite3.Connection, item_id: str) -> None:
    # Its comments are kept: should the item come back (moved back, or listed again),
    # they are still there; they are never shown without their item.
    conn.execute("DELETE FROM items WHERE id = ?", (item_id,))
    conn.execute("DELETE FROM item_bodies WHERE item_id = ?", (item_id,))


def _forget_space(conn: sqlite3.Connection, space_id: str) -> None:
    for table, column in (
        ("spaces", "id"),
        ("statuses", "space_id"),
        ("labels", "space_id"),
        ("comments", "space_id"),
        ("missing_numbers", "space_id"),
        ("space_sync", "space_id"),
        ("activity", "space_id"),
    ):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (space_id,))
    conn.execute(
        "DELETE FROM item_bodies WHERE item_id IN (SELECT id FROM items WHERE space_id = ?)",
        (space_id,),
    )
    conn.execute("DELETE FROM items WHERE space_id = ?", (space_id,))
