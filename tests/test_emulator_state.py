"""The emulator's state rules and its demo data, as a client sees them over the API."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import httpx
import pytest

from kiteboard.emulator import serialize
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import BASE_MS, YEAR_MS, build_demo_state
from kiteboard.emulator.state import EmulatorState
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX_ID = re.compile(r"^[0-9a-f]{16}$")
FROZEN = (BASE_MS + 86_400_000) / 1000  # a day after the demo history, in seconds

WORK_ITEM_KEYS = {
    "id", "actor", "number", "title", "description", "status", "space", "labels",
    "effort", "impact", "createdAt", "updatedAt",
}  # fmt: skip
COMMENT_KEYS = {
    "id", "body", "actor", "entity", "reply", "threadId", "createdAt", "updatedAt",
}  # fmt: skip
INITIATIVE_KEYS = {
    "id", "number", "title", "description", "actor", "spaces", "labels", "effort",
    "impact", "archivedAt", "updatedAt", "createdAt",
}  # fmt: skip
FEEDBACK_KEYS = {
    "id", "organizationId", "title", "person", "company", "contents", "insights",
    "processed", "processedAt", "createdAt", "updatedAt",
}  # fmt: skip
INSIGHT_KEYS = {"id", "feedbackId", "createdAt", "updatedAt", "actor", "contents", "entityIds"}


class Api:
    """A tiny client over the in-process transport; every answer's status is checked."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.state = emulator.state
        self.http = httpx.Client(
            transport=EmulatorTransport(emulator),
            base_url=DEMO_BASE_URL,
            headers={"X-API-KEY": "demo"},
        )

    def get(self, path: str, **params: object):
        response = self.http.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, method: str, path: str, body: dict, status: int):
        response = self.http.request(method, path, json=body)
        assert response.status_code == status, response.text
        return response.json()

    def create(self, **body):
        return self.send("POST", "/workitem", body, 201)

    def update(self, **body):
        return self.send("PUT", "/workitem", body, 200)

    def space(self, key: str):
        return self.state.space_by_key(key)


@pytest.fixture
def api():
    api = Api(Emulator(build_demo_state(seed=3, clock=lambda: FROZEN)))
    yield api
    api.http.close()


def status_id(api: Api, key: str, name: str) -> str:
    return next(s.id for s in api.state.statuses_of(api.space(key).id) if s.name == name)


# ---- numbers, timestamps, the change feed ------------------------------------------------


def test_numbers_count_up_per_space(api):
    kb_max = max(i.number for i in api.state.items_of(api.space("KB").id))
    des_max = max(i.number for i in api.state.items_of(api.space("DES").id))
    first = api.create(title="One", statusId=status_id(api, "KB", "Todo"))
    other = api.create(title="Elsewhere", statusId=status_id(api, "DES", "Ideas"))
    second = api.create(title="Two", statusId=status_id(api, "KB", "Backlog"))
    assert (first["number"], second["number"]) == (kb_max + 1, kb_max + 2)
    assert other["number"] == des_max + 1
    assert api.get("/workitem", spaceKey="KB", workItemNumber=kb_max + 2)["id"] == second["id"]


def test_updated_at_strictly_increases_even_with_a_frozen_clock(api):
    todo = status_id(api, "KB", "Todo")
    created = api.create(title="Frozen", statusId=todo)
    assert created["createdAt"] == created["updatedAt"]
    assert created["createdAt"] == "2025-06-03T09:30:00.000Z"  # the injected clock
    stamps = [created["updatedAt"]]
    for n in range(5):
        stamps.append(api.update(id=created["id"], title=f"Frozen {n}")["updatedAt"])
    stamps.append(api.create(title="Next", statusId=todo)["updatedAt"])
    assert all(TIMESTAMP.match(s) for s in stamps)
    assert stamps == sorted(set(stamps))  # strictly increasing


def test_mutations_stay_after_the_history_when_the_clock_is_behind_it():
    api = Api(Emulator(build_demo_state(clock=lambda: 0.0)))
    latest = max(i.updated_at for i in api.state.items.values())
    item = api.create(title="x", statusId=status_id(api, "KB", "Todo"))
    assert item["updatedAt"] > serialize.timestamp(latest)


def test_recent_work_items_is_a_change_feed(api):
    kb = api.space("KB").id
    feed = api.get("/recent/workitems", spaceId=kb, count=50)
    assert len(feed) == 50
    stamps = [i["updatedAt"] for i in feed]
    assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == 50
    assert {i["space"]["id"] for i in feed} == {kb}
    # The oldest item, once touched, leads the feed; one in another space does not.
    oldest = min(api.state.items_of(kb), key=lambda i: i.updated_at)
    api.update(id=oldest.id, impact="small")
    api.create(title="Other space", statusId=status_id(api, "DES", "Ideas"))
    feed = api.get("/recent/workitems", spaceId=kb, count=3)
    assert feed[0]["id"] == oldest.id
    assert feed[0]["updatedAt"] > feed[1]["updatedAt"]


def test_a_comment_is_in_the_comment_feed_and_does_not_touch_its_item(api):
    kb = api.space("KB")
    item = api.state.items[kb.item_ids[5]]
    before = api.get("/workitem", spaceKey="KB", workItemNumber=item.number)
    comment = api.send("POST", "/comment", {"workItemId": item.id, "body": "Looks *good*"}, 201)
    assert set(comment) == COMMENT_KEYS
    assert comment["entity"] == {
        "id": item.id,
        "number": item.number,
        "space": "KB",  # the space KEY
        "spaceId": kb.id,  # the real space id (not the item id, as the docs' example has)
        "title": item.title,
    }
    assert comment["reply"] is False
    assert HEX_ID.match(comment["threadId"]) and comment["threadId"] != comment["id"]
    assert comment["actor"] == {"id": api.state.api_actor_id, "name": "@Robin", "type": "user"}
    assert api.get("/workitem", spaceKey="KB", workItemNumber=item.number) == before
    feed = api.get("/recent/comments", spaceId=kb.id, count=50)
    assert feed[0] == comment
    stamps = [c["updatedAt"] for c in feed]
    assert stamps == sorted(stamps, reverse=True)
    assert {c["entity"]["spaceId"] for c in feed} == {kb.id}


# ---- placement, partial updates, labels, casing ------------------------------------------


def test_placement_keeps_a_per_column_order(api):
    review = status_id(api, "KB", "In Review")
    done = status_id(api, "KB", "Done")
    a = api.create(title="A", statusId=review)["id"]
    b = api.create(title="B", statusId=review, placement="top")["id"]
    c = api.create(title="C", statusId=review, placement="bottom")["id"]
    column = [i.id for i in api.state.column(review)]
    assert column[:2] == [b, a] and column[-1] == c
    api.update(id=b, title="B, renamed", statusId=review)  # same column: stays put
    assert [i.id for i in api.state.column(review)] == column
    api.update(id=a, statusId=done)  # another column: top by default
    assert api.state.column(done)[0].id == a
    assert a not in [i.id for i in api.state.column(review)]
    api.update(id=a, statusId=review, placement="bottom")
    assert api.state.column(review)[-1].id == a
    api.update(id=c, placement="top")  # reorder within the column
    assert [i.id for i in api.state.column(review)][:2] == [c, b]


def test_put_changes_only_what_it_is_sent(api):
    kb = api.space("KB")
    bug, ux, perf = (x.id for x in api.state.labels_of(kb.id)[:3])
    item = api.create(
        title="Original",
        statusId=status_id(api, "KB", "Todo"),
        description="# Notes",
        labelIds=[bug, ux],
        effort="small",
        impact="large",
    )
    renamed = api.update(id=item["id"], title="Renamed")
    unchanged = {k: v for k, v in item.items() if k not in ("title", "updatedAt")}
    assert {k: v for k, v in renamed.items() if k not in ("title", "updatedAt")} == unchanged
    assert renamed["title"] == "Renamed"

    replaced = api.update(id=item["id"], labelIds=[perf, bug, perf])
    assert [x["id"] for x in replaced["labels"]] == [perf, bug]  # replaced, not added
    assert api.update(id=item["id"], labelIds=[])["labels"] == []

    cleared = api.update(id=item["id"], effort=None, impact=None, description=None)
    assert (cleared["effort"], cleared["impact"], cleared["description"]) == (None, None, None)
    assert cleared["title"] == "Renamed" and cleared["status"] == item["status"]


def test_enums_are_lowercase_in_requests_and_capitalised_in_responses(api):
    item = api.create(
        title="Sizes", statusId=status_id(api, "KB", "Todo"), effort="large", impact="medium"
    )
    assert (item["effort"], item["impact"]) == ("Large", "Medium")
    fetched = api.get("/workitem", spaceKey="KB", workItemNumber=item["number"])
    assert (fetched["effort"], fetched["impact"]) == ("Large", "Medium")
    assert api.update(id=item["id"], effort="small")["effort"] == "Small"
    initiative = api.send("POST", "/initiative", {"title": "I", "effortId": "medium"}, 201)
    assert initiative["effort"] == "Medium"


def test_a_created_label_is_usable_and_listed(api):
    kb = api.space("KB").id
    label = api.send(
        "POST", "/label", {"spaceId": kb, "labelName": "Infra", "color": "FF00AA"}, 201
    )
    assert label == {"id": label["id"], "name": "Infra", "color": "ff00aa", "spaceId": kb}
    random_colour = api.send("POST", "/label", {"spaceId": kb, "labelName": "R"}, 201)
    assert re.fullmatch(r"[0-9a-f]{6}", random_colour["color"])
    assert {"id": label["id"], "label": "Infra"} in api.get("/metadata/labels", spaceId=kb)
    item = api.create(title="x", statusId=status_id(api, "KB", "Todo"), labelIds=[label["id"]])
    assert item["labels"] == [{"id": label["id"], "name": "Infra", "color": "ff00aa"}]


def test_initiatives_and_feedback(api):
    got = api.get("/initiative", number=1)
    assert isinstance(got, list) and len(got) == 1 and got[0]["number"] == 1
    assert set(got[0]) == INITIATIVE_KEYS
    kb = api.space("KB")
    created = api.send(
        "POST", "/initiative", {"title": "New", "spaceIds": [kb.id], "impactId": "large"}, 201
    )
    assert isinstance(created, dict) and created["number"] == len(api.state.initiatives)
    assert created["spaces"] == [{"id": kb.id, "name": "Kiteboard"}]
    assert created["impact"] == "Large" and created["archivedAt"] is None
    assert api.get("/initiative", number=created["number"]) == [created]

    item = kb.item_ids[0]
    feedback = api.send(
        "POST",
        "/feedback",
        {"title": "Love it", "personEmail": "a@b.example", "contents": "Great\n",
         "linkInsightToEntityIds": [item]},
        201,
    )  # fmt: skip
    assert set(feedback) == FEEDBACK_KEYS
    assert feedback["organizationId"] == api.state.organization.id
    assert feedback["processed"] is False and feedback["person"] is None
    [insight] = feedback["insights"]
    assert set(insight) == INSIGHT_KEYS
    assert insight["entityIds"] == [item] and insight["feedbackId"] == feedback["id"]
    number = len(api.state.feedback)
    assert api.get(f"/feedback/{number}") == feedback
    plain = api.send("POST", "/feedback", {"title": "No links"}, 201)
    assert plain["insights"] == [] and plain["contents"] == ""


def test_response_shapes_have_exactly_the_documented_fields(api):
    kb = api.space("KB").id
    assert set(api.get("/organization")) == {"id", "name", "createdAt", "updatedAt"}
    for path, params in [
        ("/metadata/spaces", {}),
        ("/metadata/statuses", {"spaceId": kb}),
        ("/metadata/labels", {"spaceId": kb}),
        ("/metadata/workitems", {"spaceId": kb}),
    ]:
        entries = api.get(path, **params)
        assert entries and all(set(e) == {"id", "label"} for e in entries), path
    item = api.get("/recent/workitems", spaceId=kb, count=1)[0]
    assert set(item) == WORK_ITEM_KEYS
    assert set(item["status"]) == set(item["space"]) == {"id", "name"}
    assert set(item["actor"]) == {"id", "name", "type"}
    for label in item["labels"]:
        assert set(label) == {"id", "name", "color"}
    assert set(api.get("/recent/comments", spaceId=kb, count=1)[0]) == COMMENT_KEYS


# ---- demo data -------------------------------------------------------------------------------


def test_demo_spaces_statuses_and_labels():
    state = build_demo_state()
    spaces = list(state.spaces.values())
    assert [(s.name, s.key) for s in spaces][:3] == [
        ("Kiteboard", "KB"),
        ("Platform", "PLAT"),
        ("Design", "DES"),
    ]
    assert len({s.key for s in spaces}) == len({s.name for s in spaces}) == len(spaces) >= 3
    for space in spaces:
        assert 4 <= len(space.status_ids) <= 6
        assert 20 <= len(space.item_ids) <= 100  # small by default
    colours = [label.color for label in state.labels.values()]
    assert any(re.fullmatch(r"[0-9a-f]{6}", c) for c in colours)
    assert {"brown", "teal"} <= set(colours)


def test_demo_items_are_realistic_and_include_hostile_text():
    state = build_demo_state()
    items = list(state.items.values())
    titles = [i.title for i in items]
    assert "Escape [brackets] in CSV export" in titles
    assert any(any(ord(ch) > 0x1F000 for ch in t) for t in titles)  # an emoji
    assert max(map(len, titles)) > 150
    assert len(set(titles)) == len(titles)
    assert {i.effort for i in items} == {None, "small", "medium", "large"}
    assert {i.impact for i in items} == {None, "small", "medium", "large"}
    text = "\n".join(i.description or "" for i in items)
    for markdown in ("\n## ", "\n- ", "\n1. ", "```", "](https://", "|---|"):
        assert markdown in text, markdown
    assert any(i.description is None for i in items)
    assert {len(i.label_ids) for i in items} >= {0, 1, 2}


def test_demo_comments_initiatives_and_feedback():
    state = build_demo_state()
    api = Api(Emulator(state))
    by_key = {s.key: s for s in state.spaces.values()}
    commenters = [state.actors[a] for a in {c.actor_id for c in state.comments.values()}]
    assert len({a.name for a in commenters if a.type == "user"}) >= 3
    assert all(a.name.startswith("@") for a in commenters if a.type == "user")
    assert any(a.type == "application" for a in commenters)
    assert any(c.reply for c in state.comments.values())
    # Growth has no comments at all: its key cannot be learned from the comment feed.
    assert api.get("/recent/comments", spaceId=by_key["GRO"].id, count=50) == []
    for key in ("KB", "PLAT", "DES"):
        assert api.get("/recent/comments", spaceId=by_key[key].id, count=50)
    assert {1, 2} <= set(state.initiatives) and {1, 2} <= set(state.feedback)
    assert any(i.archived_at for i in state.initiatives.values())
    assert any(f.insights for f in state.feedback.values())
    assert any(f.processed for f in state.feedback.values())


def test_demo_history_is_dated_within_a_year_before_the_fixed_base_date():
    state = build_demo_state()
    for item in state.items.values():
        assert BASE_MS - YEAR_MS <= item.created_at <= item.updated_at <= BASE_MS
    for comment in state.comments.values():
        assert comment.created_at >= state.items[comment.item_id].created_at
    stamps = [i.updated_at for i in state.items.values()]
    assert len(set(stamps)) == len(stamps)
    base = datetime.fromtimestamp(BASE_MS / 1000, UTC)
    assert base.year == 2025  # fixed, not "now": snapshots stay stable


def _dump(state: EmulatorState) -> list[object]:
    return [
        serialize.organization(state.organization),
        [serialize.work_item(state, i) for i in state.items.values()],
        [serialize.comment(state, c) for c in state.comments.values()],
        [serialize.created_label(x) for x in state.labels.values()],
        [serialize.initiative(state, i) for i in state.initiatives.values()],
        [serialize.feedback(state, f) for f in state.feedback.values()],
    ]


def test_demo_data_is_deterministic_by_seed():
    assert _dump(build_demo_state(seed=5)) == _dump(build_demo_state(seed=5))
    one, two = build_demo_state(seed=1), build_demo_state(seed=2)
    assert set(one.items).isdisjoint(two.items)
    assert all(HEX_ID.match(i) for i in [*one.items, *one.spaces, *one.comments, *one.labels])
    # The ids handed out later follow from the seed too.
    ids = []
    for _ in range(2):
        api = Api(Emulator(build_demo_state(seed=9, clock=lambda: FROZEN)))
        ids.append(api.create(title="x", statusId=status_id(api, "KB", "Todo"))["id"])
    assert ids[0] == ids[1]


def test_items_sets_the_size_of_the_large_space():
    assert len(build_demo_state(items=0).space_by_key("PLAT").item_ids) == 0
    started = time.perf_counter()
    state = build_demo_state(items=5000)
    assert time.perf_counter() - started < 2.0
    plat = state.space_by_key("PLAT")
    assert len(plat.item_ids) == 5000
    assert [i.number for i in state.items_of(plat.id)] == list(range(1, 5001))
    assert len(Api(Emulator(state)).get("/metadata/workitems", spaceId=plat.id)) == 5000
    assert len(state.space_by_key("KB").item_ids) == len(
        build_demo_state().space_by_key("KB").item_ids
    )
    with pytest.raises(ValueError):
        build_demo_state(items=-1)
