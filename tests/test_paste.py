"""Pasted text is text: what a paste holds besides text (escape sequences, C0/C1
controls, bidi overrides) never reaches a field, Kitemaker or the terminal; line
breaks and tabs stay where the field has room for them (Pilot, whole app)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from kiteboard.ui.screens.forms import CommentForm, WorkItemForm
from tests.board_world import Kitemaker, connected_app, settle
from tests.pilot_support import type_at_once, wait_until
from tests.ui.demo_store import demo_store

WIDE = (160, 48)


@pytest.fixture
def kitemaker() -> Kitemaker:
    return Kitemaker()


@pytest.fixture
def make_app(tmp_path, kitemaker: Kitemaker):
    store = demo_store(tmp_path / "store.sqlite3")
    yield lambda: connected_app(store, kitemaker)
    store.close()


HOSTILE = "ok \x1b[31mred\x1b[0m \u202egnp.exe\x07\x00\tend\r\nline two\x9b2J\x1b]0;title\x07!"


async def test_a_pasted_comment_keeps_its_lines_and_tabs_and_nothing_else(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await type_at_once(pilot, "a")
        assert isinstance(app.screen, CommentForm)
        app.post_message(events.Paste(HOSTILE))
        area = app.screen.query_one("#body", TextArea)
        await wait_until(pilot, lambda: "end" in area.text)
        assert area.text == "ok red gnp.exe\tend\nline two!"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    (comment,) = [c for c in kitemaker.state.comments.values() if c.body.startswith("ok red")]
    assert comment.body == "ok red gnp.exe\tend\nline two!"


async def test_a_pasted_title_is_one_line_of_text(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await type_at_once(pilot, "c")
        assert isinstance(app.screen, WorkItemForm)
        app.post_message(events.Paste(HOSTILE))
        title = app.screen.query_one("#title", Input)
        await wait_until(pilot, lambda: "end" in title.value)
        assert title.value == "ok red gnp.exe end"
