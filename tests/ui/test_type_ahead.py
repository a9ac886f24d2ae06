"""TypeAhead on its own: the waits are bounded, and what waited goes on in order."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input

from kiteboard.ui.type_ahead import MAX_WAIT, TypeAhead
from tests.pilot_support import wait_until


class StubbornScreen(Screen[None]):
    """Has a field but never focuses it: keys typed here would wait for nothing."""

    AUTO_FOCUS: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input()

    def on_key(self, event: events.Key) -> None:
        self.keys.append(event.key)


class Host(App[None]):
    AUTO_FOCUS: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.type_ahead = TypeAhead(self, clock=lambda: self.now)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.screen_stack and self.type_ahead.take(event):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.push_screen(StubbornScreen())


async def test_keys_do_not_wait_forever_for_a_screen_that_never_takes_the_focus() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StubbornScreen) and app.focused is None
        for key in "abc":
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert screen.keys == [] and not app.type_ahead.idle  # waiting for the focus
        app.now += MAX_WAIT  # (the clock the waits are measured on)
        await wait_until(pilot, lambda: app.type_ahead.idle)
        await pilot.pause()
        assert screen.keys == ["a", "b", "c"]  # then on, in the order typed
        await pilot.press("d")  # and from then on, without waiting again
        assert screen.keys == ["a", "b", "c", "d"]


class Chooser(Screen[None]):
    """Enter in its field only posts a message; the screen opens the next one on it,
    several widgets up (as the space picker does with `Input.Submitted`)."""

    def compose(self) -> ComposeResult:
        with Vertical(), Vertical(), Vertical(), Vertical(), Vertical():
            yield Input(id="choice")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.dismiss()


class Chosen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input()

    def on_mount(self) -> None:
        self.query_one(Input).focus()


class ChoosingHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.type_ahead = TypeAhead(self, clock=lambda: 0.0)  # keys typed at once

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.screen_stack and self.type_ahead.take(event):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.push_screen(Chooser(), lambda _: self.push_screen(Chosen()))


async def test_keys_typed_after_a_key_whose_binding_only_posts_a_message_reach_its_screen():
    """Enter's binding posts `Input.Submitted`; the screen that opens on it is known
    only once that message has bubbled up: the keys typed with Enter wait for it."""
    app = ChoosingHost()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        for key in "ab":  # (keys at once: the screen is laid out for them, once)
            app.post_message(events.Key(key, key))
        await wait_until(pilot, lambda: app.type_ahead.idle and app.focused.value == "ab")
        for key, character in [("enter", "\r"), ("x", "x"), ("y", "y")]:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: isinstance(app.screen, Chosen) and app.type_ahead.idle)
        await pilot.pause()
        assert app.screen.query_one(Input).value == "xy"
