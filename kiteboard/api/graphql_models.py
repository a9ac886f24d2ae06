"""Pydantic models for the answers of Kitemaker's GraphQL API (graphql_operations.py).

Lenient like models.py: unknown fields ignored, what may be missing defaults to None or
[]. Names follow the GraphQL schema's (camelCase aliases). Where GraphQL and REST
differ, the model says so: a work item's ``number`` is a STRING here ("123"), and an
actor is a union whose members name themselves differently (``username``, ``name``,
``externalName``), read into one ``name``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from .models import Actor, ApiModel, EntityRef, EnumText, Label, Timestamp, WorkItem, _null_list

STATUS_TYPES = ("BACKLOG", "TODO", "IN_PROGRESS", "DONE", "ARCHIVED")


class GqlActor(ApiModel):
    """Who did something. ``kind`` is the union member: "User", "Application",
    "IntegrationUser" or "Integration"; ``name`` what to show for it (a user's
    ``username``, prefixed "@" as REST shows users)."""

    kind: str | None = Field(default=None, alias="__typename")
    id: str | None = None
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_name(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        username = data.get("username")
        if isinstance(username, str) and username:
            data["name"] = "@" + username.removeprefix("@")
        else:
            for key in ("applicationName", "name", "externalName", "type"):
                if isinstance(data.get(key), str) and data[key]:
                    data["name"] = data[key]
                    break
        return data


class GqlUser(ApiModel):
    id: str
    username: str = ""
    name: str | None = None
    guest: bool = False
    deactivated: bool = False


class GqlLabel(ApiModel):
    id: str
    name: str = ""
    color: str | None = None


class GqlStatus(ApiModel):
    """A board column; ``type`` is one of STATUS_TYPES (kept as sent, even if new)."""

    id: str
    name: str = ""
    type: str | None = None
    default: bool = False


class GqlSpaceRef(ApiModel):
    id: str
    key: str | None = None
    name: str | None = None


class GqlSpace(ApiModel):
    id: str
    key: str = ""
    name: str = ""
    statuses: Annotated[list[GqlStatus], BeforeValidator(_null_list)] = Field(default_factory=list)
    labels: Annotated[list[GqlLabel], BeforeValidator(_null_list)] = Field(default_factory=list)


class GqlOrganization(ApiModel):
    id: str
    name: str = ""
    spaces: Annotated[list[GqlSpace], BeforeValidator(_null_list)] = Field(default_factory=list)
    users: Annotated[list[GqlUser], BeforeValidator(_null_list)] = Field(default_factory=list)


class GqlComment(ApiModel):
    """One comment; comments sharing a ``thread_id`` are one thread (the first starts it)."""

    id: str
    body: str = ""
    thread_id: str | None = None
    actor: GqlActor | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class GqlActivity(ApiModel):
    """One entry of an item's history; ``details`` is Kitemaker's beta JSON, kept as is."""

    id: str
    type: str = ""
    details: Any = None
    actor: GqlActor | None = None
    created_at: Timestamp = None


class GqlWorkItem(ApiModel):
    id: str
    number: str = ""  # a string in GraphQL ("123"), an int in REST
    title: str = ""
    description: str | None = None
    sort: str = ""  # orders the items of one status column
    effort: EnumText = None
    impact: EnumText = None
    actor: GqlActor | None = None
    status: GqlStatus | None = None
    space: GqlSpaceRef | None = None
    labels: Annotated[list[GqlLabel], BeforeValidator(_null_list)] = Field(default_factory=list)
    members: Annotated[list[GqlUser], BeforeValidator(_null_list)] = Field(default_factory=list)
    comments: Annotated[list[GqlComment], BeforeValidator(_null_list)] = Field(default_factory=list)
    activities: Annotated[list[GqlActivity], BeforeValidator(_null_list)] = Field(
        default_factory=list
    )
    closed_at: Timestamp = None
    archived_at: Timestamp = None
    created_at: Timestamp = None
    updated_at: Timestamp = None

    def as_rest(self) -> WorkItem:
        """The item as REST's /workitem shows it, so that both sources fill the store
        alike: an int number, "Large" for "large", no description as null, the actor
        as REST names it ("@Ole", type "user" or "application")."""
        actor = self.actor
        return WorkItem(
            id=self.id,
            actor=Actor(
                id=actor.id or "",
                name=actor.name,
                type="user" if actor.kind == "User" else "application",
            )
            if actor is not None
            else None,
            number=int(self.number) if self.number.isdigit() else 0,
            title=self.title,
            description=self.description or None,
            status=EntityRef(id=self.status.id, name=self.status.name) if self.status else None,
            space=EntityRef(id=self.space.id, name=self.space.name) if self.space else None,
            labels=[Label(id=x.id, name=x.name, color=x.color) for x in self.labels],
            effort=self.effort.capitalize() if self.effort else None,
            impact=self.impact.capitalize() if self.impact else None,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


class GqlWorkItemPage(ApiModel):
    """One page of ``workItems``: pass ``cursor`` back while ``has_more``."""

    work_items: Annotated[list[GqlWorkItem], BeforeValidator(_null_list)] = Field(
        default_factory=list
    )
    cursor: str = ""
    has_more: bool = False


__all__ = [
    "STATUS_TYPES",
    "GqlActivity",
    "GqlActor",
    "GqlComment",
    "GqlLabel",
    "GqlOrganization",
    "GqlSpace",
    "GqlSpaceRef",
    "GqlStatus",
    "GqlUser",
    "GqlWorkItem",
    "GqlWorkItemPage",
]
