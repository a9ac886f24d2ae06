"""WorkItemForm: create a work item (`c`) or edit one (`e`), in one modal form.

Create: status defaults to the focused column; placement says top or bottom of it.
Edit: the same form filled in; the PUT carries only the fields that changed from the
item as the form opened it. Drafts: "new:<space_id>" and "edit:<item_id>".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Select, Static, TextArea

from kiteboard.store.write_results import (
    ItemFields,
    Refused,
    Saved,
    WriteResult,
    item_fields,
    rebase_edit,
    validate_fields,
)
from kiteboard.ui.screens.forms.base import DraftForm, FormMessage
from kiteboard.ui.screens.forms.labels import LabelChoice, LabelPicker
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.writer import ItemWriter

NO_SIZE = "none"
SIZE_OPTIONS = [(Content(name), name) for name in (NO_SIZE, "small", "medium", "large")]
PLACEMENT_OPTIONS = [(Content("top"), "top"), (Content("bottom"), "bottom")]


def new_item_draft_key(space_id: str) -> str:
    return f"new:{space_id}"


def edit_item_draft_key(item_id: str) -> str:
    return f"edit:{item_id}"


class WorkItemForm(DraftForm[str | None]):
    """Dismissed with the saved item's id, or None when cancelled."""

    CSS_PATH: ClassVar[str] = "forms.tcss"
    # Below 60 columns the paired fields stack (the class styles forms.tcss keys on).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (60, "-wide")]

    def __init__(
        self,
        store: Store,
        writer: ItemWriter,
        *,
        space_id: str,
        status_id: str | None = None,
        item_id: str | None = None,
        on_gone: Callable[[], object] | None = None,
    ) -> None:
        self.item_id = item_id
        self.space_id = space_id
        draft_key = edit_item_draft_key(item_id) if item_id else new_item_draft_key(space_id)
        super().__init__(store, draft_key, on_gone=on_gone)
        self.writer = writer
        self.statuses = list(store.read.statuses(space_id))
        space = store.read.space(space_id)
        self.space_key = space.key if space is not None else None
        self.space_name = space.name if space is not None else ""
        if item_id is not None:
            current = item_fields(store, item_id)
            if current is None:
                raise LookupError(f"item {item_id} is not in the store")
            self.base = current
            self.number = getattr(store.read.card(item_id), "number", None)
        else:
            default_status = status_id or (self.statuses[0].id if self.statuses else "")
            self.base = ItemFields(status_id=default_status, placement="top")
            self.number = None

    @property
    def editing(self) -> bool:
        return self.item_id is not None

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        base = self.base
        labels = [LabelChoice(x.id, x.name, x.color) for x in self.store.read.labels(self.space_id)]
        status_options = [(Content(safe_line(s.name, max_chars=40)), s.id) for s in self.statuses]
        with Vertical(id="form-box", classes="item-form") as box:
            box.border_title = self._heading()
            with Horizontal(classes="form-row"):
                yield Static("Title", classes="form-label")
                # Not selected on focus: `e` then typing adds to the title, not over it.
                yield Input(
                    base.title,
                    placeholder="required",
                    compact=True,
                    select_on_focus=False,
                    id="title",
                )
            yield Static(id="title-error", classes="field-error")
            # Two fields a row; one a row on a narrow terminal (see forms.tcss).
            with Horizontal(classes="form-row pair"):
                with Horizontal(classes="field"):
                    yield Static("Status", classes="form-label")
                    yield Select(
                        status_options,
                        value=base.status_id if base.status_id else Select.NULL,
                        allow_blank=not status_options,
                        compact=True,
                        id="status",
                    )
                if not self.editing:
                    with Horizontal(classes="field"):
                        yield Static("Placement", classes="form-label second")
                        yield Select(
                            PLACEMENT_OPTIONS,
                            value=base.placement or "top",
                            allow_blank=False,
                            compact=True,
                            id="placement",
                        )
            with Horizontal(classes="form-row pair spaced"):
                with Horizontal(classes="field"):
                    yield Static("Effort", classes="form-label")
                    yield Select(
                        SIZE_OPTIONS,
                        value=base.effort or NO_SIZE,
                        allow_blank=False,
                        compact=True,
                        id="effort",
                    )
                with Horizontal(classes="field"):
                    yield Static("Impact", classes="form-label second")
                    yield Select(
                        SIZE_OPTIONS,
                        value=base.impact or NO_SIZE,
                        allow_blank=False,
                        compact=True,
                        id="impact",
                    )
            with Horizontal(classes="form-row spaced"):
                yield Static("Labels", classes="form-label")
                yield LabelPicker(labels, base.label_ids, id="labels")
            yield Static("Description (markdown) · ctrl+o opens $EDITOR", classes="form-label wide")
            yield TextArea(base.description, soft_wrap=True, id="description")
            yield FormMessage(id="form-message")
        yield KeyHints()

    def _heading(self) -> Content:
        if self.editing:
            reference = f"{self.space_key}-{self.number}" if self.space_key else "item"
            return Content(f"Edit {safe_line(reference, max_chars=40)}")
        return Content(f"New work item · {safe_line(self.space_name, max_chars=40)}")

    def on_mount(self) -> None:
        self.restore_draft()
        self.query_one("#title", Input).focus()

    # -- the fields ------------------------------------------------------------------------

    def current_fields(self) -> ItemFields:
        def size(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) and value != NO_SIZE else None

        status = self.query_one("#status", Select).value
        placement: str | None = None
        if not self.editing:
            chosen = self.query_one("#placement", Select).value
            placement = chosen if isinstance(chosen, str) else "top"
        return ItemFields(
            title=self.query_one("#title", Input).value,
            status_id=status if isinstance(status, str) else "",
            description=self.query_one("#description", TextArea).text,
            label_ids=self.query_one(LabelPicker).selected_ids,
            effort=size("#effort"),
            impact=size("#impact"),
            placement=placement,
        )

    def set_fields(self, fields: ItemFields) -> None:
        title = self.query_one("#title", Input)
        title.value = fields.title
        title.cursor_position = len(fields.title)  # a restored title goes on at its end
        if any(s.id == fields.status_id for s in self.statuses):
            self.query_one("#status", Select).value = fields.status_id
        self.query_one("#effort", Select).value = fields.effort or NO_SIZE
        self.query_one("#impact", Select).value = fields.impact or NO_SIZE
        if not self.editing:
            self.query_one("#placement", Select).value = fields.placement or "top"
        self.query_one(LabelPicker).set_selected(fields.label_ids)
        area = self.query_one("#description", TextArea)
        if area.text != fields.description:
            area.text = fields.description
            area.move_cursor(area.document.end)

    # -- DraftForm -------------------------------------------------------------------------

    def content_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"fields": self.current_fields().to_dict()}
        if self.editing:
            state["base"] = self.base.to_dict()
        return state

    def is_pristine(self) -> bool:
        now = self.current_fields()
        return _same(now, self.base)

    def restore_state(self, state: dict[str, Any]) -> None:
        fields = state.get("fields")
        if not isinstance(fields, dict):
            return
        restored = ItemFields.from_dict(fields)
        if self.editing:
            draft_base = state.get("base")
            old_base = ItemFields.from_dict(draft_base) if isinstance(draft_base, dict) else None
            if old_base is not None:
                self.base, restored = rebase_edit(self.base, old_base, restored)
        self.set_fields(restored)

    def validate_content(self) -> dict[str, str]:
        if self.gone:
            return {"gone": "This item no longer exists in Kitemaker; it cannot be saved."}
        return validate_fields(self.current_fields())

    def show_problems(self, problems: dict[str, str]) -> None:
        self.query_one("#title-error", Static).update(Content(problems.get("title", "")))
        super().show_problems(problems)
        if "title" in problems:
            self.query_one("#title", Input).focus()

    async def send(self) -> WriteResult[Any]:
        self.query_one("#title-error", Static).update("")
        fields = self.current_fields()
        if self.item_id is not None:
            return await self.writer.update_item(self.item_id, self.base, fields)
        return await self.writer.create_item(
            self.space_id, fields, unconfirmed_since=self.unconfirmed_since
        )

    def finish(self, result: Saved[Any]) -> None:
        item = result.value
        if item is None:
            self.app.notify("Nothing changed.", title="Edit", markup=False)
            self.dismiss(self.item_id)
            return
        reference = f"{self.space_key}-{item.number}" if self.space_key else f"#{item.number}"
        verb = "Saved" if self.editing else "Created"
        note = f" {result.note}" if result.note else ""
        self.app.notify(f"{verb} {reference}.{note}", title="Kitemaker", markup=False)
        self.dismiss(item.id)

    def editor_target(self) -> TextArea | None:
        return self.query_one("#description", TextArea)

    # -- changes ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "title":
            self.query_one("#title-error", Static).update("")
        self.content_changed()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.content_changed()

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self.content_changed()

    def on_label_picker_changed(self, _event: LabelPicker.Changed) -> None:
        self.content_changed()

    def on_label_picker_create_requested(self, event: LabelPicker.CreateRequested) -> None:
        self.say(f"Creating label {safe_line(event.name, max_chars=60)}…")
        self._create_label(event.name, event.color)

    @work(exclusive=True, group="label-create", exit_on_error=False)
    async def _create_label(self, name: str, color: str) -> None:
        picker = self.query_one(LabelPicker)
        result = await self.writer.create_label(self.space_id, name, color)
        if isinstance(result, Saved):
            label = result.value
            picker.add_label(LabelChoice(label.id, label.name, label.color or color))
            self.say(f"Label {safe_line(label.name, max_chars=60)} created.")
            return
        picker.creation_failed()
        reason = result.reason if not isinstance(result, Refused) else result.message
        self.say(f"The label was not created: {reason}", error=True)


def _same(a: ItemFields, b: ItemFields) -> bool:
    return (
        a.title == b.title
        and a.status_id == b.status_id
        and a.description == b.description
        and set(a.label_ids) == set(b.label_ids)
        and a.effort == b.effort
        and a.impact == b.impact
        and (a.placement or "top") == (b.placement or "top")
    )
