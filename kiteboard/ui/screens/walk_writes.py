"""The triage walk's writes: each decision sent through the session's writer, in a
worker of the walk screen, while the walk has already gone on to the next card.

A move goes through `ItemWriter.move_item` (the store has the card in its new column
at once, and back if Kitemaker refuses); labels, effort and impact through
`ItemWriter.set_fields` with only that field (a PUT never overwrites the others). The
writer records each one in the session's undo history (store/undo.py), so `u` in the
walk, on the board and on an item's screen undo the same steps, in the order made.
When Kitemaker refuses, the walk forgets the decision and says so, in a message that
stays until read: the person has moved on and would not see the card change back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.walk_model import FIELD_OF, Decision, WalkState
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from textual.worker import Worker

    from kiteboard.store.undo import UndoStep
    from kiteboard.store.writer import ItemWriter
    from kiteboard.ui.screens.board_writing import WritingHost


class WalkHost(Protocol):
    """What the writes need from the walk screen."""

    state: WalkState

    def writer(self) -> ItemWriter | None: ...

    def reference(self, item_id: str) -> str: ...

    def column_name(self, status_id: str | None) -> str: ...

    def label_name(self, label_id: str) -> str: ...

    def say(self, text: str) -> None: ...

    def card_changed(self, item_id: str) -> None:
        """Show the card again if it is the one shown (its pending field went)."""

    def show_card(self, item_id: str) -> None:
        """Go to the card (undo shows the card it restored)."""

    def undo_host(self) -> WritingHost:
        """What the board's `u` (undo_key.py) acts through, from the walk."""

    def item_gone(self) -> None:
        """Kitemaker no longer has an item: refresh the space."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def run_write(self, work: Any, group: str) -> Worker[Any]:
        """Run a write in a worker that outlives the walk (the app's): a write still
        on its way when the walk ends must not be cancelled with the screen."""


def describe(host: WalkHost, decision: Decision) -> str:
    """What a decision does, in the words the walk says it: `KB-56 → Todo`."""
    reference = host.reference(decision.item_id)
    if decision.kind == "move":
        return f"{reference} → {host.column_name(decision.after)}"
    if decision.kind == "labels":
        added = [f"+{host.label_name(x)}" for x in decision.after if x not in decision.before]
        gone = [f"−{host.label_name(x)}" for x in decision.before if x not in decision.after]
        return f"{reference} labels {' '.join(added + gone)}"
    if decision.kind in ("effort", "impact"):
        return f"{reference} {decision.kind} → {decision.after or 'none'}"
    return f"{reference} {decision.kind}"


class WalkWrites:
    def __init__(self, host: WalkHost) -> None:
        self._host = host
        # The history steps the walk's decisions made (to take an undone one out of
        # the summary). Compared by identity: a step is the writer's own object.
        self._steps: list[tuple[UndoStep, Decision]] = []

        self._queued: list[Decision] = []

    def queue(self, decision: Decision) -> None:
        """Sent by `flush`, once the next card is on screen (the write's own work, some
        milliseconds, does not come before that frame)."""
        self._queued.append(decision)

    def flush(self) -> None:
        """Send what is queued. Not exclusive: every decision is sent; the writer keeps
        one card's writes in order."""
        queued, self._queued = self._queued, []
        for decision in queued:
            self._host.run_write(self._send(decision), "walk-write")

    async def _send(self, decision: Decision) -> None:
        host = self._host
        writer = host.writer()
        if writer is None:
            self._failed(decision, "Not connected to Kitemaker.", gone=False)
            return
        if decision.kind == "move":
            result = await writer.move_item(decision.item_id, decision.after)
        else:
            field = FIELD_OF[decision.kind]
            result = await writer.set_fields(decision.item_id, **{field: decision.after})
        from kiteboard.store.write_results import NeedsRetry, Saved

        host.state.settle(decision)
        if isinstance(result, Saved):
            step = writer.history.peek()  # (pushed by the write just awaited)
            if result.value is not None and step is not None:
                self._steps.append((step, decision))
            if result.note:
                host.say(f"{describe(host, decision)} · {result.note}")
            host.card_changed(decision.item_id)
            return
        if isinstance(result, NeedsRetry):
            self._failed(decision, result.reason, gone=False)
            return
        text = result.message
        if result.kind == "invalid":
            text = f"Kitemaker refused it: {result.message}"
        self._failed(decision, text, gone=result.kind == "gone")

    def _failed(self, decision: Decision, why: str, *, gone: bool) -> None:
        host = self._host
        host.state.withdraw(decision)
        title = f"Not saved: {describe(host, decision)}"
        if decision.kind == "move":
            title = f"{host.reference(decision.item_id)} moved back"
        if gone:
            host.item_gone()
        host.say(f"{title}: {safe_line(why, max_chars=200)}")
        host.notify(safe_line(why, max_chars=500), title=title, severity="error", markup=False)
        host.card_changed(decision.item_id)

    # -- undo: the session's history, shared with the board --------------------------------

    def undo(self) -> None:
        self._host.run_write(self._undo(), "walk-undo")

    async def _undo(self) -> None:
        """The board's `u` (undo_key.undo_last: it asks before overwriting someone
        else's change), speaking on the walk's line, and showing the card it restored."""
        from kiteboard.ui.screens.undo_key import undo_last

        host = self._host
        writer = host.writer()
        if writer is None:
            host.say("Not connected to Kitemaker yet; undoing needs a connection.")
            return
        step = writer.history.peek()
        await undo_last(host.undo_host())
        if step is None or not step.undoable or writer.history.peek() is step:
            return  # nothing undone (or not all of it: u again tries the rest)
        for index, (done, decision) in enumerate(self._steps):
            if done is step:
                host.state.withdraw(decision)
                del self._steps[index]
                break
        if step.changes:
            host.show_card(step.changes[0].item_id)
