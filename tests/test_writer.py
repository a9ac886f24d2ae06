"""ItemWriter against the in-process emulator and a real store (no textual).

What a user would notice: the item/comment/label exists once in Kitemaker, the board
(the store) shows it, a move shows at once and goes back when refused, a lost answer
never turns into a duplicate, and each failure says what to do.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from kiteboard.store.write_results import (
    TOKEN_HELP,
    ItemFields,
    NeedsRetry,
    Refused,
    Saved,
    changed_fields,
    rebase_edit,
    validate_fields,
)
from kiteboard.store.write_seam import StoreSeam
from tests.writing_world import World, delete_item, make_world


@pytest.fixture
async def world(tmp_path) -> World:
    events: list[Any] = []
    made = await make_world(tmp_path / "store.db", engine=lambda s: StoreSeam(s, events.append))
    made.events = events
    return made


def titled(world: World, title: str) -> list[Any]:
    return [item for item in world.state.items.values() if item.title == title]


def some_item(world: World) -> Any:
    """A loaded card of the space, and its status's neighbour on the right."""
    cards = [c for c in world.store.read.cards(world.space_id) if c.loaded]
    return cards[0]


# -- create ------------------------------------------------------------------------------


async def test_create_sends_the_fields_and_puts_the_item_on_the_board(world: World) -> None:
    todo = world.statuses()[1]
    label = world.state.labels_of(world.space_id)[0]
    fields = ItemFields(
        title="  Crash on empty title  ",
        status_id=todo.id,
        description="Steps:\n1. open",
        label_ids=(label.id,),
        effort="small",
        impact="large",
        placement="bottom",
    )
    result = await world.writer.create_item(world.space_id, fields)

    assert isinstance(result, Saved)
    (item,) = titled(world, "Crash on empty title")
    assert (item.status_id, item.effort, item.impact) == (todo.id, "small", "large")
    assert item.label_ids == [label.id]
    assert world.state.column(todo.id)[-1].id == item.id  # placement: bottom
    card = world.store.read.card(item.id)
    assert card is not None and card.status_id == todo.id and card.number == item.number
    assert any(item.id in getattr(e, "added", ()) for e in world.events)


async def test_create_leaves_out_what_was_not_given(world: World) -> None:
    fields = ItemFields(title="Bare", status_id=world.statuses()[0].id)
    await world.writer.create_item(world.space_id, fields)
    (body,) = world.transport.bodies("POST", "/workitem")
    assert set(body) == {"title", "statusId"}


async def test_a_dropped_answer_to_a_create_is_found_in_the_feed_not_sent_again(
    world: World,
) -> None:
    world.emulator.faults.inject("drop_response", method="POST", path="/workitem")
    fields = ItemFields(title="Only once", status_id=world.statuses()[0].id)

    result = await world.writer.create_item(world.space_id, fields)

    assert isinstance(result, Saved) and result.note
    assert len(titled(world, "Only once")) == 1
    assert len(world.transport.bodies("POST", "/workitem")) == 1
    assert world.store.read.card(result.value.id) is not None


@pytest.mark.parametrize("server_behind", [3600.0, -3600.0])
async def test_a_lost_create_is_found_whatever_the_servers_clock_says(
    world: World, server_behind: float
) -> None:
    """The server's clock an hour behind ours (or ahead): its createdAt is placed by its
    own newest stamp, not compared with our clock; the item is not sent twice."""
    world.state.set_clock(lambda: time.time() - server_behind)
    world.emulator.faults.inject("drop_response", method="POST", path="/workitem")
    fields = ItemFields(title="Clocks apart", status_id=world.statuses()[0].id)

    result = await world.writer.create_item(world.space_id, fields)

    assert isinstance(result, Saved) and result.note
    assert len(titled(world, "Clocks apart")) == 1
    assert len(world.transport.bodies("POST", "/workitem")) == 1


async def test_a_lost_comment_is_found_with_the_servers_clock_behind(world: World) -> None:
    world.state.set_clock(lambda: time.time() - 3600.0)
    card = world.store.read.cards(world.space_id)[0]
    world.emulator.faults.inject("drop_response", method="POST", path="/comment")

    result = await world.writer.create_comment(card.id, "Said once")

    assert isinstance(result, Saved)
    assert [c.body for c in world.state.comments_of(card.id)].count("Said once") == 1
    assert len(world.transport.bodies("POST", "/comment")) == 1


async def test_a_create_that_did_not_land_offers_to_send_again_once(world: World) -> None:
    world.emulator.faults.inject("server_error", method="POST", path="/workitem")
    fields = ItemFields(title="Second time lucky", status_id=world.statuses()[0].id)

    first = await world.writer.create_item(world.space_id, fields)

    assert isinstance(first, NeedsRetry) and first.unconfirmed_since is not None
    assert "not created" in first.reason
    second = await world.writer.create_item(
        world.space_id, fields, unconfirmed_since=first.unconfirmed_since
    )
    assert isinstance(second, Saved)
    assert len(titled(world, "Second time lucky")) == 1


async def test_when_the_feed_cannot_be_read_the_resend_checks_it_first(world: World) -> None:
    world.emulator.faults.inject("drop_response", method="POST", path="/workitem")
    # Every try of the feed read fails (the client retries reads 3 times).
    world.emulator.faults.inject("server_error", times=3, path="/recent/workitems")
    fields = ItemFields(title="Unsure", status_id=world.statuses()[0].id)

    first = await world.writer.create_item(world.space_id, fields)
    assert isinstance(first, NeedsRetry) and first.unconfirmed_since is not None
    assert "could not check" in first.reason

    second = await world.writer.create_item(
        world.space_id, fields, unconfirmed_since=first.unconfirmed_since
    )
    assert isinstance(second, Saved) and second.note
    assert len(titled(world, "Unsure")) == 1
    assert len(world.transport.bodies("POST", "/workitem")) == 1


async def test_an_older_item_with_the_same_title_is_not_taken_for_the_lost_one(
    world: World,
) -> None:
    status = world.statuses()[0].id
    await world.writer.create_item(world.space_id, ItemFields(title="Twin", status_id=status))
    world.emulator.faults.inject("timeout", method="POST", path="/workitem")

    result = await world.writer.create_item(world.space_id, ItemFields("Twin", status))

    assert isinstance(result, NeedsRetry)  # the first Twin was known before: not a match
    assert len(titled(world, "Twin")) == 1


async def test_a_refused_create_shows_the_apis_message(world: World) -> None:
    label = world.state.labels_of(world.space_id)[0]
    del world.state.labels[label.id]  # deleted in Kitemaker meanwhile
    fields = ItemFields(title="x", status_id=world.statuses()[0].id, label_ids=(label.id,))

    result = await world.writer.create_item(world.space_id, fields)

    assert isinstance(result, Refused) and result.kind == "invalid"
    assert "unknown label" in result.message


async def test_a_rejected_token_says_how_to_fix_it(tmp_path) -> None:
    world = await make_world(tmp_path / "s.db", token="not-the-token")
    result = await world.writer.create_item(
        world.space_id, ItemFields(title="x", status_id=world.statuses()[0].id)
    )
    assert result == Refused("auth", TOKEN_HELP)
    assert "KITEMAKER_TOKEN" in TOKEN_HELP and "kiteboard init" in TOKEN_HELP


async def test_rate_limiting_keeps_the_write_for_later(world: World) -> None:
    now = [0.0]
    world.emulator._clock = lambda: now[0]  # the bucket's clock stands still
    world.emulator.set_rate_limit(0.01, 1)
    await world.client.organization()  # takes the only token
    result = await world.writer.create_item(
        world.space_id, ItemFields(title="Later", status_id=world.statuses()[0].id)
    )
    assert isinstance(result, NeedsRetry) and result.unconfirmed_since is None
    assert "rate limiting" in result.reason
    assert titled(world, "Later") == []


# -- edit --------------------------------------------------------------------------------


async def test_an_edit_sends_only_what_changed(world: World) -> None:
    card = some_item(world)
    item = world.state.items[card.id]
    labels = [label.id for label in world.state.labels_of(world.space_id)]
    base = ItemFields(
        title=item.title,
        status_id=item.status_id,
        description=item.description or "",
        label_ids=tuple(item.label_ids),
        effort=item.effort,
        impact=item.impact,
    )
    wanted = tuple(sorted(set(item.label_ids) ^ {labels[0]}))
    edited = ItemFields(**{**base.to_dict(), "title": "Renamed", "label_ids": wanted})  # type: ignore[arg-type]
    description_before = item.description

    result = await world.writer.update_item(card.id, base, edited)

    assert isinstance(result, Saved)
    (body,) = world.transport.bodies("PUT", "/workitem")
    assert set(body) == {"id", "title", "labelIds"}
    assert set(body["labelIds"]) == set(wanted)  # the complete desired set
    assert item.title == "Renamed" and set(item.label_ids) == set(wanted)
    assert item.description == description_before
    assert world.store.read.card(card.id).title == "Renamed"


async def test_an_edit_that_changes_nothing_sends_nothing(world: World) -> None:
    fields = ItemFields(title="same", status_id="s")
    result = await world.writer.update_item(some_item(world).id, fields, fields)
    assert result == Saved(None)
    assert world.transport.writes == []


async def test_editing_an_item_deleted_in_kitemaker_takes_it_off_the_board(
    world: World,
) -> None:
    card = some_item(world)
    delete_item(world.state, card.id)
    base = ItemFields(title=card.title, status_id=card.status_id or "")
    edited = ItemFields(title="new", status_id=card.status_id or "")

    result = await world.writer.update_item(card.id, base, edited)

    assert isinstance(result, Refused) and result.kind == "gone"
    assert world.store.read.card(card.id) is None
    assert any(card.id in getattr(e, "removed", ()) for e in world.events)


# -- move --------------------------------------------------------------------------------


async def test_a_move_shows_at_once_then_keeps_the_servers_answer(world: World) -> None:
    card = some_item(world)
    target = next(s.id for s in world.statuses() if s.id != card.status_id)
    seen: list[str | None] = []
    world.transport.on_write = lambda *_: seen.append(world.store.read.card(card.id).status_id)

    result = await world.writer.move_item(card.id, target)

    assert seen == [target]  # the board had it in the new column before the answer
    assert isinstance(result, Saved)
    assert world.state.items[card.id].status_id == target
    assert world.store.read.card(card.id).status_id == target
    (body,) = world.transport.bodies("PUT", "/workitem")
    assert body == {"id": card.id, "statusId": target}


async def test_a_refused_move_goes_back_and_says_why(world: World) -> None:
    card = some_item(world)
    target = next(s.id for s in world.statuses() if s.id != card.status_id)
    del world.state.statuses[target]  # the column was deleted in Kitemaker
    changes_before = len(world.events)

    result = await world.writer.move_item(card.id, target)

    assert isinstance(result, Refused) and "not a status" in result.message
    assert world.store.read.card(card.id).status_id == card.status_id
    moves = [e for e in world.events[changes_before:] if card.id in getattr(e, "changed", ())]
    assert len(moves) == 2  # moved, then moved back


async def test_a_move_whose_answer_was_lost_is_confirmed_from_the_feed(world: World) -> None:
    card = some_item(world)
    target = next(s.id for s in world.statuses() if s.id != card.status_id)
    world.emulator.faults.inject("drop_response", method="PUT", path="/workitem")

    result = await world.writer.move_item(card.id, target)

    assert isinstance(result, Saved)
    assert world.store.read.card(card.id).status_id == target


async def test_a_move_that_did_not_land_goes_back(world: World) -> None:
    card = some_item(world)
    target = next(s.id for s in world.statuses() if s.id != card.status_id)
    world.emulator.faults.inject("server_error", method="PUT", path="/workitem")

    result = await world.writer.move_item(card.id, target)

    assert isinstance(result, NeedsRetry)
    assert world.store.read.card(card.id).status_id == card.status_id
    assert world.state.items[card.id].status_id == card.status_id


# -- comments and labels -------------------------------------------------------------------


async def test_a_comment_lands_in_the_store(world: World) -> None:
    card = some_item(world)
    result = await world.writer.create_comment(card.id, "Looks **good**")
    assert isinstance(result, Saved)
    assert [c.body for c in world.store.read.comments(card.id)][-1] == "Looks **good**"
    assert any(card.id in getattr(e, "item_ids", ()) for e in world.events)


async def test_a_dropped_answer_to_a_comment_never_makes_a_second_comment(
    world: World,
) -> None:
    card = some_item(world)
    world.emulator.faults.inject("drop_response", method="POST", path="/comment")

    result = await world.writer.create_comment(card.id, "Just once")

    assert isinstance(result, Saved) and result.note
    bodies = [c.body for c in world.state.comments_of(card.id)]
    assert bodies.count("Just once") == 1
    assert [c.body for c in world.store.read.comments(card.id)].count("Just once") == 1


async def test_a_comment_that_did_not_land_is_sent_again_once(world: World) -> None:
    card = some_item(world)
    world.emulator.faults.inject("timeout", method="POST", path="/comment")
    first = await world.writer.create_comment(card.id, "Retry me")
    assert isinstance(first, NeedsRetry) and first.unconfirmed_since is not None

    second = await world.writer.create_comment(
        card.id, "Retry me", unconfirmed_since=first.unconfirmed_since
    )
    assert isinstance(second, Saved)
    assert [c.body for c in world.state.comments_of(card.id)].count("Retry me") == 1


async def test_a_label_is_created_with_the_color_asked_for(world: World) -> None:
    result = await world.writer.create_label(world.space_id, " needs-design ", "12a594")
    assert isinstance(result, Saved)
    label = world.state.labels[result.value.id]
    assert (label.name, label.color) == ("needs-design", "12a594")
    stored = {row.name: row.color for row in world.store.read.labels(world.space_id)}
    assert stored["needs-design"] == "12a594"


async def test_a_label_whose_answer_was_lost_is_found_by_name(world: World) -> None:
    world.emulator.faults.inject("drop_response", method="POST", path="/label")
    result = await world.writer.create_label(world.space_id, "needs-triage", "e54d2e")
    assert isinstance(result, Saved)
    names = [label.name for label in world.state.labels_of(world.space_id)]
    assert names.count("needs-triage") == 1


# -- the pure rules ------------------------------------------------------------------------


def test_changed_fields_compares_labels_as_sets_and_clears_with_none() -> None:
    base = ItemFields("t", "s", "text", ("a", "b"), "large", "small")
    same_labels = ItemFields("t ", "s", "text", ("b", "a"), "large", "small")
    assert changed_fields(base, same_labels) == {}
    cleared = ItemFields("t", "s", "", ("a",), None, "small")
    assert changed_fields(base, cleared) == {
        "description": None,
        "label_ids": ["a"],
        "effort": None,
    }


def test_validation_follows_the_apis_rules() -> None:
    assert set(validate_fields(ItemFields(title="  ", status_id=""))) == {"title", "status_id"}
    assert validate_fields(ItemFields(title="ok", status_id="s", effort="huge")) == {
        "effort": "Effort is none, small, medium or large."
    }


def test_an_old_edit_draft_keeps_only_what_the_user_changed() -> None:
    draft_base = ItemFields("Old title", "todo", "old text", ("a",), None, None)
    draft = ItemFields("My title", "todo", "old text", ("a",), None, None)
    now = ItemFields("Old title", "doing", "new text", ("a", "b"), "large", None)

    base, fields = rebase_edit(now, draft_base, draft)

    assert fields == ItemFields("My title", "doing", "new text", ("a", "b"), "large", None)
    assert changed_fields(base, fields) == {"title": "My title"}
