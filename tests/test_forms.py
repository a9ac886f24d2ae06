"""The writing forms driven from the keyboard (Pilot), against the in-process emulator.

Each test checks what a person would notice: what Kitemaker ends up holding, what the
form says, and that nothing typed is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, TextArea

from kiteboard.store.db import Store
from kiteboard.store.writer import ItemWriter
from kiteboard.ui.screens.forms import CommentForm, WorkItemForm
from kiteboard.ui.screens.forms.base import FormMessage
from kiteboard.ui.screens.forms.confirm import DiscardConfirm
from kiteboard.ui.screens.forms.labels import PALETTE, LabelPicker
from tests.writing_apps import FormsApp
from tests.writing_world import World, delete_item, make_world

SIZE = (100, 34)


@pytest.fixture
async def world(tmp_path) -> World:
    return await make_world(tmp_path / "store.db")


def new_item_app(world: World, status_index: int = 1) -> FormsApp:
    status_id = world.store.read.statuses(world.space_id)[status_index].id

    def make() -> WorkItemForm:
        return WorkItemForm(world.store, world.writer, space_id=world.space_id, status_id=status_id)

    return FormsApp(make)


def message(app: FormsApp) -> str:
    return str(app.screen.query_one(FormMessage).render())


def titled(world: World, title: str) -> list[Any]:
    return [item for item in world.state.items.values() if item.title == title]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


# -- create -------------------------------------------------------------------------------


async def test_new_item_is_created_with_what_was_typed_and_picked(world: World) -> None:
    app = new_item_app(world, status_index=1)
    todo = world.store.read.statuses(world.space_id)[1]
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, WorkItemForm)
        assert form.query_one("#status", Select).value == todo.id  # the focused column
        await type_text(pilot, "Search is slow")
        form.query_one("#effort", Select).value = "small"
        form.query_one("#impact", Select).value = "large"
        form.query_one("#placement", Select).value = "bottom"
        form.query_one("#label-filter", Input).focus()
        await type_text(pilot, "perf")
        await pilot.press("enter")  # toggles the one match
        form.query_one("#description", TextArea).focus()
        await type_text(pilot, "Takes 3 s")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    (item,) = titled(world, "Search is slow")
    assert app.results == [item.id]
    assert (item.status_id, item.effort, item.impact) == (todo.id, "small", "large")
    assert item.description == "Takes 3 s"
    assert [world.state.labels[x].name for x in item.label_ids] == ["performance"]
    assert world.state.column(todo.id)[-1].id == item.id
    assert world.store.read.card(item.id) is not None
    assert world.store.local.load_draft(f"new:{world.space_id}") is None


async def test_a_title_is_required_before_anything_is_sent(world: World) -> None:
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkItemForm)
        assert "A title is required." in message(app)
        assert app.screen.query_one("#title", Input).has_focus
    assert world.transport.writes == []


async def test_a_400_shows_the_apis_message_and_keeps_the_form(world: World) -> None:
    bug = next(label for label in world.state.labels_of(world.space_id) if label.name == "bug")
    del world.state.labels[bug.id]  # deleted in Kitemaker; the store still has it
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Typed with care")
        form.query_one(LabelPicker).set_selected([bug.id])
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert "Kitemaker refused this:" in message(app)
        assert "unknown label" in message(app)
        assert form.query_one("#title", Input).value == "Typed with care"
        assert not form.sending


async def test_a_server_error_keeps_everything_and_sending_again_creates_one_item(
    world: World,
) -> None:
    world.emulator.faults.inject("server_error", method="POST", path="/workitem")
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Flaky proxy")
        form.query_one("#description", TextArea).text = "long text I wrote"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert "HTTP 50" in message(app) and "Ctrl+S sends again" in message(app)
        assert form.query_one("#description", TextArea).text == "long text I wrote"
        assert titled(world, "Flaky proxy") == []

        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(titled(world, "Flaky proxy")) == 1
    assert app.results == [titled(world, "Flaky proxy")[0].id]


async def test_rate_limited_keeps_the_form_and_offers_to_send_again(world: World) -> None:
    now = [0.0]
    world.emulator._clock = lambda: now[0]
    world.emulator.set_rate_limit(0.01, 1)
    await world.client.organization()  # the only request the bucket allows
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Patience")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form and "rate limiting" in message(app)
        assert form.query_one("#title", Input).value == "Patience"

        world.emulator.set_rate_limit(None)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(titled(world, "Patience")) == 1


async def test_a_network_failure_keeps_the_form(world: World) -> None:
    world.emulator.faults.inject("reset", times=3, method="POST", path="/workitem")
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Offline idea")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkItemForm)
        assert "Could not reach Kitemaker" in message(app)
    assert titled(world, "Offline idea") == []
    assert (
        world.store.local.load_draft(f"new:{world.space_id}")["fields"]["title"] == "Offline idea"
    )


async def test_a_rejected_token_says_how_to_fix_it(tmp_path) -> None:
    world = await make_world(tmp_path / "s.db", token="wrong")
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "rejected the API token" in message(app)
        assert "KITEMAKER_TOKEN" in message(app)


async def test_a_dropped_answer_creates_the_item_once_and_closes_the_form(world: World) -> None:
    world.emulator.faults.inject("drop_response", method="POST", path="/workitem")
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Exactly one")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WorkItemForm)
    assert len(titled(world, "Exactly one")) == 1
    assert len(world.transport.bodies("POST", "/workitem")) == 1


async def test_the_form_cannot_be_sent_twice_while_sending(world: World) -> None:
    world.transport.hold = asyncio.Event()
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Impatient")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.sending and message(app) == "Sending…"
        await pilot.press("ctrl+s", "ctrl+s", "escape")
        await pilot.pause()
        assert app.screen is form  # Esc waits for the answer too
        world.transport.hold.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(world.transport.bodies("POST", "/workitem")) == 1
    assert len(titled(world, "Impatient")) == 1


# -- labels -------------------------------------------------------------------------------


async def test_a_label_is_created_inline_with_a_palette_color_and_picked(world: World) -> None:
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Needs a new label")
        form.query_one("#label-filter", Input).focus()
        await type_text(pilot, "needs triage")
        await pilot.press("enter")  # the only option: Create label "needs triage"
        await app.workers.wait_for_complete()
        await pilot.pause()
        (label,) = [x for x in world.state.labels_of(world.space_id) if x.name == "needs triage"]
        assert label.color in PALETTE
        assert form.query_one(LabelPicker).selected_ids == (label.id,)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
    (item,) = titled(world, "Needs a new label")
    assert item.label_ids == [label.id]


# -- leaving and drafts -------------------------------------------------------------------


async def test_esc_on_an_empty_form_closes_it_at_once(world: World) -> None:
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WorkItemForm)
    assert app.results == [None]


async def test_esc_asks_first_and_can_keep_or_discard_the_draft(world: World) -> None:
    app = new_item_app(world)
    key = f"new:{world.space_id}"
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardConfirm)
        await pilot.press("escape")  # back to the form
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == "Half a thought"
        await pilot.press("escape", "k")  # keep as a draft
        await pilot.pause()
        assert app.results == [None]
        assert world.store.local.load_draft(key)["fields"]["title"] == "Half a thought"

        app.open_form()
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == "Half a thought"
        assert "Draft restored." in message(app)
        await pilot.press("escape", "d")  # discard
        await pilot.pause()
    assert world.store.local.load_draft(key) is None


async def test_a_draft_survives_closing_the_app_and_comes_back(world: World, tmp_path) -> None:
    statuses = world.store.read.statuses(world.space_id)
    app = new_item_app(world, status_index=0)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await type_text(pilot, "Written before the train")
        form.query_one("#status", Select).value = statuses[2].id
        form.query_one("#description", TextArea).text = "line one\nline two"
        await pilot.pause()
    # The app is gone (as after a quit); the same store file is opened again.
    path = world.store.path
    world.store.close()
    store = Store.open(path)
    writer = ItemWriter(world.client, store, None)
    status_id = statuses[0].id

    def make() -> WorkItemForm:
        return WorkItemForm(store, writer, space_id=world.space_id, status_id=status_id)

    again = FormsApp(make)
    async with again.run_test(size=SIZE) as pilot:
        form = again.screen
        assert form.query_one("#title", Input).value == "Written before the train"
        assert form.query_one("#status", Select).value == statuses[2].id
        assert form.query_one("#description", TextArea).text == "line one\nline two"
        assert "Draft restored." in message(again)
        await pilot.press("ctrl+s")
        await again.workers.wait_for_complete()
        await pilot.pause()
    assert len(titled(world, "Written before the train")) == 1
    assert store.local.load_draft(f"new:{world.space_id}") is None


class FakeTimer:
    def __init__(self, callback) -> None:
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


async def test_typing_writes_the_draft_after_a_pause(world: World, monkeypatch) -> None:
    app = new_item_app(world)
    key = f"new:{world.space_id}"
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        timers: list[tuple[float, FakeTimer]] = []

        def set_timer(delay, callback):
            timers.append((delay, FakeTimer(callback)))
            return timers[-1][1]

        monkeypatch.setattr(form, "set_timer", set_timer)
        await type_text(pilot, "Quick")
        # One pending write after the last key; each key restarted the wait.
        assert [t.stopped for _, t in timers] == [True] * 4 + [False]
        assert all(delay > 0 for delay, _ in timers)
        assert world.store.local.load_draft(key) is None
        timers[-1][1].callback()  # the quiet moment has come
        assert world.store.local.load_draft(key)["fields"]["title"] == "Quick"

        form.query_one("#title", Input).value = ""  # nothing typed any more
        await pilot.pause()
        timers[-1][1].callback()
        assert world.store.local.load_draft(key) is None


# -- edit ---------------------------------------------------------------------------------


def edit_app(world: World, item_id: str, store: Store | None = None) -> FormsApp:
    store = store or world.store
    writer = ItemWriter(world.client, store, None)
    return FormsApp(lambda: WorkItemForm(store, writer, space_id=world.space_id, item_id=item_id))


def an_item(world: World) -> Any:
    card = next(c for c in world.store.read.cards(world.space_id) if c.loaded)
    return world.state.items[card.id]


async def test_edit_is_filled_in_and_sends_only_the_changed_fields(world: World) -> None:
    item = an_item(world)
    description = item.description
    app = edit_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert form.query_one("#title", Input).value == item.title
        assert form.query_one("#status", Select).value == item.status_id
        assert form.query_one("#description", TextArea).text == (description or "")
        assert not form.query("#placement")  # create only
        form.query_one("#title", Input).value = "A clearer title"
        form.query_one("#effort", Select).value = "large" if item.effort != "large" else "small"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    (body,) = world.transport.bodies("PUT", "/workitem")
    assert set(body) == {"id", "title", "effort"}
    assert item.title == "A clearer title" and item.description == description
    assert world.store.read.card(item.id).title == "A clearer title"
    assert app.results == [item.id]


async def test_an_edit_draft_is_restored_and_still_sends_only_its_change(
    world: World,
) -> None:
    item = an_item(world)
    app = edit_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#title", Input).value = "Renamed offline"
        await pilot.pause()
    # Meanwhile someone else changes the description in Kitemaker (and sync sees it).
    await world.writer.update_item(
        item.id,
        world_fields := _fields(world, item.id),
        type(world_fields)(**{**world_fields.to_dict(), "description": "theirs"}),
    )
    world.transport.writes.clear()
    again = edit_app(world, item.id)
    async with again.run_test(size=SIZE) as pilot:
        form = again.screen
        assert form.query_one("#title", Input).value == "Renamed offline"
        assert form.query_one("#description", TextArea).text == "theirs"
        assert "Draft restored." in message(again)
        await pilot.press("ctrl+s")
        await again.workers.wait_for_complete()
    (body,) = world.transport.bodies("PUT", "/workitem")
    assert set(body) == {"id", "title"}
    assert item.description == "theirs"


def _fields(world: World, item_id: str):
    from kiteboard.ui.screens.forms.work_item import item_fields

    fields = item_fields(world.store, item_id)
    assert fields is not None
    return fields


async def test_editing_an_item_deleted_in_kitemaker_says_so_and_keeps_the_text(
    world: World,
) -> None:
    item = an_item(world)
    app = edit_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        form.query_one("#title", Input).value = "Too late"
        delete_item(world.state, item.id)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form and "no longer exists" in message(app)
        assert form.query_one("#title", Input).value == "Too late"
        assert world.store.read.card(item.id) is None  # gone from the board
        await pilot.press("ctrl+s")  # sending again cannot help: not sent
        await pilot.pause()
    assert len(world.transport.bodies("PUT", "/workitem")) == 1


# -- comment ------------------------------------------------------------------------------


def comment_app(world: World, item_id: str) -> FormsApp:
    return FormsApp(lambda: CommentForm(world.store, world.writer, item_id=item_id))


async def test_a_comment_is_sent_and_lands_in_the_store(world: World) -> None:
    item = an_item(world)
    app = comment_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "LGTM")
        await pilot.press("enter")
        await type_text(pilot, "- ship it")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [c.body for c in world.state.comments_of(item.id)][-1] == "LGTM\n- ship it"
    assert world.store.read.comments(item.id)[-1].body == "LGTM\n- ship it"
    assert world.store.local.load_draft(f"comment:{item.id}") is None


async def test_a_dropped_answer_to_a_comment_makes_one_comment(world: World) -> None:
    item = an_item(world)
    world.emulator.faults.inject("drop_response", method="POST", path="/comment")
    app = comment_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Only one of me")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, CommentForm)
    bodies = [c.body for c in world.state.comments_of(item.id)]
    assert bodies.count("Only one of me") == 1
    assert len(world.transport.bodies("POST", "/comment")) == 1


async def test_an_empty_comment_is_not_sent(world: World) -> None:
    app = comment_app(world, an_item(world).id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Write something first." in message(app)
    assert world.transport.writes == []


async def test_a_comment_draft_is_restored(world: World) -> None:
    item = an_item(world)
    app = comment_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "thinking")
    again = comment_app(world, item.id)
    async with again.run_test(size=SIZE):
        assert again.screen.query_one("#body", TextArea).text == "thinking"
        assert "Draft restored." in message(again)


# -- $EDITOR ------------------------------------------------------------------------------


async def test_ctrl_o_edits_the_text_in_the_editor_and_brings_it_back(
    world: World, tmp_path: Path, monkeypatch
) -> None:
    script = tmp_path / "fake-editor"
    script.write_text('#!/bin/sh\nprintf "written in vim\\n" >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    app = comment_app(world, an_item(world).id)
    async with app.run_test(size=SIZE) as pilot:
        # The headless test driver cannot hand the terminal over; the rest is real.
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await type_text(pilot, "typed first")
        await pilot.press("ctrl+o")
        await pilot.pause()
        area = app.screen.query_one("#body", TextArea)
        assert area.text == "typed first\nwritten in vim"
        assert area.has_focus


async def test_an_editor_that_fails_leaves_the_text_alone(world: World, monkeypatch) -> None:
    monkeypatch.setenv("VISUAL", "false")
    app = comment_app(world, an_item(world).id)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await type_text(pilot, "keep me")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#body", TextArea).text == "keep me"
        assert "exited with status 1" in message(app)


async def test_an_unconfirmed_create_is_checked_again_after_a_restart(world: World) -> None:
    world.emulator.faults.inject("drop_response", method="POST", path="/workitem")
    world.emulator.faults.inject("server_error", times=3, path="/recent/workitems")
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Landed unseen")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "could not check" in message(app)
    # The app is closed before anything else; later, the same store is opened again.
    path = world.store.path
    world.store.close()
    store = Store.open(path)
    writer = ItemWriter(world.client, store, None)
    status_id = store.read.statuses(world.space_id)[1].id
    again = FormsApp(
        lambda: WorkItemForm(store, writer, space_id=world.space_id, status_id=status_id)
    )
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.query_one("#title", Input).value == "Landed unseen"
        await pilot.press("ctrl+s")
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(again.screen, WorkItemForm)
    assert len(titled(world, "Landed unseen")) == 1
    assert len(world.transport.bodies("POST", "/workitem")) == 1


async def test_a_send_cut_short_by_quitting_is_looked_for_before_sending_again(
    world: World,
) -> None:
    world.transport.hold = asyncio.Event()  # the answer never comes before the quit
    status_id = world.store.read.statuses(world.space_id)[1].id
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Sent while quitting")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.sending
    # The request did reach Kitemaker (as if only the answer was lost with the app).
    world.state.create_item(title="Sent while quitting", status_id=status_id)
    path = world.store.path
    world.store.close()
    store = Store.open(path)
    writer = ItemWriter(world.client, store, None)
    world.transport.hold = None
    world.transport.writes.clear()
    again = FormsApp(
        lambda: WorkItemForm(store, writer, space_id=world.space_id, status_id=status_id)
    )
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.query_one("#title", Input).value == "Sent while quitting"
        await pilot.press("ctrl+s")
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(again.screen, WorkItemForm)
    assert len(titled(world, "Sent while quitting")) == 1
    assert world.transport.bodies("POST", "/workitem") == []
