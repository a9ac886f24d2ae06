"""The store's SQLite file: its tables, its version, and opening it safely.

The store is a cache: everything in it can be fetched again. So a file this code cannot
use (damaged, or written by another version of kiteboard) is not an error for the user:
it is set aside and rebuilt, and the caller gets a one-line notice saying so.

Opening sets the pragmas that make the file safe to share and to kill mid-write:
- WAL journal: readers never block the writer, and a process killed mid-transaction
  leaves the last committed state (the WAL's uncommitted frames are ignored);
- synchronous=NORMAL: in WAL mode a commit is atomic and consistent without an fsync
  per transaction (a power cut may lose the last commits, never corrupt the file);
- busy_timeout: a second kiteboard process writing at the same moment makes us wait,
  not fail.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

# Bump on any change to the tables below: an older file is then rebuilt, not migrated
# (it is a cache; a rebuild costs one sync), unless MIGRATIONS knows the way.
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 10_000

_ACTIVITY = """-- What changed, as the sync saw it happen (activity.py): the REST feeds give current
-- state only, so each change is written down when it is applied. Kept 30 days.
CREATE TABLE IF NOT EXISTS activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of arrival: "new since last look"
    key TEXT NOT NULL UNIQUE,             -- one entry per change, however often seen
    at REAL NOT NULL,                     -- when it happened (the server's time), epoch s
    space_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    number INTEGER,
    title TEXT NOT NULL,                  -- the item's title then
    kinds TEXT NOT NULL,                  -- "moved labels": what changed
    detail TEXT NOT NULL,                 -- JSON: {"moved": ["Todo", "Done"], ...}
    actor TEXT,                           -- who, when the API says (comments, new items)
    own INTEGER NOT NULL DEFAULT 0        -- 1: written by this kiteboard (never "new")
);
CREATE INDEX IF NOT EXISTS activity_by_time ON activity (at);
"""

_TABLES = """
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE organization (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE spaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    key TEXT,
    key_source TEXT          -- 'comments' | 'setting' | 'user'
);
CREATE TABLE statuses (
    id TEXT PRIMARY KEY,
    space_id TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX statuses_by_space ON statuses (space_id, position);
CREATE TABLE labels (
    id TEXT PRIMARY KEY,
    space_id TEXT,
    name TEXT NOT NULL,
    color TEXT
);
CREATE INDEX labels_by_space ON labels (space_id);
-- The card columns are real columns so that a 5,000-item board reads in milliseconds;
-- the item as the server sent it (for the detail pane) lives in item_bodies.
CREATE TABLE items (
    id TEXT PRIMARY KEY,
    space_id TEXT NOT NULL,
    number INTEGER,
    title TEXT NOT NULL,
    status_id TEXT,
    label_ids TEXT NOT NULL DEFAULT '',   -- ids joined by U+001F
    effort TEXT,
    impact TEXT,
    created_at TEXT,                      -- ISO 8601, UTC, milliseconds
    updated_at TEXT,
    loaded INTEGER NOT NULL,              -- 0: known only by id and title
    recheck INTEGER NOT NULL DEFAULT 0    -- 1: may have changed unseen (feed gap)
);
CREATE INDEX items_by_space ON items (space_id, number);
CREATE INDEX items_by_column ON items (space_id, status_id, loaded, number);
CREATE TABLE item_bodies (item_id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL,
    space_id TEXT,
    body TEXT NOT NULL,
    actor_name TEXT,
    actor_type TEXT,
    thread_id TEXT,
    reply INTEGER NOT NULL DEFAULT 0,
    created_at TEXT,
    updated_at TEXT
);
CREATE INDEX comments_by_item ON comments (item_id, created_at);
-- Numbers that answered 404 with a given key: deleted items, never fetched again.
CREATE TABLE missing_numbers (
    space_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (space_id, number)
) WITHOUT ROWID;
CREATE TABLE space_sync (
    space_id TEXT PRIMARY KEY,
    max_number INTEGER NOT NULL DEFAULT 0,  -- largest item number known to exist
    feed_high_water TEXT,         -- newest updatedAt seen in /recent/workitems
    comments_high_water TEXT,     -- newest updatedAt seen in /recent/comments
    comments_since TEXT,          -- every comment updated since then is held
    comments_complete INTEGER NOT NULL DEFAULT 0,  -- 1: every comment ever is held
    last_synced_at REAL,          -- wall clock of the last complete refresh
    layout_synced_at REAL         -- wall clock of the last statuses/labels fetch
);
CREATE TABLE drafts (key TEXT PRIMARY KEY, data TEXT NOT NULL, saved_at REAL NOT NULL);
"""
SCHEMA = _TABLES + _ACTIVITY


class _Unusable(Exception):
    """The file opened, but it is not a store this code can use."""


class ReadOnly(NamedTuple):
    """A store file that cannot be written (a read-only folder or file): opened for
    reading only, never rebuilt (what it holds is all there is to show)."""

    conn: sqlite3.Connection
    notice: str


def connect(path: Path) -> tuple[sqlite3.Connection, str | None] | ReadOnly:
    """Open (creating if needed) the store file; rebuild it when it is unusable.

    Returns the connection and a notice (None when the file was fine or new), or a
    ReadOnly connection when the file (or its folder) cannot be written."""
    if path.exists() and not _writable(path):
        return ReadOnly(
            _open_read_only(path),
            f"The local cache {path} cannot be written: the board shows what it holds, "
            "and nothing is synced or saved (writes are off) until it can be.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path), None
    except _Unusable as why:
        reason = str(why)
        keep_copy = False
    except sqlite3.DatabaseError as error:
        # "file is not a database", "database disk image is malformed", ...
        log.warning("store %s is damaged (%s); rebuilding it", path.name, error)
        reason = "the file was damaged"
        keep_copy = True
    _set_aside(path, keep_copy=keep_copy)
    return _open(path), f"The local cache was rebuilt: {reason}. It fills again as kiteboard syncs."


def _writable(path: Path) -> bool:
    """The file and its folder (where SQLite keeps the WAL beside it) can be written;
    False on a read-only file system, for root too."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_read_only(path: Path) -> sqlite3.Connection:
    from urllib.request import pathname2url

    url = f"file:{pathname2url(str(path))}"
    try:
        conn = sqlite3.connect(f"{url}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError:
        # A WAL file needs its shared-memory file, which a read-only folder cannot
        # hold: read the file as it stands (nobody can be writing to it either).
        conn = sqlite3.connect(f"{url}?immutable=1", uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (BEGIN IMMEDIATE, so two
    # processes queue for the write lock instead of failing on a lock upgrade).
    # check_same_thread=False: the Store serialises access with its own lock, so a UI
    # may read from a worker thread.
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")  # reads the header: fails on garbage
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = OFF")
        _ensure_schema(conn)
        # A cheap look at every page's structure (a few ms for thousands of items):
        # a damaged file is caught here, where it can be rebuilt, not on a later read.
        problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {problem}")
    except BaseException:
        conn.close()
        raise
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)  # a private cache: titles and comments are the user's
    return conn


# version -> the statements that bring a file of that version to the next one. Only
# what costs nothing to do in place (an index); anything else is a rebuild.
MIGRATIONS: dict[int, str] = {
    # The top cards of each column and the columns' counts, read without a scan: a big
    # space's first frame costs what a small one's does (Store.board_preview).
    1: "CREATE INDEX IF NOT EXISTS items_by_column ON items (space_id, status_id, loaded, number);",
    # The activity log: a new table, empty (it fills from the next refresh on).
    2: _ACTIVITY,
}


def _ensure_schema(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version in MIGRATIONS:
        _migrate(conn)
        return
    if version != 0:
        raise _Unusable("it was written by another version of kiteboard")
    # Version 0: a new file, or one another process is creating right now. Take the
    # write lock and look again, so two processes never both create the tables.
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise _Unusable("the file was not a kiteboard store")
            for statement in _statements(SCHEMA):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION:
            raise _Unusable("it was written by another version of kiteboard")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # (SQLite may have ended it: a full disk)
            conn.execute("ROLLBACK")
        raise


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")  # (another process may be migrating it too)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        while version in MIGRATIONS:
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        if version != SCHEMA_VERSION:
            raise _Unusable("it was written by another version of kiteboard")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # (SQLite may have ended it: a full disk)
            conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction first; run statement by statement.
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _set_aside(path: Path, *, keep_copy: bool) -> None:
    """Remove an unusable store (with its WAL and shared-memory files, which belong to
    it and would confuse a new file). A damaged one is kept once as *.damaged, for a
    bug report; a file of another version is simply dropped."""
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    if keep_copy:
        with contextlib.suppress(OSError):
            os.replace(path, f"{path}.damaged")
            return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
