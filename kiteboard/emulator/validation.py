"""The checks a request's values go through before the state changes (a 400 otherwise).

Shared by the REST and GraphQL endpoints, through the state: both APIs refuse the same
things with the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiteboard.emulator.errors import bad_request
from kiteboard.emulator.records import Label, Space, Status

SIZES = ("small", "medium", "large")  # effort and impact, as requests spell them
PLACEMENTS = ("top", "bottom")


def size(field_name: str, value: object) -> str | None:
    if value is None or value in SIZES:
        return value  # type: ignore[return-value]
    raise bad_request(
        f"{field_name} must be one of 'small', 'medium', 'large' (lowercase) or null; got {value!r}"
    )


def status(statuses: Mapping[str, Status], status_id: object) -> Status:
    if not isinstance(status_id, str) or not status_id:
        raise bad_request("statusId must be a status id (a string)")
    found = statuses.get(status_id)
    if found is None:
        raise bad_request(f"statusId {status_id!r} is not a status of this organization")
    return found


def id_list(value: object, field_name: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(i, str) for i in value):
        raise bad_request(f"{field_name} must be an array of ids (strings)")
    return list(dict.fromkeys(value))


def label_ids(
    labels: Mapping[str, Label], spaces: Mapping[str, Space], value: object, space_id: str | None
) -> list[str]:
    """Known labels of `space_id` (any label when None), deduplicated, in order."""
    ids = id_list(value, "labelIds")
    unknown = [i for i in ids if i not in labels]
    if unknown:
        raise bad_request(f"labelIds holds unknown label id(s): {', '.join(unknown)}")
    if space_id is not None:
        foreign = [i for i in ids if labels[i].space_id != space_id]
        if foreign:
            space = spaces[space_id].name
            raise bad_request(f"label id(s) {', '.join(foreign)} do not belong to space {space!r}")
    return ids


def title(value: object, field_name: str = "title") -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{field_name} is required and must be a non-empty string")
    return value


def text(value: object, field_name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{field_name} must be a string or null")
    return value


def placement(value: object) -> str:
    if value not in PLACEMENTS:
        raise bad_request(f"placement must be 'top' or 'bottom'; got {value!r}")
    return value  # type: ignore[return-value]


def sort_key(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 1000:
        raise bad_request("sort must be a non-empty string (at most 1000 characters)")
    return value


def hex_color(value: object) -> str | None:
    if value is not None and not (
        isinstance(value, str)
        and len(value) == 6
        and all(c in "0123456789abcdefABCDEF" for c in value)
    ):
        raise bad_request(f"color must be six hex digits without '#', e.g. ff00aa; got {value!r}")
    return value.lower() if value else None
