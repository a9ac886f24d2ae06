"""`u`: undo this session's last write, on the board or an item's screen (and from the
triage walk: `await undo_last(screen)` in a worker of a screen that is a WritingHost).

The history is the writer's (store/undo.py): a move, an edit, a batch of marked cards
is one step; `u` again goes one step further back. When someone else changed the item
since our write (its updatedAt moved on), a modal asks before overwriting. Comments and
creations are not undone (Kitemaker's API deletes neither): `u` says so when it reaches
one, and the next `u` goes on past it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiteboard.ui.host import host_of
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.ui.screens.board_writing import WritingHost


async def undo_last(host: WritingHost) -> None:
    """Run in a worker of `host` (the modal is waited for)."""
    writer = host_of(host).session.writer()
    if writer is None:
        return
    async with writer.history.lock:  # `u u` typed fast: two steps, not one twice
        plan = await writer.prepare_undo()
        if plan is None:
            host.notify("Nothing to undo: no move or edit made in this session.", markup=False)
            return
        step = plan.step
        if not step.undoable:
            writer.history.discard(step)
            host.notify(
                f"{step.what} is not undone: comments and new items stay (Kitemaker's "
                "API deletes neither). u again goes further back.",
                markup=False,
            )
            return
        if plan.changed_by_others:
            from kiteboard.ui.screens.forms.confirm import OverwriteConfirm

            overwrite = await host.app.push_screen_wait(
                OverwriteConfirm(step.what, plan.changed_by_others)
            )
            if not overwrite:
                host.notify(f"Not undone: {step.what} (kept as they changed it).", markup=False)
                return
        result = await writer.undo(plan)
    for change in result.restored:
        if change.is_move:
            host.item_moved(change.item_id)  # the cursor follows the card back
            break
    severity = "warning" if result.failed else "information"
    host.notify(safe_line(result.summary(), max_chars=300), severity=severity, markup=False)
