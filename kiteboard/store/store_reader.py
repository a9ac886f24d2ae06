"""StoreReader: every query of the store: what the UI shows (fast enough for the
first paint: no network, no pydantic) and what the sync engine needs to know to go on.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kiteboard.store.database import Database
from kiteboard.store.records import LABEL_SEP, SpaceSync, parse_iso
from kiteboard.store.rows import (
    CardRow,
    CommentRow,
    ItemDetail,
    LabelRow,
    OrganizationRow,
    SpaceRow,
    StatusRow,
    SyncStatus,
)

_CARD_COLUMNS = (
    "id, space_id, number, title, status_id, label_ids, effort, impact, "
    "created_at, updated_at, loaded"
)


def _card(row: tuple[Any, ...]) -> CardRow:
    return _cards([row])[0]


def _cards(rows: list[tuple[Any, ...]]) -> list[CardRow]:
    # One comprehension, no helper calls per row: this builds 5,000 cards on the first
    # paint. Timestamps are written by iso_text(), so fromisoformat always reads them.
    iso = datetime.fromisoformat
    return [
        CardRow(
            ident,
            space_id,
            number,
            title,
            status_id,
            tuple(label_ids.split(LABEL_SEP)) if label_ids else (),
            effort,
            impact,
            iso(made) if made else None,
            iso(changed) if changed else None,
            loaded == 1,
        )
        for (
            ident,
            space_id,
            number,
            title,
            status_id,
            label_ids,
            effort,
            impact,
            made,
            changed,
            loaded,
        ) in rows
    ]


class StoreReader:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- what the UI shows ----------------------------------------------------------

    def organization(self) -> OrganizationRow | None:
        row = self._db.row("SELECT id, name FROM organization LIMIT 1")
        return OrganizationRow(*row) if row else None

    def spaces(self) -> list[SpaceRow]:
        rows = self._db.rows("SELECT id, name, key FROM spaces ORDER BY position, name")
        return [SpaceRow(*row) for row in rows]

    def space(self, space_id: str) -> SpaceRow | None:
        row = self._db.row("SELECT id, name, key FROM spaces WHERE id = ?", (space_id,))
        return SpaceRow(*row) if row else None

    def statuses(self, space_id: str) -> list[StatusRow]:
        rows = self._db.rows(
            "SELECT id, name, position FROM statuses WHERE space_id = ? ORDER BY position",
            (space_id,),
        )
        return [StatusRow(*row) for row in rows]

    def labels(self, space_id: str) -> list[LabelRow]:
        rows = self._db.rows(
            "SELECT id, name, color FROM labels WHERE space_id = ? ORDER BY name COLLATE NOCASE",
            (space_id,),
        )
        return [LabelRow(*row) for row in rows]

    def cards(self, space_id: str) -> list[CardRow]:
        """Every item of the space, the loading ones (loaded=False) included, in no
        particular order (the board sorts; an ORDER BY here costs a third more)."""
        rows = self._db.rows(f"SELECT {_CARD_COLUMNS} FROM items WHERE space_id = ?", (space_id,))
        return _cards(rows)

    def board_preview(
        self, space_id: str, per_column: int
    ) -> tuple[list[CardRow], dict[tuple[str | None, bool], int]]:
        """What a board's first frame needs, at a cost that does not grow with the
        space: the first `per_column` cards (in board order: newest number first) of
        every (status, loaded) group, and how many items each group holds. A column is
        a union of groups, so its first cards are among these."""
        with self._db.lock:
            groups = {
                (status_id, bool(loaded)): count
                for status_id, loaded, count in self._db.rows(
                    "SELECT status_id, loaded, count(*) FROM items WHERE space_id = ? "
                    "GROUP BY status_id, loaded",
                    (space_id,),
                )
            }
            rows: list[tuple[Any, ...]] = []
            for status_id, loaded in groups:
                rows += self._db.rows(
                    f"SELECT {_CARD_COLUMNS} FROM items WHERE space_id = ? AND status_id IS ? "
                    "AND loaded = ? ORDER BY number DESC, id LIMIT ?",
                    (space_id, status_id, int(loaded), per_column),
                )
        return _cards(rows), groups

    def card(self, item_id: str) -> CardRow | None:
        row = self._db.row(f"SELECT {_CARD_COLUMNS} FROM items WHERE id = ?", (item_id,))
        return _card(row) if row else None

    def item(self, item_id: str) -> ItemDetail | None:
        """The card plus what the detail pane shows. Names come from the statuses,
        spaces and labels tables (current), falling back to what the item said."""
        with self._db.lock:
            card = self.card(item_id)
            if card is None:
                return None
            body_row = self._db.row("SELECT json FROM item_bodies WHERE item_id = ?", (item_id,))
            status = self._db.row("SELECT name FROM statuses WHERE id = ?", (card.status_id,))
            space = self.space(card.space_id)
            known = {
                row[0]: LabelRow(*row)
                for row in self._db.rows(
                    "SELECT id, name, color FROM labels WHERE id IN "
                    f"({','.join('?' * len(card.label_ids))})",
                    card.label_ids,
                )
            }
        body: dict[str, Any] = {}
        if body_row:
            try:
                loaded = json.loads(body_row[0])
                body = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                body = {}
        actor = body.get("actor") if isinstance(body.get("actor"), dict) else {}
        sent_labels = {
            label.get("id"): label for label in body.get("labels") or [] if isinstance(label, dict)
        }
        labels = []
        for label_id in card.label_ids:
            if label_id in known:
                labels.append(known[label_id])
            else:
                sent = sent_labels.get(label_id, {})
                labels.append(LabelRow(label_id, str(sent.get("name") or ""), sent.get("color")))
        sent_status = body.get("status") if isinstance(body.get("status"), dict) else {}
        return ItemDetail(
            card=card,
            description=body.get("description"),
            actor_name=actor.get("name"),
            actor_type=actor.get("type"),
            status_name=status[0] if status else sent_status.get("name"),
            space_name=space.name if space else None,
            space_key=space.key if space else None,
            labels=tuple(labels),
        )

    def comments(self, item_id: str) -> list[CommentRow]:
        """Every comment held for the item, oldest first. The REST API lists only a
        space's 50 newest comments, so older ones may be missing: see
        comments_followed_since()."""
        rows = self._db.rows(
            "SELECT id, item_id, body, actor_name, created_at, updated_at FROM comments "
            "WHERE item_id = ? ORDER BY created_at, id",
            (item_id,),
        )
        return [
            CommentRow(ident, item, body, actor, parse_iso(made), parse_iso(changed))
            for ident, item, body, actor, made, changed in rows
        ]

    def comments_followed_since(self, space_id: str) -> datetime | None:
        """Since when the space's comments are all held: None when every comment ever
        made is held (or the space was never synced, and nothing is shown anyway);
        else a datetime: comments last updated before it may be missing."""
        state = self.sync_state(space_id)
        if state.comments_complete:
            return None
        return parse_iso(state.comments_since)

    def counts(self, space_id: str) -> tuple[int, int]:
        """(loaded items, all items) of the space: the progress "340 of 2,000"."""
        row = self._db.row(
            "SELECT coalesce(sum(loaded), 0), count(*) FROM items WHERE space_id = ?",
            (space_id,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def sync_status(self, space_id: str) -> SyncStatus:
        """The status as the file knows it (before any sync ran in this process)."""
        state = self.sync_state(space_id)
        loaded, total = self.counts(space_id)
        if state.last_synced_at is None:
            return SyncStatus("never", loaded, total)
        return SyncStatus("synced", loaded, total, last_synced_at=state.last_synced_at)

    # ----- bookkeeping read by the sync engine ----------------------------------------

    def sync_state(self, space_id: str) -> SpaceSync:
        row = self._db.row(
            "SELECT max_number, feed_high_water, comments_high_water, comments_since, "
            "comments_complete, last_synced_at, layout_synced_at "
            "FROM space_sync WHERE space_id = ?",
            (space_id,),
        )
        if row is None:
            return SpaceSync(space_id)
        return SpaceSync(space_id, row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])

    def integrity_ok(self) -> bool:
        """A full integrity check (slow on big files: for tests and diagnostics)."""
        return self._db.row("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]

    def space_key_source(self, space_id: str) -> str | None:
        row = self._db.row("SELECT key_source FROM spaces WHERE id = ?", (space_id,))
        return row[0] if row else None

    def stub_ids(self, space_id: str) -> set[str]:
        rows = self._db.rows("SELECT id FROM items WHERE space_id = ? AND loaded = 0", (space_id,))
        return {row[0] for row in rows}

    def loaded_numbers(self, space_id: str) -> set[int]:
        rows = self._db.rows(
            "SELECT number FROM items WHERE space_id = ? AND loaded = 1 AND number IS NOT NULL",
            (space_id,),
        )
        return {row[0] for row in rows}

    def recheck_numbers(self, space_id: str) -> list[int]:
        rows = self._db.rows(
            "SELECT number FROM items WHERE space_id = ? AND recheck = 1 AND number IS NOT NULL "
            "ORDER BY number DESC",
            (space_id,),
        )
        return [row[0] for row in rows]

    def newest_loaded_number(self, space_id: str, *, other_than: int | None = None) -> int | None:
        """The largest number of a loaded item (to try a key on), or None."""
        row = self._db.row(
            "SELECT max(number) FROM items WHERE space_id = ? AND loaded = 1 AND number != ?",
            (space_id, -1 if other_than is None else other_than),
        )
        return row[0] if row else None

    def item_at(self, space_id: str, number: int) -> str | None:
        row = self._db.row(
            "SELECT id FROM items WHERE space_id = ? AND number = ? AND loaded = 1",
            (space_id, number),
        )
        return row[0] if row else None

    def missing_numbers(self, space_id: str) -> set[int]:
        rows = self._db.rows("SELECT number FROM missing_numbers WHERE space_id = ?", (space_id,))
        return {row[0] for row in rows}
