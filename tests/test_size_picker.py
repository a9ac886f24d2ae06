"""The effort / impact picker on its own: one key a size, Esc leaves it as it is."""

from __future__ import annotations

import pytest

from kiteboard.ui.screens.forms.size_picker import SizePicker
from tests.writing_apps import FormsApp


@pytest.mark.parametrize(
    ("key", "current", "result"),
    [
        ("s", None, "small"),
        ("m", "Large", "medium"),
        ("l", None, "large"),
        ("n", "Small", "none"),
        ("n", None, None),  # it has none already: nothing to do
        ("l", "Large", None),
        ("escape", "Small", None),
        ("enter", "Medium", None),  # the highlight starts on the size it has
    ],
)
async def test_one_key_picks_a_size(key: str, current: str | None, result: str | None) -> None:
    app = FormsApp(lambda: SizePicker("effort", current, about="KB-12"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#size-box").border_title) == "Effort of KB-12"
        await pilot.press(key)
        await pilot.pause()
    assert app.results == [result]
