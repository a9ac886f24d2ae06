"""Initiatives and feedback: the parts of the organization beside the board.

Functions of the state (state.py calls them from its methods of the same names), kept
here so that the state's own module stays about the board.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiteboard.emulator import validation
from kiteboard.emulator.errors import bad_request
from kiteboard.emulator.records import Feedback, Initiative, Insight

if TYPE_CHECKING:
    from kiteboard.emulator.state import EmulatorState


def create_initiative(
    state: EmulatorState,
    *,
    title: object,
    description: object = None,
    color: object = None,
    label_ids: object = (),
    effort: object = None,
    impact: object = None,
    space_ids: object = (),
    roadmap_column_ids: object = (),
    actor_id: str | None = None,
    archived_at: int | None = None,
    created_at: int | None = None,
    updated_at: int | None = None,
) -> Initiative:
    title = validation.title(title)
    description = validation.text(description, "description")
    color = validation.text(color, "color")
    labels = validation.label_ids(state.labels, state.spaces, label_ids, None)
    effort = validation.size("effortId", effort)
    impact = validation.size("impactId", impact)
    spaces = [state.space(s).id for s in validation.id_list(space_ids, "spaceIds")]
    roadmap_columns = validation.id_list(roadmap_column_ids, "roadmapColumnIds")
    created = state._stamp(created_at)
    updated = state._stamp(updated_at) if updated_at is not None else created
    initiative = Initiative(
        id=state.new_id(),
        number=len(state.initiatives) + 1,
        title=title,
        description=description,
        color=color,
        actor_id=actor_id or state._api_actor(),
        space_ids=spaces,
        label_ids=labels,
        effort=effort,
        impact=impact,
        roadmap_column_ids=roadmap_columns,
        archived_at=archived_at,
        created_at=created,
        updated_at=updated,
    )
    state.initiatives[initiative.number] = initiative
    return initiative


def create_feedback(
    state: EmulatorState,
    *,
    title: object,
    person_email: object = None,
    contents: object = None,
    link_insight_to_entity_ids: object = (),
    actor_id: str | None = None,
    processed_at: int | None = None,
    created_at: int | None = None,
) -> Feedback:
    """POST /feedback. Linking to work items creates one insight quoting the
    contents; an unknown work item id is a 404 ISSUE_NOT_FOUND."""
    title = validation.title(title)
    person_email = validation.text(person_email, "personEmail")
    if person_email is not None and "@" not in person_email:
        raise bad_request(f"personEmail must be an email address; got {person_email!r}")
    contents = validation.text(contents, "contents") or ""
    entity_ids = [
        state.item(i).id
        for i in validation.id_list(link_insight_to_entity_ids, "linkInsightToEntityIds")
    ]
    created = state._stamp(created_at)
    feedback = Feedback(
        id=state.new_id(),
        number=len(state.feedback) + 1,
        title=title,
        person_email=person_email,
        contents=contents,
        insights=[],
        processed=processed_at is not None,
        processed_at=state._stamp(processed_at) if processed_at is not None else None,
        created_at=created,
        updated_at=created,
    )
    if entity_ids:
        at = state._stamp(created_at + 1 if created_at is not None else None)
        feedback.insights.append(
            Insight(
                id=state.new_id(),
                feedback_id=feedback.id,
                actor_id=actor_id or state._api_actor(),
                contents=contents,
                entity_ids=entity_ids,
                created_at=at,
                updated_at=at,
            )
        )
    if feedback.processed_at is not None:
        feedback.updated_at = feedback.processed_at
    state.feedback[feedback.number] = feedback
    return feedback
