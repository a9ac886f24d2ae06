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
  yet), or the key before is still on its way, keys wait;
- while the current screen is busy (a form saying "Sending…": what is typed now is
  meant for the screen it closes onto), keys wait until it is not, however long that
  takes, and go on to whatever screen is on top then (the board, or the form again if
  Kitemaker did not take it).

A key is on its way until it has been through the app and every widget from the focused
one back up to the app (the last of them runs its binding), and then until what its
binding set off has been handled: a binding often only posts a message (Enter in a field
posts `Input.Submitted`; the screen chooses on it, dismisses itself, and the app's result
callback opens the next screen), so the screen the next key is for is known only once
that message has gone up the same way. (On Python 3.11 `asyncio.wait_for` took enough
extra turns of the loop to hide this; 3.12's does not, and a key typed ahead reached the
screen being closed.) Keys typed one by one never
wait for that; keys that come in a burst (a laggy SSH link, a paste of keys, typing
while a screen opens) go one at a time, in the order typed. Without it, `j` typed
right after Enter reached the space picker's field before Enter's binding ran, and
Ctrl+s sent a form before the letters typed ahead of it were in. The waits are bounded
(`MAX_WAIT`, `PASS_WAIT`): after them keys go on as Textual would send them.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.screen import Screen

MAX_WAIT = 1.5  # seconds: a screen that never takes the focus must not eat keys
POLL = 0.01  # seconds between looks at the screen while keys wait
PASS_WAIT = 1.0  # seconds: at most this long for a key to come back up
TYPING_GAP = 0.015  # seconds: a key kept by a widget this long ago is taken to be done
REMEMBERED = 256  # keys sent on whose way back we may still be asked about


@runtime_checkable
class BusyScreen(Protocol):
    """A screen that can be busy: keys typed meanwhile wait for it to be done."""

    @property
    def holds_keys(self) -> bool: ...


class _Sent(NamedTuple):
    screen: Screen[object]
    number: int


class TypeAhead:
    def __init__(self, app: App[object], *, clock: Callable[[], float] = time.monotonic) -> None:
        self._app = app
        self._clock = clock
        self._count = 0  # keys seen: their number is the order they were typed in
        self._held: list[tuple[int, events.Event]] = []  # sorted by number
        self._sent: dict[events.Event, _Sent] = {}
        self._released: dict[events.Event, int] = {}  # let through now, with their number
        self._draining: asyncio.Task[None] | None = None
        self._on_its_way: events.Event | None = None  # the last key sent, until back
        self._on_its_way_since = 0.0
        self._way: list[MessagePump] = []  # the queues it goes through
        self._following: object | None = None  # the chase after the key on its way
        self._arrived = asyncio.Event()  # set when that key has come all the way
        self._laid_out: object | None = None  # the screen last seen laid out
        self._given_up_on: object | None = None  # a screen that never got ready
        self._taken = asyncio.Event()  # set when the app has the key let through last

    @property
    def idle(self) -> bool:
        """No key waits here: every key typed so far has gone on to the app."""
        return not self._held and (self._draining is None or self._draining.done())

    def take(self, event: events.Key | events.Paste) -> bool:
        """True when this keeps `event` (to deliver later); False: the app goes on.
        Called only while the app has a screen."""
        if event.is_forwarded:  # on its way back up, not handled below
            if event is self._on_its_way:
                self._follow_binding(event)  # (its binding runs right after this)
            sent = self._sent.pop(event, None)
            if not isinstance(event, events.Key) or sent is None:
                return False
            if sent.screen is self._app.screen:
                return False
            # Typed before the screen now on top was there: send it there.
            event.stop()
            self._hold(sent.number, event)
            return True
        if (number := self._released.pop(event, None)) is not None:
            self._send(event, number)
            self._taken.set()
            return False
        self._count += 1
        if self._held or self._still_on_its_way() or not self.screen_ready():
            self._hold(self._count, event)
            return True
        self._send(event, self._count)
        return False

    def screen_ready(self) -> bool:
        if not self._app.screen_stack:
            return True  # nothing to wait for
        screen = self._app.screen
        if screen is self._given_up_on:
            return True  # it never took the focus: keys go on as they come
        if not screen.is_mounted or self._busy(screen):
            return False
        return screen.focused is not None or not screen.focus_chain

    @staticmethod
    def _busy(screen: Screen[object]) -> bool:
        return isinstance(screen, BusyScreen) and screen.holds_keys

    def _send(self, event: events.Event, number: int) -> None:
        """`event` goes on now (the app hands it to the focused widget): note its way."""
        app = self._app
        self._sent[event] = _Sent(app.screen, number)
        if len(self._sent) > REMEMBERED:  # keys a widget handled never come back
            del self._sent[next(iter(self._sent))]
        self._on_its_way = event
        self._on_its_way_since = self._clock()
        self._way = [app, *(app.focused or app.screen).ancestors_with_self]
        self._following = None
        self._arrived.clear()

    def _came_back(self) -> None:
        self._on_its_way = None
        self._following = None
        self._arrived.set()

    def _still_on_its_way(self) -> bool:
        """Whether the last key sent may not have come all the way back up yet. Most
        keys come back to the app (their bindings run there) and are known to be back;
        for one a widget kept (a letter typed in a field) this follows its way now."""
        key = self._on_its_way
        if key is None:
            return False
        waited = self._clock() - self._on_its_way_since
        if waited >= PASS_WAIT or (waited >= TYPING_GAP and self._following is None):
            # Long enough for any widget to have handled it: keys typed one by one (a
            # person's keys come 50 ms apart or more) never wait, only bursts do.
            self._came_back()
            return False
        if self._following is None:
            self._follow(self._way)
        return True

    def _follow_binding(self, key: events.Event) -> None:
        """`key` is back up at the app, whose binding for it runs next: follow, from
        the focused widget up, the messages that binding posts."""
        self._follow(self._way[1:], start=self._app)

    def _follow(self, way: list[MessagePump], *, start: MessagePump | None = None) -> None:
        # A callback queued behind the key in each message queue on its way, one after
        # the other: wherever the key (or a message it set off, bubbling up the same
        # way) still is, the callback comes after it. The app's result callbacks (a
        # dismissed screen's) run after its queue empties: the last step waits for them.
        chase = self._following = object()  # a newer chase makes this one moot
        app = self._app

        def step(index: int) -> None:
            if self._following is not chase:
                return  # back already, given up on, or followed afresh
            if index == len(way):
                app.call_next(arrived)
            elif not way[index].call_later(step, index + 1):
                step(index + 1)  # that one is closing: nothing more comes through it

        def arrived() -> None:
            if self._following is chase:
                self._came_back()

        if start is None:
            step(0)
        elif not start.call_later(step, 0):
            self._came_back()

    def _hold(self, number: int, event: events.Key | events.Paste) -> None:
        # A new event: this one has been on its way once (Textual marks it so).
        fresh: events.Event = (
            events.Key(event.key, event.character)
            if isinstance(event, events.Key)
            else events.Paste(event.text)
        )
        bisect.insort(self._held, (number, fresh), key=lambda held: held[0])
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())

    def close(self) -> None:
        """The app is going: keys still waiting go nowhere."""
        self._held.clear()
        if self._draining is not None:
            self._draining.cancel()

    async def _drain(self) -> None:
        """Let the held keys through, in order, each once the screen is ready for it
        and the key before it has come back up."""
        since = self._clock()
        while self._held:
            if self._still_on_its_way():
                await self._until_back()
                continue
            screen = self._app.screen
            if self._busy(screen):  # (not given up on: it is done when it is done)
                await asyncio.sleep(POLL)
                since = self._clock()
                continue
            if not self.screen_ready():
                if self._clock() - since < MAX_WAIT:
                    await asyncio.sleep(POLL)
                    continue
                self._given_up_on = screen  # its keys go on as they come from now on
            if screen is not self._laid_out:
                # A screen new since the last key: let it lay out what it shows first
                # (`j` on an item not laid out yet would find nothing to scroll).
                self._laid_out = screen
                laid_out = asyncio.get_running_loop().create_future()
                screen.call_after_refresh(laid_out.set_result, None)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(laid_out, PASS_WAIT)
                continue
            number, event = self._held.pop(0)
            self._released[event] = number
            self._taken.clear()
            if not self._app.post_message(event):
                return  # the app is closing
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._taken.wait(), PASS_WAIT)
            since = self._clock()  # the next key's wait starts now

    async def _until_back(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._arrived.wait(), PASS_WAIT)
