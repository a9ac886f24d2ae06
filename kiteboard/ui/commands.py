"""The one registry of kiteboard's commands: every key, footer hint, help row and
palette entry comes from here.

    class BoardScreen(Screen[None]):
        BINDINGS = commands.bindings_for("board")

A command has an id (what the config's [keymap] table names: `board.down = "n"`),
default keys, the action it runs, a title (help and palette: "Move card to…"), a
one-line description, a help group, the scopes where its keys work (a screen's or a
widget's name; "app" is everywhere) and, when the footer shows it, a short label and
a rank (the footer keeps the lowest ranks when the terminal is narrow).

Adding a command is one entry here plus its `action_…` method. A test walks every
kiteboard class with BINDINGS and fails on a binding that is not this registry's.
Importing this module imports no screen: the [keymap] check and the help read it alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from textual.binding import Binding, BindingType


class Command(NamedTuple):
    id: str
    keys: str  # Textual key names, comma separated: "j,down"
    action: str  # run on the scope's screen, widget or app
    title: str
    description: str
    group: str
    scopes: tuple[str, ...]
    footer: str = ""  # the footer's label; "" keeps the command out of the footer
    rank: int = 50  # footer: lower ranks stay when the width is short
    priority: bool = False  # handled before the focused widget sees the key
    palette: bool = True  # offered in the command palette
    key_display: str | None = None  # the footer's key when not the key's own ("↑↓")

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.footer or self.title,
            show=bool(self.footer),
            key_display=self.key_display,
            priority=self.priority,
            tooltip=self.description,
            id=self.id,
        )


# Help groups, in the order the help shows them.
GROUPS = (
    "Board",
    "Writing",
    "Item detail",
    "Triage walk",
    "Activity",
    "Effort and impact",
    "Writing forms",
    "Move to column",
    "Space picker",
    "Theme picker",
    "Profile picker",
    "Starting",
    "This help",
    "Everywhere",
)

# Scopes that are screens (their commands are offered by the palette there); the
# others are widgets (keys that act on the widget with the focus: scrolling).
SCREEN_SCOPES = frozenset({"board", "item", "walk", "spaces", "activity", "app"})

_BOARD = ("board",)
_WRITING = ("board", "item")


def _scrolling(prefix: str, group: str, scope: str) -> list[Command]:
    """The keys of a scrolled text (the item detail, the help): the board's keys."""
    rows = [
        ("down", "j,down", "scroll_down", "Scroll down", "Scroll one line down"),
        ("up", "k,up", "scroll_up", "Scroll up", "Scroll one line up"),
        ("top", "g,home", "scroll_home", "Scroll to top", "Go to the top"),
        ("bottom", "G,end", "scroll_end", "Scroll to bottom", "Go to the bottom"),
        ("page_down", "ctrl+d,pagedown,space", "page_down", "Page down", "Scroll a page down"),
        ("page_up", "ctrl+u,pageup", "page_up", "Page up", "Scroll a page up"),
    ]
    return [
        Command(f"{prefix}.{name}", keys, action, title, text, group, (scope,), palette=False)
        for name, keys, action, title, text in rows
    ]


def _move_to_column(n: int) -> Command:
    # Triage at one key per card: the nth column, without moving the highlight.
    return Command(
        f"form.status.{n}", str(n), f"pick({n - 1})", f"Column {n}",
        f"Move to the board's column {n}", "Move to column", ("form.status",),
    )  # fmt: skip


def _walk_to_column(n: int) -> Command:
    # The triage walk's one-key moves: the board's nth column, then the next card.
    return Command(
        f"walk.column_{n}", str(n), f"move_to({n - 1})", f"Move to column {n}",
        f"Move the card to the board's column {n} and show the next", "Triage walk",
        ("walk",), palette=False,
    )  # fmt: skip


_SIZE_KEYS = (("small", "s"), ("medium", "m"), ("large", "l"), ("none", "n"))


def _size_choice(size: str, key: str) -> Command:
    return Command(
        f"size.{size}", key, f"choose('{size}')", size.capitalize(),
        f"Set it to {size}", "Effort and impact", ("form.size",),
        footer=size.capitalize(), rank=1 + [s for s, _ in _SIZE_KEYS].index(size),
    )  # fmt: skip


# fmt: off
COMMANDS: tuple[Command, ...] = (
    # -- writing (the board, and an item's own screen) -------------------------------
    Command("board.new_item", "c", "writing('new_item')", "New item…",
            "Write a new item in the focused column", "Writing", _WRITING,
            footer="New", rank=4),
    Command("board.edit_item", "e", "writing('edit_item')", "Edit item…",
            "Edit the item's title, description, column and labels", "Writing", _WRITING,
            footer="Edit", rank=5),
    Command("board.move_item", "m", "writing('move_item')", "Move card to…",
            "Pick the column to move the item to", "Writing", _WRITING,
            footer="Move", rank=6),
    Command("board.comment", "a", "writing('comment')", "Comment…",
            "Write a comment on the item", "Writing", _WRITING,
            footer="Comment", rank=7),
    Command("board.move_left", "H,shift+h", "writing('move_by', -1)", "Move card left",
            "Move the item to the column on the left", "Writing", _WRITING,
            footer="Move ←→", rank=11),
    Command("board.move_right", "L,shift+l", "writing('move_by', 1)", "Move card right",
            "Move the item to the column on the right", "Writing", _WRITING,
            footer="Move ←→", rank=11),
    Command("board.labels", "number_sign", "writing('labels')", "Labels…",
            "Toggle labels of the marked cards (else of the item)", "Writing", _WRITING),
    Command("board.effort", "E,shift+e", "writing('size', 'effort')", "Effort…",
            "Set the effort of the marked cards (else of the item)", "Writing", _WRITING),
    Command("board.impact", "I,shift+i", "writing('size', 'impact')", "Impact…",
            "Set the impact of the marked cards (else of the item)", "Writing", _WRITING),
    Command("board.undo", "u", "writing('undo')", "Undo",
            "Undo this session's last move or edit (u again goes further back)", "Writing",
            _WRITING, footer="Undo", rank=15),
    # -- the board -----------------------------------------------------------------
    Command("board.down", "j,down", "cursor(1)", "Card down",
            "Move the cursor one card down", "Board", _BOARD),
    Command("board.up", "k,up", "cursor(-1)", "Card up",
            "Move the cursor one card up", "Board", _BOARD),
    Command("board.left", "h,left", "column(-1)", "Column left",
            "Go to the column on the left", "Board", _BOARD),
    Command("board.right", "l,right", "column(1)", "Column right",
            "Go to the column on the right", "Board", _BOARD),
    Command("board.top", "g,home", "edge(-1)", "First card",
            "Go to the column's first card", "Board", _BOARD),
    Command("board.bottom", "G,end", "edge(1)", "Last card",
            "Go to the column's last card", "Board", _BOARD),
    Command("board.half_down", "ctrl+d", "half_page(1)", "Half page down",
            "Move the cursor half a screen down", "Board", _BOARD),
    Command("board.half_up", "ctrl+u", "half_page(-1)", "Half page up",
            "Move the cursor half a screen up", "Board", _BOARD),
    Command("board.page_down", "pagedown", "page(1)", "Page down",
            "Move the cursor a screen down", "Board", _BOARD),
    Command("board.page_up", "pageup", "page(-1)", "Page up",
            "Move the cursor a screen up", "Board", _BOARD),
    Command("board.open", "enter", "open", "Open card",
            "Show the card's item: its description, labels and comments", "Board", _BOARD,
            footer="Open", rank=3),
    # (the board, an item's screen, the triage walk)
    Command("board.copy_reference", "y", "copy(0)", "Copy reference",
            "Copy the item's reference (KB-123) to the clipboard (OSC 52: over SSH too)",
            "Board", (*_WRITING, "walk")),
    Command("board.copy_title", "Y,shift+y", "copy(1)", "Copy reference and title",
            "Copy the item's reference and title to the clipboard (OSC 52)", "Board",
            (*_WRITING, "walk")),
    # priority: handled as the key arrives, so the letters typed right after it
    # (fast typing, a paste over SSH) go to the filter field, not to the board.
    Command("board.filter", "slash", "filter", "Filter cards",
            "Show only the cards whose title, number or label matches", "Board", _BOARD,
            footer="Filter", rank=8, priority=True),
    Command("board.walk", "t", "walk", "Triage this column",
            "Walk through the focused column's cards one at a time, newest first",
            "Board", _BOARD, footer="Triage", rank=9),
    Command("board.mark", "v", "mark", "Mark card",
            "Mark or unmark the card and go to the next; m, H, L then act on every "
            "marked card", "Board", _BOARD, footer="Mark", rank=16),
    Command("board.mark_column", "V,shift+v", "mark_column", "Mark column",
            "Mark every card the column shows (again: unmark them)", "Board", _BOARD),
    Command("board.back", "escape", "back", "Back",
            "Clear the marks; else close the detail pane; else clear the filter", "Board",
            _BOARD, palette=False),
    Command("board.refresh", "r", "refresh", "Refresh space",
            "Ask Kitemaker for the space's changes now", "Board", _BOARD,
            footer="Refresh", rank=12),
    Command("board.space_key", "K", "set_space_key", "Set space key…",
            "Tell the space's key (the KB of KB-12) when Kitemaker's API does not",
            "Board", _BOARD),
    # -- an item's own screen (narrow terminals) -------------------------------------
    Command("detail.close", "escape,q", "close", "Back to the board",
            "Close the item", "Item detail", ("item",), footer="Back", rank=3),
    *_scrolling("detail", "Item detail", "detail"),
    # -- the triage walk (`t`): a column's cards one at a time ------------------------
    # n and Space: priority, as the item text (focused, for j/k) pages on Space.
    Command("walk.skip", "n,space", "skip", "Skip",
            "Leave the card as it is and show the next", "Triage walk", ("walk",),
            footer="Skip", rank=1, priority=True),
    Command("walk.move_left", "H,shift+h", "move_by(-1)", "Move card left",
            "Move the card to the column on the left and show the next", "Triage walk",
            ("walk",), footer="Move ←→", rank=2),
    Command("walk.move_right", "L,shift+l", "move_by(1)", "Move card right",
            "Move the card to the column on the right and show the next", "Triage walk",
            ("walk",), footer="Move ←→", rank=2),
    *(_walk_to_column(n) for n in range(1, 10)),
    Command("walk.labels", "number_sign", "labels", "Labels…",
            "Toggle the card's labels (type to filter, or name a new one)", "Triage walk",
            ("walk",), footer="Labels", rank=3),
    Command("walk.effort", "E,shift+e", "size('effort')", "Effort…",
            "Set the card's effort: small, medium, large or none", "Triage walk",
            ("walk",), footer="Effort", rank=4),
    Command("walk.impact", "I,shift+i", "size('impact')", "Impact…",
            "Set the card's impact: small, medium, large or none", "Triage walk",
            ("walk",), footer="Impact", rank=5),
    Command("walk.undo", "u", "undo", "Undo",
            "Undo the walk's last change (a move, labels, effort, impact)", "Triage walk",
            ("walk",), footer="Undo", rank=6),
    Command("walk.previous", "p", "previous", "Previous card",
            "Show the card before this one again", "Triage walk", ("walk",),
            footer="Prev", rank=8),
    Command("walk.edit", "e", "edit", "Edit item…",
            "Edit the card's title, description, column and labels", "Triage walk",
            ("walk",), footer="Edit", rank=9),
    Command("walk.comment", "a", "comment", "Comment…",
            "Write a comment on the card", "Triage walk", ("walk",),
            footer="Comment", rank=10),
    Command("walk.end", "q,escape", "end", "End the walk",
            "Back to the board, with a summary, the cursor on the last card seen",
            "Triage walk", ("walk",), footer="Done", rank=0),
    # -- activity (`A`): what changed in the organization's spaces ---------------------
    # priority: before the list's own (hidden) Enter, so that the footer shows it.
    Command("activity.open", "enter", "open", "Open on its board",
            "Open the entry's item on its board, the cursor on it", "Activity",
            ("activity",), footer="Open", rank=1, priority=True),
    # priority: the letters typed right after it go to the filter field (as the board's).
    Command("activity.filter", "slash", "filter", "Filter activity",
            "Show only a space's entries, or a kind (moved, comment…), or both",
            "Activity", ("activity",), footer="Filter", rank=2, priority=True),
    Command("activity.down", "j", "cursor(1)", "Next entry",
            "Move the cursor one entry down", "Activity", ("activity",), palette=False),
    Command("activity.up", "k", "cursor(-1)", "Previous entry",
            "Move the cursor one entry up", "Activity", ("activity",), palette=False),
    Command("activity.top", "g", "edge(-1)", "Newest entry",
            "Go to the newest entry", "Activity", ("activity",), palette=False),
    Command("activity.bottom", "G", "edge(1)", "Oldest entry",
            "Go to the oldest entry", "Activity", ("activity",), palette=False),
    Command("activity.back", "escape,q", "back", "Back",
            "Clear the filter; else close the activity", "Activity", ("activity",),
            footer="Back", rank=3),
    # -- effort and impact (the small pickers of the walk and of marked cards) --------
    *(_size_choice(size, key) for size, key in _SIZE_KEYS),
    Command("size.cancel", "escape", "cancel", "Cancel",
            "Leave it as it is", "Effort and impact", ("form.size",),
            footer="Cancel", rank=5),
    # -- writing forms ---------------------------------------------------------------
    Command("form.send", "ctrl+s", "submit", "Send",
            "Send the form to Kitemaker", "Writing forms", ("form",),
            footer="Send", rank=1, priority=True),
    Command("form.cancel", "escape", "cancel", "Cancel",
            "Close the form (a draft is kept)", "Writing forms", ("form",),
            footer="Cancel", rank=2),
    Command("form.editor", "ctrl+o", "open_editor", "Edit in $EDITOR",
            "Write the description in your own editor", "Writing forms", ("form",),
            footer="Edit in $EDITOR", rank=3),
    Command("form.labels.done", "escape", "done", "Done",
            "Close the labels, keeping what was toggled", "Writing forms",
            ("form.labels_only",), footer="Done", rank=1),
    Command("form.labels.next", "down", "move(1)", "Next label",
            "Highlight the next label", "Writing forms", ("form.labels",)),
    Command("form.labels.previous", "up", "move(-1)", "Previous label",
            "Highlight the previous label", "Writing forms", ("form.labels",)),
    Command("form.confirm.discard", "d", "choose('discard')", "Discard",
            "Throw the draft away", "Writing forms", ("form.confirm",),
            footer="Discard", rank=1),
    Command("form.confirm.keep", "k", "choose('keep')", "Keep draft",
            "Close the form and keep the draft for next time", "Writing forms",
            ("form.confirm",), footer="Keep draft", rank=2),
    Command("form.confirm.back", "escape", "back", "Back to the form",
            "Go on writing", "Writing forms", ("form.confirm",),
            footer="Back to the form", rank=3),
    Command("form.overwrite.yes", "y", "answer(True)", "Undo anyway",
            "Overwrite the change someone else made since your write", "Writing forms",
            ("form.overwrite",), footer="Undo anyway", rank=1),
    Command("form.overwrite.no", "n,escape", "answer(False)", "Keep theirs",
            "Leave the item as it is now", "Writing forms", ("form.overwrite",),
            footer="Keep theirs", rank=2),
    # -- move to column (the status picker) ------------------------------------------
    Command("form.status.cancel", "escape", "cancel", "Cancel",
            "Leave the card where it is", "Move to column", ("form.status",),
            footer="Cancel", rank=1),
    Command("form.status.down", "j", "cursor(1)", "Down",
            "Highlight the next column", "Move to column", ("form.status",)),
    Command("form.status.up", "k", "cursor(-1)", "Up",
            "Highlight the previous column", "Move to column", ("form.status",)),
    *(_move_to_column(n) for n in range(1, 10)),
    # -- space picker ----------------------------------------------------------------
    # Esc goes back to the board, or (when there is no board to go back to, the first
    # start) clears what was typed, then quits: each shows in the footer only when it
    # can act. Every letter goes to the filter (a name may start with q).
    # priority on the arrows and Enter: the filter field has the focus, and its own
    # (hidden) Enter would keep them out of the footer; they do what it would do.
    Command("spaces.back", "escape", "cancel", "Back",
            "Go back to the board", "Space picker", ("spaces",), footer="Back", rank=2),
    Command("spaces.clear", "escape", "clear_filter", "Clear",
            "Clear what was typed", "Space picker", ("spaces",), footer="Clear", rank=2),
    Command("spaces.quit", "escape", "quit", "Quit",
            "Leave kiteboard (nothing typed, no board yet)", "Space picker", ("spaces",),
            footer="Quit", rank=2, palette=False),
    Command("spaces.down", "down", "cursor(1)", "Next",
            "Highlight the next space", "Space picker", ("spaces",),
            footer="Move", rank=3, priority=True, key_display="↑↓"),
    Command("spaces.up", "up", "cursor(-1)", "Previous",
            "Highlight the previous space", "Space picker", ("spaces",), priority=True),
    Command("spaces.open", "enter", "choose", "Open",
            "Open the highlighted space", "Space picker", ("spaces",), footer="Open", rank=1,
            priority=True),
    # -- theme and profile pickers ---------------------------------------------------
    Command("theme.cancel", "escape", "cancel", "Cancel",
            "Go back to the theme you had", "Theme picker", ("theme",),
            footer="Cancel", rank=1),
    Command("theme.down", "j", "cursor(1)", "Next",
            "Highlight (and preview) the next theme", "Theme picker", ("theme",)),
    Command("theme.up", "k", "cursor(-1)", "Previous",
            "Highlight (and preview) the previous theme", "Theme picker", ("theme",)),
    Command("profile.cancel", "escape", "cancel", "Cancel",
            "Stay on this profile", "Profile picker", ("profile",), footer="Cancel", rank=1),
    Command("profile.down", "j", "cursor(1)", "Next",
            "Highlight the next profile", "Profile picker", ("profile",)),
    Command("profile.up", "k", "cursor(-1)", "Previous",
            "Highlight the previous profile", "Profile picker", ("profile",)),
    # -- starting --------------------------------------------------------------------
    Command("first_run.demo", "d", "demo", "Try the demo",
            "Start with the demo's made-up organization", "Starting", ("first_run",),
            footer="Try the demo", rank=1),
    Command("first_run.quit", "q,escape", "quit", "Quit",
            "Leave kiteboard", "Starting", ("first_run",), footer="Quit", rank=2),
    Command("connecting.retry", "r", "retry", "Try again",
            "Connect to Kitemaker again", "Starting", ("connecting",),
            footer="Try again", rank=1),
    Command("space_key.skip", "escape", "skip", "Not now",
            "Go on without the space's key", "Starting", ("space_key",),
            footer="Not now", rank=1),
    # -- the help --------------------------------------------------------------------
    # (The letters filter the help: it scrolls with the arrows and page keys.)
    Command("help.down", "down", "scroll('scroll_down')", "Scroll down",
            "Scroll one line down", "This help", ("help",), palette=False),
    Command("help.up", "up", "scroll('scroll_up')", "Scroll up",
            "Scroll one line up", "This help", ("help",), palette=False),
    Command("help.top", "ctrl+home", "scroll('scroll_home')", "Scroll to top",
            "Go to the top", "This help", ("help",), palette=False),
    Command("help.bottom", "ctrl+end", "scroll('scroll_end')", "Scroll to bottom",
            "Go to the bottom", "This help", ("help",), palette=False),
    Command("help.page_down", "pagedown", "scroll('page_down')", "Page down",
            "Scroll a page down", "This help", ("help",), palette=False),
    Command("help.page_up", "pageup", "scroll('page_up')", "Page up",
            "Scroll a page up", "This help", ("help",), palette=False),
    Command("help.close", "escape", "close", "Close",
            "Clear the filter, or close the help", "This help", ("help",), palette=False),
    # -- everywhere ------------------------------------------------------------------
    Command("app.palette", "colon,ctrl+k", "command_palette", "Commands",
            "Find a command, a space or an item by typing", "Everywhere", ("app",),
            footer="Commands", rank=2, palette=False),
    Command("app.activity", "A,shift+a", "activity", "Activity",
            "What changed in the organization's spaces, newest first; new entries "
            "since you last looked are marked", "Everywhere", ("app",)),
    Command("app.spaces", "s", "switch_space", "Open space…",
            "Pick a space to open", "Everywhere", ("app",), footer="Spaces", rank=9),
    Command("app.theme", "ctrl+t", "pick_theme", "Pick theme…",
            "Choose the colors (remembered)", "Everywhere", ("app",),
            footer="Theme", rank=13),
    Command("app.profile", "ctrl+p", "pick_profile", "Switch profile…",
            "Use another account of the config file", "Everywhere", ("app",),
            footer="Profile", rank=14),
    Command("app.help", "question_mark", "help", "Keys and commands",
            "Every key of every screen, filtered as you type", "Everywhere", ("app",),
            footer="Help", rank=1),
    Command("app.quit", "q", "quit", "Quit",
            "Leave kiteboard", "Everywhere", ("app",), footer="Quit", rank=10),
)
# fmt: on

BY_ID: Mapping[str, Command] = {command.id: command for command in COMMANDS}


def bindings_for(scope: str) -> list[BindingType]:
    """The bindings of the commands that work in `scope`, in the registry's order."""
    return [command.binding() for command in COMMANDS if scope in command.scopes]


def in_scope(*scopes: str) -> Iterator[Command]:
    """The commands of any of `scopes`, in the registry's order."""
    return (command for command in COMMANDS if not set(scopes).isdisjoint(command.scopes))


def command_ids() -> set[str]:
    """Every id the config's [keymap] table may name."""
    return set(BY_ID)


def footer_rank(binding_id: str | None) -> int:
    command = BY_ID.get(binding_id or "")
    return command.rank if command is not None else 50


# How keys are named in the help and the palette (Textual's names are for config files).
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "escape": "Esc",
    "enter": "Enter",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "number_sign": "#",
    "home": "Home",
    "end": "End",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_label(keys: str) -> str:
    """ "j,down" → "j ↓"; "ctrl+k" → "Ctrl+k"."""
    labels = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            labels.append("Ctrl+" + _KEY_NAMES.get(key[5:], key[5:]))
        else:
            labels.append(_KEY_NAMES.get(key, key))
    return " ".join(labels)


def keys_of(command: Command, keymap: Mapping[str, str]) -> str:
    """The command's keys, as the config's [keymap] may have changed them."""
    return keymap.get(command.id, command.keys)
