"""The records the emulator's state is made of: plain mutable dataclasses.

Timestamps are epoch milliseconds (ints); serialize.py turns them into the contract's
ISO 8601 strings. Enums (effort, impact) are stored lowercase, as requests send them.
Some fields only GraphQL shows (status types, sort keys, members, activities): REST
answers are made of the others, exactly as before they existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Actor:
    id: str
    name: str  # users carry an "@" prefix ("@Ole"); applications do not
    type: str  # "user" | "application"


@dataclass(slots=True)
class Organization:
    id: str
    name: str
    created_at: int  # epoch milliseconds, like every timestamp here
    updated_at: int


@dataclass(slots=True)
class Space:
    id: str
    name: str
    key: str
    status_ids: list[str] = field(default_factory=list)  # the board's columns, in order
    # Statuses that are not columns (type ARCHIVED): only GraphQL lists them.
    hidden_status_ids: list[str] = field(default_factory=list)
    label_ids: list[str] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)  # creation (= number) order
    next_number: int = 1


STATUS_TYPES = ("BACKLOG", "TODO", "IN_PROGRESS", "DONE", "ARCHIVED")


@dataclass(slots=True)
class Status:
    id: str
    space_id: str
    name: str
    type: str = "TODO"  # one of STATUS_TYPES
    default: bool = False  # where an item created without a status goes


@dataclass(slots=True)
class Label:
    id: str
    name: str
    color: str  # six hex digits ("e91e63") or a palette name ("brown")
    space_id: str | None  # None: an organization label (seen on initiatives)


@dataclass(slots=True)
class WorkItem:
    id: str
    space_id: str
    number: int
    title: str
    description: str | None
    status_id: str
    label_ids: list[str]
    effort: str | None
    impact: str | None
    actor_id: str
    created_at: int
    updated_at: int
    sort: str = ""  # orders the item in its status column (sort_keys.py)
    member_ids: list[str] = field(default_factory=list)  # users working on it


@dataclass(slots=True)
class Activity:
    """One entry of a work item's history. ``type`` is Kitemaker's ActivityType
    (CREATED, STATUS_CHANGED, TITLE_CHANGED, ...); ``details`` says what changed."""

    id: str
    item_id: str
    type: str
    actor_id: str
    details: dict[str, object]
    created_at: int


@dataclass(slots=True)
class Comment:
    id: str
    item_id: str
    body: str
    actor_id: str
    reply: bool
    thread_id: str
    created_at: int
    updated_at: int


@dataclass(slots=True)
class Initiative:
    id: str
    number: int
    title: str
    description: str | None
    color: str | None  # accepted by POST, not part of the documented response
    actor_id: str
    space_ids: list[str]
    label_ids: list[str]
    effort: str | None
    impact: str | None
    roadmap_column_ids: list[str]  # accepted and kept; the contract has no roadmap
    archived_at: int | None
    created_at: int
    updated_at: int


@dataclass(slots=True)
class Insight:
    id: str
    feedback_id: str
    actor_id: str
    contents: str
    entity_ids: list[str]
    created_at: int
    updated_at: int


@dataclass(slots=True)
class Feedback:
    id: str
    number: int
    title: str
    person_email: str | None  # kept, not shown: `person`'s shape is not documented
    contents: str
    insights: list[Insight]
    processed: bool
    processed_at: int | None
    created_at: int
    updated_at: int
