"""The activity log: what changed in the organization's spaces, as the sync saw it.

Kitemaker's REST feeds give current state only (/recent/workitems: the items as they
are now; /recent/comments: the comments). What a change *was* is known only at the
moment it is applied, when the store still holds the item as it was: so the sync
writes it down then (SyncApply, FeedRefresh), one entry per change, kept 30 days.

What is written, and what is not:
- a loaded item that changed: moved (status names then), retitled, labels +added
  -removed, effort, impact, description edited; one entry per change of the item
  (its updatedAt), however many refreshes or processes see it again (``key``);
- a new item and a new comment, but only from a refresh of a space synced before: a
  first sync (and its backfill, which loads items known only by title) learns the
  past, it does not witness it, so it writes nothing;
- the person's own writes (this kiteboard's answers from Kitemaker) are written as
  theirs (``own``): the log stays whole (their move is part of the item's story) and
  says "you", but they never count as new: nobody needs telling what they just did.
  A move is shown on the board before Kitemaker answers; the item as it was before
  that is kept aside (SyncApply) so that the entry says where the card came from.

Who made a change: REST says it only for comments (their actor) and for new items (the
item's actor is its creator); an edit's author is not in the feed, so it is not shown.

``store.activity`` reads the log for the UI (newest first; new since the person last
looked) and is written by the sync. Nothing here imports textual or pydantic.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from kiteboard.store.database import Database
from kiteboard.store.records import CommentRecord, ItemRecord, parse_iso
from kiteboard.store.rows import ItemDetail

KEEP_DAYS = 30
KEEP_SECONDS = KEEP_DAYS * 86_400
SEEN_KEY = "activity.seen"  # the newest entry id the person has seen (kv table)
# Every kind, in the order a line names them.
KINDS = ("new", "moved", "retitled", "labels", "effort", "impact", "description", "comment")


class ActivityRow(NamedTuple):
    id: int  # order of arrival
    at: float  # when it happened (the server's time), epoch seconds
    space_id: str
    item_id: str
    number: int | None
    title: str  # the item's title when it happened
    kinds: tuple[str, ...]
    detail: dict[str, Any]
    actor: str | None  # "@ada", when Kitemaker says who
    own: bool  # made by this kiteboard (the person themselves)


_COLUMNS = "id, at, space_id, item_id, number, title, kinds, detail, actor, own"


def _row(raw: tuple[Any, ...]) -> ActivityRow:
    ident, at, space_id, item_id, number, title, kinds, detail, actor, own = raw
    try:
        parsed = json.loads(detail)
    except ValueError:
        parsed = {}
    return ActivityRow(
        ident,
        at,
        space_id,
        item_id,
        number,
        title,
        tuple(kinds.split()),
        parsed if isinstance(parsed, dict) else {},
        actor,
        own == 1,
    )


def _epoch(text: str | None, fallback: float) -> float:
    moment = parse_iso(text)
    return moment.timestamp() if isinstance(moment, datetime) else fallback


def _body(record: ItemRecord) -> dict[str, Any]:
    try:
        body = json.loads(record.body_json)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _name(value: Any) -> str | None:
    """The `name` of a JSON object of the item's body (status, actor), if any."""
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return str(value["name"])
    return None


def item_changes(before: ItemDetail, record: ItemRecord) -> dict[str, Any]:
    """What changed from `before` (the stored item) to `record` (the server's), as the
    log's detail: {"moved": [from, to], "retitled": [from, to], "labels": {"+": [...],
    "-": [...]}, "effort": [from, to], "impact": [from, to], "description": True}."""
    card = before.card
    body = _body(record)
    changes: dict[str, Any] = {}
    if card.status_id != record.status_id:
        new_status = _name(body.get("status")) or "?"
        changes["moved"] = [before.status_name or "?", new_status]
    if card.title != record.title:
        changes["retitled"] = [card.title, record.title]
    old_labels = {label.id: label.name for label in before.labels}
    new_labels = {label_id: name for label_id, name, _color in record.labels}
    added = [name for ident, name in new_labels.items() if ident not in old_labels]
    removed = [name for ident, name in old_labels.items() if ident not in new_labels]
    if added or removed:
        changes["labels"] = {"+": added, "-": removed}
    for size in ("effort", "impact"):
        old, new = getattr(card, size), getattr(record, size)
        if (old or None) != (new or None):
            changes[size] = [old, new]
    if (before.description or "") != (body.get("description") or ""):
        changes["description"] = True
    return changes


def first_line(text: str, limit: int = 60) -> str:
    """A comment's first line, shortened (`…`) when it is longer or not the only one."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[0] if lines else ""
    if len(line) > limit:
        return line[: limit - 1].rstrip() + "…"
    return line + "…" if len(lines) > 1 else line


def describe(row: ActivityRow) -> str:
    """`moved Todo → Done, labels +bug -x`, `new`, `comment by @kenji: "first line…"`
    (plain text, API text in it: the UI shows it literally)."""
    detail = row.detail
    parts: list[str] = []
    for kind in row.kinds:
        value = detail.get(kind)
        if kind == "new":
            parts.append("new")
        elif kind == "moved" and isinstance(value, list) and len(value) == 2:
            parts.append(f"moved {value[0]} → {value[1]}")
        elif kind == "labels" and isinstance(value, dict):
            signs = [f"+{n}" for n in value.get("+", [])] + [f"-{n}" for n in value.get("-", [])]
            parts.append("labels " + " ".join(signs))
        elif kind in ("effort", "impact") and isinstance(value, list) and len(value) == 2:
            parts.append(f"{kind} {value[0] or 'none'} → {value[1] or 'none'}")
        elif kind == "description":
            parts.append("description edited")
        elif kind == "comment":
            who = f" by {row.actor}" if row.actor else ""
            parts.append(f'comment{who}: "{value if isinstance(value, str) else ""}"')
        else:
            parts.append(kind)
    return ", ".join(parts)


class ActivityLog:
    """The log in the store: ``record_*`` (the sync's side), ``entries``/``unseen``
    (the UI's). Every write joins the caller's transaction, if any."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- writing (the sync) -----------------------------------------------------------

    def record_item_change(
        self, before: ItemDetail, record: ItemRecord, *, now: float, own: bool = False
    ) -> bool:
        """Write what changed from `before` to `record` (nothing when nothing that a
        person would notice did). True when an entry was written."""
        if not before.card.loaded or before.card.space_id != record.space_id:
            return False  # loaded from a stub, or moved between spaces: no "before"
        changes = item_changes(before, record)
        if not changes:
            return False
        at = _epoch(record.updated_at, now)
        key = f"item:{record.id}:{record.updated_at or now}"
        return self._add(key, at, record, changes, actor=None, own=own, now=now)

    def record_new_item(self, record: ItemRecord, *, now: float, own: bool = False) -> bool:
        at = _epoch(record.created_at or record.updated_at, now)
        actor = _name(_body(record).get("actor"))
        return self._add(f"new:{record.id}", at, record, {"new": True}, actor, own=own, now=now)

    def new_comment_ids(self, comments: Iterable[CommentRecord]) -> set[str]:
        """The comments of `comments` the store does not hold yet (ask before they are
        written)."""
        ids = [c.id for c in comments]
        if not ids:
            return set()
        held = {
            row[0]
            for row in self._db.rows(
                f"SELECT id FROM comments WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)
            )
        }
        return set(ids) - held

    def record_comment(
        self,
        comment: CommentRecord,
        *,
        space_id: str,
        number: int | None,
        title: str,
        now: float,
        own: bool = False,
    ) -> bool:
        at = _epoch(comment.created_at or comment.updated_at, now)
        if at < now - KEEP_SECONDS:
            return False
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO activity (key, at, space_id, item_id, number, title, kinds, "
                "detail, actor, own) VALUES (?, ?, ?, ?, ?, ?, 'comment', ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET own = max(own, excluded.own)",
                (
                    f"comment:{comment.id}",
                    at,
                    space_id,
                    comment.item_id,
                    number,
                    title,
                    json.dumps({"comment": first_line(comment.body)}, ensure_ascii=False),
                    comment.actor_name,
                    int(own),
                ),
            )
            return cursor.rowcount > 0

    def _add(
        self,
        key: str,
        at: float,
        record: ItemRecord,
        detail: dict[str, Any],
        actor: str | None,
        *,
        own: bool,
        now: float,
    ) -> bool:
        if at < now - KEEP_SECONDS:
            return False  # older than what the log keeps: it would be pruned at once
        kinds = " ".join(kind for kind in KINDS if kind in detail)
        with self._db.transaction() as conn:
            try:
                conn.execute(
                    "INSERT INTO activity (key, at, space_id, item_id, number, title, kinds, "
                    "detail, actor, own) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        at,
                        record.space_id,
                        record.id,
                        record.number,
                        record.title,
                        kinds,
                        json.dumps(detail, ensure_ascii=False),
                        actor,
                        int(own),
                    ),
                )
            except sqlite3.IntegrityError:  # seen before (another refresh, process)
                if own:  # ... then by the sync: it was ours all the same
                    conn.execute("UPDATE activity SET own = 1 WHERE key = ?", (key,))
                return False
        return True

    def prune(self, now: float) -> int:
        """Forget entries older than KEEP_DAYS. Returns how many went."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM activity WHERE at < ?", (now - KEEP_SECONDS,)).rowcount

    # ----- reading (the UI) -------------------------------------------------------------

    def entries(self, now: float, *, limit: int = 5000) -> list[ActivityRow]:
        """The last KEEP_DAYS days' entries, newest first."""
        rows = self._db.rows(
            f"SELECT {_COLUMNS} FROM activity WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
            (now - KEEP_SECONDS, limit),
        )
        return [_row(raw) for raw in rows]

    def seen_up_to(self) -> int:
        """The newest entry id the person has seen (0: none yet)."""
        row = self._db.row("SELECT value FROM kv WHERE key = ?", (SEEN_KEY,))
        try:
            return int(json.loads(row[0])) if row else 0
        except (TypeError, ValueError):
            return 0

    def newest_id(self) -> int:
        row = self._db.row("SELECT max(id) FROM activity")
        return int(row[0]) if row and row[0] is not None else 0

    def mark_seen(self, up_to: int) -> None:
        """The person has seen every entry up to `up_to` (the screen opened or closed)."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                (SEEN_KEY, json.dumps(up_to)),
            )

    def unseen(self, now: float) -> int:
        """How many entries arrived since the person last looked, not counting their
        own changes."""
        row = self._db.row(
            "SELECT count(*) FROM activity WHERE id > ? AND own = 0 AND at >= ?",
            (self.seen_up_to(), now - KEEP_SECONDS),
        )
        return int(row[0]) if row else 0
