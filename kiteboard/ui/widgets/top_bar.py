"""The bar over the board and the item screen, in one line and one widget:

    Northwind Labs / Kiteboard KB       filter bug 3 of 60  ←1 2→  3 new  synced 12 s ago

Where you are on the left, the sync state on the right, what the board hides (a filter,
columns out of view) just before it, and between them how many activity entries came
in since the person last looked (`A` shows them). One widget drawn at paint time rather than three
laid out side by side: it is on the first frame, and each widget there costs a few ms.
When the line is short of room the board info goes first, then the place is shortened;
the sync state is always shown whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from kiteboard.ui.widgets.card import truncate
from kiteboard.ui.widgets.safe_text import safe_line
from kiteboard.ui.widgets.sync_state import describe_sync

if TYPE_CHECKING:
    from kiteboard.session.session import Session
    from kiteboard.store.rows import SpaceRow, SyncStatus

# Theme variables, resolved when drawn: every theme (light ones too) works.
_SYNC_STYLES = {
    "never": "$text-muted",
    "syncing": "$text-accent",
    "synced": "$text-success",
    "offline": "$text-warning bold",
    "rejected": "$text-error bold",
}


class TopBar(Widget):
    DEFAULT_CSS = """
    TopBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(id="top-bar")
        self._clock = clock
        self._organization: str | None = None
        self._space = ""
        self._key: str | None = None
        self.info = Content("")
        self._view: tuple[str, int, int, int, int, int] = ("", 0, 0, 0, 0, 0)
        self.status: SyncStatus | None = None
        self.connecting = True
        self.unseen = 0  # activity entries not seen yet

    def on_mount(self) -> None:
        # `12 s ago` stays true; redrawing one line costs next to nothing.
        self.set_interval(1.0, self.refresh)
        self.watch(self.app, "unseen_activity", self._show_unseen)

    def _show_unseen(self, count: int | None) -> None:
        count = count or 0
        if count != self.unseen:
            self.unseen = count
            self.refresh()

    @property
    def unseen_text(self) -> str:
        return f"{self.unseen:,} new" if self.unseen else ""

    # -- what is shown -------------------------------------------------------------
    def show_where(self, organization: str | None, space: SpaceRow) -> None:
        self._organization = safe_line(organization, max_chars=60) if organization else None
        self._space = safe_line(space.name, max_chars=60)
        self._key = safe_line(space.key, max_chars=16) if space.key else None
        self.refresh()

    def show_view(
        self, filter_text: str, shown: int, total: int, left: int, right: int, marked: int = 0
    ) -> None:
        """The cards marked (`3 marked`), what the board leaves out: the filter
        (`filter bug 3 of 60`) and how many columns are out of view on each side
        (`←1 2→`)."""
        text = safe_line(filter_text, max_chars=40) if filter_text else ""
        self._view = (text, shown, total, left, right, marked)
        self.show_info(self._view_line(text))

    def _view_line(self, filter_shown: str) -> Content:
        """The view line with the filter's text as given (shortened to fit, maybe)."""
        filter_text, shown, total, left, right, marked = self._view
        parts: list[tuple[str, str] | str] = []
        if filter_text:
            parts += [("filter ", "dim"), (filter_shown, "bold")]
            parts.append((f" {shown:,} of {total:,}", "dim"))
        if left or right:
            if parts:
                parts.append("  ")
            parts.append((f"←{left} " if left else "", "dim"))
            parts.append((f"{right}→" if right else "", "dim"))
        if marked:  # first: what the next key acts on
            parts[:0] = [(f"✓ {marked:,} marked", "bold $text-accent"), "  " if parts else ""]
        return Content.assemble(*parts)

    def show_info(self, info: Content) -> None:
        """`filter bug 3 of 60  ←1 2→`, built by the caller from safe plain strings."""
        if info.markup != self.info.markup:
            self.info = info
            self.refresh()

    def set_status(self, status: SyncStatus | None, *, connecting: bool = False) -> None:
        self.status = status
        self.connecting = connecting
        message = status.message if status and status.state in ("offline", "rejected") else None
        self.tooltip = safe_line(message) if message else None
        self.refresh()

    def show_status(self, session: Session, space_id: str) -> None:
        """The engine's status once connected; before that, what the store knows."""
        if session.engine is not None:
            self.set_status(session.engine.statuses.status(space_id))
        elif session.store is not None:
            self.set_status(session.store.read.sync_status(space_id), connecting=session.connecting)

    def show_offline(
        self, session: Session, space_id: str, since: float, why: str, *, rejected: bool = False
    ) -> None:
        """Connecting failed: what the store holds, marked offline since `since` (or the
        token rejected: then nothing is retried, and the bar says so)."""
        from kiteboard.store.rows import SyncStatus

        stored = session.store.read.sync_status(space_id) if session.store else None
        last = stored.last_synced_at if stored else None
        state = "rejected" if rejected else "offline"
        self.set_status(SyncStatus(state, last_synced_at=last, offline_since=since, message=why))

    @property
    def sync_text(self) -> str:
        return describe_sync(self.status, self._clock(), connecting=self.connecting)

    # -- drawing -------------------------------------------------------------------
    def render(self) -> Content:
        width = self.content_size.width
        sync = self.sync_text
        state = self.status.state if self.status else "never"
        unseen = self.unseen_text
        badge = f"{unseen}  " if unseen else ""  # short, and news: it stays
        room = max(0, width - cell_len(sync) - cell_len(badge) - 2)
        where = self._where(room)
        info = self._fitted_view(room, where)
        if info is None:  # the place gives way: the counts are what the board hides
            least = self._fitted_view(room, Content(""))
            if least is not None:
                where = self._where(room - least.cell_length - 2)
            info = self._fitted_view(room, where) or Content("")
        spacer = "  " if info.cell_length else ""
        used = where.cell_length + info.cell_length + len(spacer) + cell_len(badge)
        gap = max(1, width - used - cell_len(sync))
        # Built from plain strings: nothing from the API is parsed as markup.
        return Content.assemble(
            where,
            " " * gap,
            info.stylize_before("$text-muted"),
            spacer,
            (badge, "bold $text-accent"),
            (sync, _SYNC_STYLES[state]),
        )

    def _fitted_view(self, room: int, where: Content) -> Content | None:
        """The view line beside `where` within `room`: a long filter text is shortened
        (to 4 cells at least), never the counts. None if it does not fit."""
        spare = room - where.cell_length - 2
        if self.info.cell_length <= spare:
            return self.info
        filter_text = self._view[0]
        if not filter_text:
            return None
        bare = self._view_line("").cell_length
        if spare - bare < min(4, cell_len(filter_text)):
            return None
        return self._view_line(truncate(filter_text, spare - bare))

    def _where(self, room: int) -> Content:
        """`Org / Space KEY`, shortened to `room` cells (the organization goes first)."""
        key = f" {self._key}" if self._key else ""
        org = f"{self._organization} / " if self._organization else ""
        if cell_len(org) + cell_len(self._space) + cell_len(key) > room:
            org = ""
        space = truncate(self._space, max(1, room - cell_len(key))) if self._space else ""
        return Content.assemble((org, "dim"), (space, "bold"), (key, "dim"))
