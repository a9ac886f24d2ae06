"""What the demo organization has that only GraphQL shows: an Archived status in every
space, Kitemaker's column order (`sort`), who works on what (members) and each item's
history. Added after the REST world is built, from random generators of their own, so
that the REST answers for a seed are exactly what they were before any of this existed.
"""

from __future__ import annotations

import random

from kiteboard.emulator.records import Space, WorkItem
from kiteboard.emulator.state import EmulatorState

# How many people work on an item, by the type of its status.
_MEMBERS_BY_TYPE = {"BACKLOG": (0, 0, 0, 1), "TODO": (0, 1, 1, 2), "IN_PROGRESS": (1, 1, 2)}


def add_board_details(state: EmulatorState, seed: int) -> None:
    rng = random.Random(f"kiteboard-demo-board-{seed}")
    for space in state.spaces.values():
        state.add_status(space.id, "Archived", "ARCHIVED")
        people = _people_of(state, space)
        for item in state.items_of(space.id):
            _add_members_and_moves(state, item, people, rng)
    state.spread_sort_keys()


def _people_of(state: EmulatorState, space: Space) -> list[str]:
    """The users who created the space's items, in order of first appearance."""
    seen = dict.fromkeys(
        item.actor_id
        for item in state.items_of(space.id)
        if state.actors[item.actor_id].type == "user"
    )
    return list(seen)


def _add_members_and_moves(
    state: EmulatorState, item: WorkItem, people: list[str], rng: random.Random
) -> None:
    status = state.statuses[item.status_id]
    columns = state.space(item.space_id).status_ids
    counts = _MEMBERS_BY_TYPE.get(status.type, (1,))
    count = min(len(people), rng.choice(counts))
    members = rng.sample(people, count) if count else []
    span = item.updated_at - item.created_at
    if members:
        item.member_ids = members
        added = {"addedMemberIds": members, "removedMemberIds": []}
        state.record(
            item, "MEMBERS_CHANGED", added, actor_id=members[0], at=item.created_at + span // 3
        )
    position = columns.index(item.status_id)
    if position > 0 and span > 0:
        moved = {"fromStatusId": columns[rng.randrange(position)], "toStatusId": item.status_id}
        mover = rng.choice(members or people or [item.actor_id])
        state.record(item, "STATUS_CHANGED", moved, actor_id=mover, at=item.updated_at)
