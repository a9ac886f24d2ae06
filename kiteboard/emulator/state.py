"""The emulator's in-memory Kitemaker: organization, spaces, statuses, labels, work
items, comments, initiatives and feedback, with the rules the contract fixes.

Invariants kept here (whoever calls, HTTP or a test):
- work item numbers count up per space; initiative and feedback numbers per organization;
- every mutation stamps `updatedAt` from `now_ms()`, strictly increasing across the whole
  state, so `/recent/*` ordered by updatedAt is a true change feed;
- each status column keeps an order (placement top/bottom), even though the REST API
  never shows it; `column(status_id)` exposes it to tests;
- enums are stored lowercase as requested (`large`); serialize.py capitalises them;
- a comment does not touch its work item: items and comments are separate feeds.

IDs are 16 hex digits from a seeded generator, so a state built from the same seed and
fed the same requests hands out the same ids.

Thread safety: callers hold `state.lock` (the Emulator does, around every request).
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections.abc import Callable, Mapping

from kiteboard.emulator.errors import bad_request, not_found
from kiteboard.emulator.records import (
    Actor,
    Comment,
    Feedback,
    Initiative,
    Insight,
    Label,
    Organization,
    Space,
    Status,
    WorkItem,
)

SIZES = ("small", "medium", "large")  # effort and impact, as requests spell them
PLACEMENTS = ("top", "bottom")
ITEM_CHANGE_KEYS = frozenset(
    {"title", "status_id", "description", "label_ids", "effort", "impact", "placement"}
)


def _check_size(field_name: str, value: object) -> str | None:
    if value is None or value in SIZES:
        return value  # type: ignore[return-value]
    raise bad_request(
        f"{field_name} must be one of 'small', 'medium', 'large' (lowercase) or null; got {value!r}"
    )


class EmulatorState:
    """Everything the emulated organization holds. Build it with `build_demo_state`
    (demo.py) or by hand with the `add_*` / `create_*` methods."""

    def __init__(self, *, seed: int = 1, clock: Callable[[], float] | None = None) -> None:
        self.lock = threading.RLock()
        self._ids = random.Random(f"kiteboard-emulator-ids-{seed}")
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

    # ---- ids and time -------------------------------------------------------------

    def new_id(self) -> str:
        while True:
            new = f"{self._ids.getrandbits(64):016x}"
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

    def add_status(self, space_id: str, name: str) -> Status:
        status = Status(self.new_id(), self.space(space_id).id, name)
        self.statuses[status.id] = status
        self.spaces[space_id].status_ids.append(status.id)
        self._columns[status.id] = []
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
        return [self.statuses[i] for i in self.space(space_id).status_ids]

    def labels_of(self, space_id: str) -> list[Label]:
        return [self.labels[i] for i in self.space(space_id).label_ids]

    def items_of(self, space_id: str) -> list[WorkItem]:
        return [self.items[i] for i in self.space(space_id).item_ids]

    def column(self, status_id: str) -> list[WorkItem]:
        """The items of one status column, top first (the board's order)."""
        return [self.items[i] for i in self._columns[status_id]]

    def comments_of(self, item_id: str) -> list[Comment]:
        return [c for c in self.comments.values() if c.item_id == item_id]

    def recent_items(self, space_id: str, count: int) -> list[WorkItem]:
        items = (self.items[i] for i in self.space(space_id).item_ids)
        return heapq.nlargest(count, items, key=lambda item: (item.updated_at, item.id))

    def recent_comments(self, space_id: str, count: int) -> list[Comment]:
        self.space(space_id)
        comments = (self.comments[i] for i in self._comments_by_space[space_id])
        return heapq.nlargest(count, comments, key=lambda c: (c.updated_at, c.id))

    # ---- validation shared by create and update ----------------------------------

    def _status(self, status_id: object) -> Status:
        if not isinstance(status_id, str) or not status_id:
            raise bad_request("statusId must be a status id (a string)")
        status = self.statuses.get(status_id)
        if status is None:
            raise bad_request(f"statusId {status_id!r} is not a status of this organization")
        return status

    @staticmethod
    def _id_list(value: object, field_name: str) -> list[str]:
        if not isinstance(value, list | tuple) or not all(isinstance(i, str) for i in value):
            raise bad_request(f"{field_name} must be an array of ids (strings)")
        return list(dict.fromkeys(value))

    def _label_ids(self, label_ids: object, space_id: str | None) -> list[str]:
        """Known labels of `space_id` (any label when None), deduplicated, in order."""
        label_ids = self._id_list(label_ids, "labelIds")
        unknown = [i for i in label_ids if i not in self.labels]
        if unknown:
            raise bad_request(f"labelIds holds unknown label id(s): {', '.join(unknown)}")
        if space_id is not None:
            foreign = [i for i in label_ids if self.labels[i].space_id != space_id]
            if foreign:
                space = self.spaces[space_id].name
                raise bad_request(
                    f"label id(s) {', '.join(foreign)} do not belong to space {space!r}"
                )
        return label_ids

    @staticmethod
    def _title(title: object, field_name: str = "title") -> str:
        if not isinstance(title, str) or not title.strip():
            raise bad_request(f"{field_name} is required and must be a non-empty string")
        return title

    @staticmethod
    def _text(value: object, field_name: str) -> str | None:
        if value is not None and not isinstance(value, str):
            raise bad_request(f"{field_name} must be a string or null")
        return value

    @staticmethod
    def _placement(value: object) -> str:
        if value not in PLACEMENTS:
            raise bad_request(f"placement must be 'top' or 'bottom'; got {value!r}")
        return value  # type: ignore[return-value]

    def _place(self, item_id: str, status_id: str, placement: str) -> None:
        column = self._columns[status_id]
        if placement == "top":
            column.insert(0, item_id)
        else:
            column.append(item_id)

    # ---- work items -----------------------------------------------------------------

    def create_item(
        self,
        *,
        title: object,
        status_id: object,
        description: object = None,
        label_ids: object = (),
        effort: object = None,
        impact: object = None,
        placement: object = "top",
        actor_id: str | None = None,
        created_at: int | None = None,
        updated_at: int | None = None,
    ) -> WorkItem:
        """POST /workitem. The status decides the space."""
        title = self._title(title)
        status = self._status(status_id)
        description = self._text(description, "description")
        labels = self._label_ids(label_ids, status.space_id)
        effort = _check_size("effort", effort)
        impact = _check_size("impact", impact)
        placement = self._placement(placement)
        created = self._stamp(created_at)
        updated = self._stamp(updated_at) if updated_at is not None else created
        space = self.spaces[status.space_id]
        item = WorkItem(
            id=self.new_id(),
            space_id=space.id,
            number=space.next_number,
            title=title,
            description=description,
            status_id=status.id,
            label_ids=labels,
            effort=effort,
            impact=impact,
            actor_id=actor_id or self._api_actor(),
            created_at=created,
            updated_at=updated,
        )
        space.next_number += 1
        self.items[item.id] = item
        space.item_ids.append(item.id)
        self._by_number[(space.id, item.number)] = item.id
        self._place(item.id, status.id, placement)
        return item

    def update_item(self, item_id: str, changes: Mapping[str, object]) -> WorkItem:
        """PUT /workitem: only the keys present change. None clears effort, impact and
        description; `label_ids` replaces the whole set; a `status_id` of another space
        is refused. Every update bumps updatedAt, even one that changes nothing."""
        unknown = set(changes) - ITEM_CHANGE_KEYS
        if unknown:
            raise ValueError(f"unknown work item fields: {sorted(unknown)}")
        item = self.item(item_id)
        # Validate everything before changing anything: a 400 leaves the item untouched.
        new = dict(changes)
        if "title" in new:
            new["title"] = self._title(new["title"])
        if "description" in new:
            new["description"] = self._text(new["description"], "description")
        for size in ("effort", "impact"):
            if size in new:
                new[size] = _check_size(size, new[size])
        status = self.statuses[item.status_id]
        if "status_id" in new:
            status = self._status(new["status_id"])
            if status.space_id != item.space_id:
                raise bad_request(
                    f"statusId {status.id!r} belongs to space "
                    f"{self.spaces[status.space_id].name!r}, but the work item is in "
                    f"{self.spaces[item.space_id].name!r}; a work item cannot change space"
                )
        if "label_ids" in new:
            if new["label_ids"] is None:
                raise bad_request("labelIds must be an array (send [] to remove every label)")
            new["label_ids"] = self._label_ids(new["label_ids"], item.space_id)
        placement = self._placement(new["placement"]) if "placement" in new else None

        for key in ("title", "description", "effort", "impact", "label_ids"):
            if key in new:
                setattr(item, key, new[key])
        if status.id != item.status_id or placement is not None:
            self._columns[item.status_id].remove(item.id)
            item.status_id = status.id
            self._place(item.id, status.id, placement or "top")
        item.updated_at = self.now_ms()
        return item

    def _api_actor(self) -> str:
        if self.api_actor_id is None:
            self.api_actor_id = self.add_actor("@you").id
        return self.api_actor_id

    # ---- comments, labels -------------------------------------------------------------

    def add_comment(
        self,
        item_id: str,
        body: object,
        *,
        actor_id: str | None = None,
        reply_to: str | None = None,
        created_at: int | None = None,
        updated_at: int | None = None,
    ) -> Comment:
        """POST /comment (a new thread), or a reply in `reply_to`'s thread (demo data)."""
        if not isinstance(body, str) or not body.strip():
            raise bad_request("body is required and must be a non-empty string")
        item = self.item(item_id)
        created = self._stamp(created_at)
        updated = self._stamp(updated_at) if updated_at is not None else created
        comment_id = self.new_id()
        thread_id = self.comments[reply_to].thread_id if reply_to else self.new_id()
        comment = Comment(
            id=comment_id,
            item_id=item.id,
            body=body,
            actor_id=actor_id or self._api_actor(),
            reply=reply_to is not None,
            thread_id=thread_id,
            created_at=created,
            updated_at=updated,
        )
        self.comments[comment.id] = comment
        self._comments_by_space[item.space_id].append(comment.id)
        return comment

    def create_label(self, space_id: str, name: object, color: object = None) -> Label:
        """POST /label: color is six hex digits without '#', random when absent."""
        self.space(space_id)
        name = self._title(name, "labelName")
        if color is not None and not (
            isinstance(color, str)
            and len(color) == 6
            and all(c in "0123456789abcdefABCDEF" for c in color)
        ):
            raise bad_request(
                f"color must be six hex digits without '#', e.g. ff00aa; got {color!r}"
            )
        return self.add_label(space_id, name, color.lower() if color else None)

    # ---- initiatives and feedback -------------------------------------------------------

    def create_initiative(
        self,
        *,
        title: object,
        description: object = None,
        color: object = None,
        label_ids: object = (),
        effort: object = None,
        impact: object = None,
        space_ids: object = (),
        roadmap_column_ids: object = (),
        actor_id: str | None = None,
        archived_at: int | None = None,
        created_at: int | None = None,
        updated_at: int | None = None,
    ) -> Initiative:
        title = self._title(title)
        description = self._text(description, "description")
        color = self._text(color, "color")
        labels = self._label_ids(label_ids, None)
        effort = _check_size("effortId", effort)
        impact = _check_size("impactId", impact)
        spaces = [self.space(s).id for s in self._id_list(space_ids, "spaceIds")]
        roadmap_columns = self._id_list(roadmap_column_ids, "roadmapColumnIds")
        created = self._stamp(created_at)
        updated = self._stamp(updated_at) if updated_at is not None else created
        initiative = Initiative(
            id=self.new_id(),
            number=len(self.initiatives) + 1,
            title=title,
            description=description,
            color=color,
            actor_id=actor_id or self._api_actor(),
            space_ids=spaces,
            label_ids=labels,
            effort=effort,
            impact=impact,
            roadmap_column_ids=roadmap_columns,
            archived_at=archived_at,
            created_at=created,
            updated_at=updated,
        )
        self.initiatives[initiative.number] = initiative
        return initiative

    def create_feedback(
        self,
        *,
        title: object,
        person_email: object = None,
        contents: object = None,
        link_insight_to_entity_ids: object = (),
        actor_id: str | None = None,
        processed_at: int | None = None,
        created_at: int | None = None,
    ) -> Feedback:
        """POST /feedback. Linking to work items creates one insight quoting the
        contents; an unknown work item id is a 404 ISSUE_NOT_FOUND."""
        title = self._title(title)
        person_email = self._text(person_email, "personEmail")
        if person_email is not None and "@" not in person_email:
            raise bad_request(f"personEmail must be an email address; got {person_email!r}")
        contents = self._text(contents, "contents") or ""
        entity_ids = [
            self.item(i).id
            for i in self._id_list(link_insight_to_entity_ids, "linkInsightToEntityIds")
        ]
        created = self._stamp(created_at)
        feedback = Feedback(
            id=self.new_id(),
            number=len(self.feedback) + 1,
            title=title,
            person_email=person_email,
            contents=contents,
            insights=[],
            processed=processed_at is not None,
            processed_at=self._stamp(processed_at) if processed_at is not None else None,
            created_at=created,
            updated_at=created,
        )
        if entity_ids:
            at = self._stamp(created_at + 1 if created_at is not None else None)
            feedback.insights.append(
                Insight(
                    id=self.new_id(),
                    feedback_id=feedback.id,
                    actor_id=actor_id or self._api_actor(),
                    contents=contents,
                    entity_ids=entity_ids,
                    created_at=at,
                    updated_at=at,
                )
            )
        if feedback.processed_at is not None:
            feedback.updated_at = feedback.processed_at
        self.feedback[feedback.number] = feedback
        return feedback
