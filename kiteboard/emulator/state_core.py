"""The organization the emulator holds, without its rules for changing work items: ids
and time, building (spaces, statuses, labels, actors), lookups and history records.
EmulatorState (state.py) adds the operations the APIs perform.

IDs are 16 hex digits from a seeded generator, so a state built from the same seed and
fed the same requests hands out the same ids. Records only GraphQL shows (activities,
statuses that are not columns) take theirs from a second generator, so that adding
them changed no id REST shows.
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections.abc import Callable, Mapping

from kiteboard.emulator import sort_keys
from kiteboard.emulator.errors import not_found
from kiteboard.emulator.records import (
    STATUS_TYPES,
    Activity,
    Actor,
    Comment,
    Feedback,
    Initiative,
    Label,
    Organization,
    Space,
    Status,
    WorkItem,
)

# A status's type, guessed from its name when the builder does not say (REST has none).
_TYPE_OF_NAME = {
    "backlog": "BACKLOG",
    "ideas": "BACKLOG",
    "in progress": "IN_PROGRESS",
    "doing": "IN_PROGRESS",
    "in review": "IN_PROGRESS",
    "blocked": "IN_PROGRESS",
    "done": "DONE",
    "shipped": "DONE",
    "archived": "ARCHIVED",
}


class StateCore:
    """What the emulated organization holds (see EmulatorState for the operations)."""

    def __init__(self, *, seed: int = 1, clock: Callable[[], float] | None = None) -> None:
        self.lock = threading.RLock()
        self._ids = random.Random(f"kiteboard-emulator-ids-{seed}")
        self._extra_ids = random.Random(f"kiteboard-emulator-extra-ids-{seed}")
        self._colors = random.Random(f"kiteboard-emulator-colors-{seed}")
        self._issued_ids: set[str] = set()
        self._clock = clock or time.time
        self._last_ms = 0
        self.organization = Organization(self.new_id(), "Organization", 0, 0)
        self.actors: dict[str, Actor] = {}
        self.api_actor_id: str | None = None  # who the token belongs to (set by the builder)
        self.spaces: dict[str, Space] = {}
        self.statuses: dict[str, Status] = {}
        self.labels: dict[str, Label] = {}
        self.items: dict[str, WorkItem] = {}
        self.comments: dict[str, Comment] = {}
        self.initiatives: dict[int, Initiative] = {}  # by number
        self.feedback: dict[int, Feedback] = {}  # by number
        self._columns: dict[str, list[str]] = {}  # status id -> item ids, top first
        self._by_number: dict[tuple[str, int], str] = {}  # (space id, number) -> item id
        self._comments_by_space: dict[str, list[str]] = {}
        self._comments_by_item: dict[str, list[str]] = {}  # in the order they were made
        self._activities: dict[str, list[Activity]] = {}  # item id -> history, oldest first
        # A builder placing thousands of items sets this, then calls spread_sort_keys():
        # keys made one insertion at a time at the top grow long, and slowly.
        self.sort_keys_deferred = False

    # ---- ids and time -------------------------------------------------------------

    def new_id(self, *, extra: bool = False) -> str:
        """A fresh id; `extra` draws it from the second generator (see the module)."""
        generator = self._extra_ids if extra else self._ids
        while True:
            new = f"{generator.getrandbits(64):016x}"
            if new not in self._issued_ids:
                self._issued_ids.add(new)
                return new

    def now_ms(self) -> int:
        """The timestamp of a mutation: the clock, but always after every earlier one."""
        self._last_ms = max(int(self._clock() * 1000), self._last_ms + 1)
        return self._last_ms

    def _stamp(self, at_ms: int | None) -> int:
        """`at_ms` lets a builder write history; the live clock stays ahead of it."""
        if at_ms is None:
            return self.now_ms()
        self._last_ms = max(self._last_ms, at_ms)
        return at_ms

    def set_clock(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    # ---- building -----------------------------------------------------------------

    def set_organization(self, name: str, created_at: int, updated_at: int) -> Organization:
        self.organization.name = name
        self.organization.created_at = created_at
        self.organization.updated_at = updated_at
        self._stamp(updated_at)
        return self.organization

    def add_actor(self, name: str, type: str = "user") -> Actor:
        actor = Actor(self.new_id(), name, type)
        self.actors[actor.id] = actor
        if self.api_actor_id is None:
            self.api_actor_id = actor.id
        return actor

    def add_space(self, name: str, key: str) -> Space:
        if any(s.key == key for s in self.spaces.values()):
            raise ValueError(f"space key {key!r} is already used")
        space = Space(self.new_id(), name, key)
        self.spaces[space.id] = space
        self._comments_by_space[space.id] = []
        return space

    def add_status(
        self, space_id: str, name: str, type: str | None = None, *, default: bool = False
    ) -> Status:
        """A column of the space (or, of type ARCHIVED, a status that is not one).
        `type` is guessed from the name when not given; the first TODO status of a
        space is its default unless another is said to be."""
        space = self.space(space_id)
        type = type or _TYPE_OF_NAME.get(name.strip().lower(), "TODO")
        if type not in STATUS_TYPES:
            raise ValueError(f"status type {type!r} is not one of {STATUS_TYPES}")
        hidden = type == "ARCHIVED"
        status = Status(self.new_id(extra=hidden), space.id, name, type)
        self.statuses[status.id] = status
        (space.hidden_status_ids if hidden else space.status_ids).append(status.id)
        self._columns[status.id] = []
        if default:
            for other in self.all_statuses_of(space.id):
                other.default = False
        if default or (type == "TODO" and not any(s.default for s in self.statuses_of(space.id))):
            status.default = True
        return status

    def add_label(self, space_id: str | None, name: str, color: str | None = None) -> Label:
        if space_id is not None:
            self.space(space_id)
        if color is None:
            color = f"{self._colors.getrandbits(24):06x}"
        label = Label(self.new_id(), name, color, space_id)
        self.labels[label.id] = label
        if space_id is not None:
            self.spaces[space_id].label_ids.append(label.id)
        return label

    def spread_sort_keys(self) -> None:
        """Give every column evenly spaced keys in its present order, and make keys
        on every insertion from now on (see sort_keys_deferred)."""
        self.sort_keys_deferred = False
        for item_ids in self._columns.values():
            for item_id, key in zip(item_ids, sort_keys.spread(len(item_ids)), strict=True):
                self.items[item_id].sort = key

    # ---- lookups ------------------------------------------------------------------

    def space(self, space_id: str) -> Space:
        try:
            return self.spaces[space_id]
        except KeyError:
            raise not_found("space") from None

    def space_by_key(self, key: str) -> Space | None:
        return next((s for s in self.spaces.values() if s.key == key), None)

    def space_by_name(self, name: str) -> Space | None:
        return next((s for s in self.spaces.values() if s.name == name), None)

    def item(self, item_id: str) -> WorkItem:
        try:
            return self.items[item_id]
        except KeyError:
            raise not_found("work item") from None

    def item_by_number(self, space_id: str, number: int) -> WorkItem | None:
        item_id = self._by_number.get((space_id, number))
        return self.items[item_id] if item_id else None

    def statuses_of(self, space_id: str) -> list[Status]:
        """The space's columns, in board order (what REST lists)."""
        return [self.statuses[i] for i in self.space(space_id).status_ids]

    def all_statuses_of(self, space_id: str) -> list[Status]:
        """The columns, then the statuses that are not columns (what GraphQL lists)."""
        space = self.space(space_id)
        return [self.statuses[i] for i in (*space.status_ids, *space.hidden_status_ids)]

    def labels_of(self, space_id: str) -> list[Label]:
        return [self.labels[i] for i in self.space(space_id).label_ids]

    def items_of(self, space_id: str) -> list[WorkItem]:
        return [self.items[i] for i in self.space(space_id).item_ids]

    def users(self) -> list[Actor]:
        return [a for a in self.actors.values() if a.type == "user"]

    def column(self, status_id: str) -> list[WorkItem]:
        """The items of one status column, top first (the board's order)."""
        return [self.items[i] for i in self._columns[status_id]]

    def comments_of(self, item_id: str) -> list[Comment]:
        """The item's comments, in the order they were made."""
        return [self.comments[i] for i in self._comments_by_item.get(item_id, ())]

    def activities_of(self, item_id: str) -> list[Activity]:
        """The item's history, oldest first."""
        return list(self._activities.get(item_id, ()))

    def recent_items(self, space_id: str, count: int) -> list[WorkItem]:
        items = (self.items[i] for i in self.space(space_id).item_ids)
        return heapq.nlargest(count, items, key=lambda item: (item.updated_at, item.id))

    def recent_comments(self, space_id: str, count: int) -> list[Comment]:
        self.space(space_id)
        comments = (self.comments[i] for i in self._comments_by_space[space_id])
        return heapq.nlargest(count, comments, key=lambda c: (c.updated_at, c.id))

    # ---- history --------------------------------------------------------------------

    def record(
        self,
        item: WorkItem,
        type: str,
        details: Mapping[str, object] | None = None,
        *,
        actor_id: str | None = None,
        at: int | None = None,
    ) -> Activity:
        """Write one entry of `item`'s history (at `at`, or the item's last update)."""
        activity = Activity(
            id=self.new_id(extra=True),
            item_id=item.id,
            type=type,
            actor_id=actor_id or self._api_actor(),
            details=dict(details or {}),
            created_at=item.updated_at if at is None else at,
        )
        self._activities.setdefault(item.id, []).append(activity)
        return activity

    def _api_actor(self) -> str:
        if self.api_actor_id is None:
            self.api_actor_id = self.add_actor("@you").id
        return self.api_actor_id
