"""LabelPicker: pick any number of a space's labels by typing, or create one inline.

Focus stays in the filter box: typing narrows the list, ↑/↓ move the highlight, Enter
toggles the highlighted label. When what was typed names no label, the list offers
"Create label …", which asks the form to POST /label with a color from Kitemaker's
palette (one the space does not use yet, when there is one). Picking and creating both
empty the filter for the next label.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from kiteboard.api.colors import NAMED_COLORS, label_color_hex
from kiteboard.ui import commands
from kiteboard.ui.widgets.safe_text import safe_line

CREATE_OPTION = "\x00create"  # an option id no label id (16 hex digits) can be

# The palette without its grays: a new label should stand out from the others.
_GRAYS = {"gray", "mauve", "slate", "sage", "olive", "sand"}
PALETTE: tuple[str, ...] = tuple(
    hex_digits.lower() for name, hex_digits in NAMED_COLORS.items() if name not in _GRAYS
)


def pick_label_color(name: str, taken: Iterable[str | None]) -> str:
    """A palette color (six hex digits) for a new label: the same name always starts
    at the same place in the palette, and colors the space already uses are skipped
    while there are others."""
    used = {label_color_hex(color) for color in taken}
    start = zlib.crc32(name.strip().casefold().encode("utf-8")) % len(PALETTE)
    for step in range(len(PALETTE)):
        color = PALETTE[(start + step) % len(PALETTE)]
        if "#" + color not in used:
            return color
    return PALETTE[start]


@dataclass(frozen=True, slots=True)
class LabelChoice:
    id: str
    name: str
    color: str | None


def chip(label: LabelChoice) -> Content:
    """The label's name, shown literally, in its own color when it has one."""
    name = f" {safe_line(label.name, max_chars=60)} "
    hex_color = label_color_hex(label.color)
    if hex_color is None:
        return Content.assemble((name, "reverse"))
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    dark_text = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 > 0.55
    return Content.assemble((name, f"{'#000000' if dark_text else '#ffffff'} on {hex_color}"))


class LabelPicker(Vertical):
    """A filter box, the matching labels, and the chips of those picked."""

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.labels")

    class Changed(Message):
        """The set of picked labels changed."""

    class CreateRequested(Message):
        def __init__(self, name: str, color: str) -> None:
            super().__init__()
            self.name = name
            self.color = color

    def __init__(
        self, labels: Iterable[LabelChoice], selected: Iterable[str] = (), *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._labels: dict[str, LabelChoice] = {label.id: label for label in labels}
        self._selected: list[str] = [x for x in dict.fromkeys(selected) if x in self._labels]
        self.creating: str | None = None  # the name being created, while it is

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="type to filter · ↑↓ · Enter picks · or names a new label",
            compact=True,
            id="label-filter",
        )
        yield OptionList(id="label-options", compact=True)
        yield Static(id="label-chips")

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False  # the filter box keeps the focus
        self._refresh_options()
        self._refresh_chips()

    # -- state -----------------------------------------------------------------------------

    @property
    def selected_ids(self) -> tuple[str, ...]:
        return tuple(self._selected)

    def set_selected(self, ids: Iterable[str]) -> None:
        self._selected = [x for x in dict.fromkeys(ids) if x in self._labels]
        self._refresh_options()
        self._refresh_chips()

    def add_label(self, label: LabelChoice, *, select: bool = True) -> None:
        """A label that was just created: known from now on, and picked."""
        self._labels[label.id] = label
        if select and label.id not in self._selected:
            self._selected.append(label.id)
        self.creating = None
        self._done_with_filter(label.id)
        self._refresh_chips()
        self.post_message(self.Changed())

    def toggle(self, label_id: str) -> None:
        if label_id in self._selected:
            self._selected.remove(label_id)
        else:
            self._selected.append(label_id)
        self._done_with_filter(label_id)
        self._refresh_chips()
        self.post_message(self.Changed())

    def _done_with_filter(self, label_id: str) -> None:
        """A label was picked (or created) from what was typed: the filter empties for
        the next one ("perf" Enter "bug" Enter picks two), the label stays highlighted."""
        field = self.query_one("#label-filter", Input)
        with self.prevent(Input.Changed):  # (its handler would move the highlight)
            field.value = ""
        self._refresh_options()
        options = self.query_one(OptionList)
        with contextlib.suppress(OptionDoesNotExist):
            options.highlighted = options.get_option_index(label_id)

    # -- the list --------------------------------------------------------------------------

    def _filter_text(self) -> str:
        return self.query_one("#label-filter", Input).value.strip()

    def _matches(self) -> list[LabelChoice]:
        wanted = self._filter_text().casefold()
        labels = sorted(self._labels.values(), key=lambda label: label.name.casefold())
        return [label for label in labels if wanted in label.name.casefold()]

    def _refresh_options(self, *, keep_highlight: bool = False) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted if keep_highlight else None
        typed = self._filter_text()
        prompts: list[Option] = []
        for label in self._matches():
            mark = "[x] " if label.id in self._selected else "[ ] "
            prompts.append(Option(Content.assemble(mark, chip(label)), id=label.id))
        exists = any(label.name.casefold() == typed.casefold() for label in self._labels.values())
        if typed and not exists:
            color = pick_label_color(typed, (label.color for label in self._labels.values()))
            preview = chip(LabelChoice("", typed, color))
            verb = "Creating" if self.creating == typed else "Create label"
            prompts.append(Option(Content.assemble(f"+ {verb} ", preview), id=CREATE_OPTION))
        if not prompts:
            prompts.append(Option(Content("No labels in this space yet"), disabled=True))
        options.set_options(prompts)
        if prompts and not prompts[0].disabled:
            last = len(prompts) - 1
            options.highlighted = min(highlighted, last) if highlighted is not None else 0

    def _refresh_chips(self) -> None:
        chips = [chip(self._labels[x]) for x in self._selected]
        line = Content(" ").join(chips) if chips else Content("none picked")
        self.query_one("#label-chips", Static).update(line)

    # -- keys and events -------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "label-filter":
            event.stop()
            self._refresh_options()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "label-filter":
            return
        event.stop()
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            self._pick(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._pick(event.option.id)

    def _pick(self, option_id: str) -> None:
        if option_id != CREATE_OPTION:
            self.toggle(option_id)
            return
        name = self._filter_text()
        if not name or self.creating is not None:
            return
        self.creating = name
        color = pick_label_color(name, (label.color for label in self._labels.values()))
        self._refresh_options()
        self.post_message(self.CreateRequested(name, color))

    def creation_failed(self) -> None:
        self.creating = None
        self._refresh_options()
