"""The item detail's relative times move on while it is open ("5 s ago" never stays)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from kiteboard.ui.widgets.item_detail import ItemDetailView
from tests.pilot_support import wait_until
from tests.ui.demo_store import FIXED_NOW


class DetailApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.now = FIXED_NOW

    def compose(self) -> ComposeResult:
        yield ItemDetailView(lambda: self.now, id="detail")


async def test_relative_times_in_the_detail_tick(store) -> None:
    kb = next(s for s in store.read.spaces() if s.key == "KB")
    card = next(
        c
        for c in store.read.cards(kb.id)
        if c.loaded and c.updated_at is not None and store.read.comments(c.id)
    )
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(ItemDetailView)
        await view.show_item(card.id, store.read.item(card.id), store.read.comments(card.id))
        app.now = card.updated_at.timestamp() + 5  # shown 5 s after the last change
        await view.show_item(card.id, store.read.item(card.id), store.read.comments(card.id))
        fields = view.query_one("#detail-fields", Static)
        assert "5 s ago" in str(fields.render())
        app.now += 120  # two minutes on, the view still open
        await wait_until(pilot, lambda: "5 s ago" not in str(fields.render()))
        assert "2 min ago" in str(fields.render())
        # The same for a comment's time.
        newest = max(comment.created_at for comment in store.read.comments(card.id))
        app.now = newest.timestamp() + 5
        await view.show_item(card.id, store.read.item(card.id), store.read.comments(card.id))

        def metas() -> str:
            return " ".join(str(meta.render()) for meta in view.query(".comment-meta"))

        assert "5 s ago" in metas()
        app.now += 120
        await wait_until(pilot, lambda: "2 min ago" in metas())
