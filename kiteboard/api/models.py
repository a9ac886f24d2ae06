"""Pydantic models for every resource of the Kitemaker REST API.

Shapes follow ../shared/kitemaker-rest-api.md. The models are deliberately lenient,
because the client must never break when the server changes its mind:
- unknown fields are ignored, and missing optional fields default to None (or []);
- colors are kept as given: six hex digits (``e91e63``) or a palette name (``brown``);
- effort/impact are kept as the server says them (``"Large"``) and may be null; an
  object in their place (``{"id": ..., "name": ...}``) is reduced to its name.

Attributes are snake_case; the JSON names (camelCase) are aliases, and
``populate_by_name=True`` lets tests and fakes build models with either.
Schemas are built on first use (``defer_build``), so importing this module stays cheap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.alias_generators import to_camel

# Request enums are lowercase; responses capitalise them ("large" -> "Large").
Effort = Literal["small", "medium", "large"]
Impact = Effort
Placement = Literal["top", "bottom"]


def _enum_text(value: Any) -> Any:
    """Effort/impact as a plain string: the server sends "Large" today; should it send
    an object instead, keep its name rather than fail the whole item."""
    if isinstance(value, dict):
        for key in ("name", "label", "id"):
            if isinstance(value.get(key), str):
                return value[key]
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _null_list(value: Any) -> Any:
    """A list field given as null is an empty list."""
    return [] if value is None else value


def _lenient_time(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A timestamp the server garbled is unknown (None), not a reason to drop the item."""
    try:
        return handler(value)
    except ValidationError:
        return None


EnumText = Annotated[str | None, BeforeValidator(_enum_text)]
Timestamp = Annotated[datetime | None, WrapValidator(_lenient_time)]


class ApiModel(BaseModel):
    """Base of every response model: camelCase aliases, extra fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        defer_build=True,
    )


class Actor(ApiModel):
    """Who did something: ``type`` is "user" (names like "@Ole") or "application"."""

    id: str
    name: str | None = None
    type: str | None = None


class EntityRef(ApiModel):
    """A ``{id, name}`` reference: the status and space inside a WorkItem, the spaces
    of an Initiative."""

    id: str
    name: str | None = None


class Label(ApiModel):
    """A label; ``color`` is hex without '#' or a palette name (see colors.py)."""

    id: str
    name: str = ""
    color: str | None = None
    space_id: str | None = None


class WorkItem(ApiModel):
    id: str
    actor: Actor | None = None
    number: int
    title: str = ""
    description: str | None = None
    status: EntityRef | None = None
    space: EntityRef | None = None
    labels: Annotated[list[Label], BeforeValidator(_null_list)] = Field(default_factory=list)
    effort: EnumText = None
    impact: EnumText = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CommentEntity(ApiModel):
    """The work item a comment belongs to. ``space`` is the space KEY (e.g. "ACM"),
    the only place a documented response carries it."""

    id: str
    number: int | None = None
    space: str | None = None
    space_id: str | None = None
    title: str | None = None


class Comment(ApiModel):
    id: str
    body: str = ""
    actor: Actor | None = None
    entity: CommentEntity | None = None
    reply: bool = False
    thread_id: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class Organization(ApiModel):
    id: str
    name: str = ""
    created_at: Timestamp = None
    updated_at: Timestamp = None


class MetadataEntry(ApiModel):
    """An entry of the /metadata/* lists: ``label`` is the space, status, label or
    work item title."""

    id: str
    label: str = ""


class Initiative(ApiModel):
    id: str
    number: int | None = None
    title: str = ""
    description: str | None = None
    actor: Actor | None = None
    spaces: Annotated[list[EntityRef], BeforeValidator(_null_list)] = Field(default_factory=list)
    labels: Annotated[list[Label], BeforeValidator(_null_list)] = Field(default_factory=list)
    effort: EnumText = None
    impact: EnumText = None
    archived_at: Timestamp = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class Insight(ApiModel):
    """Links a piece of feedback to work items (``entity_ids``)."""

    id: str
    feedback_id: str | None = None
    actor: Actor | None = None
    contents: str | None = None
    entity_ids: Annotated[list[str], BeforeValidator(_null_list)] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class Feedback(ApiModel):
    """Customer feedback. ``person`` and ``company`` are null in every documented
    example; their shape is not documented, so any JSON value is kept as is."""

    id: str
    organization_id: str | None = None
    title: str = ""
    person: Any = None
    company: Any = None
    contents: str | None = None
    insights: Annotated[list[Insight], BeforeValidator(_null_list)] = Field(default_factory=list)
    processed: bool = False
    processed_at: Timestamp = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class ErrorDetail(ApiModel):
    """One entry of an error body ``{"errors": [{message, status, code}]}``."""

    message: str | None = None
    status: int | None = None
    code: str | None = None


class ErrorBody(ApiModel):
    errors: Annotated[list[ErrorDetail], BeforeValidator(_null_list)] = Field(default_factory=list)


__all__ = [
    "Actor",
    "ApiModel",
    "Comment",
    "CommentEntity",
    "Effort",
    "EntityRef",
    "ErrorBody",
    "ErrorDetail",
    "Feedback",
    "Impact",
    "Initiative",
    "Insight",
    "Label",
    "MetadataEntry",
    "Organization",
    "Placement",
    "WorkItem",
]
