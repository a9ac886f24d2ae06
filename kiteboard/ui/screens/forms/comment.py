"""CommentForm (`a`): a multi-line markdown comment on one work item.

Draft key "comment:<item_id>". The comment shows in the detail pane once Kitemaker
has it: the writer applies the server's answer to the store, whose event the detail
pane listens to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from kiteboard.store.write_results import Saved, WriteResult
from kiteboard.ui.screens.forms.base import DraftForm, FormMessage
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.writer import ItemWriter


def comment_draft_key(item_id: str) -> str:
    return f"comment:{item_id}"


class CommentForm(DraftForm[str | None]):
    """Dismissed with the new comment's id, or None when cancelled."""

    CSS_PATH: ClassVar[str] = "forms.tcss"

    def __init__(
        self,
        store: Store,
        writer: ItemWriter,
        *,
        item_id: str,
        on_gone: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(store, comment_draft_key(item_id), on_gone=on_gone)
        self.writer = writer
        self.item_id = item_id
        detail = store.read.item(item_id)
        card = detail.card if detail else store.read.card(item_id)
        key = detail.space_key if detail else None
        number = card.number if card else None
        self.reference = f"{key}-{number}" if key and number is not None else "item"
        self.item_title = card.title if card else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="comment-form") as box:
            box.border_title = Content(f"Comment on {safe_line(self.reference, max_chars=40)}")
            yield Static(Content(safe_line(self.item_title, max_chars=200)), id="comment-about")
            yield Static("Markdown · ctrl+o opens $EDITOR", classes="form-label wide")
            yield TextArea(soft_wrap=True, id="body")
            yield FormMessage(id="form-message")
        yield KeyHints()

    def on_mount(self) -> None:
        self.restore_draft()
        self.query_one("#body", TextArea).focus()

    def body(self) -> str:
        return self.query_one("#body", TextArea).text

    # -- DraftForm -------------------------------------------------------------------------

    def content_state(self) -> dict[str, Any]:
        return {"body": self.body()}

    def is_pristine(self) -> bool:
        return not self.body().strip()

    def restore_state(self, state: dict[str, Any]) -> None:
        body = state.get("body")
        if isinstance(body, str):
            area = self.query_one("#body", TextArea)
            area.text = body
            area.move_cursor(area.document.end)  # typing goes on after the draft

    def validate_content(self) -> dict[str, str]:
        if self.gone:
            return {"gone": "This item no longer exists in Kitemaker; it cannot be commented."}
        if not self.body().strip():
            return {"body": "Write something first."}
        return {}

    async def send(self) -> WriteResult[Any]:
        return await self.writer.create_comment(
            self.item_id, self.body(), unconfirmed_since=self.unconfirmed_since
        )

    def finish(self, result: Saved[Any]) -> None:
        note = f" {result.note}" if result.note else ""
        self.app.notify(
            f"Comment added to {self.reference}.{note}", title="Kitemaker", markup=False
        )
        self.dismiss(result.value.id)

    def editor_target(self) -> TextArea | None:
        return self.query_one("#body", TextArea)

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self.content_changed()
