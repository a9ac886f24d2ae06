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


def note_shown(app) -> bool:
    note = app.screen.query_one("#detail-comments-note")
    return bool(note.display) and "may be missing" in str(note.render())


async def test_comments_may_be_missing_only_on_items_made_before_they_were_followed(
    make_app, store
):
    kb = next(space for space in store.read.spaces() if space.key == "KB")
    cards = sorted(
        (card for card in store.read.cards(kb.id) if card.created_at is not None),
        key=lambda card: card.created_at,
    )
    older, newer = cards[0], cards[-1]
    sync = store.read.sync_state(kb.id)
    sync.comments_complete = False
    sync.comments_since = cards[len(cards) // 2].created_at.isoformat()
    store.write.save_sync_state(sync)
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for card, expected in ((newer, False), (older, True)):
            await app.push_screen(ItemScreen(card.id, kb))
            await wait_until(pilot, lambda: "Created" in field_text(app))
            assert note_shown(app) is expected, card.title
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ItemScreen))
