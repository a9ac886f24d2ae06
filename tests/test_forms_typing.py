"""Typing into the forms as a person does: where the cursor is when a form opens or a
draft comes back, what a trip to $EDITOR does to the text (Pilot, in-process emulator)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TextArea

from kiteboard.ui.screens.forms.labels import LabelPicker
from tests.test_forms import SIZE, an_item, comment_app, edit_app, type_text
from tests.writing_world import World, make_world


@pytest.fixture
async def world(tmp_path) -> World:
    return await make_world(tmp_path / "store.db")


async def test_e_opens_with_the_cursor_after_the_title_so_typing_adds_to_it(world) -> None:
    item = an_item(world)
    app = edit_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, " v2")
        assert app.screen.query_one("#title", Input).value == f"{item.title} v2"


async def test_a_restored_comment_goes_on_where_it_stopped(world) -> None:
    item = an_item(world)
    app = comment_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "OLD draft")
    again = comment_app(world, item.id)
    async with again.run_test(size=SIZE) as pilot:
        await type_text(pilot, " NEW")
        assert again.screen.query_one("#body", TextArea).text == "OLD draft NEW"


async def test_a_restored_edit_goes_on_at_the_end_of_its_title(world) -> None:
    item = an_item(world)
    app = edit_app(world, item.id)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, " OLD")
    again = edit_app(world, item.id)
    async with again.run_test(size=SIZE) as pilot:
        await type_text(pilot, " NEW")
        assert again.screen.query_one("#title", Input).value == f"{item.title} OLD NEW"


async def test_a_line_the_editor_appends_stays_a_line_of_its_own(
    world: World, tmp_path: Path, monkeypatch
) -> None:
    handed = tmp_path / "handed"
    script = tmp_path / "fake-editor"
    # What `echo more >> file` (or `o` in vi on the last line) does: append a line.
    script.write_text(f'#!/bin/sh\ncp "$1" {handed}\necho "written in vim" >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    app = comment_app(world, an_item(world).id)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # (no terminal here)
        await type_text(pilot, "typed first")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert handed.read_text() == "typed first\n"  # a text file ends with a newline
        assert app.screen.query_one("#body", TextArea).text == "typed first\nwritten in vim"


async def test_picking_a_label_and_creating_one_both_clear_the_filter_for_the_next(
    world: World,
) -> None:
    """ "perf" Enter, then "bug" Enter: two labels picked (the filter kept "perf", so the
    second Enter offered to create a label named "perfbug"). Creating one cleared it."""
    from tests.test_forms import new_item_app

    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        picker = form.query_one(LabelPicker)
        names = {x.id: x.name for x in world.state.labels_of(world.space_id)}
        form.query_one("#label-filter", Input).focus()
        await type_text(pilot, "perf")
        await pilot.press("enter")
        assert form.query_one("#label-filter", Input).value == ""
        highlighted = picker.query_one(OptionList).highlighted_option
        assert highlighted is not None and names[highlighted.id] == "performance"
        await type_text(pilot, "bug")
        await pilot.press("enter")
        assert [names[x] for x in picker.selected_ids] == ["performance", "bug"]
        await type_text(pilot, "needs triage")
        await pilot.press("enter")  # creates it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert form.query_one("#label-filter", Input).value == ""
        await type_text(pilot, "ux")
        await pilot.press("enter")
        assert [names.get(x, "new") for x in picker.selected_ids] == [
            "performance",
            "bug",
            "new",
            "ux",
        ]


async def test_the_create_form_is_usable_at_40_by_12(world: World) -> None:
    """No field's value wraps letter by letter, and Tab brings each field into view."""
    from textual.widgets import Select

    from tests.test_forms import new_item_app

    app = new_item_app(world)
    async with app.run_test(size=(40, 12)) as pilot:
        form = app.screen
        await pilot.pause()
        for select in form.query(Select):
            assert select.size.height == 1, select.id  # "Tod\no" before
        box = form.query_one("#form-box")
        for _ in range(12):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None
            assert box.content_region.overlaps(focused.region), focused.id
            if focused.id == "description":
                break
        assert app.focused.id == "description" and box.scroll_y > 0


async def test_a_draft_another_kiteboard_is_sending_stays_its_own(world: World) -> None:
    """Two kiteboards on one HOME: A sends its comment (its draft in flight) while B
    opens the same comment form. B neither shows A's text nor writes over it; B's
    comment is B's alone ("comment Bcomment A" was posted)."""
    import subprocess
    import sys

    from kiteboard.ui.screens.forms.comment import comment_draft_key
    from kiteboard.ui.screens.forms.draft_owner import SENDER
    from tests.test_forms import message

    item = an_item(world)
    key = comment_draft_key(item.id)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        in_flight = {"body": "comment A", "in_flight_since": 1.0, SENDER: other.pid}
        world.store.local.save_draft(key, in_flight)
        app = comment_app(world, item.id)
        async with app.run_test(size=SIZE) as pilot:
            area = app.screen.query_one("#body", TextArea)
            assert area.text == ""
            assert f"process {other.pid}" in message(app)
            await type_text(pilot, "comment B")
            app.screen.save_draft_now()
            assert world.store.local.load_draft(key) == in_flight  # A's, untouched
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
    finally:
        other.kill()
        other.wait()
    bodies = [c.body for c in world.state.comments_of(item.id)]
    assert "comment B" in bodies and not any("comment A" in body for body in bodies)
