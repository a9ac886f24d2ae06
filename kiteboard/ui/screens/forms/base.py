"""What every writing form shares: its draft, sending, the message line, Esc, $EDITOR.

A form's content is saved as a draft in the store while it is typed (debounced, and at
once when the form goes away, the app quits or an editor takes over), so that a quit,
a crash or a killed terminal loses nothing; opening the same form restores it. A form
that was sent clears its draft. Sending runs in a worker; the form says "Sending…"
and cannot be sent twice at once.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import work
from textual.binding import BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static, TextArea

from kiteboard.store.write_results import NeedsRetry, Refused, Saved, WriteResult
from kiteboard.ui import commands
from kiteboard.ui.screens.forms.confirm import DiscardChoice, DiscardConfirm
from kiteboard.ui.screens.forms.draft_owner import mark_sending, sent_elsewhere
from kiteboard.ui.screens.forms.editor import edit_in_editor
from kiteboard.ui.widgets.safe_text import safe_block

if TYPE_CHECKING:
    from kiteboard.store.db import Store

ResultT = TypeVar("ResultT")

DRAFT_DELAY = 0.5  # seconds of quiet typing before the draft is written


class FormMessage(Static):
    """The line under a form that says what happened: restored, sending, errors."""


class DraftForm(ModalScreen[ResultT], Generic[ResultT]):
    """Base of the item and comment forms. Subclasses provide the content."""

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form")

    sending: reactive[bool] = reactive(False, bindings=True)

    def __init__(
        self, store: Store, draft_key: str, *, on_gone: Callable[[], object] | None = None
    ) -> None:
        """``on_gone``: called when Kitemaker says the item no longer exists (the board
        refreshes the space)."""
        super().__init__()
        self.store = store
        self.draft_key = draft_key
        self.on_gone = on_gone
        self.gone = False  # the item was deleted in Kitemaker: sending cannot help
        self.draft_restored = False
        # Set after an unknown outcome (create/comment): the next send checks the
        # change feed first. Kept in the draft, so it survives a restart.
        self.unconfirmed_since: float | None = None
        self._draft_timer: Timer | None = None
        self._finished = False  # sent or discarded: nothing more to save
        self._pending: tuple[dict[str, Any] | None] | None = None  # captured, not written
        # When the send now in flight began: in the draft while it flies, so that if the
        # app dies before the answer, the next send looks for it in the change feed.
        self._in_flight_since: float | None = None
        self._said_not_kept = False  # said that the draft could not be written

    # -- for subclasses --------------------------------------------------------------------

    def content_state(self) -> dict[str, Any]:
        """What was typed, JSON-able."""
        raise NotImplementedError

    def is_pristine(self) -> bool:
        """True when nothing differs from how the form opened (empty or the item)."""
        raise NotImplementedError

    def restore_state(self, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def validate_content(self) -> dict[str, str]:
        """{field: message} for what must be fixed before sending."""
        return {}

    def show_problems(self, problems: dict[str, str]) -> None:
        self.say(" ".join(problems.values()), error=True)

    async def send(self) -> WriteResult[Any]:
        raise NotImplementedError

    def finish(self, result: Saved[Any]) -> None:
        """Called once the write is saved; dismisses the form."""
        raise NotImplementedError

    def editor_target(self) -> TextArea | None:
        """The multi-line field $EDITOR edits when no multi-line field is focused."""
        return None

    # -- drafts ------------------------------------------------------------------------------

    def restore_draft(self) -> None:
        """Call from on_mount after the fields are built."""
        draft = self.store.local.load_draft(self.draft_key)
        if not draft:
            return
        if (sender := sent_elsewhere(draft)) is not None:
            self.say(f"Another kiteboard (process {sender}) is sending this form's draft.")
            return
        self.restore_state(draft)
        # A send that was still in flight when the app died counts as unconfirmed too.
        stamps = [draft.get(key) for key in ("unconfirmed_since", "in_flight_since")]
        known = [float(x) for x in stamps if isinstance(x, int | float)]
        self.unconfirmed_since = min(known) if known else None
        self.draft_restored = True
        self.say("Draft restored.")

    def content_changed(self) -> None:
        """Subclasses call this from their fields' Changed handlers: what is typed now
        is captured at once (cheap), and written after a moment of quiet."""
        if self._finished:
            return
        self._capture()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.flush_draft)

    def _capture(self) -> None:
        # Captured while the fields exist: at unmount they are already gone.
        pristine = self.is_pristine() and self.unconfirmed_since is None
        state = None if pristine else self.content_state()
        if state is not None and self.unconfirmed_since is not None:
            state["unconfirmed_since"] = self.unconfirmed_since
        if state is not None and self._in_flight_since is not None:
            state["in_flight_since"] = self._in_flight_since
            mark_sending(state)
        self._pending = (state,)

    def flush_draft(self) -> None:
        """Write what was captured last (clearing the draft when nothing was typed)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        pending, self._pending = self._pending, None
        if pending is None or self._finished:
            return
        (state,) = pending
        self._write_draft(state)

    def _write_draft(self, state: dict[str, Any] | None) -> None:
        """Keep ``state`` as the draft (None: clear it). A store that cannot be written
        (a full disk) costs the draft only: the form stays with what is typed, and can
        still be sent; it says so once."""
        try:
            if sent_elsewhere(self.store.local.load_draft(self.draft_key)) is not None:
                return  # another kiteboard's, until its answer is in
            if state is None:
                self.store.local.clear_draft(self.draft_key)
            else:
                self.store.local.save_draft(self.draft_key, state)
        except (sqlite3.Error, OSError) as error:
            if not self._said_not_kept:
                self._said_not_kept = True
                self._say_not_kept(error)
            return
        self._said_not_kept = False  # written again: a new failure is news again

    def _say_not_kept(self, error: BaseException) -> None:
        from kiteboard.failures import explain

        failure = explain(error, where=self.store.path)
        text = f"Draft not saved: {failure.line}. What is typed stays here; Ctrl+S sends it."
        self.say(text, error=True)
        self.app.notify(text, title=failure.title, severity="warning", timeout=10, markup=False)

    def save_draft_now(self) -> None:
        """Capture and write at once (before sending, or handing over to an editor)."""
        if not self._finished:
            self._capture()
            self.flush_draft()

    def on_unmount(self) -> None:
        # The form goes away (dismissed, or the app quits): keep what was typed.
        self.flush_draft()

    # -- messages ------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` literally (it may hold the API's words) on the message line."""
        line = self.query_one(FormMessage)
        line.update(Content(safe_block(text, max_chars=2_000)))
        line.set_class(error, "-error")
        line.set_class(not error and bool(text), "-info")

    # -- sending -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and self.sending:
            return None  # shown greyed out: a second Ctrl+S does nothing
        return True

    @property
    def holds_keys(self) -> bool:
        """While sending, keys typed are for the screen this form closes onto: the app's
        type-ahead keeps them until the answer is in (see ui/type_ahead.py)."""
        return self.sending

    def watch_sending(self, sending: bool) -> None:
        self.set_class(sending, "-sending")

    def action_submit(self) -> None:
        if self.sending or self._finished:
            return
        problems = self.validate_content()
        if problems:
            self.show_problems(problems)
            return
        self._in_flight_since = time.time()
        self.save_draft_now()  # whatever happens next, what was typed is on disk
        self.sending = True
        self.say("Sending…")
        self._send_worker()

    @work(exclusive=True, group="form-send", exit_on_error=False)
    async def _send_worker(self) -> None:
        try:
            result = await self.send()
        except Exception as error:  # a bug must not lose the form: say it, keep it
            self.log.error("sending failed", error)
            self.sending = False
            self.say(f"Unexpected error: {error!r}. Nothing is lost; try again.", error=True)
            return
        self.sending = False
        self._in_flight_since = None
        self.handle_result(result)
        if not self._finished:
            self.save_draft_now()  # the answer is known: no longer in flight

    def handle_result(self, result: WriteResult[Any]) -> None:
        if isinstance(result, Saved):
            self._finished = True
            self._write_draft(None)
            self.finish(result)
            return
        if isinstance(result, NeedsRetry):
            if result.unconfirmed_since is not None:
                self.unconfirmed_since = result.unconfirmed_since
                self.save_draft_now()
            self.say(f"{result.reason} Everything is kept: Ctrl+S sends again.", error=True)
            return
        assert isinstance(result, Refused)
        self.show_refusal(result)

    def show_refusal(self, result: Refused) -> None:
        if result.kind == "gone":
            self.gone = True
            if self.on_gone is not None:
                self.on_gone()
        if result.kind == "invalid":
            self.say(f"Kitemaker refused this: {result.message}", error=True)
        else:
            self.say(result.message, error=True)

    # -- leaving -------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.sending:
            self.say("Sending… wait for Kitemaker's answer before closing.")
            return
        if self.is_pristine():
            self.discard()
            return
        self.app.push_screen(DiscardConfirm(), self._after_confirm)

    def _after_confirm(self, choice: DiscardChoice | None) -> None:
        if choice == "discard":
            self.discard()
        elif choice == "keep":
            self.save_draft_now()
            self._finished = True
            self.dismiss(None)

    def discard(self) -> None:
        self._finished = True
        self._write_draft(None)
        self.dismiss(None)

    # -- $EDITOR -------------------------------------------------------------------------

    def action_open_editor(self) -> None:
        target = self.focused if isinstance(self.focused, TextArea) else self.editor_target()
        if target is None:
            return
        self.save_draft_now()  # the editor may never come back (killed terminal)
        outcome = edit_in_editor(self.app, target.text)
        if outcome.text is None:
            if outcome.message:
                self.say(outcome.message, error=True)
            return
        if outcome.text != target.text:
            target.text = outcome.text
        target.focus()
