"""Every 400, 401 and 404 the emulator answers, through its in-process transport with a
plain httpx client (what a client of the real API would see)."""

from __future__ import annotations

import httpx
import pytest

from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    # Shared: these tests only read or are refused, except where they build their own.
    return Emulator(build_demo_state(seed=7), token=TOKEN)


@pytest.fixture
def client(emulator):
    transport = EmulatorTransport(emulator)
    with httpx.Client(
        transport=transport, base_url=DEMO_BASE_URL, headers={"X-API-KEY": TOKEN}
    ) as client:
        yield client


@pytest.fixture(scope="module")
def ids(emulator):
    state = emulator.state
    kb, plat = state.space_by_key("KB"), state.space_by_key("PLAT")
    return {
        "kb": kb.id,
        "kb_status": kb.status_ids[0],
        "plat_status": plat.status_ids[0],
        "kb_label": kb.label_ids[0],
        "plat_label": plat.label_ids[0],
        "item": kb.item_ids[0],
    }


def assert_error(response: httpx.Response, status: int, code: str, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["errors"] and len(body["errors"]) == 1
    error = body["errors"][0]
    assert set(error) == {"message", "status", "code"}
    assert error["status"] == status and error["code"] == code
    for word in words:
        assert word in error["message"], error["message"]
    return error["message"]


def bad(response: httpx.Response, *words: str) -> str:
    return assert_error(response, 400, "BAD_REQUEST", *words)


# ---- 400: work items --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"title": None}, ["title", "required"]),
        ({"title": "   "}, ["title"]),
        ({"title": 42}, ["title"]),
        ({"statusId": None}, ["statusId", "required"]),
        ({"statusId": "0000000000000000"}, ["statusId", "0000000000000000"]),
        ({"effort": "Large"}, ["effort", "lowercase", "'Large'"]),
        ({"effort": "huge"}, ["effort"]),
        ({"impact": "xl"}, ["impact"]),
        ({"placement": "middle"}, ["placement", "top", "bottom"]),
        ({"labelIds": ["ffffffffffffffff"]}, ["unknown label", "ffffffffffffffff"]),
        ({"labelIds": "bug"}, ["labelIds", "array"]),
        ({"description": ["not", "text"]}, ["description"]),
    ],
)
def test_create_work_item_rejects_invalid_fields(client, ids, change, words):
    body = {"title": "A new item", "statusId": ids["kb_status"], **change}
    body = {k: v for k, v in body.items() if v is not None}
    bad(client.post("/workitem", json=body), *words)


def test_create_work_item_rejects_a_label_of_another_space(client, ids):
    body = {"title": "x", "statusId": ids["kb_status"], "labelIds": [ids["plat_label"]]}
    bad(client.post("/workitem", json=body), ids["plat_label"], "Kiteboard")


NOT_AN_OBJECT = [
    (b"", "empty"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'"title"', "JSON object"),
    (b"\xff\xfe", "not valid JSON"),
]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/workitem"),
        ("PUT", "/workitem"),
        ("POST", "/comment"),
        ("POST", "/label"),
        ("POST", "/initiative"),
        ("POST", "/feedback"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(client, method, path):
    for content, words in NOT_AN_OBJECT:
        bad(client.request(method, path, content=content), words)


def test_update_work_item_errors_leave_the_item_untouched(client, emulator, ids):
    item = emulator.state.items[ids["item"]]
    before = (item.title, item.status_id, list(item.label_ids), item.effort, item.updated_at)
    cases = [
        ({}, ["id", "required"]),
        ({"id": 5}, ["id"]),
        ({"id": ids["item"], "title": None}, ["title", "null"]),
        ({"id": ids["item"], "title": ""}, ["title"]),
        ({"id": ids["item"], "statusId": None}, ["statusId", "null"]),
        ({"id": ids["item"], "statusId": "0000000000000000"}, ["statusId"]),
        ({"id": ids["item"], "statusId": ids["plat_status"]}, ["Platform", "cannot change space"]),
        ({"id": ids["item"], "labelIds": None}, ["labelIds", "[]"]),
        ({"id": ids["item"], "labelIds": [ids["plat_label"]]}, ["do not belong"]),
        ({"id": ids["item"], "placement": None}, ["placement"]),
        ({"id": ids["item"], "placement": "Top"}, ["placement"]),
        ({"id": ids["item"], "effort": "Small"}, ["effort"]),
        # One valid and one invalid field: nothing at all is applied.
        ({"id": ids["item"], "title": "Changed", "impact": "LARGE"}, ["impact"]),
    ]
    for body, words in cases:
        bad(client.put("/workitem", json=body), *words)
    after = (item.title, item.status_id, list(item.label_ids), item.effort, item.updated_at)
    assert after == before


# ---- 400: comments, labels, initiatives, feedback ------------------------------------------


def test_comment_validation(client, ids):
    bad(client.post("/comment", json={"body": "hi"}), "workItemId", "required")
    bad(client.post("/comment", json={"workItemId": ids["item"]}), "body", "required")
    bad(client.post("/comment", json={"workItemId": ids["item"], "body": "  "}), "body")
    bad(client.post("/comment", json={"workItemId": ids["item"], "body": 3}), "body")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"labelName": "x"}, ["spaceId", "required"]),
        ({"spaceId": "kb"}, ["labelName", "required"]),
        ({"spaceId": "kb", "labelName": ""}, ["labelName"]),
        ({"spaceId": "kb", "labelName": "x", "color": "#ff00aa"}, ["six hex digits"]),
        ({"spaceId": "kb", "labelName": "x", "color": "brown"}, ["six hex digits"]),
        ({"spaceId": "kb", "labelName": "x", "color": "ff00a"}, ["six hex digits"]),
    ],
)
def test_label_validation(client, ids, body, words):
    if body.get("spaceId") == "kb":
        body = {**body, "spaceId": ids["kb"]}
    bad(client.post("/label", json=body), *words)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"description": "no title"}, ["title", "required"]),
        ({"title": "x", "effortId": "Large"}, ["effortId"]),
        ({"title": "x", "impactId": 3}, ["impactId"]),
        ({"title": "x", "labelIds": ["ffffffffffffffff"]}, ["unknown label"]),
        ({"title": "x", "spaceIds": "all"}, ["spaceIds", "array"]),
        ({"title": "x", "roadmapColumnIds": [1]}, ["roadmapColumnIds"]),
    ],
)
def test_initiative_validation(client, body, words):
    bad(client.post("/initiative", json=body), *words)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"contents": "no title"}, ["title", "required"]),
        ({"title": "x", "personEmail": "not an email"}, ["personEmail"]),
        ({"title": "x", "contents": {"a": 1}}, ["contents"]),
        ({"title": "x", "linkInsightToEntityIds": "abc"}, ["linkInsightToEntityIds"]),
    ],
)
def test_feedback_validation(client, body, words):
    bad(client.post("/feedback", json=body), *words)


# ---- 400: query parameters -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/recent/workitems", "/recent/comments"])
def test_recent_count_must_be_1_to_50(client, ids, path):
    for count in ["0", "51", "-1", "abc", "1.5", "", None]:
        params = {"spaceId": ids["kb"]} | ({} if count is None else {"count": count})
        message = bad(client.get(path, params=params), "count")
        assert "1 to 50" in message or "required" in message


@pytest.mark.parametrize("count", ["1", "50"])
def test_recent_count_bounds_are_accepted(client, ids, count):
    response = client.get("/recent/workitems", params={"spaceId": ids["kb"], "count": count})
    assert response.status_code == 200
    assert len(response.json()) == int(count)


@pytest.mark.parametrize(
    "path",
    [
        "/recent/workitems",
        "/recent/comments",
        "/metadata/statuses",
        "/metadata/labels",
        "/metadata/workitems",
    ],
)
def test_space_id_is_required(client, path):
    bad(client.get(path, params={"count": "10"}), "spaceId", "required")
    bad(client.get(path, params={"count": "10", "spaceId": ""}), "spaceId", "required")


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"workItemNumber": "1"}, ["spaceKey", "required"]),
        ({"spaceKey": "KB"}, ["workItemNumber", "required"]),
        ({"spaceKey": "KB", "workItemNumber": "abc"}, ["workItemNumber", "whole number"]),
        ({"spaceKey": "KB", "workItemNumber": "0"}, ["workItemNumber"]),
        ({"spaceKey": "KB", "workItemNumber": "٣"}, ["workItemNumber"]),  # non-ASCII digit
    ],
)
def test_get_work_item_parameters(client, params, words):
    bad(client.get("/workitem", params=params), *words)


def test_initiative_and_feedback_numbers(client):
    bad(client.get("/initiative"), "number", "required")
    bad(client.get("/initiative", params={"number": "one"}), "number")
    bad(client.get("/feedback/one"), "feedback number")
    bad(client.get("/feedback/0"), "feedback number")


# ---- 401 ---------------------------------------------------------------------------------------

ENDPOINTS = [
    ("GET", "/organization", None),
    ("GET", "/workitem?spaceKey=KB&workItemNumber=1", None),
    ("POST", "/workitem", {"title": "x", "statusId": "x"}),
    ("PUT", "/workitem", {"id": "x"}),
    ("POST", "/comment", {"workItemId": "x", "body": "x"}),
    ("POST", "/label", {"spaceId": "x", "labelName": "x"}),
    ("GET", "/initiative?number=1", None),
    ("POST", "/initiative", {"title": "x"}),
    ("GET", "/feedback/1", None),
    ("POST", "/feedback", {"title": "x"}),
    ("GET", "/recent/workitems?spaceId=x&count=10", None),
    ("GET", "/recent/comments?spaceId=x&count=10", None),
    ("GET", "/metadata/spaces", None),
    ("GET", "/metadata/statuses?spaceId=x", None),
    ("GET", "/metadata/labels?spaceId=x", None),
    ("GET", "/metadata/workitems?spaceId=x", None),
]


def test_the_contract_has_16_endpoints():
    assert len(ENDPOINTS) == 16


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_refuses_a_missing_or_wrong_token(emulator, method, path, body):
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=DEMO_BASE_URL) as client:
        for token in [None, "", "wrong", TOKEN + "x", TOKEN.upper(), TOKEN[:-1]]:
            headers = {} if token is None else {"X-API-KEY": token}
            response = client.request(method, path, json=body, headers=headers)
            message = assert_error(response, 401, "UNAUTHORIZED")
            assert message == "The requested action could not be completed"
            assert TOKEN not in response.text


def test_the_token_header_name_is_case_insensitive(emulator):
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=DEMO_BASE_URL) as client:
        assert client.get("/organization", headers={"x-api-key": TOKEN}).status_code == 200


def test_a_wrong_token_is_refused_before_a_bad_body_is_looked_at(emulator):
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=DEMO_BASE_URL) as client:
        response = client.post("/workitem", content=b"{oops", headers={"X-API-KEY": "no"})
    assert_error(response, 401, "UNAUTHORIZED")


# ---- 404 ---------------------------------------------------------------------------------------

UNKNOWN = "0123456789abcdef"
SPACE = ("SPACE_NOT_FOUND", "The specified space does not exist")
ISSUE = ("ISSUE_NOT_FOUND", "Could not find the specified work item")


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", f"/metadata/statuses?spaceId={UNKNOWN}", None, SPACE),
        ("GET", f"/metadata/labels?spaceId={UNKNOWN}", None, SPACE),
        ("GET", f"/metadata/workitems?spaceId={UNKNOWN}", None, SPACE),
        ("GET", f"/recent/workitems?spaceId={UNKNOWN}&count=5", None, SPACE),
        ("GET", f"/recent/comments?spaceId={UNKNOWN}&count=5", None, SPACE),
        ("POST", "/label", {"spaceId": UNKNOWN, "labelName": "x"}, SPACE),
        ("POST", "/initiative", {"title": "x", "spaceIds": [UNKNOWN]}, SPACE),
        ("GET", "/workitem?spaceKey=KB&workItemNumber=99999", None, ISSUE),
        ("GET", "/workitem?spaceKey=NOPE&workItemNumber=1", None, ISSUE),
        ("GET", "/workitem?spaceKey=kb&workItemNumber=1", None, ISSUE),  # keys are exact
        ("PUT", "/workitem", {"id": UNKNOWN, "title": "x"}, ISSUE),
        ("POST", "/comment", {"workItemId": UNKNOWN, "body": "x"}, ISSUE),
        ("POST", "/feedback", {"title": "x", "linkInsightToEntityIds": [UNKNOWN]}, ISSUE),
        (
            "GET",
            "/initiative?number=999",
            None,
            ("INITIATIVE_NOT_FOUND", "Could not find the specified initiative"),
        ),
        (
            "GET",
            "/feedback/999",
            None,
            ("FEEDBACK_NOT_FOUND", "Could not find the specified feedback"),
        ),
    ],
)
def test_not_found_codes_and_messages(client, emulator, method, path, body, expected):
    counts = (len(emulator.state.feedback), len(emulator.state.initiatives))
    message = assert_error(client.request(method, path, json=body), 404, expected[0])
    assert message == expected[1]
    assert (len(emulator.state.feedback), len(emulator.state.initiatives)) == counts


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("GET", "/"),
        ("DELETE", "/workitem"),
        ("GET", "/comment"),
        ("GET", "/feedback"),
        ("POST", "/feedback/1"),
        ("GET", "/feedback/1/insights"),
        ("GET", "/metadata"),
    ],
)
def test_unknown_paths_are_a_json_404(client, method, path):
    assert_error(client.request(method, path), 404, "NOT_FOUND", method, path)


def test_a_path_outside_the_api_prefix_is_a_json_404_that_names_the_prefix(emulator):
    transport = EmulatorTransport(emulator)
    with httpx.Client(transport=transport, base_url="http://emulator.invalid") as client:
        response = client.get("/organization", headers={"X-API-KEY": TOKEN})
    assert_error(response, 404, "NOT_FOUND", "/developers/rest/v1")


def test_a_json_body_is_accepted_whatever_its_content_type(ids):
    fresh_emulator = Emulator(build_demo_state(seed=7), token=TOKEN)
    with httpx.Client(
        transport=EmulatorTransport(fresh_emulator),
        base_url=DEMO_BASE_URL,
        headers={"X-API-KEY": TOKEN},
    ) as fresh:
        body = b'{"title": "No content type", "statusId": "%s"}' % ids["kb_status"].encode()
        for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
            headers = {"Content-Type": content_type} if content_type else {}
            response = fresh.post("/workitem", content=body, headers=headers)
            assert response.status_code == 201, response.text
