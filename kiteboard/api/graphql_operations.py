"""Every query and mutation the GraphQL client sends, written by hand.

Each asks only for the fields kiteboard uses. tests/test_graphql_client.py validates
all of them against Kitemaker's published schema (../shared/kitemaker-graphql/), so a
field that does not exist there, or an argument of the wrong type, fails a test rather
than a user's sync. Plain strings: no GraphQL library is needed at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

# An actor is a union: each member is asked for what names it. (User.name may be null,
# Application.name may not: one response key cannot hold both types, hence the alias.)
ACTOR = """
fragment ActorFields on Actor {
  __typename
  ... on User { id username name }
  ... on Application { id applicationName: name }
  ... on IntegrationUser { id externalName }
  ... on Integration { id type }
}
"""

USER = """
fragment UserFields on User { id username name guest deactivated }
"""

COMMENT = """
fragment CommentFields on Comment {
  id body threadId createdAt updatedAt
  actor { ...ActorFields }
}
"""

# What a card and the sync need; comments come with the item (every one, threaded).
WORK_ITEM = """
fragment WorkItemFields on WorkItem {
  id number title description sort effort impact closedAt archivedAt createdAt updatedAt
  actor { ...ActorFields }
  status { id name type default }
  space { id key name }
  labels { id name color }
  members { ...UserFields }
  comments { ...CommentFields }
}
"""

ACTIVITIES = """
fragment ActivityFields on Activity {
  id type details createdAt
  actor { ...ActorFields }
}
"""

ITEM_FRAGMENTS = WORK_ITEM + COMMENT + USER + ACTOR


@dataclass(frozen=True, slots=True)
class Operation:
    """A named query or mutation; ``field`` is the root field whose value is the answer."""

    name: str
    field: str
    text: str

    @property
    def is_mutation(self) -> bool:
        return self.text.lstrip().startswith("mutation")


ORGANIZATION = Operation(
    "Organization",
    "organization",
    """
query Organization {
  organization {
    id name
    spaces {
      id key name
      statuses { id name type default }
      labels { id name color }
    }
    users { ...UserFields }
  }
}
"""
    + USER,
)

WORK_ITEMS = Operation(
    "WorkItems",
    "workItems",
    """
query WorkItems($spaceId: ID!, $cursor: String, $count: Int, $statusFilter: StatusFilter) {
  workItems(spaceId: $spaceId, cursor: $cursor, count: $count, statusFilter: $statusFilter) {
    cursor hasMore
    workItems { ...WorkItemFields }
  }
}
"""
    + ITEM_FRAGMENTS,
)

WORK_ITEM_BY_ID = Operation(
    "WorkItem",
    "workItem",
    """
query WorkItem($id: ID!) {
  workItem(id: $id) { ...WorkItemFields activities { ...ActivityFields } }
}
"""
    + ITEM_FRAGMENTS
    + ACTIVITIES,
)

WORK_ITEM_BY_NUMBER = Operation(
    "WorkItemByNumber",
    "workItemByNumber",
    """
query WorkItemByNumber($number: String!) {
  workItemByNumber(number: $number) { ...WorkItemFields activities { ...ActivityFields } }
}
"""
    + ITEM_FRAGMENTS
    + ACTIVITIES,
)


def _item_mutation(name: str, field: str, input_type: str) -> Operation:
    """A mutation taking one ``input`` and answering ``{workItem}``."""
    text = f"""
mutation {name}($input: {input_type}!) {{
  {field}(input: $input) {{ workItem {{ ...WorkItemFields }} }}
}}
"""
    return Operation(name, field, text + ITEM_FRAGMENTS)


CREATE_WORK_ITEM = _item_mutation("CreateWorkItem", "createWorkItem", "CreateWorkItemInput")
EDIT_WORK_ITEM = _item_mutation("EditWorkItem", "editWorkItem", "EditWorkItemInput")
ADD_LABELS = _item_mutation("AddLabels", "addLabelsToWorkItem", "AddLabelsToWorkItemInput")
REMOVE_LABELS = _item_mutation(
    "RemoveLabels", "removeLabelsFromWorkItem", "RemoveLabelsFromWorkItemInput"
)
ADD_MEMBERS = _item_mutation("AddMembers", "addMembersToWorkItem", "AddMembersToWorkItemInput")
REMOVE_MEMBERS = _item_mutation(
    "RemoveMembers", "removeMembersFromWorkItem", "RemoveMembersFromWorkItemInput"
)

CREATE_COMMENT = Operation(
    "CreateComment",
    "createCommentOnWorkItem",
    """
mutation CreateComment($input: CreateCommentOnWorkItemInput!) {
  createCommentOnWorkItem(input: $input) { comment { ...CommentFields } }
}
"""
    + COMMENT
    + ACTOR,
)

CREATE_LABEL = Operation(
    "CreateLabel",
    "createLabel",
    """
mutation CreateLabel($input: CreateLabelInput!) {
  createLabel(input: $input) { label { id name color } }
}
""",
)

ALL_OPERATIONS = (
    ORGANIZATION,
    WORK_ITEMS,
    WORK_ITEM_BY_ID,
    WORK_ITEM_BY_NUMBER,
    CREATE_WORK_ITEM,
    EDIT_WORK_ITEM,
    ADD_LABELS,
    REMOVE_LABELS,
    ADD_MEMBERS,
    REMOVE_MEMBERS,
    CREATE_COMMENT,
    CREATE_LABEL,
)
