"""Choose a profile (an account of the config file); the one in use is marked.

Dismisses with the chosen profile's name, or None (Esc, or the one already in use).
With a single profile, none, or in the demo, it says so and how to add one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiteboard.ui import commands
from kiteboard.ui.no_color import list_box_css
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.config import ProfileInfo, Settings


def profiles_note(settings: Settings | None, *, demo: bool) -> str | None:
    """Why there is nothing to switch to, or None when there is."""
    if demo:
        return (
            "The demo has no profiles: start kiteboard without --demo to use the accounts "
            "of your config file."
        )
    profiles = list(settings.profiles) if settings is not None else []
    where = "the config file"
    if settings is not None and settings.config_path is not None:
        from kiteboard.config import display_path

        where = display_path(settings.config_path)
    if not profiles:
        return f"No profiles in {where}. `kiteboard init --profile NAME` adds one."
    if len(profiles) == 1:
        return (
            f"{profiles[0].name} is the only profile in {where}. "
            "`kiteboard init --profile NAME` adds another."
        )
    return None


def profile_label(profile: ProfileInfo, *, current: bool, width: int) -> Content:
    """`● work  toil.kitemaker.co · Platform`; the mark and notes are words and signs,
    never only a color (NO_COLOR)."""
    host = urlsplit(profile.base_url).netloc or profile.base_url
    details = safe_line(host, max_chars=40)
    if profile.default_space:
        details += " · " + safe_line(profile.default_space, max_chars=30)
    if profile.token_origin is None and not current:  # (in use: KITEMAKER_TOKEN's)
        details += " · no token"
    name = safe_line(profile.name, max_chars=30)
    return Content.assemble(
        ("● " if current else "  ", "bold"),
        (f"{name:<{width}}", "bold" if current else ""),
        "  ",
        (details, "dim"),
        ("  in use" if current else "", "bold"),
    )


class ProfilePickerScreen(ModalScreen[str | None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = (
        list_box_css("ProfilePickerScreen", "profile", 72)
        + """
        #profile-note.-after-list {
            margin: 1 0 0 0;
        }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("profile")

    def __init__(self, settings: Settings | None, *, demo: bool) -> None:
        super().__init__()
        self.current = settings.profile if settings is not None and not demo else None
        self.profiles = list(settings.profiles) if settings is not None and not demo else []
        self.note = profiles_note(settings, demo=demo)

    def compose(self) -> ComposeResult:
        width = max((len(safe_line(p.name, max_chars=30)) for p in self.profiles), default=8)
        options = [
            Option(profile_label(p, current=p.name == self.current, width=width), id=p.name)
            for p in self.profiles
        ]
        with Vertical(id="profile-box"):
            yield Static(Content.styled("Switch profile", "bold"), id="profile-title")
            if options:
                yield OptionList(*options, id="profile-list")
            if self.note:
                note = Static(Content(self.note), id="profile-note")
                note.set_class(bool(options), "-after-list")
                yield note
            hint = "Enter switches · Esc closes" if len(options) > 1 else "Esc closes"
            yield Static(Content(hint), id="profile-hint")

    def on_mount(self) -> None:
        for option_list in self.query("#profile-list").results(OptionList):
            names = [p.name for p in self.profiles]
            if self.current in names:
                option_list.highlighted = names.index(self.current)
            option_list.focus()

    @on(OptionList.OptionSelected, "#profile-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        self.dismiss(name if name and name != self.current else None)

    def action_cursor(self, delta: int) -> None:
        for option_list in self.query("#profile-list").results(OptionList):
            if option_list.option_count:
                current = option_list.highlighted or 0
                last = option_list.option_count - 1
                option_list.highlighted = max(0, min(last, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
