"""The triage walk (`t` on the board): the focused column's cards one at a time,
newest first, full screen, with a progress line (`3 of 12 · Backlog`).

One key per decision, applied at once: `1`–`9` and `H`/`L` move the card and show the
next; `n`/Space skip it; `#`, `E`, `I` set its labels, effort, impact (and stay on
it, so that several can be set before moving on); `e` edits, `a` comments; `p` goes
back; `u` undoes the session's last change (one history with the board's `u`) and
shows that card; `q`/Esc ends the walk with a summary and the board's cursor on the
last card seen. The keys are the registry's (scope "walk").

A key changes the walk's state (walk_model.py) as it is handled and the card is drawn
right after, in the screen's own queue: the next card is on screen within a frame,
while the write (walk_writes.py, a worker) waits for Kitemaker.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from kiteboard.ui import commands
from kiteboard.ui.board_model import reference
from kiteboard.ui.copy_reference import copy_reference
from kiteboard.ui.host import KiteboardHost, host_of
from kiteboard.ui.messages import StoreCommentsChanged, StoreItemsChanged
from kiteboard.ui.screens.walk_writes import WalkWrites, describe
from kiteboard.ui.walk_model import DecisionKind, WalkState
from kiteboard.ui.widgets.item_detail import ItemDetailView
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from textual.worker import Worker

    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow, SpaceRow
    from kiteboard.store.writer import ItemWriter


class WalkScreen(Screen[str | None]):
    """Dismissed with the id of the last card seen (for the board's cursor)."""

    CSS_PATH: ClassVar[str] = "walk.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("walk")

    def __init__(self, space: SpaceRow, column_name: str, item_ids: list[str]) -> None:
        super().__init__()
        self.space = space
        self.state = WalkState(item_ids, column_name)
        self.writes = WalkWrites(self)
        self.statuses: list[tuple[str, str]] = []  # (id, name) in board order
        self._stale = False  # the card shown is not the state's current one
        self._drawing = False

    @property
    def kiteboard(self) -> KiteboardHost:
        return host_of(self)

    @property
    def store(self) -> Store | None:
        return self.kiteboard.session.store

    def compose(self) -> ComposeResult:
        yield Static(id="walk-progress")
        yield Static(id="walk-columns")
        yield ItemDetailView(self.kiteboard.clock, id="walk-view")
        yield Static(id="walk-end")
        yield Static(id="walk-said")
        yield KeyHints()

    def on_mount(self) -> None:
        store = self.store
        rows = store.read.statuses(self.space.id) if store else []
        self.statuses = [(row.id, row.name) for row in rows]
        legend = "  ".join(
            f"{n} {safe_line(name, max_chars=20)}"
            for n, (_id, name) in enumerate(self.statuses[:9], 1)
        )
        self.query_one("#walk-columns", Static).update(Content(legend))
        self.say("1-9 or H/L move it · n skips · # E I set labels, effort, impact")
        self.show_current()
        self.query_one(ItemDetailView).focus()

    # -- what the writes and the keys need -------------------------------------------

    def writer(self) -> ItemWriter | None:
        return self.kiteboard.session.writer()

    def reference(self, item_id: str) -> str:
        card = self.store.read.card(item_id) if self.store else None
        return reference(self.space.key, card.number if card else None)

    def column_name(self, status_id: str | None) -> str:
        names = dict(self.statuses)
        return safe_line(names.get(status_id or "", "another column"), max_chars=40)

    def label_name(self, label_id: str) -> str:
        store = self.store
        rows = store.read.labels(self.space.id) if store else []
        label = next((x for x in rows if x.id == label_id), None)
        return safe_line(label.name, max_chars=30) if label else "a label"

    def say(self, text: str) -> None:
        """The one line saying what the last key did (a write's answer may come after
        the walk ended: then its message, if any, is a notification alone)."""
        if self.is_attached:
            self.query_one("#walk-said", Static).update(Content(text))

    def card_changed(self, item_id: str) -> None:
        if item_id == self.state.current_id and self.is_attached:
            self.show_current()

    def undo_host(self) -> WalkUndoHost:
        return WalkUndoHost(self)

    def run_write(self, work: Any, group: str) -> Worker[Any]:
        return self.app.run_worker(work, group=group, exit_on_error=False)

    def on_unmount(self) -> None:
        self.writes.flush()  # (decisions typed just before q: not drawn, still sent)

    def show_card(self, item_id: str) -> None:
        self.state.go_to(item_id)
        if self.is_attached:
            self.show_current()

    def item_gone(self) -> None:
        self.kiteboard.refresh_space(self.space.id)

    def on_store_items_changed(self, message: StoreItemsChanged) -> None:
        """A sync or a write changed cards: the one shown may be among them."""
        if self.state.current_id in message.event.changed:
            self.show_current()

    def on_store_comments_changed(self, message: StoreCommentsChanged) -> None:
        if self.state.current_id in message.event.item_ids:
            self.show_current()

    # -- showing the card ------------------------------------------------------------

    def show_current(self) -> None:
        """The progress line now; the card right after, in a worker of its own, so that
        the screen paints it (a frame) before its text is parsed, and keys typed
        meanwhile are handled first: the card drawn is always the latest."""
        self.query_one("#walk-progress", Static).update(
            Content.assemble(("Triage ", "bold"), self.state.progress())
        )
        self._stale = True
        if not self._drawing:
            self._drawing = True
            self.run_worker(self._draw(), group="walk-draw", exit_on_error=False)

    async def _draw(self) -> None:
        try:
            while self._stale:
                self._stale = False
                await self._draw_current()
        finally:
            self._drawing = False
            self.writes.flush()

    async def _frame_then_go_on(self) -> bool:
        """Wait until the screen has painted the card's title and fields; whether its
        text is still worth drawing (no key has moved the walk on meanwhile)."""
        painted = asyncio.get_running_loop().create_future()
        self.call_after_refresh(lambda: painted.done() or painted.set_result(None))
        await painted
        self.writes.flush()
        return not self._stale

    async def _draw_current(self) -> None:
        view = self.query_one(ItemDetailView)
        end = self.query_one("#walk-end", Static)
        store, item_id = self.store, self.state.current_id
        if item_id is None or store is None:
            view.display, end.display = False, True
            end.update(Content(self._end_text()))
            return
        if not view.display:
            view.display, end.display = True, False
            view.focus()
        detail = store.read.item(item_id)
        if detail is not None:
            labels = {row.id: row for row in store.read.labels(self.space.id)}
            detail = self.state.overlay(detail, labels, dict(self.statuses))
        await view.show_item(
            item_id,
            detail,
            store.read.comments(item_id),
            space_key=self.space.key,
            comments_since=store.read.comments_followed_since(self.space.id),
            keep_scroll=True,  # (the same card again keeps its place; another starts at the top)
            head_shown=self._frame_then_go_on,
        )

    def _end_text(self) -> str:
        summary = self.state.summary(dict(self.statuses))
        return f"That was the last card of {self.state.column_name}.\n\n{summary}\n\n" + (
            "p goes back · u undoes the last change · q returns to the board"
        )

    # -- the card the keys act on ----------------------------------------------------

    def _card(self, verb: str) -> CardRow | None:
        """The card shown, loaded, when there is a writer; else says why not."""
        item_id = self.state.current_id
        store = self.store
        if item_id is None or store is None:
            self.app.bell()
            self.say("No card here: p goes back, q returns to the board.")
            return None
        card = store.read.card(item_id)
        if card is None or not card.loaded:
            self.say(f"{self.reference(item_id)} is still loading; it cannot be {verb} yet.")
            return None
        if self.writer() is None:
            self.say("Not connected to Kitemaker yet; triage needs a connection.")
            return None
        return card

    def _decide(self, card: CardRow, kind: DecisionKind, before: Any, after: Any) -> None:
        decision = self.state.decide(card.id, kind, before, after)
        self.writes.queue(decision)
        self.say(f"{describe(self, decision)} · u undo")

    # -- the keys --------------------------------------------------------------------

    def action_skip(self) -> None:
        item_id = self.state.current_id
        if item_id is None:
            self.app.bell()
            return
        card = self.store.read.card(item_id) if self.store else None
        status = self.state.value(item_id, "status_id", card.status_id if card else None)
        self.say(f"{self.reference(item_id)} left in {self.column_name(status)}")
        self.state.advance()
        self.show_current()

    def action_previous(self) -> None:
        if not self.state.back():
            self.app.bell()
            self.say("This is the first card.")
            return
        self.say(f"Back to {self.reference(self.state.current_id or '')}")
        self.show_current()

    def action_move_to(self, index: int) -> None:
        if index >= len(self.statuses):
            self.app.bell()
            self.say(f"The board has no column {index + 1}.")
            return
        self._move(self.statuses[index][0])

    def action_move_by(self, step: int) -> None:
        card = self._card("moved")
        if card is None:
            return
        ids = [status_id for status_id, _name in self.statuses]
        status = self.state.value(card.id, "status_id", card.status_id)
        index = ids.index(status) + step if status in ids else -1
        if not 0 <= index < len(ids):
            self.app.bell()
            self.say(f"No column on that side of {self.column_name(status)}.")
            return
        self._move(ids[index])

    def _move(self, status_id: str) -> None:
        card = self._card("moved")
        if card is None:
            return
        status = self.state.value(card.id, "status_id", card.status_id)
        if status == status_id:
            self.say(f"{self.reference(card.id)} stays in {self.column_name(status)}")
        else:
            self._decide(card, "move", status, status_id)
        self.state.advance()
        self.show_current()

    def action_size(self, kind: str) -> None:
        card = self._card("sized")
        if card is None or kind not in ("effort", "impact"):
            return
        from kiteboard.store.write_results import normalize_size
        from kiteboard.ui.screens.forms.size_picker import NO_SIZE, SizePicker

        size_kind: DecisionKind = "effort" if kind == "effort" else "impact"
        current = normalize_size(self.state.value(card.id, kind, getattr(card, kind)))

        def chosen(size: str | None) -> None:
            if size is not None:
                self._decide(card, size_kind, current, None if size == NO_SIZE else size)
                self.show_current()

        picker = SizePicker(size_kind, current, about=self.reference(card.id))
        self.app.push_screen(picker, chosen)

    def action_labels(self) -> None:
        card = self._card("labelled")
        store = self.store
        if card is None or store is None:
            return
        from kiteboard.ui.screens.forms.label_toggle import LabelToggle
        from kiteboard.ui.screens.forms.labels import LabelChoice

        current = tuple(self.state.value(card.id, "label_ids", card.label_ids))
        choices = [LabelChoice(x.id, x.name, x.color) for x in store.read.labels(self.space.id)]

        def chosen(label_ids: tuple[str, ...] | None) -> None:
            if label_ids is not None:
                self._decide(card, "labels", current, tuple(label_ids))
                self.show_current()

        toggle = LabelToggle(
            choices,
            current,
            space_id=self.space.id,
            writer=self.writer(),
            about=self.reference(card.id),
        )
        self.app.push_screen(toggle, chosen)

    def action_edit(self) -> None:
        card = self._card("edited")
        store, writer = self.store, self.writer()
        if card is None or store is None or writer is None:
            return
        from kiteboard.ui.screens.forms import WorkItemForm

        form = WorkItemForm(
            store, writer, space_id=self.space.id, item_id=card.id, on_gone=self.item_gone
        )
        self.app.push_screen(form, lambda saved: self._form_done(card, "edit", saved))

    def action_comment(self) -> None:
        card = self._card("commented")
        store, writer = self.store, self.writer()
        if card is None or store is None or writer is None:
            return
        from kiteboard.ui.screens.forms import CommentForm

        form = CommentForm(store, writer, item_id=card.id, on_gone=self.item_gone)
        self.app.push_screen(form, lambda saved: self._form_done(card, "comment", saved))

    def _form_done(self, card: CardRow, kind: DecisionKind, saved: str | None) -> None:
        if saved is None:
            self.say("Nothing saved.")
            return
        self.state.decide(card.id, kind, None, None)  # (sent by the form; not undone here)
        done = "edited" if kind == "edit" else "commented"
        self.say(f"{self.reference(card.id)} {done}")
        self.show_current()

    def action_copy(self, with_title: int) -> None:
        # Said on the walk's line (the undo host's notify), the card shown is copied.
        copy_reference(self.undo_host(), with_title=bool(with_title))

    def action_undo(self) -> None:
        """The session's last write, whoever made it (the walk, the board): shared."""
        self.writes.undo()

    def action_end(self) -> None:
        summary = self.state.summary(dict(self.statuses))
        title = f"Triage · {safe_line(self.state.column_name, max_chars=40)}"
        self.app.notify(summary, title=title, markup=False)
        self.dismiss(self.state.last_seen)


class WalkUndoHost:
    """The walk as the board's `u` sees a screen (board_writing.WritingHost): what it
    says goes on the walk's line (a warning is a notification too); a card it moves back
    is shown by the walk itself once the undo is done."""

    def __init__(self, walk: WalkScreen) -> None:
        self._walk = walk
        self.space = walk.space

    @property
    def app(self) -> Any:
        return self._walk.app

    def target_item_id(self) -> str | None:
        return self._walk.state.current_id

    def focused_status_id(self) -> str | None:
        return None

    def item_created(self, item_id: str) -> None:
        pass

    def item_moved(self, item_id: str) -> None:
        pass  # (WalkWrites shows the card undone, moved back or not)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self._walk.say(message)
        if severity != "information" or not self._walk.is_attached:
            self._walk.app.notify(message, title=title, severity=severity, markup=False)

    def run_worker(self, work: Any, *, group: str = "", exit_on_error: bool = False) -> Any:
        return self._walk.run_write(work, group or "walk-undo")
