"""The 16 endpoints: request parsing and validation, then the state, then the shapes.

Paths are relative to /developers/rest/v1. Each handler returns (status, JSON value) or
raises EmulatorError. Parsing rules:
- a JSON body is accepted whatever its Content-Type (the docs' curl examples send none);
  a body that is not a JSON object is a 400; unknown body fields are ignored;
- in POST bodies an optional field sent as null counts as absent; in PUT, null clears
  effort, impact and description and is a 400 for the other fields;
- query parameters: an empty value counts as missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kiteboard.emulator import serialize
from kiteboard.emulator.errors import bad_request, not_found
from kiteboard.emulator.state import EmulatorState

MAX_COUNT = 50


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        if not self.body.strip():
            raise bad_request("The request body must be a JSON object; it was empty")
        try:
            data = json.loads(self.body)
        except (UnicodeDecodeError, ValueError):
            raise bad_request("The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise bad_request("The request body must be a JSON object")
        return data

    def param(self, name: str) -> str:
        value = self.query.get(name, "")
        if not value:
            raise bad_request(f"The query parameter {name} is required")
        return value

    def number_param(self, name: str, *, upper: int | None = None) -> int:
        return _whole_number(self.param(name), name, upper=upper)


def _whole_number(text: str, name: str, *, upper: int | None = None) -> int:
    limits = f"from 1 to {upper}" if upper else "of at least 1"
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= (upper or int(text)):
        raise bad_request(f"{name} must be a whole number {limits}; got {text!r}")
    return int(text)


def _require(data: Mapping[str, object], key: str, what: str) -> object:
    if data.get(key) is None:
        raise bad_request(f"{key} is required ({what})")
    return data[key]


def _optional(data: Mapping[str, object], key: str, default: object = None) -> object:
    value = data.get(key)
    return default if value is None else value


Response = tuple[int, object]
Handler = Callable[[EmulatorState, Request], Response]


# ---- organization and metadata ------------------------------------------------------


def get_organization(state: EmulatorState, request: Request) -> Response:
    return 200, serialize.organization(state.organization)


def metadata_spaces(state: EmulatorState, request: Request) -> Response:
    return 200, [serialize.entry(s.id, s.name) for s in state.spaces.values()]


def metadata_statuses(state: EmulatorState, request: Request) -> Response:
    statuses = state.statuses_of(request.param("spaceId"))
    return 200, [serialize.entry(s.id, s.name) for s in statuses]


def metadata_labels(state: EmulatorState, request: Request) -> Response:
    labels = state.labels_of(request.param("spaceId"))
    return 200, [serialize.entry(x.id, x.name) for x in labels]


def metadata_workitems(state: EmulatorState, request: Request) -> Response:
    items = state.items_of(request.param("spaceId"))
    return 200, [serialize.entry(i.id, i.title) for i in items]


# ---- recent activity -------------------------------------------------------------------


def recent_workitems(state: EmulatorState, request: Request) -> Response:
    space_id = request.param("spaceId")
    count = request.number_param("count", upper=MAX_COUNT)
    return 200, [serialize.work_item(state, i) for i in state.recent_items(space_id, count)]


def recent_comments(state: EmulatorState, request: Request) -> Response:
    space_id = request.param("spaceId")
    count = request.number_param("count", upper=MAX_COUNT)
    return 200, [serialize.comment(state, c) for c in state.recent_comments(space_id, count)]


# ---- work items, comments, labels -----------------------------------------------------


def get_workitem(state: EmulatorState, request: Request) -> Response:
    key = request.param("spaceKey")
    number = request.number_param("workItemNumber")
    # An unknown space key is "work item not found": the only code this endpoint has.
    space = state.space_by_key(key)
    item = state.item_by_number(space.id, number) if space else None
    if item is None:
        raise not_found("work item")
    return 200, serialize.work_item(state, item)


def post_workitem(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    item = state.create_item(
        title=_require(data, "title", "the work item's title"),
        status_id=_require(data, "statusId", "the status column to create the item in"),
        description=data.get("description"),
        label_ids=_optional(data, "labelIds", ()),
        effort=data.get("effort"),
        impact=data.get("impact"),
        placement=_optional(data, "placement", "top"),
    )
    return 201, serialize.work_item(state, item)


_PUT_FIELDS = {
    "title": "title",
    "statusId": "status_id",
    "description": "description",
    "labelIds": "label_ids",
    "effort": "effort",
    "impact": "impact",
    "placement": "placement",
}


def put_workitem(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    item_id = _require(data, "id", "the id of the work item to update")
    if not isinstance(item_id, str):
        raise bad_request("id must be a work item id (a string)")
    changes = {snake: data[camel] for camel, snake in _PUT_FIELDS.items() if camel in data}
    for key in ("title", "status_id", "placement"):
        if key in changes and changes[key] is None:
            camel = next(c for c, s in _PUT_FIELDS.items() if s == key)
            raise bad_request(f"{camel} cannot be null (leave it out to keep it)")
    return 200, serialize.work_item(state, state.update_item(item_id, changes))


def post_comment(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    item_id = _require(data, "workItemId", "the id of the work item to comment on")
    if not isinstance(item_id, str):
        raise bad_request("workItemId must be a work item id (a string)")
    body = _require(data, "body", "the comment's markdown text")
    return 201, serialize.comment(state, state.add_comment(item_id, body))


def post_label(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    space_id = _require(data, "spaceId", "the space to create the label in")
    if not isinstance(space_id, str):
        raise bad_request("spaceId must be a space id (a string)")
    name = _require(data, "labelName", "the new label's name")
    label = state.create_label(space_id, name, data.get("color"))
    return 201, serialize.created_label(label)


# ---- initiatives and feedback ------------------------------------------------------------


def get_initiative(state: EmulatorState, request: Request) -> Response:
    number = request.number_param("number")
    initiative = state.initiatives.get(number)
    if initiative is None:
        raise not_found("initiative")
    # As documented: an ARRAY holding the one initiative (POST answers a bare object).
    return 200, [serialize.initiative(state, initiative)]


def post_initiative(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    initiative = state.create_initiative(
        title=_require(data, "title", "the initiative's title"),
        description=data.get("description"),
        color=data.get("color"),
        label_ids=_optional(data, "labelIds", ()),
        effort=data.get("effortId"),
        impact=data.get("impactId"),
        space_ids=_optional(data, "spaceIds", ()),
        roadmap_column_ids=_optional(data, "roadmapColumnIds", ()),
    )
    return 201, serialize.initiative(state, initiative)


def get_feedback(state: EmulatorState, request: Request) -> Response:
    number = _whole_number(request.path.removeprefix("/feedback/"), "The feedback number")
    feedback = state.feedback.get(number)
    if feedback is None:
        raise not_found("feedback")
    return 200, serialize.feedback(state, feedback)


def post_feedback(state: EmulatorState, request: Request) -> Response:
    data = request.json()
    feedback = state.create_feedback(
        title=_require(data, "title", "the feedback's title"),
        person_email=data.get("personEmail"),
        contents=data.get("contents"),
        link_insight_to_entity_ids=_optional(data, "linkInsightToEntityIds", ()),
    )
    return 201, serialize.feedback(state, feedback)


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/organization"): get_organization,
    ("GET", "/workitem"): get_workitem,
    ("POST", "/workitem"): post_workitem,
    ("PUT", "/workitem"): put_workitem,
    ("POST", "/comment"): post_comment,
    ("POST", "/label"): post_label,
    ("GET", "/initiative"): get_initiative,
    ("POST", "/initiative"): post_initiative,
    ("POST", "/feedback"): post_feedback,
    ("GET", "/recent/workitems"): recent_workitems,
    ("GET", "/recent/comments"): recent_comments,
    ("GET", "/metadata/spaces"): metadata_spaces,
    ("GET", "/metadata/statuses"): metadata_statuses,
    ("GET", "/metadata/labels"): metadata_labels,
    ("GET", "/metadata/workitems"): metadata_workitems,
    # GET /feedback/{number}, the 16th, is matched by prefix in `resolve`.
}


def resolve(method: str, path: str) -> Handler | None:
    if method == "GET" and path.startswith("/feedback/") and path.count("/") == 2:
        return get_feedback
    return ROUTES.get((method, path))
