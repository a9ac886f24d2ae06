"""The models read every example of the contract, and what the documentation does not
promise: arrays for objects, named colors, nulls, missing and extra fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiteboard.api.colors import label_color_hex
from kiteboard.api.models import (
    Comment,
    ErrorBody,
    Feedback,
    Initiative,
    Label,
    MetadataEntry,
    Organization,
    WorkItem,
)

EXAMPLES_PATH = (
    Path(__file__).resolve().parents[2] / "shared" / "seed" / "kitemaker-doc-examples.json"
)

# Which model each documented success example is, by documentation page.
MODEL_OF_PAGE = {
    "_api/comment_create.md": Comment,
    "_api/feedback_get.md": Feedback,
    "_api/feedback_post.md": Feedback,
    "_api/initiative_get.md": Initiative,
    "_api/initiative_post.md": Initiative,
    "_api/label_post.md": Label,
    "_api/organization.md": Organization,
    "_api/workitem_get.md": WorkItem,
    "_api/workitem_post.md": WorkItem,
    "_api/workitem_put.md": WorkItem,
    "_metadata/meta_issues.md": MetadataEntry,
    "_metadata/meta_labels.md": MetadataEntry,
    "_metadata/meta_spaces.md": MetadataEntry,
    "_metadata/meta_statuses.md": MetadataEntry,
    "_recent/recent_comments.md": Comment,
    "_recent/recent_workitems.md": WorkItem,
}


def _load_examples() -> dict:
    if not EXAMPLES_PATH.exists():
        pytest.skip(
            f"contract examples not found at {EXAMPLES_PATH} "
            "(shared/ must sit beside the repository clone)"
        )
    return json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))


def _documented_cases() -> list[tuple[str, int, object]]:
    if not EXAMPLES_PATH.exists():
        return []
    pages = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return [
        (page, i, example)
        for page, entry in pages.items()
        for i, example in enumerate(entry["examples"])
    ]


def test_examples_file_is_present_and_every_page_is_mapped():
    pages = _load_examples()
    with_examples = {
        page
        for page, entry in pages.items()
        if any(not (isinstance(e, dict) and "errors" in e) for e in entry["examples"])
    }
    assert with_examples == set(MODEL_OF_PAGE), "a documented example has no model"


@pytest.mark.parametrize(
    ("page", "index", "example"),
    _documented_cases() or [pytest.param("", 0, None, marks=pytest.mark.skip("no examples"))],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_documented_example_parses(page, index, example):
    if isinstance(example, dict) and "errors" in example:
        body = ErrorBody.model_validate(example)
        assert body.errors and body.errors[0].message and body.errors[0].code
        assert body.errors[0].status in (400, 401, 404, 429)
        return
    model = MODEL_OF_PAGE[page]
    items = example if isinstance(example, list) else [example]
    assert items, "a documented list example is empty"
    for item in items:
        parsed = model.model_validate(item)
        assert parsed.id == item["id"]


def test_work_item_example_fields_are_read():
    example = _load_examples()["_api/workitem_get.md"]["examples"][0]
    item = WorkItem.model_validate(example)
    assert item.number == 123
    assert item.title == "My Title"
    assert item.actor is not None and item.actor.type == "application"
    assert item.status is not None and item.status.name == "Done"
    assert item.space is not None and item.space.id == "1335a4d05e286400"
    assert [(label.name, label.color) for label in item.labels] == [("important", "e91e63")]
    assert (item.effort, item.impact) == ("Large", "Medium")
    assert item.created_at == datetime(2021, 11, 25, 14, 46, 18, 756000, tzinfo=UTC)


def test_comment_example_keeps_space_key_and_thread():
    example = _load_examples()["_api/comment_create.md"]["examples"][0]
    comment = Comment.model_validate(example)
    assert comment.entity is not None
    assert comment.entity.space == "ACM"
    assert comment.entity.number == 18
    assert comment.entity.space_id == "136975ca1bb5d800"
    assert comment.reply is False
    assert comment.thread_id == "1369791039b5d800"


def test_initiative_example_comes_as_an_array_with_a_named_color():
    example = _load_examples()["_api/initiative_get.md"]["examples"][0]
    assert isinstance(example, list)
    initiative = Initiative.model_validate(example[0])
    assert initiative.number == 1
    assert initiative.labels[0].color == "brown"
    assert label_color_hex(initiative.labels[0].color) == "#ad7f58"
    assert initiative.effort is None and initiative.impact is None
    assert initiative.archived_at is None
    assert [s.name for s in initiative.spaces] == ["Acme"]


def test_feedback_example_reads_insights_and_nulls():
    example = _load_examples()["_api/feedback_get.md"]["examples"][0]
    feedback = Feedback.model_validate(example)
    assert feedback.person is None and feedback.company is None
    assert feedback.processed is False and feedback.processed_at is None
    assert feedback.insights[0].entity_ids == ["246da190d867d400"]
    assert feedback.insights[0].actor is not None
    assert feedback.insights[0].actor.name == "@Ole"


def test_label_post_example_reads_space_id():
    example = _load_examples()["_api/label_post.md"]["examples"][0]
    label = Label.model_validate(example)
    assert (label.name, label.color, label.space_id) == (
        "Infrastructure",
        "ff00aa",
        example["spaceId"],
    )


# ----- edge cases the documentation does not promise -------------------------------


def test_work_item_with_only_id_and_number():
    item = WorkItem.model_validate({"id": "a1", "number": 7})
    assert item.title == ""
    assert item.labels == []
    assert item.status is None and item.space is None and item.actor is None
    assert item.effort is None and item.impact is None
    assert item.created_at is None and item.updated_at is None


def test_work_item_null_effort_impact_and_null_labels():
    item = WorkItem.model_validate(
        {"id": "a1", "number": 7, "title": "t", "effort": None, "impact": None, "labels": None}
    )
    assert (item.effort, item.impact, item.labels) == (None, None, [])


def test_unknown_fields_are_ignored_everywhere():
    item = WorkItem.model_validate(
        {
            "id": "a1",
            "number": 7,
            "title": "t",
            "sortOrder": "a0",
            "status": {"id": "s", "name": "Todo", "type": "todo"},
            "labels": [{"id": "l", "name": "x", "color": "fff000", "archived": False}],
            "actor": {"id": "u", "name": "@Ann", "type": "user", "avatar": "https://x"},
        }
    )
    assert item.status is not None and item.status.name == "Todo"
    assert not hasattr(item, "sortOrder") and not hasattr(item, "sort_order")
    assert item.labels[0].color == "fff000"


def test_effort_given_as_an_object_keeps_its_name():
    initiative = Initiative.model_validate(
        {"id": "i", "effort": {"id": "e1", "name": "Large"}, "impact": {"id": "e2"}}
    )
    assert initiative.effort == "Large"
    assert initiative.impact == "e2"


def test_garbled_timestamp_becomes_unknown_not_a_failure():
    comment = Comment.model_validate({"id": "c", "body": "b", "createdAt": "yesterday-ish"})
    assert comment.created_at is None


def test_a_work_item_without_id_is_rejected():
    with pytest.raises(ValueError):
        WorkItem.model_validate({"number": 1, "title": "no id"})


def test_models_build_from_snake_case_names_too():
    label = Label(id="l", name="bug", color="red", space_id="s")
    assert label.space_id == "s"
    assert label.model_dump(by_alias=True)["spaceId"] == "s"


def test_error_body_tolerates_missing_parts():
    assert ErrorBody.model_validate({}).errors == []
    detail = ErrorBody.model_validate({"errors": [{"message": "x"}]}).errors[0]
    assert (detail.message, detail.status, detail.code) == ("x", None, None)


@pytest.mark.parametrize(
    ("color", "expected"),
    [
        ("e91e63", "#e91e63"),
        ("#FF00AA", "#ff00aa"),
        ("brown", "#ad7f58"),
        ("Sky", "#7ce2fe"),
        ("chartreuse-ish", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_label_colors_hex_names_and_anything_else(color, expected):
    assert label_color_hex(color) == expected
