"""Every key binding, grouped by where it works, with the keymap applied.

The ids in the last column are what the config file's [keymap] table uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from kiteboard.ui.widgets.key_scroll import KeyScroll, scroll_bindings

# How keys are named in the help (Textual's names are for config files).
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_label(keys: str) -> str:
    labels = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            labels.append("Ctrl+" + _KEY_NAMES.get(key[5:], key[5:]))
        else:
            labels.append(_KEY_NAMES.get(key, key))
    return " ".join(labels)


def binding_rows(
    groups: Sequence[tuple[str, Iterable[BindingType]]], keymap: Mapping[str, str]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """[(group, [(keys, description, id)])] with keymap overrides applied."""
    result = []
    for title, bindings in groups:
        rows = []
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            rows.append((key_label(keys), binding.description, binding.id))
        result.append((title, rows))
    return result


class HelpScroll(KeyScroll, can_focus=True):
    """The list of keys; scrolled with the board's keys."""

    BINDINGS: ClassVar[list[BindingType]] = scroll_bindings("help")


class HelpScreen(ModalScreen[None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        HelpScreen {
            align: center middle;
        }
        #help-box {
            width: 84;
            max-width: 100%;
            height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #help-title {
            text-style: bold;
        }
        #help-scroll {
            height: 1fr;
        }
        #help-hint {
            color: $text-muted;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, groups: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        key_width = max((len(keys) for _, rows in self.groups for keys, _, _ in rows), default=8)
        lines: list[Content] = []
        for title, rows in self.groups:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(title, "bold $accent"))
            for keys, description, binding_id in rows:
                lines.append(
                    Content.assemble(
                        (f"  {keys:<{key_width}}  ", "bold"),
                        f"{description:<22} ",
                        (binding_id, "dim"),
                    )
                )
        with Vertical(id="help-box"):
            yield Static(Content.styled("Keys", "bold"), id="help-title")
            with HelpScroll(id="help-scroll"):
                yield Static(Content("\n").join(lines), id="help-text")
            yield Static(
                Content(
                    "j k scroll · Esc closes · remap any key by its id in the config's [keymap]"
                ),
                id="help-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
