"""The footer: the keys that matter on this screen, ` c New  e Edit  ⏎ Open …`.

When they do not all fit, those the registry ranks first stay (ui/commands.py).

What Textual's Footer shows (the screen's active bindings marked `show`, one per
action, dimmed while their action cannot run, remapped keys as remapped; not the keys
that a focused text field takes as typing), drawn as one
line by one widget: the Footer is a container holding a widget per key, which the first
frame of every screen paid for (~5 ms). A click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.content import Content
from textual.keys import key_to_character
from textual.widget import Widget
from textual.widgets import Input

from kiteboard.ui import commands

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

# Theme variables (resolved when drawn): the footer's colors in every theme.
_KEY = "bold $footer-key-foreground on $footer-key-background"
_DESCRIPTION = "$footer-description-foreground on $footer-description-background"


def _types_text(binding_keys: str) -> bool:
    """Every key of the binding is a character: in a text field, it is typed there."""
    for key in binding_keys.split(","):
        character = key_to_character(key.strip())
        if character is None or not character.isprintable():
            return False
    return True


class _Hint(NamedTuple):
    start: int
    end: int
    key: str
    enabled: bool


class KeyHints(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._hints: list[_Hint] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Content:
        # One hint per label: H and L ("Move ←→") share one, " H L Move ←→ ".
        labels: dict[str, list[tuple[Binding, bool]]] = {}
        seen: set[str] = set()
        # While a text field has the focus, `q` or `s` is a letter typed, not a key
        # that does something: its hint would lie.
        typing = isinstance(self.screen.focused, Input)
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            if typing and _types_text(binding.key):
                continue
            seen.add(binding.action)
            labels.setdefault(binding.description, []).append((binding, enabled))
        candidates: list[tuple[int, Content, str, bool]] = []
        for description, bindings in labels.items():
            keys = " ".join(self.app.get_key_display(binding) for binding, _ in bindings)
            label = f"{description} " if description else ""
            # Plain strings into Content: a binding's text is never read as markup.
            hint = Content.assemble((f" {keys} ", _KEY), (label, _DESCRIPTION))
            enabled = any(enabled for _, enabled in bindings)
            if not enabled:
                hint = hint.stylize("dim")
            rank = min(commands.footer_rank(binding.id) for binding, _ in bindings)
            candidates.append((rank, hint, bindings[0][0].key, enabled))
        # The width is short: keep the hints that rank first, shown in their own order.
        room = self.size.width or self.app.size.width
        kept: set[int] = set()
        for index in sorted(range(len(candidates)), key=lambda i: candidates[i][0]):
            length = candidates[index][1].cell_length
            if length <= room:
                kept.add(index)
                room -= length
        parts: list[Content] = []
        hints: list[_Hint] = []
        x = 0
        for index, (_rank, hint, key, enabled) in enumerate(candidates):
            if index in kept:
                parts.append(hint)
                hints.append(_Hint(x, x + hint.cell_length, key, enabled))
                x += hint.cell_length
        self._hints = hints
        return Content("").join(parts)

    def on_click(self, event: events.Click) -> None:
        for hint in self._hints:
            if hint.start <= event.x < hint.end:
                if hint.enabled:
                    self.app.simulate_key(hint.key.split(",")[0])
                else:
                    self.app.bell()
                return
