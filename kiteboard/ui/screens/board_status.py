"""What the board's top bar says (where we are, how fresh the data is, what is shown,
filtered, marked and out of view) and what an empty board says instead of a blank.

`BoardStatus` is held by the board screen (`StatusHost`). It also asks for the space's
key once, when a sync is done and no comment told it (cards would read `#27` and
`GRO-27` would find nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.host import host_of

if TYPE_CHECKING:
    from textual.app import App

    from kiteboard.store.rows import SpaceRow, SyncStatus
    from kiteboard.ui.board_model import BoardModel
    from kiteboard.ui.widgets.board import Board
    from kiteboard.ui.widgets.top_bar import TopBar


class StatusHost(Protocol):
    """What the top bar's news needs from the board screen."""

    space: SpaceRow
    model: BoardModel | None
    ready: bool  # on screen (before that, on_mount shows the status)
    top_bar: TopBar

    @property
    def app(self) -> App[Any]: ...

    @property
    def board(self) -> Board: ...

    def marked_count(self) -> int:
        """How many cards are marked (`v`)."""

    def query(self, selector: str) -> Any: ...

    def query_one(self, selector: str) -> Any: ...


class BoardStatus:
    def __init__(self, host: StatusHost) -> None:
        self._host = host
        self.key_asked = False  # the space's key was asked for (once per board)

    def show_where(self) -> None:
        host = self._host
        store = host_of(host.app).session.store
        organization = store.read.organization() if store else None
        host.top_bar.show_where(organization.name if organization else None, host.space)

    def sync_changed(self, status: SyncStatus) -> None:
        """The space's sync moved on (a StoreSyncStatusChanged for this space)."""
        if not self._host.ready:
            return
        self._host.top_bar.set_status(status)
        self.explain_empty()
        if status.state == "synced":
            self._ask_key_if_unknown()

    def _ask_key_if_unknown(self) -> None:
        """Synced, and still no key (no comment told it): ask the person, once."""
        kiteboard = host_of(self._host.app)
        store = kiteboard.session.store
        space = store.read.space(self._host.space.id) if store else None
        if space is not None and space.key is None and not self.key_asked:
            self.key_asked = True
            kiteboard.ask_space_key(space.id)

    def show_offline(self, since: float, why: str, *, rejected: bool = False) -> None:
        host = self._host
        if host.ready:
            session = host_of(host.app).session
            host.top_bar.show_offline(session, host.space.id, since, why, rejected=rejected)
            self.explain_empty()

    def show_sync_status(self) -> None:
        host = self._host
        if not host.ready:
            return  # on_mount shows it
        host.top_bar.show_status(host_of(host.app).session, host.space.id)
        self.explain_empty()

    def update_info(self) -> None:
        host = self._host
        model = host.model
        if model is not None:
            shown = sum(len(column.cards) for column in model.columns)
            left, right = host.board.hidden_columns()
            host.top_bar.show_view(
                model.filter_text, shown, len(model), left, right, host.marked_count()
            )
        if host.ready:
            self.explain_empty()

    def explain_empty(self) -> None:
        """A space never loaded (no columns yet) says why, rather than a blank board."""
        host = self._host
        empty = host.model is None or not host.model.columns
        from kiteboard.ui.widgets.not_loaded import NotLoaded

        found = next(host.query("#board-not-loaded").results(NotLoaded), None)
        if found is None and not empty:
            return
        if found is None:
            found = NotLoaded(id="board-not-loaded")
            host.query_one("#board-area").mount(found)
        found.display = empty
        host.board.display = not empty
        if empty:
            found.explain(host.space.name, host.top_bar.status)
