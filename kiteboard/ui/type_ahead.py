"""Keys typed while a screen opens go to that screen, in the order typed, none lost.

`c` then a title typed at once: Textual hands each key to the focused widget as it
comes, and looks up key bindings only when the key comes back up to the app. So the
title's letters were already on their way to the board's card list when `c` (coming
back first) opened the form, and were dropped (so were `s` + a space's name,
Enter + `j j`, `m` + a digit). The app gives every key and paste to `TypeAhead.take`
first:

- a key that comes back up from a screen that is no longer the current one is taken
  back, to be sent again to the screen now on top;
- while the current screen is not ready (not mounted yet, or its field not focused
  yet), keys wait.

Waiting keys are delivered in the order they were typed once the screen is ready. The
wait is bounded: after `MAX_WAIT` seconds keys go on as Textual would send them.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NamedTuple

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

MAX_WAIT = 1.5  # seconds: a screen that never takes the focus must not eat keys
POLL = 0.01  # seconds between looks at the screen while keys wait
REMEMBERED = 256  # keys sent on whose way back we may still be asked about


class _Sent(NamedTuple):
    screen: Screen[object]
    number: int


class TypeAhead:
    def __init__(
        self,
        app: App[object],
        deliver: Callable[[events.Event], Awaitable[None]],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._app = app
        self._deliver = deliver
        self._clock = clock
        self._count = 0  # keys seen: their number is the order they were typed in
        self._held: list[tuple[int, events.Event]] = []  # sorted by number
        self._sent: dict[events.Event, _Sent] = {}
        self._since = 0.0
        self._flushing = False

    @property
    def waiting(self) -> int:
        return len(self._held)

    def take(self, event: events.Key | events.Paste) -> bool:
        """True when this keeps `event` (to deliver later); False: the app goes on."""
        if event.is_forwarded:  # on its way back up, not handled below
            sent = self._sent.pop(event, None)
            if not isinstance(event, events.Key) or sent is None:
                return False
            if sent.screen is self._app.screen:
                return False
            # Typed before the screen now on top was there: send it there.
            event.stop()
            self._hold(sent.number, events.Key(event.key, event.character))
            return True
        self._count += 1
        if self._held or not self.screen_ready():
            self._hold(self._count, event)
            return True
        self._remember(event, self._count)
        return False

    def screen_ready(self) -> bool:
        screen = self._app.screen
        if not screen.is_mounted:
            return False
        return screen.focused is not None or not screen.focus_chain

    def _remember(self, event: events.Event, number: int) -> None:
        self._sent[event] = _Sent(self._app.screen, number)
        if len(self._sent) > REMEMBERED:  # keys a widget handled never come back
            del self._sent[next(iter(self._sent))]

    def _hold(self, number: int, event: events.Event) -> None:
        if not self._held:
            self._since = self._clock()
            self._app.set_timer(POLL, self._flush, name="type-ahead")
        bisect.insort(self._held, (number, event), key=lambda held: held[0])

    async def _flush(self) -> None:
        if self._flushing:
            return
        self._flushing = True
        try:
            # One at a time: a key may open another screen, which the next keys wait for.
            while self._held:
                if not self.screen_ready() and self._clock() - self._since < MAX_WAIT:
                    self._app.set_timer(POLL, self._flush, name="type-ahead")
                    return
                number, event = self._held.pop(0)
                self._remember(event, number)
                await self._deliver(event)
                self._since = self._clock()  # the next key's wait starts now
        finally:
            self._flushing = False
