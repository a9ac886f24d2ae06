"""The contract's response shapes, and nothing more.

Each function returns exactly the keys the contract shows for that resource, so that a
client tested against the emulator cannot come to rely on a field the real server never
sends (there is, for instance, no space key in /metadata/spaces: only comments carry it).
"""

from __future__ import annotations

import time

from kiteboard.emulator.records import (
    Actor,
    Comment,
    Feedback,
    Initiative,
    Insight,
    Label,
    Organization,
    WorkItem,
)
from kiteboard.emulator.state import EmulatorState

Json = dict[str, object]


def timestamp(ms: int) -> str:
    """ISO 8601 UTC with milliseconds and "Z", e.g. 2021-11-25T14:46:18.756Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def optional_timestamp(ms: int | None) -> str | None:
    return None if ms is None else timestamp(ms)


def size(value: str | None) -> str | None:
    """Requests say `large`, responses say `Large`."""
    return None if value is None else value.capitalize()


def actor(a: Actor) -> Json:
    return {"id": a.id, "name": a.name, "type": a.type}


def entry(id_: str, label: str) -> Json:
    """The `{id, label}` items of the /metadata/* lists."""
    return {"id": id_, "label": label}


def label_ref(label: Label) -> Json:
    """A label inside a work item or an initiative: no spaceId there."""
    return {"id": label.id, "name": label.name, "color": label.color}


def created_label(label: Label) -> Json:
    """POST /label's answer (which, unlike the request's `labelName`, says `name`)."""
    return {"id": label.id, "name": label.name, "color": label.color, "spaceId": label.space_id}


def organization(org: Organization) -> Json:
    return {
        "id": org.id,
        "name": org.name,
        "createdAt": timestamp(org.created_at),
        "updatedAt": timestamp(org.updated_at),
    }


def work_item(state: EmulatorState, item: WorkItem) -> Json:
    status = state.statuses[item.status_id]
    space = state.spaces[item.space_id]
    return {
        "id": item.id,
        "actor": actor(state.actors[item.actor_id]),
        "number": item.number,
        "title": item.title,
        "description": item.description,
        "status": {"id": status.id, "name": status.name},
        "space": {"id": space.id, "name": space.name},
        "labels": [label_ref(state.labels[i]) for i in item.label_ids],
        "effort": size(item.effort),
        "impact": size(item.impact),
        "createdAt": timestamp(item.created_at),
        "updatedAt": timestamp(item.updated_at),
    }


def comment(state: EmulatorState, c: Comment) -> Json:
    item = state.items[c.item_id]
    space = state.spaces[item.space_id]
    return {
        "id": c.id,
        "body": c.body,
        "actor": actor(state.actors[c.actor_id]),
        # The one place the API shows a space's KEY; spaceId is the real space id
        # (the documentation's example repeats the item id there: a slip).
        "entity": {
            "id": item.id,
            "number": item.number,
            "space": space.key,
            "spaceId": space.id,
            "title": item.title,
        },
        "reply": c.reply,
        "threadId": c.thread_id,
        "createdAt": timestamp(c.created_at),
        "updatedAt": timestamp(c.updated_at),
    }


def initiative(state: EmulatorState, i: Initiative) -> Json:
    return {
        "id": i.id,
        "number": i.number,
        "title": i.title,
        "description": i.description,
        "actor": actor(state.actors[i.actor_id]),
        "spaces": [{"id": s, "name": state.spaces[s].name} for s in i.space_ids],
        "labels": [label_ref(state.labels[x]) for x in i.label_ids],
        "effort": size(i.effort),
        "impact": size(i.impact),
        "archivedAt": optional_timestamp(i.archived_at),
        "updatedAt": timestamp(i.updated_at),
        "createdAt": timestamp(i.created_at),
    }


def insight(state: EmulatorState, i: Insight) -> Json:
    return {
        "id": i.id,
        "feedbackId": i.feedback_id,
        "createdAt": timestamp(i.created_at),
        "updatedAt": timestamp(i.updated_at),
        "actor": actor(state.actors[i.actor_id]),
        "contents": i.contents,
        "entityIds": list(i.entity_ids),
    }


def feedback(state: EmulatorState, f: Feedback) -> Json:
    return {
        "id": f.id,
        "organizationId": state.organization.id,
        "title": f.title,
        # The shape of a person/company is not documented: always null here, so no
        # client learns to expect one. personEmail is kept in the state.
        "person": None,
        "company": None,
        "contents": f.contents,
        "insights": [insight(state, i) for i in f.insights],
        "processed": f.processed,
        "processedAt": optional_timestamp(f.processed_at),
        "createdAt": timestamp(f.created_at),
        "updatedAt": timestamp(f.updated_at),
    }
