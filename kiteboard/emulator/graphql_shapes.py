"""The emulator's records as GraphQL objects (schema.graphql), for graphql-core's
default resolver: a dict per object, with a callable (called with the resolver's
`info`) in place of every nested object or list, so that only what a query asks for is
built. Timestamps as REST's (serialize.timestamp); records that have no dates of their
own (spaces, statuses, labels, users) show the organization's.
"""

from __future__ import annotations

import functools
from typing import Any

from kiteboard.emulator.records import Activity, Actor, Comment, Label, Space, Status, WorkItem
from kiteboard.emulator.serialize import timestamp
from kiteboard.emulator.state import EmulatorState

Json = dict[str, Any]


def _dates(state: EmulatorState) -> Json:
    org = state.organization
    return _dates_of(org.created_at, org.updated_at)


@functools.lru_cache(maxsize=8)
def _dates_of(created_at: int, updated_at: int) -> Json:
    # Shared by every space, status, label and user of an answer: made once. (Callers
    # only unpack it, never change it.)
    return {"createdAt": timestamp(created_at), "updatedAt": timestamp(updated_at)}


def organization(state: EmulatorState) -> Json:
    org = state.organization
    return {
        "id": org.id,
        "name": org.name,
        "slug": "-".join(org.name.lower().split()),
        "spaces": lambda info: [space(state, s) for s in state.spaces.values()],
        "users": lambda info: [user(state, a) for a in state.users()],
        **_dates(state),
    }


def space(state: EmulatorState, s: Space) -> Json:
    return {
        "id": s.id,
        "key": s.key,
        "name": s.name,
        "slug": s.key.lower(),
        "labels": lambda info: [label(state, x) for x in state.labels_of(s.id)],
        "statuses": lambda info: [status(state, x) for x in state.all_statuses_of(s.id)],
        "private": False,
        **_dates(state),
    }


def status(state: EmulatorState, s: Status) -> Json:
    return {"id": s.id, "name": s.name, "type": s.type, "default": s.default, **_dates(state)}


def label(state: EmulatorState, x: Label) -> Json:
    return {"id": x.id, "name": x.name, "color": x.color, **_dates(state)}


def user(state: EmulatorState, a: Actor) -> Json:
    name = a.name.removeprefix("@")
    return {
        "__typename": "User",
        "id": a.id,
        "username": name,
        "name": name,
        "avatar": None,
        "guest": False,
        "deactivated": False,
        **_dates(state),
    }


def actor(state: EmulatorState, actor_id: str) -> Json:
    a = state.actors[actor_id]
    if a.type == "user":
        return user(state, a)
    return {"__typename": "Application", "id": a.id, "name": a.name, **_dates(state)}


def comment(state: EmulatorState, c: Comment) -> Json:
    return {
        "id": c.id,
        "actor": lambda info: actor(state, c.actor_id),
        "body": c.body,
        "threadId": c.thread_id,
        "createdAt": timestamp(c.created_at),
        "updatedAt": timestamp(c.updated_at),
    }


def activity(state: EmulatorState, a: Activity) -> Json:
    return {
        "id": a.id,
        "type": a.type,
        "actor": lambda info: actor(state, a.actor_id),
        "details": a.details,
        "createdAt": timestamp(a.created_at),
        "updatedAt": timestamp(a.created_at),
    }


def work_item(state: EmulatorState, item: WorkItem) -> Json:
    """Effort and impact as requests spell them ("large"): GraphQL's are plain strings."""
    return {
        "id": item.id,
        "number": str(item.number),
        "title": item.title,
        "actor": lambda info: actor(state, item.actor_id),
        "description": item.description or "",
        "status": lambda info: status(state, state.statuses[item.status_id]),
        "sort": item.sort,
        "space": lambda info: space(state, state.spaces[item.space_id]),
        "members": lambda info: [user(state, state.actors[m]) for m in item.member_ids],
        "labels": lambda info: [label(state, state.labels[x]) for x in item.label_ids],
        "comments": lambda info: [
            comment(state, c)
            for c in sorted(state.comments_of(item.id), key=lambda c: (c.created_at, c.id))
        ],
        "activities": lambda info: [activity(state, a) for a in state.activities_of(item.id)],
        "effort": item.effort,
        "impact": item.impact,
        "closedAt": _entered(state, item, "DONE"),
        "archivedAt": _entered(state, item, "ARCHIVED"),
        "createdAt": timestamp(item.created_at),
        "updatedAt": timestamp(item.updated_at),
    }


def _entered(state: EmulatorState, item: WorkItem, status_type: str) -> str | None:
    """When the item moved into its present status, if that status is of this type."""
    if state.statuses[item.status_id].type != status_type:
        return None
    moves = [
        a.created_at
        for a in state.activities_of(item.id)
        if a.type == "STATUS_CHANGED" and a.details.get("toStatusId") == item.status_id
    ]
    return timestamp(moves[-1] if moves else item.created_at)
