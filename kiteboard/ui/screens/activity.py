"""Activity (`A`): what changed in the organization's spaces, newest first, one line each.

Read from the store only (the activity log the sync writes: store/activity.py), so it
opens offline and sends no request. Entries that arrived since the person last opened
it are marked `●`; opening it counts them as seen (the top bar's count goes). New ones
come in live, as a refresh writes them (StoreActivityRecorded). Enter opens the item
on its board, the cursor on it (the item may be in another space); `/` filters by
space and by kind (activity_model.py).

Dismisses with the id of the item to open, or None.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kiteboard.store.activity import KEEP_DAYS
from kiteboard.ui import commands
from kiteboard.ui.activity_model import Entry, entries_of, filtered, line
from kiteboard.ui.host import KiteboardHost, host_of
from kiteboard.ui.messages import StoreActivityRecorded, StoreSpacesChanged
from kiteboard.ui.no_color import OPTION_LIST_NO_COLOR
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.safe_text import safe_line


class ActivityScreen(Screen[str | None]):
    SCOPED_CSS = False
    DEFAULT_CSS = (
        """
        #activity-title {
            height: 1;
            padding: 0 1;
            background: $panel;
        }
        #activity-filter {
            display: none;
            height: 1;
            border: none;
            padding: 0 1;
        }
        #activity-filter.shown { display: block; }
        #activity-list {
            height: 1fr;
            border: none;
            padding: 0;
            scrollbar-size-vertical: 1;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        #activity-empty {
            color: $text-muted;
            padding: 1 2;
        }
    """
        + OPTION_LIST_NO_COLOR
    )
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("activity")

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[Entry] = []
        self._shown: list[Entry] = []
        self._seen_before = 0  # entries up to this id were seen before this opening

    @property
    def kiteboard(self) -> KiteboardHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        yield Static(id="activity-title")
        yield Input(
            placeholder="a space (KB), a kind (moved, comment…), @someone", id="activity-filter"
        )
        yield OptionList(id="activity-list")
        yield Static(id="activity-empty")
        yield KeyHints()

    def on_mount(self) -> None:
        store = self.kiteboard.session.store
        self._seen_before = store.activity.seen_up_to() if store is not None else 0
        self._read()
        self.query_one("#activity-list", OptionList).focus()
        # Seen: written after the first frame (a write; the frame reads only).
        self.call_after_refresh(self._mark_seen)

    def on_unmount(self) -> None:
        self._mark_seen()  # what came in while it was open was seen too

    def _mark_seen(self) -> None:
        store = self.kiteboard.session.store
        if store is None or store.read_only:
            return
        newest = max((entry.row.id for entry in self._entries), default=0)
        if newest > store.activity.seen_up_to():
            # A store that cannot be written (a full disk) only forgets what was seen.
            with contextlib.suppress(sqlite3.Error, OSError):
                store.activity.mark_seen(newest)
        self.kiteboard.count_activity()

    # -- data ------------------------------------------------------------------------
    def _read(self) -> None:
        store = self.kiteboard.session.store
        now = self.kiteboard.clock()
        rows = store.activity.entries(now) if store is not None else []
        spaces = store.read.spaces() if store is not None else []
        self._spaces = spaces
        self._entries = entries_of(rows, spaces, self._seen_before)
        self._fill()

    def _fill(self) -> None:
        option_list = self.query_one("#activity-list", OptionList)
        keep = self._current_id()
        query = self.query_one("#activity-filter", Input).value
        self._shown = filtered(self._entries, query, self._spaces)
        width = max((len(entry.reference) for entry in self._shown), default=0)
        now = self.kiteboard.clock()
        option_list.clear_options()
        option_list.add_options(
            Option(line(entry, now, width), id=str(entry.row.id)) for entry in self._shown
        )
        if self._shown:
            ids = [entry.row.id for entry in self._shown]
            option_list.highlighted = ids.index(keep) if keep in ids else 0
        self._show_title(query)
        empty = self.query_one("#activity-empty", Static)
        empty.display = not self._shown
        if not self._entries:
            empty.update(
                Content(
                    "Nothing has changed since kiteboard began watching. Changes are "
                    "written down as kiteboard syncs a space (from the refresh after its "
                    f"first sync on) and kept {KEEP_DAYS} days."
                )
            )
        elif not self._shown:
            empty.update(Content("No entry matches the filter (Esc clears it)."))

    def _show_title(self, query: str) -> None:
        new = sum(1 for entry in self._entries if entry.new)
        parts: list[tuple[str, str] | str] = [
            ("Activity", "bold"),
            (f" · last {KEEP_DAYS} days", "dim"),
        ]
        if new:
            parts.append((f" · {new:,} new", "bold $text-accent"))
        if query:
            text = safe_line(query, max_chars=30)
            parts += [(" · filter ", "dim"), (text, "bold")]
            parts.append((f" {len(self._shown):,} of {len(self._entries):,}", "dim"))
        self.query_one("#activity-title", Static).update(Content.assemble(*parts))

    def _current_id(self) -> int | None:
        index = self.query_one("#activity-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index].row.id

    def on_store_activity_recorded(self, _message: StoreActivityRecorded) -> None:
        if self.is_mounted:
            self._read()  # (the cursor stays on its entry)

    def on_store_spaces_changed(self, _message: StoreSpacesChanged) -> None:
        if self.is_mounted:
            self._read()  # a key learned: references read `KB-12`, not `#12`

    # -- keys ------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        option_list = self.query_one("#activity-list", OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    def action_edge(self, direction: int) -> None:
        option_list = self.query_one("#activity-list", OptionList)
        if option_list.option_count:
            option_list.highlighted = 0 if direction < 0 else option_list.option_count - 1

    def action_filter(self) -> None:
        field = self.query_one("#activity-filter", Input)
        field.add_class("shown")
        field.focus()

    def action_back(self) -> None:
        field = self.query_one("#activity-filter", Input)
        if field.value or field.has_focus:
            field.value = ""
            field.remove_class("shown")
            self.query_one("#activity-list", OptionList).focus()
            return
        self.dismiss(None)

    def action_open(self) -> None:
        if self.query_one("#activity-filter", Input).has_focus:
            self._filter_kept()  # Enter in the filter keeps it, back to the list
            return
        index = self.query_one("#activity-list", OptionList).highlighted
        if index is not None and 0 <= index < len(self._shown):
            self.dismiss(self._shown[index].row.item_id)

    @on(Input.Changed, "#activity-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#activity-filter")
    def _filter_kept(self) -> None:
        field = self.query_one("#activity-filter", Input)
        if not field.value:
            field.remove_class("shown")
        self.query_one("#activity-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#activity-list")
    def _selected(self) -> None:
        self.action_open()
