"""GraphQLClient against a scripted transport: every query and mutation it can send is
valid against Kitemaker's published schema, it authenticates with a Bearer token, and a
GraphQL ``errors`` array, partial data and HTTP failures become the same typed errors
as REST's (no test waits: a fake clock)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest

from kiteboard import __version__
from kiteboard.api.errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    NotFoundError,
    ServerUnavailableError,
    UnknownOutcomeError,
)
from kiteboard.api.graphql_client import GraphQLClient
from kiteboard.api.graphql_operations import ALL_OPERATIONS
from kiteboard.api.urls import graphql_url
from tests.shared_files import require_shared_file

URL = "https://kitemaker.test/developers/graphql"
TOKEN = "s3cr3t-T0KEN-gql"

USER = {"id": "u1", "username": "ada", "name": "Ada", "guest": False, "deactivated": False}
LABEL = {"id": "l1", "name": "bug", "color": "e5484d"}
STATUS = {"id": "s1", "name": "Done", "type": "DONE", "default": False}
COMMENT = {
    "id": "c1",
    "body": "Hey",
    "threadId": "t1",
    "createdAt": "2025-06-01T10:00:00.000Z",
    "updatedAt": "2025-06-01T10:00:00.000Z",
    "actor": {"__typename": "User", "id": "u1", "username": "ada", "name": "Ada"},
}
ITEM = {
    "id": "i1",
    "number": "12",
    "title": "Fix it",
    "description": "",
    "sort": "m",
    "effort": None,
    "impact": "large",
    "closedAt": None,
    "archivedAt": None,
    "createdAt": "2025-06-01T09:00:00.000Z",
    "updatedAt": "2025-06-01T11:00:00.000Z",
    "actor": {"__typename": "Application", "id": "a1", "applicationName": "Zapier"},
    "status": STATUS,
    "space": {"id": "sp1", "key": "KB", "name": "Kiteboard"},
    "labels": [LABEL],
    "members": [USER],
    "comments": [COMMENT],
}
ORGANIZATION = {
    "id": "o1",
    "name": "Northwind",
    "spaces": [{"id": "sp1", "key": "KB", "name": "Kiteboard", "statuses": [STATUS], "labels": []}],
    "users": [USER],
}
# What each root field answers, for a transport that answers whatever is asked.
ANSWERS: dict[str, Any] = {
    "organization": ORGANIZATION,
    "workItems": {"workItems": [ITEM], "cursor": "c-2", "hasMore": False},
    "workItem": {**ITEM, "activities": []},
    "workItemByNumber": {**ITEM, "activities": []},
    "createCommentOnWorkItem": {"comment": COMMENT},
    "createLabel": {"label": LABEL},
}


class Recorder:
    """Answers every request from ANSWERS (or a scripted list), and keeps what was sent."""

    def __init__(self, *scripted: httpx.Response | type[Exception]) -> None:
        self.scripted = list(scripted)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.scripted:
            step = self.scripted.pop(0)
            if isinstance(step, type):
                raise step("scripted failure", request=request)
            return step
        field = _root_field(json.loads(request.content))
        return httpx.Response(200, json={"data": {field: ANSWERS.get(field, {"workItem": ITEM})}})

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def _root_field(body: dict[str, Any]) -> str:
    operation = next(op for op in ALL_OPERATIONS if op.name == body["operationName"])
    return operation.field


def make(*scripted: httpx.Response | type[Exception]) -> tuple[GraphQLClient, Recorder]:
    recorder = Recorder(*scripted)
    now = [100.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    client = GraphQLClient(
        URL,
        TOKEN,
        transport=httpx.MockTransport(recorder),
        clock=lambda: now[0],
        sleep=sleep,
        random=lambda: 0.5,
    )
    return client, recorder


# Every public call of the client, with arguments that exercise its optional parts.
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "organization": ((), {}),
    "work_items_page": (("sp1", "cursor-1"), {"count": 50}),
    "work_item": (("i1",), {}),
    "work_item_by_number": (("KB-12",), {}),
    "create_work_item": (
        (),
        {
            "title": "New",
            "status_id": "s1",
            "space_id": "sp1",
            "description": "Why",
            "sort": "a",
            "label_ids": ["l1"],
            "member_ids": ["u1"],
            "effort": "small",
            "impact": "large",
        },
    ),
    "edit_work_item": (("i1",), {"title": "T", "status_id": "s2", "sort": "b", "effort": None}),
    "add_labels": (("i1", ["l1"]), {}),
    "remove_labels": (("i1", ["l1"]), {}),
    "add_members": (("i1", ["u1"]), {}),
    "remove_members": (("i1", ["u1"]), {}),
    "create_comment": (("i1", "Reply"), {"thread_id": "t1"}),
    "create_label": (("sp1", "infra", "#ff00aa"), {}),
}


def _public_calls() -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(GraphQLClient, inspect.iscoroutinefunction)
        if not name.startswith("_") and name != "aclose"
    }


def test_every_public_call_of_the_client_is_exercised_here():
    assert _public_calls() == set(CALLS)


async def test_every_query_and_mutation_sent_is_valid_against_kitemakers_schema():
    from graphql import build_schema, parse, validate
    from graphql.execution.values import get_variable_values

    schema = build_schema(require_shared_file("kitemaker-graphql/kitemaker.graphql").read_text())
    client, recorder = make()
    for name, (args, kwargs) in CALLS.items():
        await getattr(client, name)(*args, **kwargs)
    # A first page (no cursor) and a page with every status type.
    await client.work_items_page("sp1")
    await client.work_items_page("sp1", exclude_types=())
    sent = recorder.bodies()
    assert {b["operationName"] for b in sent} == {op.name for op in ALL_OPERATIONS}
    for body in sent:
        document = parse(body["query"])
        errors = validate(schema, document)
        assert not errors, f"{body['operationName']}: {[e.message for e in errors]}"
        definition = document.definitions[0]
        coerced = get_variable_values(schema, definition.variable_definitions, body["variables"])
        assert not isinstance(coerced, list), (
            f"{body['operationName']} variables: {[e.message for e in coerced]}"
        )


async def test_requests_carry_a_bearer_token_and_no_rest_key():
    client, recorder = make()
    org = await client.organization()
    assert org.spaces[0].key == "KB" and org.spaces[0].statuses[0].type == "DONE"
    assert org.users[0].username == "ada"
    request = recorder.requests[0]
    assert request.method == "POST" and str(request.url) == URL
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "X-API-KEY" not in request.headers
    assert request.headers["User-Agent"] == f"kiteboard/{__version__}"
    assert request.headers["Accept"] == "application/json"


async def test_a_page_excludes_archived_items_and_reads_cursor_and_members():
    client, recorder = make()
    page = await client.work_items_page("sp1")
    assert recorder.bodies()[0]["variables"] == {
        "spaceId": "sp1",
        "count": 50,
        "statusFilter": {"type": "EXCLUDE", "filter": ["ARCHIVED"]},
    }
    assert (page.cursor, page.has_more) == ("c-2", False)
    item = page.work_items[0]
    assert (item.number, item.sort, item.status.type) == ("12", "m", "DONE")
    assert [m.username for m in item.members] == ["ada"]
    assert item.comments[0].thread_id == "t1"
    assert item.comments[0].actor.name == "@ada"
    assert item.actor.name == "Zapier" and item.actor.kind == "Application"


async def test_edit_sends_only_the_changes_and_refuses_unknown_fields():
    client, recorder = make()
    await client.edit_work_item("i1", sort="b", effort=None)
    assert recorder.bodies()[0]["variables"] == {"input": {"id": "i1", "sort": "b", "effort": None}}
    with pytest.raises(TypeError):
        await client.edit_work_item("i1", placement="top")
    assert len(recorder.requests) == 1


async def test_a_reply_names_its_thread_and_a_new_comment_does_not():
    client, recorder = make()
    await client.create_comment("i1", "New thread")
    await client.create_comment("i1", "A reply", thread_id="t1")
    inputs = [b["variables"]["input"] for b in recorder.bodies()]
    assert inputs == [
        {"id": "i1", "body": "New thread"},
        {"id": "i1", "body": "A reply", "threadId": "t1"},
    ]


def _errors(message: str, code: str | None = None, data: Any = None) -> httpx.Response:
    error: dict[str, Any] = {"message": message, "path": ["workItem"]}
    if code:
        error["extensions"] = {"code": code}
    return httpx.Response(200, json={"data": data, "errors": [error]})


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (_errors("Not authenticated", "UNAUTHENTICATED"), AuthError),
        (_errors("Forbidden", "FORBIDDEN"), AuthError),
        (_errors("Could not find the work item", "NOT_FOUND"), NotFoundError),
        (_errors("Work item not found"), NotFoundError),
        (_errors("Variable $id got invalid value", "BAD_USER_INPUT"), BadRequestError),
        (_errors("Boom", "INTERNAL_SERVER_ERROR"), ServerUnavailableError),
        (httpx.Response(401, json={"errors": [{"message": "Bad token"}]}), AuthError),
        (
            httpx.Response(400, json={"errors": [{"message": "Cannot query field"}]}),
            BadRequestError,
        ),
        (httpx.Response(404, text="<html>nope</html>"), BadResponseError),
    ],
)
async def test_graphql_and_http_errors_become_the_same_typed_errors(answer, kind):
    client, _ = make(answer)
    with pytest.raises(kind) as raised:
        await client.work_item("i1")
    assert type(raised.value) is kind


async def test_an_error_code_from_extensions_is_kept_with_the_message():
    client, _ = make(_errors("Could not find the work item", "NOT_FOUND"))
    with pytest.raises(NotFoundError) as raised:
        await client.work_item("i1")
    assert (raised.value.message, raised.value.code) == (
        "Could not find the work item",
        "NOT_FOUND",
    )


async def test_partial_data_is_refused_for_a_read():
    partial = {"workItem": {**ITEM, "activities": None}}
    client, _ = make(_errors("activities failed", "INTERNAL_SERVER_ERROR", data=partial))
    with pytest.raises(BadResponseError, match="partial answer"):
        await client.work_item("i1")


async def test_a_mutation_with_partial_data_or_an_internal_error_is_an_unknown_outcome():
    partial = {"editWorkItem": {"workItem": None}}
    client, recorder = make(
        _errors("comments failed", "INTERNAL_SERVER_ERROR", data=partial),
        _errors("Boom", "INTERNAL_SERVER_ERROR"),
    )
    with pytest.raises(UnknownOutcomeError):
        await client.edit_work_item("i1", title="T")
    with pytest.raises(UnknownOutcomeError):
        await client.edit_work_item("i1", title="T")
    assert len(recorder.requests) == 2  # neither was resent


async def test_a_query_is_retried_after_a_503_and_a_lost_connection():
    client, recorder = make(httpx.Response(503, text="<html>busy</html>"), httpx.ReadError)
    org = await client.organization()
    assert org.id == "o1" and len(recorder.requests) == 3
    assert client.stats.retries == 2


async def test_a_mutation_whose_answer_was_lost_is_never_resent():
    client, recorder = make(httpx.ReadError)
    with pytest.raises(UnknownOutcomeError):
        await client.create_work_item(title="New", status_id="s1")
    assert len(recorder.requests) == 1


async def test_a_rate_limited_mutation_is_resent_after_the_wait():
    client, recorder = make(httpx.Response(429, headers={"Retry-After": "2"}, json={}))
    item = await client.create_work_item(title="New", status_id="s1")
    assert item.id == "i1" and len(recorder.requests) == 2
    assert client.stats.rate_limited == 1


async def test_the_token_is_in_no_repr_and_is_scrubbed_from_server_messages():
    client, _ = make(_errors(f"token {TOKEN} is not valid", "UNAUTHENTICATED"))
    assert TOKEN not in repr(client)
    with pytest.raises(AuthError) as raised:
        await client.organization()
    assert TOKEN not in str(raised.value) and TOKEN not in repr(raised.value)


@pytest.mark.parametrize(
    ("rest", "graphql"),
    [
        (
            "https://toil.kitemaker.co/developers/rest/v1",
            "https://toil.kitemaker.co/developers/graphql",
        ),
        ("http://127.0.0.1:8765/developers/rest/v1/", "http://127.0.0.1:8765/developers/graphql"),
        (
            "https://proxy.example/kitemaker/developers/rest/v1",
            "https://proxy.example/kitemaker/developers/graphql",
        ),
        ("https://kitemaker.example", "https://kitemaker.example/developers/graphql"),
    ],
)
def test_the_graphql_url_is_derived_from_the_rest_base_url(rest, graphql):
    assert graphql_url(rest) == graphql
