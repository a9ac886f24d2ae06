"""The async Kitemaker REST client: one method per endpoint of the contract (16).

Every request carries ``X-API-KEY``; sending, retrying, pacing and reading answers are
shared with the GraphQL client (http_api.py, which says what is guaranteed: retries
only when safe, typed errors, a token that never leaks). See
../shared/kitemaker-rest-api.md for the endpoints.
"""

from __future__ import annotations

from typing import Any

from .errors import NotFoundError
from .http_api import Call, ClientStats, HttpApiClient, Pacer
from .models import (
    Comment,
    Feedback,
    Initiative,
    Label,
    MetadataEntry,
    Organization,
    WorkItem,
)

# Re-exported: callers have always found these here.
__all__ = ["ClientStats", "KitemakerClient", "Pacer"]

# PUT /workitem keyword -> JSON field (the only keys update_work_item accepts).
WORK_ITEM_FIELDS = {
    "title": "title",
    "status_id": "statusId",
    "description": "description",
    "label_ids": "labelIds",
    "effort": "effort",
    "impact": "impact",
    "placement": "placement",
}


def _lower(value: Any) -> Any:
    # Responses say "Large", requests must say "large": accept either from callers.
    return value.lower() if isinstance(value, str) else value


def _drop_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


class KitemakerClient(HttpApiClient):
    DEFAULT_BASE_URL = "https://toil.kitemaker.co/developers/rest/v1"

    def _auth_headers(self, token: str) -> dict[str, str]:
        return {"X-API-KEY": token}

    # ----- the 16 endpoints -------------------------------------------------------

    async def organization(self) -> Organization:
        return await self._get_as(Organization, "/organization")

    async def spaces(self) -> list[MetadataEntry]:
        return await self._get_as(list[MetadataEntry], "/metadata/spaces")

    async def statuses(self, space_id: str) -> list[MetadataEntry]:
        """The space's statuses (board columns) in board order."""
        return await self._get_as(
            list[MetadataEntry], "/metadata/statuses", params={"spaceId": space_id}
        )

    async def labels(self, space_id: str) -> list[MetadataEntry]:
        return await self._get_as(
            list[MetadataEntry], "/metadata/labels", params={"spaceId": space_id}
        )

    async def work_item_titles(self, space_id: str) -> list[MetadataEntry]:
        """EVERY work item of the space, as {id, label=title} (no number, no status)."""
        return await self._get_as(
            list[MetadataEntry], "/metadata/workitems", params={"spaceId": space_id}
        )

    async def recent_work_items(self, space_id: str, count: int = 50) -> list[WorkItem]:
        """The ``count`` (1..50) most recently updated items, newest first."""
        params = {"spaceId": space_id, "count": str(count)}
        return await self._get_as(list[WorkItem], "/recent/workitems", params=params)

    async def recent_comments(self, space_id: str, count: int = 50) -> list[Comment]:
        params = {"spaceId": space_id, "count": str(count)}
        return await self._get_as(list[Comment], "/recent/comments", params=params)

    async def work_item(self, space_key: str, number: int) -> WorkItem:
        params = {"spaceKey": space_key, "workItemNumber": str(number)}
        return await self._get_as(WorkItem, "/workitem", params=params)

    async def create_work_item(
        self,
        *,
        title: str,
        status_id: str,
        description: str | None = None,
        label_ids: list[str] | None = None,
        effort: str | None = None,
        impact: str | None = None,
        placement: str | None = None,
    ) -> WorkItem:
        body = _drop_none(
            {
                "title": title,
                "statusId": status_id,
                "description": description,
                "labelIds": list(label_ids) if label_ids is not None else None,
                "effort": _lower(effort),
                "impact": _lower(impact),
                "placement": _lower(placement),
            }
        )
        return await self._send_as(WorkItem, "POST", "/workitem", body)

    async def update_work_item(self, item_id: str, **changes: Any) -> WorkItem:
        """PUT only the keys passed (see WORK_ITEM_FIELDS). ``label_ids`` is the
        complete desired set; None clears effort, impact or description."""
        unknown = set(changes) - WORK_ITEM_FIELDS.keys()
        if unknown:
            raise TypeError(f"update_work_item() got unknown fields: {sorted(unknown)}")
        body: dict[str, Any] = {"id": item_id}
        for key, value in changes.items():
            if key in ("effort", "impact", "placement"):
                value = _lower(value)
            elif key == "label_ids" and value is not None:
                value = list(value)
            body[WORK_ITEM_FIELDS[key]] = value
        return await self._send_as(WorkItem, "PUT", "/workitem", body)

    async def create_comment(self, work_item_id: str, body: str) -> Comment:
        payload = {"workItemId": work_item_id, "body": body}
        return await self._send_as(Comment, "POST", "/comment", payload)

    async def create_label(self, space_id: str, name: str, color: str | None = None) -> Label:
        """``color``: six hex digits (a leading '#' is dropped); random when None."""
        if isinstance(color, str):
            color = color.removeprefix("#")
        body = _drop_none({"spaceId": space_id, "labelName": name, "color": color})
        return await self._send_as(Label, "POST", "/label", body)

    async def initiative(self, number: int) -> Initiative:
        """GET /initiative: the documented answer is an ARRAY of one; a bare object is
        accepted too, and an empty array is INITIATIVE_NOT_FOUND."""
        data = await self._request("GET", "/initiative", params={"number": str(number)})
        if isinstance(data, list):
            if not data:
                raise NotFoundError(
                    "Could not find the specified initiative", "INITIATIVE_NOT_FOUND"
                )
            data = data[0]
        return self._parse(Initiative, data, Call.rest("GET", "/initiative"))

    async def create_initiative(
        self,
        *,
        title: str,
        description: str | None = None,
        color: str | None = None,
        label_ids: list[str] | None = None,
        effort_id: str | None = None,
        impact_id: str | None = None,
        space_ids: list[str] | None = None,
        roadmap_column_ids: list[str] | None = None,
    ) -> Initiative:
        body = _drop_none(
            {
                "title": title,
                "description": description,
                "color": color,
                "labelIds": label_ids,
                "effortId": effort_id,
                "impactId": impact_id,
                "spaceIds": space_ids,
                "roadmapColumnIds": roadmap_column_ids,
            }
        )
        data = await self._request("POST", "/initiative", body=body)
        if isinstance(data, list) and data:  # be as lenient as the GET
            data = data[0]
        return self._parse(Initiative, data, Call.rest("POST", "/initiative"))

    async def feedback(self, number: int) -> Feedback:
        # A path parameter, unlike every other read: int() keeps it one path segment.
        return await self._get_as(Feedback, f"/feedback/{int(number)}")

    async def create_feedback(
        self,
        *,
        title: str,
        person_email: str | None = None,
        contents: str | None = None,
        link_insight_to_entity_ids: list[str] | None = None,
    ) -> Feedback:
        body = _drop_none(
            {
                "title": title,
                "personEmail": person_email,
                "contents": contents,
                "linkInsightToEntityIds": link_insight_to_entity_ids,
            }
        )
        return await self._send_as(Feedback, "POST", "/feedback", body)

    # ----- plumbing ---------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        return await self._send(Call.rest(method, path, params=params, body=body))

    async def _get_as(self, kind: Any, path: str, *, params: dict[str, str] | None = None) -> Any:
        call = Call.rest("GET", path, params=params)
        return self._parse(kind, await self._send(call), call)

    async def _send_as(self, kind: Any, method: str, path: str, body: dict[str, Any]) -> Any:
        call = Call.rest(method, path, body=body)
        return self._parse(kind, await self._send(call), call)
