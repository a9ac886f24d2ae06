"""The activity log: the sync writes down what each change was as it applies the feed
(the REST feeds give current state only), once, for 30 days; a first sync writes
nothing; the person's own writes are theirs and never count as new."""

from __future__ import annotations

import pytest

from kiteboard.emulator.app import Emulator
from kiteboard.store.activity import KEEP_SECONDS, describe
from kiteboard.store.events import ActivityRecorded
from kiteboard.store.writer import ItemWriter
from tests.sync_support import demo_state, engine_for, space_id


class Clock:
    """One clock for the emulator (its timestamps) and the engine (the log's 30 days)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world(tmp_path):
    state = demo_state(items=80)
    clock = Clock(state.now_ms() / 1000 + 3600)  # an hour after the demo's history
    state.set_clock(clock)
    engine, _ = engine_for(Emulator(state), tmp_path / "s.db", clock=clock)
    yield state, engine, clock
    engine.store.close()


def lines(engine, clock) -> list[str]:
    return [f"#{row.number} {describe(row)}" for row in engine.store.activity.entries(clock())]


async def synced(world, name="Kiteboard"):
    state, engine, _clock = world
    sid = space_id(state, name)
    await engine.sync_space(sid)
    return sid


async def test_a_first_sync_and_its_backfill_write_nothing(world):
    _state, engine, clock = world
    sid = await synced(world)
    assert engine.store.read.counts(sid)[0] > 50  # the backfill loaded items by number
    assert engine.store.activity.entries(clock()) == []
    assert engine.store.activity.unseen(clock()) == 0


async def test_changes_by_another_client_are_written_as_what_they_were(world):
    state, engine, clock = world
    sid = await synced(world)
    item = state.items_of(sid)[3]
    statuses = state.statuses_of(sid)
    old_status = state.statuses[item.status_id].name
    target = next(s for s in statuses if s.id != item.status_id)
    bug = state.add_label(sid, "bug", "e91e63")
    clock.now += 60
    state.update_item(item.id, {"status_id": target.id})
    clock.now += 60
    other = state.items_of(sid)[5]
    old_effort = other.effort
    state.update_item(
        other.id,
        {"title": "Renamed elsewhere", "label_ids": [bug.id], "effort": "large"},
    )
    clock.now += 60
    new = state.create_item(title="Filed by Ada", status_id=statuses[0].id)
    clock.now += 60
    kenji = next(a.id for a in state.actors.values() if a.name == "@Kenji")
    state.add_comment(other.id, "Looks good to me\nsecond line", actor_id=kenji)
    clock.now += 60
    events = []
    engine.events.subscribe(events.append)

    await engine.refresh(sid)

    entries = engine.store.activity.entries(clock())
    was = old_effort.capitalize() if old_effort else "none"
    assert [describe(row) for row in entries] == [
        'comment by @Kenji: "Looks good to me…"',
        "new",
        f"retitled, labels +bug, effort {was} → Large",
        f"moved {old_status} → {target.name}",
    ]
    assert [row.number for row in entries] == [other.number, new.number, other.number, item.number]
    assert entries[1].actor == state.actors[new.actor_id].name  # REST: the creator
    assert entries[3].actor is None  # an edit's author is not in the REST feed
    assert not any(row.own for row in entries)
    assert engine.store.activity.unseen(clock()) == 4
    assert ActivityRecorded(sid) in events


async def test_a_change_is_written_once_however_often_it_is_seen(world):
    state, engine, clock = world
    sid = await synced(world)
    item = state.items_of(sid)[0]
    state.update_item(item.id, {"description": "A new description"})
    await engine.refresh(sid)
    await engine.refresh(sid)
    await engine.refresh(sid)
    assert lines(engine, clock) == [f"#{item.number} description edited"]


async def test_own_writes_are_theirs_and_never_new(world):
    state, engine, clock = world
    sid = await synced(world)
    writer = ItemWriter(engine.client, engine.store, engine.apply, clock=clock)
    card = next(c for c in engine.store.read.cards(sid) if c.loaded)
    columns = engine.store.read.statuses(sid)
    before = next(s.name for s in columns if s.id == card.status_id)
    target = next(s for s in columns if s.id != card.status_id)

    await writer.move_item(card.id, target.id)  # shown moved before Kitemaker answers
    await writer.create_comment(card.id, "Done, see the PR")
    await engine.refresh(sid)  # the feed brings both back: not written again

    entries = engine.store.activity.entries(clock())
    assert [(describe(row), row.own) for row in entries] == [
        (f'comment by {state.actors[state.api_actor_id].name}: "Done, see the PR"', True),
        (f"moved {before} → {target.name}", True),
    ]
    assert engine.store.activity.unseen(clock()) == 0


async def test_a_move_kitemaker_refuses_writes_nothing(world):
    _state, engine, clock = world
    sid = await synced(world)
    card = next(c for c in engine.store.read.cards(sid) if c.loaded)
    other = next(s for s in engine.store.read.statuses(sid) if s.id != card.status_id)
    engine.apply.set_status(card.id, other.id)  # shown moved...
    engine.apply.set_status(card.id, card.status_id)  # ... and back: refused
    await engine.refresh(sid)
    assert engine.store.activity.entries(clock()) == []


async def test_entries_older_than_30_days_are_pruned(world):
    state, engine, clock = world
    sid = await synced(world)
    item = state.items_of(sid)[0]
    state.update_item(item.id, {"title": "Long ago"})
    await engine.refresh(sid)
    assert len(engine.store.activity.entries(clock())) == 1
    clock.now += KEEP_SECONDS + 60
    assert engine.store.activity.entries(clock()) == []  # not shown, even unpruned
    await engine.refresh(sid)  # the refresh prunes the store
    with engine.store.transaction() as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone() == (0,)


async def test_seen_marks_what_the_person_has_seen(world):
    state, engine, clock = world
    sid = await synced(world)
    items = state.items_of(sid)
    state.update_item(items[0].id, {"title": "One"})
    await engine.refresh(sid)
    log = engine.store.activity
    assert log.unseen(clock()) == 1
    log.mark_seen(log.newest_id())
    assert log.unseen(clock()) == 0
    state.update_item(items[1].id, {"title": "Two"})
    await engine.refresh(sid)
    assert log.unseen(clock()) == 1
