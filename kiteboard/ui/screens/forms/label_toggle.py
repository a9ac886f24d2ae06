"""LabelToggle (`#` in the triage walk): toggle one item's labels, or create one.

The form's LabelPicker (labels.py) in a small modal of its own: type to filter, ↑/↓,
Enter toggles the highlighted label (or creates the one typed, POST /label through the
session's writer), Esc closes. Dismissed with the complete set of label ids when it
changed, else None. The set is then sent as one PUT by whoever opened it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen

from kiteboard.store.write_results import Refused, Saved
from kiteboard.ui import commands
from kiteboard.ui.screens.forms.base import FormMessage
from kiteboard.ui.screens.forms.labels import LabelChoice, LabelPicker
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.writer import ItemWriter


class LabelToggle(ModalScreen[tuple[str, ...] | None]):
    CSS_PATH: ClassVar[str] = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.labels_only")

    def __init__(
        self,
        labels: Iterable[LabelChoice],
        selected: Iterable[str],
        *,
        space_id: str,
        writer: ItemWriter | None,
        about: str = "",
    ) -> None:
        """``writer``: creates the labels named here (None: creating says why not)."""
        super().__init__()
        self._labels = list(labels)
        self._before = tuple(selected)
        self._space_id = space_id
        self._writer = writer
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="toggle-box") as box:
            about = f" of {safe_line(self.about, max_chars=40)}" if self.about else ""
            box.border_title = Content(f"Labels{about}")
            box.border_subtitle = "enter toggles · esc done"
            yield LabelPicker(self._labels, self._before, id="labels")
            yield FormMessage(id="form-message")

    def on_mount(self) -> None:
        self.query_one("#label-filter").focus()  # typing filters at once

    @property
    def picker(self) -> LabelPicker:
        return self.query_one(LabelPicker)

    def action_done(self) -> None:
        chosen = self.picker.selected_ids
        self.dismiss(chosen if set(chosen) != set(self._before) else None)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one(FormMessage)
        message.update(Content(text))
        message.set_class(error, "-error")

    def on_label_picker_create_requested(self, event: LabelPicker.CreateRequested) -> None:
        event.stop()
        if self._writer is None:
            self.picker.creation_failed()
            self._say("Not connected to Kitemaker yet; creating a label needs it.", error=True)
            return
        self._say(f"Creating label {safe_line(event.name, max_chars=60)}…")
        self._create(self._writer, event.name, event.color)

    @work(exclusive=True, group="label-create", exit_on_error=False)
    async def _create(self, writer: ItemWriter, name: str, color: str) -> None:
        result = await writer.create_label(self._space_id, name, color)
        if isinstance(result, Saved):
            label = result.value
            self.picker.add_label(LabelChoice(label.id, label.name, label.color or color))
            self._say(f"Label {safe_line(label.name, max_chars=60)} created.")
            return
        self.picker.creation_failed()
        reason = result.message if isinstance(result, Refused) else result.reason
        self._say(f"The label was not created: {reason}", error=True)
