"""The session's undo history (store/undo.py, store/write_batch.py) against the
in-process emulator: what `u` puts back, one step at a time, a batch as one step,
and never over someone else's change without asking."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kiteboard.store import write_batch
from kiteboard.store.undo import UNDO_LIMIT, UndoStack, UndoStep
from kiteboard.store.write_results import Saved, item_fields
from kiteboard.store.write_seam import StoreSeam
from tests.writing_world import World, make_world


@pytest.fixture
async def world(tmp_path) -> World:
    return await make_world(tmp_path / "store.db", engine=lambda s: StoreSeam(s, None))


def cards_in(world: World, status_id: str) -> list[Any]:
    return [c for c in world.store.read.cards(world.space_id) if c.status_id == status_id]


async def undo_top(world: World) -> Any:
    plan = await write_batch.prepare_undo(world.writer)
    assert plan is not None and not plan.changed_by_others
    return await write_batch.undo(world.writer, plan)


async def test_undo_puts_a_moved_card_back_and_says_where(world: World) -> None:
    backlog, todo = world.statuses()[0], world.statuses()[1]
    card = cards_in(world, backlog.id)[0]
    assert isinstance(await world.writer.move_item(card.id, todo.id), Saved)
    assert world.writer.history.peek().what == f"KB-{card.number} → {todo.name}"
    result = await undo_top(world)
    assert result.summary() == f"Undone: KB-{card.number} back in {backlog.name}"
    assert world.state.items[card.id].status_id == backlog.id
    assert world.store.read.card(card.id).status_id == backlog.id
    assert len(world.writer.history) == 0


async def test_undo_goes_back_one_step_at_a_time(world: World) -> None:
    statuses = world.statuses()
    card = cards_in(world, statuses[0].id)[0]
    for status in statuses[1:4]:  # L L L
        await world.writer.move_item(card.id, status.id)
    for expected in (statuses[2], statuses[1], statuses[0]):
        await undo_top(world)
        assert world.state.items[card.id].status_id == expected.id
    assert await write_batch.prepare_undo(world.writer) is None


async def test_undo_of_an_edit_restores_only_the_fields_it_changed(world: World) -> None:
    card = cards_in(world, world.statuses()[0].id)[0]
    label = world.state.labels_of(world.space_id)[0]
    base = item_fields(world.store, card.id)
    edited = replace(base, title="Renamed", label_ids=(*base.label_ids, label.id))
    await world.writer.update_item(card.id, base, edited)
    world.transport.writes.clear()
    result = await undo_top(world)
    assert result.summary() == f"Undone: KB-{card.number}: title, labels restored"
    (body,) = world.transport.bodies("PUT", "/workitem")
    assert set(body) == {"id", "title", "labelIds"}
    item = world.state.items[card.id]
    assert item.title == card.title and set(item.label_ids) == set(base.label_ids)


async def test_a_batch_is_one_step_and_one_undo_restores_it_all(world: World) -> None:
    backlog, todo = world.statuses()[0], world.statuses()[1]
    cards = cards_in(world, backlog.id)[:3]
    result = await write_batch.move_items(world.writer, [c.id for c in cards], todo.id)
    assert result.summary() == f"3 moved to {todo.name}"
    assert len(world.writer.history) == 1
    undone = await undo_top(world)
    assert undone.summary() == f"Undone: 3 moved to {todo.name} (3 restored)"
    assert all(world.state.items[c.id].status_id == backlog.id for c in cards)


async def test_a_batch_names_the_write_that_failed_and_undo_skips_it(world: World) -> None:
    backlog, todo = world.statuses()[0], world.statuses()[1]
    cards = cards_in(world, backlog.id)[:3]
    failing = cards[1]

    def fail_that_one(method: str, path: str, body: dict[str, Any]) -> None:
        if body.get("id") == failing.id:
            world.emulator.faults.inject("server_error", method="PUT", path="/workitem")

    world.transport.on_write = fail_that_one
    result = await write_batch.move_items(world.writer, [c.id for c in cards], todo.id)
    assert result.saved == [cards[0].id, cards[2].id]
    assert [name for _, name, _ in result.failed] == [f"KB-{failing.number}"]
    assert result.summary().startswith(f"2 moved to {todo.name}; failed: KB-{failing.number}")
    assert world.store.read.card(failing.id).status_id == backlog.id  # went back
    world.transport.on_write = None
    undone = await undo_top(world)
    assert len(undone.restored) == 2


async def test_someone_elses_change_since_our_write_is_told_before_undo(world: World) -> None:
    todo = world.statuses()[1]
    card = cards_in(world, world.statuses()[0].id)[0]
    await world.writer.move_item(card.id, todo.id)
    world.state.update_item(card.id, {"title": "Changed in the web app"})
    plan = await write_batch.prepare_undo(world.writer)
    assert plan is not None and plan.changed_by_others == (f"KB-{card.number}",)


async def test_our_own_later_writes_are_not_someone_elses(world: World) -> None:
    statuses = world.statuses()
    card = cards_in(world, statuses[0].id)[0]
    await world.writer.move_item(card.id, statuses[1].id)
    await world.writer.move_item(card.id, statuses[2].id)
    await undo_top(world)  # (asserts nobody else changed it)
    await undo_top(world)


async def test_comments_and_creations_are_steps_that_undo_does_not_undo(world: World) -> None:
    card = cards_in(world, world.statuses()[0].id)[0]
    await world.writer.create_comment(card.id, "hello")
    plan = await write_batch.prepare_undo(world.writer)
    assert plan is not None and not plan.step.undoable
    assert plan.step.what == f"a comment on KB-{card.number}"


def test_the_history_keeps_at_least_twenty_steps() -> None:
    stack = UndoStack()
    for n in range(UNDO_LIMIT + 5):
        stack.push(UndoStep(f"step {n}"))
    assert len(stack) == UNDO_LIMIT >= 20
    assert stack.peek().what == f"step {UNDO_LIMIT + 4}"
