"""The sync engine against the emulator: complete boards, resumable backfills, cheap
refreshes, changes picked up, rate limits and outages survived."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from kiteboard.api.client import KitemakerClient
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.faults import FaultPlan
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport
from kiteboard.store.db import Store
from kiteboard.store.events import CommentsChanged, ItemsChanged, SyncStatusChanged
from kiteboard.store.pacing import AdaptivePacer
from kiteboard.store.sync import SyncEngine
from tests.sync_support import (
    FAST_RETRY,
    VirtualTime,
    delete_item,
    demo_state,
    engine_for,
    expected_board,
    grow_space,
    space_id,
    stored_board,
)


@pytest.fixture
def state():
    return demo_state(items=150)


@pytest.fixture
def big_state():
    return demo_state(items=500)


@pytest.fixture
def emulator(state):
    return Emulator(state)


async def test_first_sync_makes_a_500_item_board_complete(big_state, tmp_path):
    state, emulator = big_state, Emulator(big_state)
    platform = space_id(state, "Platform")
    engine, counting = engine_for(emulator, tmp_path / "s.db")
    events = []
    engine.events.subscribe(events.append)
    report = await engine.sync_space(platform)

    assert stored_board(engine.store, platform) == expected_board(state, platform)
    assert all(card.loaded for card in engine.store.read.cards(platform))
    # Far older than the 50 of the change feed: the very first item, with its column.
    first = state.item_by_number(platform, 1)
    assert engine.store.read.card(first.id).status_id == first.status_id
    assert [s.id for s in engine.store.read.statuses(platform)] == state.spaces[platform].status_ids
    assert engine.store.read.space(platform).key == "PLAT"
    # Nothing fetched twice; the feed's 50 were not fetched again.
    assert max(counting.numbers.values()) == 1 and len(counting.numbers) == 450
    assert (report.loaded, report.total) == (500, 500)
    final = engine.statuses.status(platform)
    assert (final.state, final.loaded, final.total) == ("synced", 500, 500)
    assert final.last_synced_at is not None
    # Progress was announced on the way ("340 of 500"), and every item as added.
    progress = [e.status.loaded for e in events if isinstance(e, SyncStatusChanged)]
    assert len(progress) >= 2 and progress == sorted(progress)
    added = set().union(*(e.added for e in events if isinstance(e, ItemsChanged)))
    assert added == set(expected_board(state, platform))


async def test_backfill_goes_newest_first_and_stops_when_every_title_is_loaded(
    state, emulator, tmp_path
):
    platform = space_id(state, "Platform")
    for number in (1, 2, 3, 70):  # the oldest ones, and a gap in the middle
        delete_item(state, state.item_by_number(platform, number).id)
    engine, counting = engine_for(emulator, tmp_path / "s.db", concurrency=1)
    await engine.sync_space(platform)
    asked = list(counting.numbers)
    assert asked == sorted(asked, reverse=True)
    # Numbers 1-3 hold deleted items only: never asked, the board was complete before.
    assert min(asked) >= 4
    assert stored_board(engine.store, platform) == expected_board(state, platform)
    assert engine.store.read.missing_numbers(platform) == {70}


async def test_an_interrupted_backfill_resumes_without_fetching_again(state, emulator, tmp_path):
    platform = space_id(state, "Platform")
    engine, first = engine_for(emulator, tmp_path / "s.db", event_interval=0)
    reached = asyncio.Event()

    def watch(event):
        if isinstance(event, SyncStatusChanged) and event.status.loaded >= 100:
            reached.set()

    engine.events.subscribe(watch)
    task = asyncio.create_task(engine.sync_space(platform))
    await reached.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    loaded_at_cancel, total = engine.store.read.counts(platform)
    assert 100 <= loaded_at_cancel < 150 and total == 150
    assert engine.statuses.status(platform).state != "syncing"
    engine.store.close()

    # A new process: a new store connection, a new client.
    engine, second = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(platform)
    assert stored_board(engine.store, platform) == expected_board(state, platform)
    refetched = set(first.numbers) & set(second.numbers)
    # Only the answers in flight at the moment of the cancel (at most one per worker).
    assert len(refetched) <= engine.concurrency
    assert first.numbers.total() + second.numbers.total() <= 100 + engine.concurrency


async def test_cancelling_at_any_point_leaves_a_consistent_resumable_store(
    state, emulator, tmp_path
):
    kiteboard = space_id(state, "Kiteboard")
    grow_space(state, "Kiteboard", 40)
    path = tmp_path / "s.db"
    progress = []
    for steps in (0, 1, 2, 3, 5, 8, 13, 21, 34):
        engine, _ = engine_for(emulator, path)
        task = asyncio.create_task(engine.sync_space(kiteboard))
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        store = engine.store
        assert store.read.integrity_ok()
        progress.append(store.read.counts(kiteboard)[0])
        # Every loaded card is a whole item: its full body was written with it.
        for card in store.read.cards(kiteboard):
            if card.loaded:
                body = json.loads(
                    store._db.row("SELECT json FROM item_bodies WHERE item_id = ?", (card.id,))[0]
                )
                assert (body["id"], body["number"]) == (card.id, card.number)
        store.close()
    assert progress == sorted(progress) and progress[-1] > 0  # never loses what it had
    engine, _ = engine_for(emulator, path)
    await engine.sync_space(kiteboard)
    assert stored_board(engine.store, kiteboard) == expected_board(state, kiteboard)


async def test_an_unchanged_refresh_takes_at_most_3_requests_and_announces_nothing(
    state, emulator, tmp_path
):
    platform = space_id(state, "Platform")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(platform)
    events = []
    engine.events.subscribe(events.append)
    emulator.stats.reset()
    report = await engine.refresh(platform)
    assert emulator.stats.requests <= 3
    assert report.up_to_date
    assert not [e for e in events if isinstance(e, ItemsChanged | CommentsChanged)]


async def test_refresh_picks_up_new_renamed_moved_and_deleted_items(state, emulator, tmp_path):
    platform = space_id(state, "Platform")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(platform)
    events = []
    engine.events.subscribe(events.append)
    old = state.item_by_number(platform, 7)  # far outside the change feed
    moved = state.item_by_number(platform, 8)
    gone = state.item_by_number(platform, 9)
    columns = state.spaces[platform].status_ids
    state.update_item(old.id, {"title": "Renamed far away"})
    target = next(s for s in columns if s != moved.status_id)
    state.update_item(moved.id, {"status_id": target})
    delete_item(state, gone.id)
    new = state.create_item(title="Brand new", status_id=columns[0])
    commented = state.add_comment(old.id, "A new comment")

    emulator.stats.reset()
    await engine.refresh(platform)
    assert emulator.stats.requests <= 3
    store = engine.store
    assert store.read.card(old.id).title == "Renamed far away"
    assert store.read.card(moved.id).status_id == target
    assert store.read.card(gone.id) is None
    assert store.read.card(new.id).loaded and store.read.card(new.id).number == new.number
    assert [c.body for c in store.read.comments(old.id)][-1] == "A new comment"
    assert stored_board(store, platform) == expected_board(state, platform)
    changes = [e for e in events if isinstance(e, ItemsChanged)]
    assert set().union(*(e.added for e in changes)) == {new.id}
    assert set().union(*(e.changed for e in changes)) == {old.id, moved.id}
    assert set().union(*(e.removed for e in changes)) == {gone.id}
    assert any(isinstance(e, CommentsChanged) and old.id in e.item_ids for e in events)
    assert commented.id in {c.id for c in store.read.comments(old.id)}


async def test_a_gap_in_the_change_feed_is_detected_and_repaired(state, emulator, tmp_path):
    platform = space_id(state, "Platform")
    engine, counting = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(platform)
    columns = state.spaces[platform].status_ids
    # 80 changes between two looks: the feed shows only the last 50.
    changed = [state.item_by_number(platform, n) for n in range(20, 100)]
    for item in changed:
        target = next(s for s in columns if s != item.status_id)
        state.update_item(item.id, {"status_id": target})
    report = await engine.refresh(platform)
    assert report.gap
    counting.numbers.clear()
    await engine.sync_space(platform)  # the repair: re-check by number, newest first
    assert stored_board(engine.store, platform) == expected_board(state, platform)
    assert engine.store.read.recheck_numbers(platform) == []
    # Each doubtful item re-checked once; the 50 in the feed were not.
    assert max(counting.numbers.values()) == 1
    assert len(counting.numbers) == 150 - 50


async def test_a_429_storm_loses_no_item(state, tmp_path):
    clock = VirtualTime()
    emulator = Emulator(state, rate_limit=5, burst=5, clock=clock)
    pacer = AdaptivePacer(clock=clock, sleep=clock.sleep)
    transport = EmulatorTransport(emulator, sleep=clock.sleep)
    client = KitemakerClient(
        DEMO_BASE_URL,
        "demo",
        transport=transport,
        retry=FAST_RETRY,
        clock=clock,
        sleep=clock.sleep,
        pacer=pacer,
    )
    platform = space_id(state, "Platform")
    engine = SyncEngine(client, Store.open(tmp_path / "s.db"), monotonic=clock)
    await engine.sync_space(platform)
    assert emulator.stats.rate_limited > 0 and client.stats.rate_limited > 0
    assert stored_board(engine.store, platform) == expected_board(state, platform)
    # Paced, not hammering: most requests went through at the first try.
    assert emulator.stats.rate_limited < emulator.stats.requests / 5


async def test_the_space_without_comments_gets_its_key_from_the_resolver(state, emulator, tmp_path):
    growth = space_id(state, "Growth")
    grow_space(state, "Growth", 60)  # more than the feed's 50
    assert not state.recent_comments(growth, 50)
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    report = await engine.sync_space(growth)  # no resolver, no setting
    status = engine.statuses.status(growth)
    assert status.loaded == 50 and status.total == len(state.items_of(growth))
    assert "key" in status.message and "space_keys" in status.message
    assert len(engine.store.read.cards(growth)) == len(state.items_of(growth))  # none dropped
    assert report.message == status.message

    asked = []

    async def resolver(space, rejected):
        asked.append((space.name, rejected))
        return "NOPE" if rejected is None else "GRO"

    await engine.sync_space(growth, key_resolver=resolver)
    assert asked == [("Growth", None), ("Growth", "NOPE")]
    assert stored_board(engine.store, growth) == expected_board(state, growth)
    assert engine.store.read.space(growth).key == "GRO"
    assert engine.statuses.status(growth).message is None


async def test_the_space_without_comments_gets_its_key_from_the_setting(state, emulator, tmp_path):
    growth = space_id(state, "Growth")
    grow_space(state, "Growth", 60)
    engine, _ = engine_for(emulator, tmp_path / "s.db", space_keys={"growth": "GRO"})
    await engine.sync_spaces()
    await engine.sync_space(growth)
    assert stored_board(engine.store, growth) == expected_board(state, growth)


async def test_a_stale_key_is_learned_again(state, emulator, tmp_path):
    platform = space_id(state, "Platform")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(platform)
    state.spaces[platform].key = "PLT"  # renamed in Kitemaker's settings
    for n in range(20, 100):  # and a gap, so items must be re-checked by number
        state.update_item(state.item_by_number(platform, n).id, {"title": f"T{n}"})
    await engine.sync_space(platform)
    assert engine.store.read.space(platform).key == "PLT"
    assert stored_board(engine.store, platform) == expected_board(state, platform)


async def test_offline_keeps_the_board_readable_and_resumes_by_itself(state, emulator, tmp_path):
    kiteboard = space_id(state, "Kiteboard")
    clock = VirtualTime(start=1_700_000_000.0)
    engine, transport = engine_for(emulator, tmp_path / "s.db", clock=clock)
    await engine.sync_space(kiteboard)
    cards = engine.store.read.cards(kiteboard)
    statuses = []
    engine.events.subscribe(
        lambda e: isinstance(e, SyncStatusChanged) and statuses.append(e.status)
    )
    transport.down = True
    new = state.create_item(title="Made while we were away", status_id=cards[0].status_id)
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)
        if transport.down:
            assert engine.store.read.cards(kiteboard) == cards  # still readable
            assert engine.statuses.status(kiteboard).state == "offline"
        if len(sleeps) == 3:
            transport.down = False
        if engine.store.read.card(new.id) is not None:
            raise asyncio.CancelledError  # back online and caught up: stop the loop
        clock.now += seconds

    with pytest.raises(asyncio.CancelledError):
        await engine.run(kiteboard, interval=30, sleep=sleep)
    assert sleeps[:3] == [1.0, 2.0, 4.0]  # backoff while offline
    offline = [s for s in statuses if s.state == "offline"]
    assert offline and offline[0].offline_since == 1_700_000_000.0
    assert statuses[-1].state == "synced" and statuses[-1].offline_since is None
    assert engine.store.read.card(new.id).loaded


async def test_a_rejected_token_stops_the_loop_with_a_clear_status(state, emulator, tmp_path):
    kiteboard = space_id(state, "Kiteboard")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_spaces()
    engine.client = KitemakerClient(
        DEMO_BASE_URL, "wrong", transport=EmulatorTransport(emulator), retry=FAST_RETRY
    )

    async def never(seconds):  # pragma: no cover - must not be reached
        raise AssertionError("should have stopped")

    await engine.run(kiteboard, interval=30, sleep=never)
    status = engine.statuses.status(kiteboard)
    assert status.state == "rejected" and "token" in status.message.lower()


async def test_writes_go_through_the_engine_and_are_announced(state, emulator, tmp_path):
    kiteboard = space_id(state, "Kiteboard")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(kiteboard)
    events = []
    engine.events.subscribe(events.append)
    client = engine.client
    columns = state.spaces[kiteboard].status_ids
    item = await client.create_work_item(title="Written", status_id=columns[0])
    engine.apply.apply_item(item)
    engine.apply.set_status(item.id, columns[1])
    assert engine.store.read.card(item.id).status_id == columns[1]
    comment = await client.create_comment(item.id, "First!")
    engine.apply.apply_comment(comment)
    engine.apply.forget_item(item.id)
    kinds = [type(e).__name__ for e in events if not isinstance(e, SyncStatusChanged)]
    # (The new item and the comment are the person's own activity: see test_activity.)
    assert kinds == [
        "ItemsChanged",
        "ActivityRecorded",
        "ItemsChanged",
        "CommentsChanged",
        "ActivityRecorded",
        "ItemsChanged",
    ]
    assert events and engine.store.read.card(item.id) is None


async def test_the_token_is_never_stored(state, emulator, tmp_path):
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    for space in await engine.sync_spaces():
        await engine.sync_space(space.id)
    engine.store.close()
    for path in tmp_path.glob("s.db*"):
        assert b"demo" not in path.read_bytes().replace(b"demo-", b"")


async def test_run_backfills_in_slices_between_refreshes(state, tmp_path):
    clock = VirtualTime()
    emulator = Emulator(state, faults=FaultPlan(latency_ms=50), clock=clock)
    platform = space_id(state, "Platform")
    engine, _ = engine_for(
        emulator,
        tmp_path / "s.db",
        transport=EmulatorTransport(emulator, sleep=clock.sleep),
        monotonic=clock,
    )
    # The newest item comes with the first look at the feed, so the backfill never
    # fetches it: only a refresh between two slices can see it move.
    newest = state.recent_items(platform, 1)[0]
    columns = state.spaces[platform].status_ids
    moved_to = next(s for s in columns if s != newest.status_id)

    async def sleep(seconds):
        raise asyncio.CancelledError  # the board is complete: the loop went to sleep

    def midway(event):
        loaded = isinstance(event, SyncStatusChanged) and event.status.loaded >= 75
        if loaded and newest.status_id != moved_to:
            state.update_item(newest.id, {"status_id": moved_to})

    engine.events.subscribe(midway)
    with pytest.raises(asyncio.CancelledError):
        await engine.run(platform, interval=0.5, sleep=sleep)
    assert stored_board(engine.store, platform) == expected_board(state, platform)
    assert engine.store.read.card(newest.id).status_id == moved_to
    # The backfill (about 1.3 s at 50 ms and 4 at a time) gave way to refreshes.
    assert emulator.stats.count("GET", "/recent/workitems") >= 3
    assert engine.statuses.status(platform).state == "synced"


async def test_comments_say_since_when_they_are_complete(state, emulator, tmp_path):
    kiteboard = space_id(state, "Kiteboard")
    engine, _ = engine_for(emulator, tmp_path / "s.db")
    await engine.sync_space(kiteboard)
    if len(state.recent_comments(kiteboard, 50)) < 50:
        assert engine.store.read.comments_followed_since(kiteboard) is None  # all of them
    item = state.items_of(kiteboard)[0]
    for n in range(60):  # more than the feed shows between two looks
        state.add_comment(item.id, f"Comment {n}")
    await engine.refresh(kiteboard)
    since = engine.store.read.comments_followed_since(kiteboard)
    assert since is not None
    bodies = [c.body for c in engine.store.read.comments(item.id)]
    assert "Comment 59" in bodies and "Comment 5" not in bodies


async def test_the_pacer_learns_the_rate_from_429s():
    clock = VirtualTime()
    pacer = AdaptivePacer(clock=clock, sleep=clock.sleep)
    for _ in range(30):  # a burst: nothing held back until the server says so
        await pacer.wait()
        pacer.on_success()
        clock.now += 0.02
    assert pacer.rate is None and clock.now == pytest.approx(1000.6)
    pacer.on_rate_limited(1.0)
    assert pacer.rate == pytest.approx(30 * 0.85)  # what was accepted in the last second
    first = pacer.rate
    pacer.on_rate_limited(1.0)  # same moment: the same news, no second cut
    assert pacer.rate == first
    clock.now += 1.5
    pacer.on_rate_limited(1.0)
    assert pacer.rate == pytest.approx(first * 0.85)
    start = clock.now
    for _ in range(10):
        await pacer.wait()
    assert clock.now - start == pytest.approx(10 / pacer.rate, rel=0.1)
