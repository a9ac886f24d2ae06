"""An hour of the demo team's work, made in the emulator as other Kitemaker clients
would: what the activity screen's screenshot, snapshot and tests show once a refresh
has seen it (the sync writes the log; nothing here writes the store).

Each change is stamped in the hour before `now` (the emulator's clock is set to it),
so the pictures are the same on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_KENJI = "Reproduced on staging.\nLogs below."
# (minutes before `now`, what happens): statuses and labels by name, items by position
# in their space (newest first), as the demo builds them.
_SCRIPT: tuple[tuple[int, str, str, dict[str, Any]], ...] = (
    (55, "KB", "move", {"item": 2, "to": 4}),
    (48, "PLAT", "edit", {"item": 0, "title": "Retry webhooks with exponential backoff"}),
    (41, "KB", "create", {"title": "Activity screen: what changed since I looked", "by": "@Ole"}),
    (33, "KB", "labels", {"item": 4, "add": "bug"}),
    (26, "DES", "edit", {"item": 1, "effort": "large", "impact": "medium"}),
    (19, "PLAT", "comment", {"item": 3, "by": "@Kenji", "body": _KENJI}),
    (12, "KB", "edit", {"item": 6, "description": "Steps to reproduce, updated."}),
    (6, "DES", "move", {"item": 0, "to": 3}),
    (2, "KB", "comment", {"item": 2, "by": "@Maja", "body": "Shipped in 0.4 [see notes]"}),
)


def play_demo_activity(state: Any, now: float) -> None:
    """Make the script's changes in `state` (an EmulatorState), an hour before `now`."""
    moment = [now]
    state.set_clock(lambda: moment[0])
    spaces = {space.key: space for space in state.spaces.values()}
    actors = {actor.name: actor.id for actor in state.actors.values()}
    for minutes, key, kind, args in _SCRIPT:
        moment[0] = now - minutes * 60
        space = spaces[key]
        items = sorted(state.items_of(space.id), key=lambda item: -item.number)
        item = items[args["item"]] if "item" in args else None
        statuses = state.statuses_of(space.id)
        if kind == "move":
            target = statuses[args["to"]]
            if target.id == item.status_id:
                target = statuses[(args["to"] + 1) % len(statuses)]
            state.update_item(item.id, {"status_id": target.id})
        elif kind == "edit":
            fields = {k: v for k, v in args.items() if k != "item"}
            state.update_item(item.id, fields)
        elif kind == "labels":
            label = next(label for label in state.labels_of(space.id) if label.name == args["add"])
            item = next(i for i in items[args["item"] :] if label.id not in i.label_ids)
            state.update_item(item.id, {"label_ids": [*item.label_ids, label.id]})
        elif kind == "create":
            state.create_item(
                title=args["title"], status_id=statuses[0].id, actor_id=actors[args["by"]]
            )
        elif kind == "comment":
            state.add_comment(item.id, args["body"], actor_id=actors[args["by"]])
    moment[0] = now


async def sync_demo_with_activity(folder: Path, now: float) -> Path:
    """The demo organization synced into `folder` (every space, at `now`), then the
    script's hour of work seen by a refresh of each space: a store whose activity log
    holds it. Returns the store's path."""
    from kiteboard.emulator.demo import build_demo_state
    from kiteboard.session.connectors import demo_connector

    state = build_demo_state(seed=1)

    def clock() -> float:
        return now

    connection = await demo_connector(store_dir=folder, clock=clock, state=state)(None)
    engine = connection.engine
    spaces = await engine.sync_spaces()
    for space in spaces:
        await engine.sync_space(space.id)
    play_demo_activity(state, now)
    for space in spaces:
        await engine.refresh(space.id)
    await connection.close()
    connection.store.close()
    return folder / "demo.sqlite3"
