"""What the item detail says about an item's dates and its comments (Pilot)."""

from __future__ import annotations

from kiteboard.ui.screens.item import ItemScreen
from tests.pilot_support import wait_until
from tests.ui.demo_store import FIXED_NOW

YEAR = 365 * 86_400


def field_text(app) -> str:
    return str(app.screen.query_one("#detail-fields").render())


async def test_a_date_ahead_of_our_clock_says_how_far_ahead_never_0_s_ago(make_app):
    """Our clock four years behind (or the server's ahead): every date is to come."""
    app = make_app("KB", clock=lambda: FIXED_NOW - 4 * YEAR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemScreen))
        await wait_until(pilot, lambda: "Created" in field_text(app))
        fields = field_text(app)
        assert "0 s ago" not in fields
        assert "in 3 years (" in fields
