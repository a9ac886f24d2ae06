"""The emulator's in-memory Kitemaker: organization, spaces, statuses, labels, work
items, comments, users and history, with the rules the contract fixes. Initiatives and
feedback are in initiatives.py; the checks on requests' values in validation.py.

Invariants kept here (whoever calls, REST, GraphQL or a test):
- work item numbers count up per space; initiative and feedback numbers per organization;
- every mutation stamps `updatedAt` from `now_ms()`, strictly increasing across the whole
  state, so `/recent/*` ordered by updatedAt is a true change feed;
- each status column keeps an order, both as a list (`column(status_id)`, top first) and
  as the items' `sort` keys (what GraphQL shows and sets): placement top/bottom puts a
  key before the first or after the last, a `sort` from a client places the item by it;
- enums are stored lowercase as requested (`large`); serialize.py capitalises them;
- a comment does not touch its work item: items and comments are separate feeds;
- every change to an item is written in its history (`activities_of`).

The organization's records, ids, building and lookups are in state_core.py.

Thread safety: callers hold `state.lock` (the Emulator does, around every request).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from kiteboard.emulator import initiatives, sort_keys, validation
from kiteboard.emulator.errors import bad_request
from kiteboard.emulator.records import Comment, Feedback, Initiative, Label, WorkItem
from kiteboard.emulator.state_core import StateCore

ITEM_CHANGE_KEYS = frozenset(
    {"title", "status_id", "description", "label_ids", "effort", "impact", "placement", "sort"}
)


class EmulatorState(StateCore):
    """Everything the emulated organization holds, and what the APIs do to it. Build
    it with `build_demo_state` (demo.py) or by hand with the `add_*` / `create_*`
    methods."""

    # ---- column order ---------------------------------------------------------------

    def _place(self, item: WorkItem, status_id: str, placement: str, sort: str | None) -> None:
        """Put `item` in the column: by its new `sort` key when given, else at the top
        or the bottom (with a key before the first or after the last)."""
        column = self._columns[status_id]
        if self.sort_keys_deferred and sort is None:
            column.insert(0 if placement == "top" else len(column), item.id)
            return
        if sort is not None:
            position = bisect.bisect_right(column, sort, key=lambda i: self.items[i].sort)
            item.sort = sort
        elif placement == "top":
            position = 0
            item.sort = sort_keys.between(None, self.items[column[0]].sort if column else None)
        else:
            position = len(column)
            item.sort = sort_keys.between(self.items[column[-1]].sort if column else None, None)
        column.insert(position, item.id)

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
        sort: object = None,
        member_ids: object = (),
        actor_id: str | None = None,
        created_at: int | None = None,
        updated_at: int | None = None,
    ) -> WorkItem:
        """POST /workitem (and GraphQL's createWorkItem). The status decides the space."""
        title = validation.title(title)
        status = validation.status(self.statuses, status_id)
        description = validation.text(description, "description")
        labels = validation.label_ids(self.labels, self.spaces, label_ids, status.space_id)
        effort = validation.size("effort", effort)
        impact = validation.size("impact", impact)
        placement = validation.placement(placement)
        sort = validation.sort_key(sort) if sort is not None else None
        members = self._user_ids(member_ids, "memberIds")
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
            member_ids=members,
        )
        space.next_number += 1
        self.items[item.id] = item
        space.item_ids.append(item.id)
        self._by_number[(space.id, item.number)] = item.id
        self._place(item, status.id, placement, sort)
        self.record(item, "CREATED", actor_id=item.actor_id, at=created)
        return item

    def update_item(
        self, item_id: str, changes: Mapping[str, object], *, actor_id: str | None = None
    ) -> WorkItem:
        """PUT /workitem (and GraphQL's edits): only the keys present change. None
        clears effort, impact and description; `label_ids` replaces the whole set; a
        `status_id` of another space is refused; `sort` places the item in its (new)
        column. Every update bumps updatedAt, even one that changes nothing."""
        unknown = set(changes) - ITEM_CHANGE_KEYS
        if unknown:
            raise ValueError(f"unknown work item fields: {sorted(unknown)}")
        item = self.item(item_id)
        # Validate everything before changing anything: a 400 leaves the item untouched.
        new = dict(changes)
        if "title" in new:
            new["title"] = validation.title(new["title"])
        if "description" in new:
            new["description"] = validation.text(new["description"], "description")
        for size in ("effort", "impact"):
            if size in new:
                new[size] = validation.size(size, new[size])
        status = self.statuses[item.status_id]
        if "status_id" in new:
            status = validation.status(self.statuses, new["status_id"])
            if status.space_id != item.space_id:
                raise bad_request(
                    f"statusId {status.id!r} belongs to space "
                    f"{self.spaces[status.space_id].name!r}, but the work item is in "
                    f"{self.spaces[item.space_id].name!r}; a work item cannot change space"
                )
        if "label_ids" in new:
            if new["label_ids"] is None:
                raise bad_request("labelIds must be an array (send [] to remove every label)")
            new["label_ids"] = validation.label_ids(
                self.labels, self.spaces, new["label_ids"], item.space_id
            )
        placement = validation.placement(new["placement"]) if "placement" in new else None
        sort = validation.sort_key(new["sort"]) if new.get("sort") is not None else None

        before = {key: getattr(item, key) for key in ("title", "description", "label_ids")}
        old_status = item.status_id
        for key in ("title", "description", "effort", "impact", "label_ids"):
            if key in new:
                setattr(item, key, new[key])
        if status.id != item.status_id or placement is not None or sort is not None:
            self._columns[item.status_id].remove(item.id)
            item.status_id = status.id
            self._place(item, status.id, placement or "top", sort)
        item.updated_at = self.now_ms()
        self._record_changes(item, before, old_status, actor_id)
        return item

    def _record_changes(
        self, item: WorkItem, before: dict[str, object], old_status: str, actor_id: str | None
    ) -> None:
        if item.status_id != old_status:
            moved = {"fromStatusId": old_status, "toStatusId": item.status_id}
            self.record(item, "STATUS_CHANGED", moved, actor_id=actor_id)
        if item.title != before["title"]:
            retitled = {"from": before["title"], "to": item.title}
            self.record(item, "TITLE_CHANGED", retitled, actor_id=actor_id)
        if item.description != before["description"]:
            self.record(item, "DESCRIPTION_CHANGED", actor_id=actor_id)
        old_labels = before["label_ids"]
        assert isinstance(old_labels, list)
        if item.label_ids != old_labels:
            self.record(
                item,
                "LABELS_CHANGED",
                _diff(old_labels, item.label_ids, "Label"),
                actor_id=actor_id,
            )

    def change_members(
        self,
        item_id: str,
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        actor_id: str | None = None,
    ) -> WorkItem:
        """GraphQL's add/removeMembers: users join or leave the item (unknown user ids
        are a 400); the item is updated, and its history says who."""
        item = self.item(item_id)
        added = self._user_ids(list(add), "memberIds")
        removed = set(self._user_ids(list(remove), "memberIds"))
        old = list(item.member_ids)
        kept = [m for m in old if m not in removed]
        item.member_ids = kept + [m for m in added if m not in kept]
        item.updated_at = self.now_ms()
        if item.member_ids != old:
            self.record(
                item, "MEMBERS_CHANGED", _diff(old, item.member_ids, "Member"), actor_id=actor_id
            )
        return item

    def _user_ids(self, value: object, field_name: str) -> list[str]:
        ids = validation.id_list(value, field_name)
        unknown = [i for i in ids if getattr(self.actors.get(i), "type", None) != "user"]
        if unknown:
            raise bad_request(f"{field_name} holds unknown user id(s): {', '.join(unknown)}")
        return ids

    # ---- comments, labels -------------------------------------------------------------

    def add_comment(
        self,
        item_id: str,
        body: object,
        *,
        actor_id: str | None = None,
        reply_to: str | None = None,
        thread_id: object = None,
        created_at: int | None = None,
        updated_at: int | None = None,
    ) -> Comment:
        """POST /comment (a new thread), or a reply: in `reply_to`'s thread (demo data)
        or in `thread_id` (GraphQL), which must be a thread of this item."""
        if not isinstance(body, str) or not body.strip():
            raise bad_request("body is required and must be a non-empty string")
        item = self.item(item_id)
        if thread_id is not None and not any(
            c.thread_id == thread_id for c in self.comments_of(item.id)
        ):
            raise bad_request(f"threadId {thread_id!r} is not a comment thread of this work item")
        if reply_to:
            thread_id = self.comments[reply_to].thread_id
        created = self._stamp(created_at)
        updated = self._stamp(updated_at) if updated_at is not None else created
        comment_id = self.new_id()
        comment = Comment(
            id=comment_id,
            item_id=item.id,
            body=body,
            actor_id=actor_id or self._api_actor(),
            reply=thread_id is not None,
            thread_id=thread_id if isinstance(thread_id, str) else self.new_id(),
            created_at=created,
            updated_at=updated,
        )
        self.comments[comment.id] = comment
        self._comments_by_space[item.space_id].append(comment.id)
        self._comments_by_item.setdefault(item.id, []).append(comment.id)
        return comment

    def create_label(self, space_id: str, name: object, color: object = None) -> Label:
        """POST /label: color is six hex digits without '#', random when absent."""
        self.space(space_id)
        name = validation.title(name, "labelName")
        return self.add_label(space_id, name, validation.hex_color(color))

    # ---- initiatives and feedback (initiatives.py) --------------------------------------

    def create_initiative(self, **fields: object) -> Initiative:
        return initiatives.create_initiative(self, **fields)  # type: ignore[arg-type]

    def create_feedback(self, **fields: object) -> Feedback:
        """POST /feedback. Linking to work items creates one insight quoting the
        contents; an unknown work item id is a 404 ISSUE_NOT_FOUND."""
        return initiatives.create_feedback(self, **fields)  # type: ignore[arg-type]


def _diff(old: list[str], new: list[str], what: str) -> dict[str, object]:
    """{"addedLabelIds": [...], "removedLabelIds": [...]} (or Member)."""
    return {
        f"added{what}Ids": [i for i in new if i not in old],
        f"removed{what}Ids": [i for i in old if i not in new],
    }
