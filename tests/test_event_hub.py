"""The event hub: a burst of item changes is announced as one event per interval, and a
subscriber's bug does not stop the others (or the sync)."""

from __future__ import annotations

from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import CommentsChanged, ItemsChanged, SpacesChanged


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_backfill_burst_is_announced_once_per_interval():
    clock = FakeMonotonic()
    flushed: list[str] = []
    hub = EventHub(monotonic=clock, interval=0.25, on_flushed=flushed.append)
    events = []
    hub.subscribe(events.append)
    hub.flush("s")  # the step starts: nothing pending, nothing said
    assert events == [] and flushed == []

    for number in range(500):  # 500 items loaded within 0.1 s
        hub.note("s", "changed", f"item-{number}")
        clock.now += 0.0002
        hub.maybe_flush("s")
    assert events == []
    clock.now += 0.25
    hub.note("s", "added", "new")
    hub.maybe_flush("s")

    assert len(events) == 1
    (event,) = events
    assert isinstance(event, ItemsChanged)
    assert len(event.changed) == 500 and event.added == {"new"}
    assert flushed == ["s"]  # the engine refreshes the progress after each announcement


def test_changes_cancel_out_and_comments_come_apart():
    hub = EventHub(monotonic=FakeMonotonic(), interval=0.25)
    events = []
    hub.subscribe(events.append)
    hub.note("s", "added", "a")
    hub.note("s", "removed", "a")
    hub.note("s", "changed", "b")
    hub.note_comments("s", ["b"])
    hub.flush()
    assert events == [
        ItemsChanged("s", removed=frozenset({"a"}), changed=frozenset({"b"})),
        CommentsChanged("s", frozenset({"b"})),
    ]


def test_a_failing_subscriber_does_not_stop_the_others():
    hub = EventHub(monotonic=FakeMonotonic(), interval=0.25)

    def broken(_event: object) -> None:
        raise RuntimeError("bug")

    heard = []
    hub.subscribe(broken)
    unsubscribe = hub.subscribe(heard.append)
    hub.emit(SpacesChanged())
    assert heard == [SpacesChanged()]
    unsubscribe()
    hub.emit(SpacesChanged())
    assert heard == [SpacesChanged()]
