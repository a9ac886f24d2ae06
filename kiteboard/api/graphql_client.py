"""The async client of Kitemaker's GraphQL API (../shared/kitemaker-graphql/README.md).

One POST a call to ``{host}/developers/graphql`` with ``Authorization: Bearer <token>``;
retries, pacing, timeouts, the cap on requests in flight and the token's secrecy are
the REST client's own (http_api.py). Queries are reads (retried when safe); mutations
are writes (never resent once their fate is unknown).

A GraphQL server may answer 200 and still fail: its ``errors`` array is read into the
same typed errors as REST's (errors.py), by ``extensions.code`` where it says one:
- no data for the asked field: the first error, typed (UNAUTHENTICATED -> AuthError,
  NOT_FOUND -> NotFoundError, INTERNAL_SERVER_ERROR -> unavailable, or an unknown
  outcome for a mutation, anything else -> BadRequestError);
- partial data (the field answered, but some of it failed): a query raises
  BadResponseError (an incomplete item must not overwrite a complete one); a mutation
  was applied but its answer is incomplete: UnknownOutcomeError, so the caller re-reads.
"""

from __future__ import annotations

import re
from typing import Any

from .answers import clean_text
from .errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    KitemakerError,
    NotFoundError,
    RateLimitedError,
    ServerUnavailableError,
    UnknownOutcomeError,
)
from .graphql_models import (
    GqlComment,
    GqlLabel,
    GqlOrganization,
    GqlWorkItem,
    GqlWorkItemPage,
)
from .graphql_operations import (
    ADD_LABELS,
    ADD_MEMBERS,
    CREATE_COMMENT,
    CREATE_LABEL,
    CREATE_WORK_ITEM,
    EDIT_WORK_ITEM,
    ORGANIZATION,
    REMOVE_LABELS,
    REMOVE_MEMBERS,
    WORK_ITEM_BY_ID,
    WORK_ITEM_BY_NUMBER,
    WORK_ITEMS,
    Operation,
)
from .http_api import Call, HttpApiClient
from .urls import graphql_url

__all__ = ["GraphQLClient", "error_of", "graphql_url"]

PAGE_SIZE = 50  # the most workItems answers at once
# editWorkItem keyword -> input field (the only keys edit_work_item accepts).
EDIT_FIELDS = {
    "title": "title",
    "description": "description",
    "status_id": "statusId",
    "sort": "sort",
    "effort": "effort",
    "impact": "impact",
}
_AUTH_CODES = frozenset({"UNAUTHENTICATED", "UNAUTHORIZED"})
_RATE_CODES = frozenset({"RATE_LIMITED", "TOO_MANY_REQUESTS"})
_NOT_FOUND = re.compile(r"\b(not found|does not exist|could not find)\b", re.IGNORECASE)


def error_of(errors: list[Any], token: str, call: Call) -> KitemakerError:
    """The typed error for a GraphQL ``errors`` array that left no data."""
    first = next((e for e in errors if isinstance(e, dict)), {})
    extensions = first.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    code = code if isinstance(code, str) else None
    message = clean_text(first.get("message"), token)
    if code in _AUTH_CODES or (code is None and message and "unauthori" in message.lower()):
        return AuthError(message, code=code)
    if code == "FORBIDDEN":
        return AuthError(message, status=403, code=code)
    if code in _RATE_CODES:
        return RateLimitedError(message, code=code)
    if (code and code.endswith("NOT_FOUND")) or (code is None and _NOT_FOUND.search(message or "")):
        return NotFoundError(message, code)
    if code == "INTERNAL_SERVER_ERROR":
        if call.write:
            return UnknownOutcomeError(
                call.method,
                call.path,
                f"{call.label}: Kitemaker failed ({message or code}); "
                "the change may or may not have been saved",
                code=code,
            )
        return ServerUnavailableError(message, status=200, code=code)
    return BadRequestError(message, status=200, code=code)


class GraphQLClient(HttpApiClient):
    """``base_url`` is the GraphQL endpoint itself (see ``graphql_url``)."""

    DEFAULT_BASE_URL = "https://toil.kitemaker.co/developers/graphql"

    def _auth_headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    # ----- queries ------------------------------------------------------------------

    async def organization(self) -> GqlOrganization:
        """Every space with its key, statuses (typed) and labels, and the users."""
        return await self._run(GqlOrganization, ORGANIZATION, {})

    async def work_items_page(
        self,
        space_id: str,
        cursor: str | None = None,
        *,
        count: int = PAGE_SIZE,
        exclude_types: tuple[str, ...] = ("ARCHIVED",),
    ) -> GqlWorkItemPage:
        """One page of the space's items (at most 50), archived ones left out by
        default; pass the answer's ``cursor`` back while ``has_more``."""
        variables: dict[str, Any] = {"spaceId": space_id, "count": count}
        if cursor:
            variables["cursor"] = cursor
        if exclude_types:
            variables["statusFilter"] = {"type": "EXCLUDE", "filter": list(exclude_types)}
        return await self._run(GqlWorkItemPage, WORK_ITEMS, variables)

    async def work_item(self, item_id: str) -> GqlWorkItem:
        """One item by id, with its history (``activities``)."""
        return await self._run(GqlWorkItem, WORK_ITEM_BY_ID, {"id": item_id})

    async def work_item_by_number(self, reference: str) -> GqlWorkItem:
        """One item by its reference, e.g. "KB-12", with its history."""
        return await self._run(GqlWorkItem, WORK_ITEM_BY_NUMBER, {"number": reference})

    # ----- mutations ----------------------------------------------------------------

    async def create_work_item(
        self,
        *,
        title: str,
        status_id: str,
        space_id: str | None = None,
        description: str | None = None,
        sort: str | None = None,
        label_ids: list[str] | None = None,
        member_ids: list[str] | None = None,
        effort: str | None = None,
        impact: str | None = None,
    ) -> GqlWorkItem:
        """Without ``sort`` the item goes first in its column."""
        fields = {
            "title": title,
            "statusId": status_id,
            "spaceId": space_id,
            "description": description,
            "sort": sort,
            "labelIds": list(label_ids) if label_ids is not None else None,
            "memberIds": list(member_ids) if member_ids is not None else None,
            "effort": effort,
            "impact": impact,
        }
        item_input = {key: value for key, value in fields.items() if value is not None}
        return await self._item(CREATE_WORK_ITEM, item_input)

    async def edit_work_item(self, item_id: str, **changes: Any) -> GqlWorkItem:
        """Change only the keys passed (see EDIT_FIELDS): ``sort`` reorders within the
        column, ``status_id`` moves to another."""
        unknown = set(changes) - EDIT_FIELDS.keys()
        if unknown:
            raise TypeError(f"edit_work_item() got unknown fields: {sorted(unknown)}")
        item_input = {"id": item_id}
        item_input.update({EDIT_FIELDS[key]: value for key, value in changes.items()})
        return await self._item(EDIT_WORK_ITEM, item_input)

    async def add_labels(self, item_id: str, label_ids: list[str]) -> GqlWorkItem:
        return await self._item(ADD_LABELS, {"id": item_id, "labelIds": list(label_ids)})

    async def remove_labels(self, item_id: str, label_ids: list[str]) -> GqlWorkItem:
        return await self._item(REMOVE_LABELS, {"id": item_id, "labelIds": list(label_ids)})

    async def add_members(self, item_id: str, user_ids: list[str]) -> GqlWorkItem:
        return await self._item(ADD_MEMBERS, {"id": item_id, "memberIds": list(user_ids)})

    async def remove_members(self, item_id: str, user_ids: list[str]) -> GqlWorkItem:
        return await self._item(REMOVE_MEMBERS, {"id": item_id, "memberIds": list(user_ids)})

    async def create_comment(
        self, item_id: str, body: str, *, thread_id: str | None = None
    ) -> GqlComment:
        """A new thread, or a reply in ``thread_id``'s."""
        comment_input = {"id": item_id, "body": body}
        if thread_id:
            comment_input["threadId"] = thread_id
        answer = await self._run(dict, CREATE_COMMENT, {"input": comment_input})
        return self._parse(GqlComment, answer.get("comment"), self._call(CREATE_COMMENT, {}))

    async def create_label(self, space_id: str, name: str, color: str | None = None) -> GqlLabel:
        label_input = {"spaceId": space_id, "name": name}
        if color:
            label_input["color"] = color.removeprefix("#")
        answer = await self._run(dict, CREATE_LABEL, {"input": label_input})
        return self._parse(GqlLabel, answer.get("label"), self._call(CREATE_LABEL, {}))

    # ----- plumbing -----------------------------------------------------------------

    async def _item(self, operation: Operation, item_input: dict[str, Any]) -> GqlWorkItem:
        answer = await self._run(dict, operation, {"input": item_input})
        return self._parse(GqlWorkItem, answer.get("workItem"), self._call(operation, {}))

    def _call(self, operation: Operation, variables: dict[str, Any]) -> Call:
        body = {"query": operation.text, "operationName": operation.name, "variables": variables}
        # The client's base URL is the endpoint: an absolute URL keeps httpx from
        # adding a trailing slash to it.
        label = f"GraphQL {operation.field}"
        return Call("POST", self.base_url, label, operation.is_mutation, body=body)

    async def _run(self, kind: Any, operation: Operation, variables: dict[str, Any]) -> Any:
        call = self._call(operation, variables)
        answer = await self._send(call)
        return self._parse(kind, self._field(answer, operation, call), call)

    def _field(self, answer: Any, operation: Operation, call: Call) -> Any:
        """The value of the operation's root field, or the typed error."""
        if not isinstance(answer, dict):
            return self._unreadable(call, "not a GraphQL answer")
        data = answer.get("data")
        value = data.get(operation.field) if isinstance(data, dict) else None
        errors = answer.get("errors")
        if isinstance(errors, list) and errors:
            if value is None:
                raise error_of(errors, self._token.reveal(), call)
            what = clean_text(
                "; ".join(str(e.get("message")) for e in errors if isinstance(e, dict)),
                self._token.reveal(),
            )
            return self._unreadable(call, f"a partial answer ({what or 'errors'})")
        if value is None:
            return self._unreadable(call, f"no {operation.field!r} in the answer")
        return value

    @staticmethod
    def _unreadable(call: Call, what: str) -> Any:
        message = f"{call.label}: Kitemaker sent {what}"
        if call.write:
            raise UnknownOutcomeError(
                call.method, call.path, message + "; the change was probably saved"
            )
        raise BadResponseError(message, 200)
