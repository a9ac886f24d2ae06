"""The Mutation type's fields: GraphQL's writes, through the state's own methods (so
they keep REST's rules, ids and history). Inputs arrive as the schema names them."""

from __future__ import annotations

from typing import Any

from kiteboard.emulator import graphql_shapes as shapes
from kiteboard.emulator.errors import bad_request
from kiteboard.emulator.records import Status
from kiteboard.emulator.state import EmulatorState

Json = dict[str, Any]


def _size(value: object) -> object:
    """GraphQL's effort/impact are plain strings: "Large" is read as "large"."""
    return value.lower() if isinstance(value, str) else value


class Mutations:
    """Method names are the schema's field names (camelCase), as graphql-core looks them up."""

    state: EmulatorState

    def _created_in(self, given: Json) -> Status:
        """The status a new item goes to: `statusId`, else the space's default
        status (or its first column)."""
        space_id, status_id = given.get("spaceId"), given.get("statusId")
        if status_id is not None:
            status = self.state.statuses.get(status_id)
            if status is None:
                raise bad_request(f"statusId {status_id!r} is not a status of this organization")
            if space_id is not None and status.space_id != space_id:
                raise bad_request(f"statusId {status_id!r} is not a status of space {space_id!r}")
            return status
        if space_id is None:
            raise bad_request("statusId or spaceId is required")
        statuses = self.state.statuses_of(space_id)
        if not statuses:
            raise bad_request("the space has no status to create the work item in")
        return next((s for s in statuses if s.default), statuses[0])

    def createWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.create_item(
            title=input["title"],
            status_id=self._created_in(input).id,
            description=input.get("description"),
            label_ids=input.get("labelIds") or (),
            member_ids=input.get("memberIds") or (),
            effort=_size(input.get("effort")),
            impact=_size(input.get("impact")),
            sort=input.get("sort"),
        )
        return {"workItem": shapes.work_item(self.state, item)}

    def editWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.item(input["id"])
        if input.get("spaceId") not in (None, item.space_id):
            raise bad_request("spaceId: the emulator does not move work items between spaces")
        changes: Json = {}
        for name, key in (("title", "title"), ("statusId", "status_id"), ("sort", "sort")):
            if name in input:
                if input[name] is None:
                    raise bad_request(f"{name} cannot be null (leave it out to keep it)")
                changes[key] = input[name]
        if "description" in input:
            changes["description"] = input["description"]
        for name in ("effort", "impact"):
            if name in input:
                changes[name] = _size(input[name])
        item = self.state.update_item(item.id, changes)
        return {"workItem": shapes.work_item(self.state, item)}

    def addMembersToWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.change_members(input["id"], add=input["memberIds"])
        return {"workItem": shapes.work_item(self.state, item)}

    def removeMembersFromWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.change_members(input["id"], remove=input["memberIds"])
        return {"workItem": shapes.work_item(self.state, item)}

    def addLabelsToWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.item(input["id"])
        labels = item.label_ids + [i for i in input["labelIds"] if i not in item.label_ids]
        item = self.state.update_item(item.id, {"label_ids": labels})
        return {"workItem": shapes.work_item(self.state, item)}

    def removeLabelsFromWorkItem(self, info: Any, input: Json) -> Json:
        item = self.state.item(input["id"])
        labels = [i for i in item.label_ids if i not in input["labelIds"]]
        item = self.state.update_item(item.id, {"label_ids": labels})
        return {"workItem": shapes.work_item(self.state, item)}

    def createCommentOnWorkItem(self, info: Any, input: Json) -> Json:
        comment = self.state.add_comment(
            input["id"], input["body"], thread_id=input.get("threadId")
        )
        return {"comment": shapes.comment(self.state, comment)}

    def createLabel(self, info: Any, input: Json) -> Json:
        label = self.state.create_label(input["spaceId"], input["name"], input.get("color"))
        return {"label": shapes.label(self.state, label)}
