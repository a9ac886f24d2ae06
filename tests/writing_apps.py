"""An app that opens one writing form over an empty screen, for Pilot and snapshot tests
of the forms on their own (the board's keys are tested with the whole app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen


class FormsApp(App[None]):
    """Opens the screen ``make_screen`` builds; ``results`` holds what it returned."""

    def __init__(self, make_screen: Callable[[], Screen[Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.open_form()

    def open_form(self) -> None:
        self.push_screen(self._make_screen(), self.results.append)
