"""`y` copies the item's reference (`KB-123`), `Y` its reference and title, to the
system clipboard, from the board (the cursor's card, or the pane's when it has the
focus), an item's screen and the triage walk.

Through Textual's `App.copy_to_clipboard`: one OSC 52 sequence (`ESC ] 52 ; c ;
<base64> BEL`), which the terminal turns into a clipboard write. It is the only way
that works over SSH (no clipboard tool on the remote machine can reach yours), and it
passes through tmux when tmux lets applications set the clipboard (`set -g
set-clipboard on`; see the README). The title is the API's text: cleaned by
`safe_line` (no controls, no escapes, one line) before it is encoded, so what lands
in the clipboard, and in a terminal it is pasted into, is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.board_model import reference
from kiteboard.ui.host import host_of
from kiteboard.ui.widgets.card import truncate
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from textual.app import App

    from kiteboard.store.rows import SpaceRow

# The message names what was copied, cut to this many cells (one line at 80 columns).
_SHOWN = 48


class CopyHost(Protocol):
    """What copying needs from the screen: its space, its item, a way to say it."""

    space: SpaceRow

    @property
    def app(self) -> App[Any]: ...

    def target_item_id(self) -> str | None: ...

    def notify(self, message: str, *, markup: bool = True) -> None: ...


def copied_text(
    space_key: str | None, number: int | None, title: str | None, *, with_title: bool
) -> str:
    """`KB-123`, or `KB-123 Fix the login page` (the title made plain, one line)."""
    ref = reference(space_key, number)
    if not with_title:
        return ref
    title = safe_line(title).strip()
    return f"{ref} {title}" if title else ref


def copy_reference(host: CopyHost, *, with_title: bool) -> None:
    item_id = host.target_item_id()
    store = host_of(host.app).session.store
    card = store.read.card(item_id) if store is not None and item_id else None
    if card is None:
        host.app.bell()
        host.notify("No card here to copy.", markup=False)
        return
    if card.number is None:
        host.notify("This item has no number yet: nothing copied.", markup=False)
        return
    space = store.read.space(host.space.id) if store is not None else None
    key = (space or host.space).key  # (it may have been learned since the screen opened)
    text = copied_text(key, card.number, card.title, with_title=with_title)
    host.app.copy_to_clipboard(text)
    host.notify(f"Copied {truncate(text, _SHOWN)}", markup=False)
