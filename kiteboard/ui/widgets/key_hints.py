"""The footer: the keys that matter on this screen, ` c New  e Edit  ⏎ Open …`.

What Textual's Footer shows (the screen's active bindings marked `show`, one per
action, dimmed while their action cannot run, remapped keys as remapped), drawn as one
line by one widget: the Footer is a container holding a widget per key, which the first
frame of every screen paid for (~5 ms). A click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

# Theme variables (resolved when drawn): the footer's colors in every theme.
_KEY = "bold $footer-key-foreground on $footer-key-background"
_DESCRIPTION = "$footer-description-foreground on $footer-description-background"


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
        parts: list[Content] = []
        hints: list[_Hint] = []
        seen: set[str] = set()
        x = 0
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = f" {self.app.get_key_display(binding)} "
            description = f"{binding.description} " if binding.description else ""
            # Plain strings into Content: a binding's text is never read as markup.
            hint = Content.assemble((key, _KEY), (description, _DESCRIPTION))
            if not enabled:
                hint = hint.stylize("dim")
            parts.append(hint)
            hints.append(_Hint(x, x + hint.cell_length, binding.key, enabled))
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
