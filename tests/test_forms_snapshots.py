"""Snapshots of the writing forms: empty, filled, with a validation error, with a server
error. Demo data in a warm store, the in-process emulator, 80x24 (the smallest size we
support).

Update only after looking at every changed picture (render the SVG to PNG and view it):
`pytest tests/test_forms_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from kiteboard.api.client import KitemakerClient
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport
from kiteboard.store.db import Store
from kiteboard.store.writer import ItemWriter
from kiteboard.ui.screens.forms import CommentForm, StatusPicker, WorkItemForm
from kiteboard.ui.screens.forms.labels import LabelPicker
from tests.ui.demo_store import demo_store
from tests.writing_apps import FormsApp
from tests.writing_world import FAST_RETRY, _no_sleep

SIZE = (80, 24)


class Setup:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.emulator = Emulator(build_demo_state(seed=1))
        transport = EmulatorTransport(self.emulator, sleep=_no_sleep)
        # Built lazily by the client on its first request: in the snapshot's own loop.
        client = KitemakerClient(
            DEMO_BASE_URL, "demo", transport=transport, sleep=_no_sleep, retry=FAST_RETRY
        )
        self.writer = ItemWriter(client, store, None)
        space = next(s for s in store.read.spaces() if s.key == "KB")
        self.space_id = space.id
        self.statuses = store.read.statuses(space.id)
        cards = sorted(
            (c for c in store.read.cards(space.id) if c.loaded), key=lambda c: c.number or 0
        )
        self.item_id = cards[3].id

    def app(self, make: Callable[[], Screen[Any]]) -> FormsApp:
        return FormsApp(make)

    def new_item(self) -> FormsApp:
        status_id = self.statuses[1].id
        return self.app(
            lambda: WorkItemForm(
                self.store, self.writer, space_id=self.space_id, status_id=status_id
            )
        )

    def edit_item(self) -> FormsApp:
        return self.app(
            lambda: WorkItemForm(
                self.store, self.writer, space_id=self.space_id, item_id=self.item_id
            )
        )

    def comment(self) -> FormsApp:
        return self.app(lambda: CommentForm(self.store, self.writer, item_id=self.item_id))


@pytest.fixture
def setup(tmp_path):
    store = demo_store(tmp_path / "store.sqlite3")
    yield Setup(store)
    store.close()


def still(pilot) -> None:
    """No blinking cursors: the same picture every time."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False


async def send(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- new work item -------------------------------------------------------------------------


def test_new_item_empty(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)


def test_new_item_filled(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        form = pilot.app.screen
        await pilot.press(*"Export", "space", *"board", "space", *"as", "space", *"CSV")
        form.query_one("#effort", Select).value = "medium"
        form.query_one("#impact", Select).value = "large"
        labels = {label.name: label.id for label in setup.store.read.labels(setup.space_id)}
        form.query_one(LabelPicker).set_selected([labels["feature"], labels["ux"]])
        form.query_one(
            "#description", TextArea
        ).text = "People want the board in a **spreadsheet**.\n\n- columns as a field\n- [x] labels"
        form.query_one("#label-filter", Input).focus()
        await pilot.press(*"csv")  # no such label: offers to create it
        await pilot.pause()

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)


def test_new_item_validation_error(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        await send(pilot)

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)


def test_new_item_server_error(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        setup.emulator.faults.inject("server_error", method="POST", path="/workitem")
        await pilot.press(*"Keep", "space", *"me")
        await send(pilot)

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)


def test_new_item_refused_by_kitemaker(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        bug = next(x for x in setup.emulator.state.labels.values() if x.name == "bug")
        del setup.emulator.state.labels[bug.id]
        await pilot.press(*"Tagged")
        pilot.app.screen.query_one(LabelPicker).set_selected([bug.id])
        await send(pilot)

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)


# -- edit ----------------------------------------------------------------------------------


def test_edit_item_filled(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)

    assert snap_compare(setup.edit_item(), terminal_size=SIZE, run_before=run)


def test_edit_item_restored_draft(snap_compare, setup: Setup) -> None:
    from kiteboard.ui.screens.forms.work_item import item_fields

    base = item_fields(setup.store, setup.item_id)
    assert base is not None
    edited = {**base.to_dict(), "title": "A title I was still thinking about"}
    setup.store.local.save_draft(
        f"edit:{setup.item_id}", {"base": base.to_dict(), "fields": edited}
    )

    async def run(pilot) -> None:
        still(pilot)

    assert snap_compare(setup.edit_item(), terminal_size=SIZE, run_before=run)


# -- comment -------------------------------------------------------------------------------


def test_comment_empty(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)

    assert snap_compare(setup.comment(), terminal_size=SIZE, run_before=run)


def test_comment_filled(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        pilot.app.screen.query_one(
            "#body", TextArea
        ).text = "Reproduced on **staging**:\n\n1. open the board\n2. press `c`\n\n[not markup]"
        await pilot.pause()

    assert snap_compare(setup.comment(), terminal_size=SIZE, run_before=run)


def test_comment_validation_error(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        await send(pilot)

    assert snap_compare(setup.comment(), terminal_size=SIZE, run_before=run)


def test_comment_server_error(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        setup.emulator.faults.inject("reset", times=3, method="POST", path="/comment")
        pilot.app.screen.query_one("#body", TextArea).text = "Nothing typed is lost."
        await send(pilot)

    assert snap_compare(setup.comment(), terminal_size=SIZE, run_before=run)


# -- status picker and the discard question ---------------------------------------------------


def test_status_picker(snap_compare, setup: Setup) -> None:
    statuses = [(s.id, s.name) for s in setup.statuses]
    app = setup.app(lambda: StatusPicker(statuses, statuses[1][0], title="KB-4"))
    assert snap_compare(app, terminal_size=SIZE)


def test_discard_question(snap_compare, setup: Setup) -> None:
    async def run(pilot) -> None:
        still(pilot)
        await pilot.press(*"half", "escape")
        await pilot.pause()

    assert snap_compare(setup.new_item(), terminal_size=SIZE, run_before=run)
