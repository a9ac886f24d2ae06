"""The local store: what the board reads, what survives damage, kills and a second
process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

from kiteboard.store.db import Store
from kiteboard.store.records import CommentRecord, ItemRecord, SpaceSync
from kiteboard.store.schema import SCHEMA_VERSION

SPACE = "5000000000000001"


def item(
    ident: str, number: int, *, title: str = "", status: str = "s1", updated: str = "2024-01-01"
) -> ItemRecord:
    stamp = f"{updated}T00:00:00.000+00:00"
    body = {"id": ident, "number": number, "title": title or f"Item {number}", "updatedAt": stamp}
    body["description"] = f"About {number}"
    body["actor"] = {"id": "a1", "name": "@Ole", "type": "user"}
    return ItemRecord(
        id=ident,
        space_id=SPACE,
        number=number,
        title=title or f"Item {number}",
        status_id=status,
        labels=(("l1", "bug", "e91e63"),),
        effort="Large",
        impact=None,
        created_at=stamp,
        updated_at=stamp,
        body_json=json.dumps(body, sort_keys=True),
    )


def open_board(tmp_path) -> Store:
    store = Store.open(tmp_path / "store.sqlite3")
    store.write.save_spaces([(SPACE, "Platform"), ("5000000000000002", "Design")])
    store.write.save_statuses(SPACE, [("s1", "Todo"), ("s2", "Doing"), ("s3", "Done")])
    store.write.save_labels(SPACE, [("l1", "bug"), ("l2", "ui")])
    return store


def test_a_new_store_is_empty_and_has_no_notice(tmp_path):
    store = Store.open(tmp_path / "nested" / "store.sqlite3")
    assert store.notice is None
    assert (
        store.read.spaces() == []
        and store.read.cards(SPACE) == []
        and store.read.organization() is None
    )
    assert store.read.sync_status(SPACE).state == "never"


def test_board_reads_spaces_columns_labels_and_cards(tmp_path):
    store = open_board(tmp_path)
    assert [s.name for s in store.read.spaces()] == ["Platform", "Design"]
    assert [(s.name, s.position) for s in store.read.statuses(SPACE)] == [
        ("Todo", 0),
        ("Doing", 1),
        ("Done", 2),
    ]
    assert store.write.upsert_item(item("i1", 1)) == ("added", None)
    assert store.write.upsert_item(item("i2", 2, status="s2")) == ("added", None)
    cards = sorted(store.read.cards(SPACE), key=lambda card: -card.number)
    assert [(c.number, c.status_id, c.loaded) for c in cards] == [(2, "s2", True), (1, "s1", True)]
    assert cards[0].label_ids == ("l1",) and cards[0].effort == "Large"
    assert cards[0].updated_at is not None and cards[0].updated_at.year == 2024
    # The label's color came with the item: /metadata/labels has none.
    assert {label.id: label.color for label in store.read.labels(SPACE)} == {
        "l1": "e91e63",
        "l2": None,
    }


def test_items_known_only_by_title_are_kept_as_loading(tmp_path):
    store = open_board(tmp_path)
    store.write.upsert_item(item("i1", 1))
    diff = store.write.save_titles(SPACE, [("i1", "Item 1"), ("i9", "Not loaded yet")])
    assert diff.added == {"i9"} and not diff.changed and not diff.removed
    stub = store.read.card("i9")
    assert stub is not None and not stub.loaded and stub.number is None
    assert stub.title == "Not loaded yet"
    assert store.read.counts(SPACE) == (1, 2)
    assert store.read.stub_ids(SPACE) == {"i9"}
    # Loading it later is a change, not an addition.
    assert store.write.upsert_item(item("i9", 9)) == ("changed", None)
    assert store.read.counts(SPACE) == (2, 2)


def test_titles_listing_retitles_and_removes(tmp_path):
    store = open_board(tmp_path)
    store.write.upsert_item(item("i1", 1))
    store.write.upsert_item(item("i2", 2))
    diff = store.write.save_titles(SPACE, [("i1", "Renamed")])
    assert diff.changed == {"i1"} and diff.removed == {"i2"}
    assert store.read.card("i1").title == "Renamed"
    assert store.read.card("i2") is None and store.read.item("i2") is None


def test_an_older_version_never_overwrites_a_newer_one(tmp_path):
    store = open_board(tmp_path)
    store.write.upsert_item(item("i1", 1, title="New", updated="2024-02-01"))
    assert store.write.upsert_item(item("i1", 1, title="Old", updated="2024-01-01")) == (None, None)
    assert store.read.card("i1").title == "New"
    # The same version again is no change either: nothing to announce.
    assert store.write.upsert_item(item("i1", 1, title="New", updated="2024-02-01")) == (None, None)


def test_item_detail_has_names_and_labels(tmp_path):
    store = open_board(tmp_path)
    store.write.set_space_key(SPACE, "PLAT", "comments")
    store.write.upsert_item(item("i1", 1))
    detail = store.read.item("i1")
    assert detail.description == "About 1"
    assert (detail.actor_name, detail.actor_type) == ("@Ole", "user")
    assert (detail.status_name, detail.space_name, detail.space_key) == ("Todo", "Platform", "PLAT")
    assert [(label.name, label.color) for label in detail.labels] == [("bug", "e91e63")]


def test_comments_are_kept_oldest_first_and_announced_once(tmp_path):
    store = open_board(tmp_path)

    def comment(ident: str, stamp: str, body: str = "hi") -> CommentRecord:
        when = f"2024-01-0{stamp}T00:00:00.000+00:00"
        return CommentRecord(ident, "i1", SPACE, body, "@Ole", "user", None, False, when, when)

    assert store.write.add_comments([comment("c2", "2"), comment("c1", "1")]) == {SPACE: {"i1"}}
    assert store.write.add_comments([comment("c2", "2"), comment("c1", "1")]) == {}
    assert [c.id for c in store.read.comments("i1")] == ["c1", "c2"]
    assert store.write.add_comments([comment("c2", "2", body="edited")]) == {SPACE: {"i1"}}
    assert store.read.comments("i1")[1].body == "edited"


def test_comments_followed_since(tmp_path):
    store = open_board(tmp_path)
    store.write.save_sync_state(SpaceSync(SPACE, comments_since="2024-03-01T00:00:00.000+00:00"))
    assert store.read.comments_followed_since(SPACE).month == 3
    store.write.save_sync_state(SpaceSync(SPACE, comments_complete=True))
    assert store.read.comments_followed_since(SPACE) is None


def test_values_and_drafts(tmp_path):
    store = open_board(tmp_path)
    store.local.set_value("last_space", SPACE)
    store.local.save_draft("new-item:" + SPACE, {"title": "Half typed", "labels": ["l1"]})
    store.close()
    store = Store.open(tmp_path / "store.sqlite3")
    assert store.local.get_value("last_space") == SPACE
    assert store.local.load_draft("new-item:" + SPACE) == {"title": "Half typed", "labels": ["l1"]}
    store.local.clear_draft("new-item:" + SPACE)
    store.local.set_value("last_space", None)
    assert (
        store.local.load_draft("new-item:" + SPACE) is None
        and store.local.get_value("last_space") is None
    )


def test_a_damaged_file_is_rebuilt_with_a_notice(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 200)
    store = Store.open(path)
    assert store.notice and store.notice.startswith("The local cache was rebuilt")
    assert "damaged" in store.notice
    store.write.save_spaces([(SPACE, "Platform")])
    assert [s.name for s in store.read.spaces()] == ["Platform"]
    assert (tmp_path / "store.sqlite3.damaged").exists()
    store.close()
    assert Store.open(path).notice is None  # fine from now on


def test_a_file_damaged_inside_is_rebuilt(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = open_board(tmp_path)
    for n in range(1, 400):
        store.write.upsert_item(item(f"i{n}", n, title="x" * 200))
    store._db.row("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):
        data[offset + 8 : offset + 200] = b"\xff" * 192  # scribble over page headers
    path.write_bytes(bytes(data))
    store = Store.open(path)
    assert store.notice and "damaged" in store.notice
    assert store.read.cards(SPACE) == []


def test_a_file_of_another_version_is_rebuilt_with_a_notice(tmp_path):
    path = tmp_path / "store.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert store.notice and "another version" in store.notice
    assert store.read.cards(SPACE) == []
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_write_interrupted_by_an_error_leaves_nothing_behind(tmp_path):
    store = open_board(tmp_path)
    try:
        with store.transaction():
            store.write.upsert_item(item("i1", 1))
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert store.read.card("i1") is None and store.read.sync_state(SPACE).max_number == 0


WRITER = textwrap.dedent(
    """
    import json, sys
    from kiteboard.store.db import Store
    from kiteboard.store.records import ItemRecord
    store = Store.open(sys.argv[1])
    prefix = sys.argv[2]
    for n in range(200):
        body = json.dumps({"n": n})
        store.write.upsert_item(ItemRecord(f"{prefix}{n}", "S", n, "t", None, (), None, None,
                                     None, None, body))
        store.read.cards("S")
    store.close()
    """
)


def test_two_processes_writing_one_store_do_not_corrupt_it(tmp_path):
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix]) for prefix in ("a", "b")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    store = Store.open(path)
    assert store.notice is None and store.read.integrity_ok()
    assert len(store.read.cards("S")) == 400


def test_a_file_of_the_previous_version_is_migrated_in_place(tmp_path):
    """Version 1 lacked the column index: the file gains it and keeps what it holds."""
    store = open_board(tmp_path)
    store.write.upsert_item(item("i1", 1))
    store.close()
    path = tmp_path / "store.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX items_by_column")
        conn.execute("PRAGMA user_version = 1")
    store = Store.open(path)
    assert store.notice is None
    assert [card.id for card in store.read.cards(SPACE)] == ["i1"]
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "items_by_column" in indexes


def test_board_preview_holds_each_columns_first_cards_and_every_count(tmp_path):
    store = open_board(tmp_path)
    for n in range(1, 31):
        store.write.upsert_item(item(f"i{n}", n, status="s1" if n % 3 else "s2"))
    titles = [(f"i{n}", f"Item {n}") for n in range(1, 31)]
    store.write.save_titles(SPACE, [*titles, ("stub1", "Being loaded"), ("stub2", "Also")])
    cards, groups = store.read.board_preview(SPACE, 4)
    todo = [c.number for c in cards if c.status_id == "s1"]
    done = [c.number for c in cards if c.status_id == "s2"]
    assert todo == [29, 28, 26, 25]  # newest first, as the board orders them
    assert done == [30, 27, 24, 21]
    assert groups[("s1", True)] == 20
    assert groups[("s2", True)] == 10
    assert groups[(None, False)] == 2  # loading stubs: a group of their own
    assert {c.id for c in cards if not c.loaded} == {"stub1", "stub2"}
    store.close()
