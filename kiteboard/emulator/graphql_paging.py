"""GraphQL's `workItems`: every item of a space (or of the organization), a page at a time.

Items come in creation order (the order of their numbers). The cursor is opaque to
clients; inside, it is the position in that order where the next page starts, so an
item created while a client pages is met on a later page, and an item that changes
status while it does is neither lost nor met twice. `statusFilter` keeps or drops items
by the type of their status (kiteboard drops ARCHIVED). At most 50 items a page.
"""

from __future__ import annotations

import base64
from typing import Any

from kiteboard.emulator import graphql_shapes as shapes
from kiteboard.emulator.errors import bad_request
from kiteboard.emulator.records import WorkItem
from kiteboard.emulator.state import EmulatorState

MAX_PAGE = 50


def _encode(scope: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"workitems:{scope}:{position}".encode()).decode()


def _decode(cursor: str, scope: str) -> int:
    try:
        kind, found_scope, position = base64.urlsafe_b64decode(cursor).decode().split(":")
        if kind == "workitems" and found_scope == scope and position.isdigit():
            return int(position)
    except (ValueError, UnicodeDecodeError):
        pass
    raise bad_request("cursor is not one this query gave (pass back the cursor of its last page)")


def _items(state: EmulatorState, space_id: str | None) -> list[WorkItem]:
    if space_id is not None:
        return state.items_of(space_id)
    return [item for space in state.spaces.values() for item in state.items_of(space.id)]


def work_items_page(
    state: EmulatorState,
    spaceId: str | None = None,
    cursor: str | None = None,
    count: int | None = None,
    statusFilter: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if count is not None and count < 1:
        raise bad_request(f"count must be at least 1; got {count}")
    size = min(count or MAX_PAGE, MAX_PAGE)
    items = _items(state, spaceId)
    scope = spaceId or ""
    start = _decode(cursor, scope) if cursor else 0

    def wanted(item: WorkItem) -> bool:
        if not statusFilter:
            return True
        listed = state.statuses[item.status_id].type in statusFilter["filter"]
        return listed if statusFilter["type"] == "INCLUDE" else not listed

    page: list[WorkItem] = []
    position = start
    while position < len(items) and len(page) < size:
        if wanted(items[position]):
            page.append(items[position])
        position += 1
    has_more = any(wanted(item) for item in items[position:])
    return {
        "workItems": [shapes.work_item(state, item) for item in page],
        "cursor": _encode(scope, position),
        "hasMore": has_more,
    }
