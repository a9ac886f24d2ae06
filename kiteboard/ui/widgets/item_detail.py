"""One work item in full: fields, the description as markdown, and its comments.

Used beside the board on wide terminals and as a full screen on narrow ones. All API
text is cleaned (`safe_line` / `safe_block`) before it reaches a widget, the fields are
built as `Content` from plain strings, and markdown is sanitized before Textual's
Markdown widget parses it, so neither markup nor escape codes get through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown, Static

from kiteboard.ui import commands
from kiteboard.ui.board_model import reference
from kiteboard.ui.widgets.card import size_letter
from kiteboard.ui.widgets.key_scroll import KeyScroll
from kiteboard.ui.widgets.label_colors import chip_style
from kiteboard.ui.widgets.safe_text import safe_block, safe_line
from kiteboard.ui.widgets.sync_state import relative

if TYPE_CHECKING:
    from kiteboard.store.rows import CommentRow, ItemDetail


def comments_note(since: datetime | None) -> str:
    """Honest about what the REST API cannot give: a space's older comments."""
    if since is None:
        return ""
    stamp = since.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"Comments from before {stamp} may be missing: Kitemaker's API lists only the "
        "50 most recent comments of a space."
    )


TICK = 1.0  # seconds between redraws of relative times ("5 s ago", "2 min ago")

_SIZE_WORD = {"S": "small", "M": "medium", "L": "large"}


def when(moment: datetime | None, now: float) -> str:
    if moment is None:
        return "unknown"
    stamp = moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{relative(now - moment.timestamp())} ({stamp})"


def _size(value: str | None) -> str:
    letter = size_letter(value)
    return _SIZE_WORD.get(letter or "", safe_line(value) or "none") if letter else "none"


def _author(name: str | None, kind: str | None) -> str:
    text = safe_line(name) or "unknown"
    return f"{text} (app)" if kind == "application" else text


class ItemDetailView(KeyScroll, can_focus=True):
    """Scrollable item detail; Esc (handled by the owner) returns to the board."""

    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        #detail-pane {
            width: 45%;
            min-width: 50;
            border-left: tall $primary;
            background: $surface;
        }
        ItemDetailView {
            padding: 0 1;
            scrollbar-size-vertical: 1;
        }
        ItemDetailView:focus {
            background-tint: $foreground 3%;
        }
        #detail-title {
            text-style: bold;
            color: $text-primary;
            margin-top: 1;
        }
        #detail-fields {
            margin: 1 0 0 0;
        }
        #detail-description {
            margin: 0 0 1 0;
            padding: 0;
        }
        #detail-comments-title {
            text-style: bold;
            border-top: solid $panel-lighten-2;
            padding-top: 0;
        }
        #detail-comments {
            height: auto;
        }
        .comment-meta {
            margin-top: 1;
        }
        .comment-body {
            padding: 0 0 0 2;
            margin: 0;
        }
        #detail-comments-note {
            color: $text-muted;
            text-style: italic;
            margin: 1 0;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("detail")

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self.item_id: str | None = None
        # What shows a time relative to now ("5 s ago"), and how to draw it at a moment.
        self._ticking: list[tuple[Static, Callable[[float], Content]]] = []

    def on_mount(self) -> None:
        self.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        """Relative times move on ("5 s ago" does not stay; see `relative`)."""
        now = self._clock()
        for widget, draw in self._ticking:
            widget.update(draw(now))

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-fields")
        yield Markdown(id="detail-description", open_links=False)
        yield Static(id="detail-comments-title")
        yield Vertical(id="detail-comments")
        yield Static(id="detail-comments-note")

    async def show_item(
        self,
        item_id: str,
        detail: ItemDetail | None,
        comments: Sequence[CommentRow],
        *,
        space_key: str | None = None,
        comments_since: datetime | None = None,
        keep_scroll: bool = False,
        head_shown: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        """Fill the view; `keep_scroll` when the same item was refreshed.

        `head_shown`: awaited once the title and fields are set, the text below them
        hidden (the triage walk waits for a frame there: the card is on screen before
        its markdown is parsed, ~50 ms); False leaves the text out (moved on already)."""
        same = item_id == self.item_id
        self.item_id = item_id
        now = self._clock()
        self._ticking = []
        title = self.query_one("#detail-title", Static)
        fields = self.query_one("#detail-fields", Static)
        description = self.query_one("#detail-description", Markdown)
        if detail is None:
            title.update(Content("This item is no longer in the store."))
            fields.update("")
            await description.update("")
            await self._show_comments([], now)
            return
        card = detail.card
        ref = reference(detail.space_key or space_key, card.number)
        title.update(Content(safe_line(card.title) or "(untitled)"))
        rows: list[tuple[str, Content]] = [("Reference", Content(ref))]
        if not card.loaded:
            rows.append(("", Content("Still loading: only the title is known so far.")))
        else:
            rows.append(("Status", Content(safe_line(detail.status_name) or "none")))
            rows.append(("Labels", self._chips(detail)))
            rows.append(("Effort", Content(_size(card.effort))))
            rows.append(("Impact", Content(_size(card.impact))))
            rows.append(("Author", Content(_author(detail.actor_name, detail.actor_type))))

        def draw_fields(now: float) -> Content:
            timed = (
                []
                if not card.loaded
                else [
                    ("Created", Content(when(card.created_at, now))),
                    ("Updated", Content(when(card.updated_at, now))),
                ]
            )
            return Content("\n").join(
                Content.assemble((f"{name:<10}", "bold"), value) for name, value in rows + timed
            )

        fields.update(draw_fields(now))
        self._ticking.append((fields, draw_fields))
        if head_shown is not None:
            body = [description, *self.query("#detail-comments-title, #detail-comments")]
            body.append(self.query_one("#detail-comments-note"))
            for widget in body:
                widget.display = False
            if not same or not keep_scroll:
                self.scroll_home(animate=False)
            if not await head_shown():
                return
            for widget in body:
                widget.display = True
        text = safe_block(detail.description)
        await description.update(text or "*No description.*")
        await self._show_comments(comments, now)
        # Only an item made before the space's comments were followed can have lost
        # some: every comment on a later one was made while they were.
        created = card.created_at
        if comments_since is not None and created is not None and created >= comments_since:
            comments_since = None
        note = self.query_one("#detail-comments-note", Static)
        note.update(Content(comments_note(comments_since)))
        note.display = comments_since is not None
        if not (same and keep_scroll):
            self.scroll_home(animate=False)

    def _chips(self, detail: ItemDetail) -> Content:
        if not detail.labels:
            return Content("none")
        parts: list[Content | str] = []
        for label in detail.labels:
            style = chip_style(label.color)
            chip = Content(f" {safe_line(label.name, max_chars=60)} ")
            if style is not None:
                chip = chip.stylize(f"{style.color.name} on {style.bgcolor.name}")
            else:
                chip = chip.stylize("reverse")
            parts.extend([chip, " "])
        return Content.assemble(*parts)

    async def _show_comments(self, comments: Sequence[CommentRow], now: float) -> None:
        heading = self.query_one("#detail-comments-title", Static)
        heading.update(Content(f"Comments ({len(comments)})" if comments else "No comments"))
        box = self.query_one("#detail-comments", Vertical)
        await box.remove_children()
        widgets = []
        for comment in comments:

            def draw_meta(now: float, comment: CommentRow = comment) -> Content:
                return Content.assemble(
                    (safe_line(comment.actor_name) or "unknown", "bold"),
                    ("  " + when(comment.created_at, now), "dim"),
                )

            meta = Static(draw_meta(now), classes="comment-meta")
            self._ticking.append((meta, draw_meta))
            widgets.append(meta)
            body = Markdown(classes="comment-body", open_links=False)
            widgets.append(body)
        await box.mount_all(widgets)
        for widget, comment in zip(widgets[1::2], comments, strict=True):
            assert isinstance(widget, Markdown)
            await widget.update(safe_block(comment.body) or "*(empty)*")
