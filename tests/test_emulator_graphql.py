"""The emulator's GraphQL endpoint: its own schema agrees with Kitemaker's, it serves the
same organization as REST (a write through one is read through the other), pages whole
spaces, keeps Kitemaker's column order, members, threads and history, and meets auth,
the rate limit and faults as REST does. Over loopback HTTP where the wire matters."""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys

import httpx
import pytest

from kiteboard.api.client import KitemakerClient
from kiteboard.api.errors import AuthError, BadRequestError, NotFoundError, UnknownOutcomeError
from kiteboard.api.graphql_client import GraphQLClient
from kiteboard.api.graphql_operations import ALL_OPERATIONS
from kiteboard.api.retry import RetryPolicy
from kiteboard.api.urls import graphql_url
from kiteboard.emulator.app import GRAPHQL_PATH, Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.server import EmulatorServer
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport

TOKEN = "graphql-token"
GRAPHQL_URL = graphql_url(DEMO_BASE_URL)
NO_RETRY = RetryPolicy(max_attempts=1)


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(build_demo_state(seed=2), token=TOKEN)


@pytest.fixture
def clients(emulator):
    """(graphql, rest) clients of the same in-process emulator; neither retries."""
    transport = EmulatorTransport(emulator)
    return (
        GraphQLClient(GRAPHQL_URL, TOKEN, transport=transport, retry=NO_RETRY),
        KitemakerClient(DEMO_BASE_URL, TOKEN, transport=transport, retry=NO_RETRY),
    )


@pytest.fixture
def served(emulator):
    """The GraphQL endpoint's URL on a fresh loopback server."""
    log = io.StringIO()
    with EmulatorServer(emulator, port=0, log=log, hold_timeout=5) as base_url:
        yield graphql_url(base_url)
    assert TOKEN not in log.getvalue()


def post(url: str, query: str, variables: dict | None = None, **headers: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {TOKEN}", **headers}
    body = {"query": query, "variables": variables or {}}
    with httpx.Client(verify=False, timeout=5) as http:
        return http.post(url, json=body, headers={k: v for k, v in headers.items() if v})


# ----- the schema -------------------------------------------------------------------


def test_every_query_and_mutation_of_the_client_fits_the_emulators_schema():
    from graphql import parse, validate

    from kiteboard.emulator.graphql_api import schema

    for operation in ALL_OPERATIONS:
        errors = validate(schema(), parse(operation.text))
        assert not errors, f"{operation.name}: {[e.message for e in errors]}"


def test_each_type_and_field_of_our_schema_is_kitemakers():
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLObjectType,
        GraphQLUnionType,
        build_schema,
        is_non_null_type,
    )

    from kiteboard.emulator.graphql_api import schema
    from tests.shared_files import require_shared_file

    theirs = build_schema(
        require_shared_file("kitemaker-graphql/kitemaker.graphql").read_text(encoding="utf-8")
    )
    ours = schema()
    checked = 0
    for name, ours_type in ours.type_map.items():
        if name.startswith("__"):
            continue
        their_type = theirs.type_map.get(name)
        assert their_type is not None, f"type {name} is not in Kitemaker's schema"
        assert type(their_type) is type(ours_type), f"{name} is a different kind of type"
        if isinstance(ours_type, GraphQLEnumType):
            assert set(ours_type.values) <= set(their_type.values), name
        elif isinstance(ours_type, GraphQLUnionType):
            assert {t.name for t in ours_type.types} <= {t.name for t in their_type.types}, name
        elif isinstance(ours_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in ours_type.fields.items():
                theirs_field = their_type.fields.get(field_name)
                assert theirs_field is not None, f"{name}.{field_name} is not Kitemaker's"
                assert str(field.type) == str(theirs_field.type), f"{name}.{field_name}"
                for arg_name, arg in getattr(field, "args", {}).items():
                    their_arg = theirs_field.args.get(arg_name)
                    assert their_arg is not None, f"{name}.{field_name}({arg_name})"
                    assert str(arg.type) == str(their_arg.type), f"{name}.{field_name}({arg_name})"
                checked += 1
            if isinstance(ours_type, GraphQLInputObjectType):  # Kitemaker's required inputs
                required = {n for n, f in their_type.fields.items() if is_non_null_type(f.type)}
                assert required <= set(ours_type.fields), f"{name} lacks required fields"
    assert checked > 100


# ----- one organization, two APIs ----------------------------------------------------


async def test_a_write_through_one_api_is_read_through_the_other(clients):
    graphql, rest = clients
    org = await graphql.organization()
    kb = next(s for s in org.spaces if s.key == "KB")
    todo = next(s for s in kb.statuses if s.type == "TODO")
    created = await graphql.create_work_item(title="Made through GraphQL", status_id=todo.id)
    seen = await rest.work_item("KB", int(created.number))
    assert (seen.id, seen.title, seen.status.name) == (created.id, "Made through GraphQL", "Todo")
    await rest.update_work_item(created.id, title="Renamed through REST")
    again = await graphql.work_item(created.id)
    assert again.title == "Renamed through REST"
    assert [a.type for a in again.activities] == ["CREATED", "TITLE_CHANGED"]


async def test_the_organization_has_keys_typed_statuses_with_done_and_archived_and_users(
    clients, emulator
):
    graphql, rest = clients
    org = await graphql.organization()
    assert [s.key for s in org.spaces] == ["KB", "PLAT", "DES", "GRO"]
    for space in org.spaces:
        types = [s.type for s in space.statuses]
        assert "DONE" in types and types[-1] == "ARCHIVED", space.name
        assert sum(s.default for s in space.statuses) == 1
        # REST's columns are the same, without the Archived status (not a column).
        columns = await rest.statuses(space.id)
        assert [c.id for c in columns] == [s.id for s in space.statuses[:-1]]
    assert {u.username for u in org.users} >= {"Ole", "Maja", "Robin"}


async def test_a_whole_space_pages_in_fifty_item_pages_without_archived_items(emulator):
    state = build_demo_state(seed=3, items=230)
    emulator = Emulator(state, token=TOKEN)
    graphql = GraphQLClient(GRAPHQL_URL, TOKEN, transport=EmulatorTransport(emulator))
    platform = state.space_by_key("PLAT")
    archived = platform.hidden_status_ids[0]
    for item in state.items_of(platform.id)[:7]:
        state.update_item(item.id, {"status_id": archived})
    seen, cursor, pages = [], None, 0
    while True:
        page = await graphql.work_items_page(platform.id, cursor)
        pages += 1
        seen += [item.number for item in page.work_items]
        cursor = page.cursor
        if not page.has_more:
            break
    assert pages == math.ceil(223 / 50)
    assert seen == [str(n) for n in range(8, 231)]  # every other item, once, in order
    everything = await graphql.work_items_page(platform.id, exclude_types=())
    assert everything.work_items[0].status.type == "ARCHIVED"


async def test_an_item_created_while_paging_is_met_on_a_later_page(clients, emulator):
    graphql, _ = clients
    growth = emulator.state.space_by_key("GRO")
    first = await graphql.work_items_page(growth.id, count=5)
    emulator.state.create_item(title="Late arrival", status_id=growth.status_ids[0])
    titles = []
    page = first
    while page.has_more:
        page = await graphql.work_items_page(growth.id, page.cursor, count=50)
        titles += [i.title for i in page.work_items]
    assert titles[-1] == "Late arrival"


async def test_a_cursor_from_elsewhere_is_refused(clients, emulator):
    graphql, _ = clients
    kb = emulator.state.space_by_key("KB")
    with pytest.raises(BadRequestError, match="cursor"):
        await graphql.work_items_page(kb.id, "bm90IGEgY3Vyc29y")


async def test_cards_keep_kitemakers_order_and_a_sort_key_places_a_card(clients, emulator):
    graphql, rest = clients
    state = emulator.state
    todo = state.space_by_key("KB").status_ids[1]
    column = state.column(todo)
    assert [i.sort for i in column] == sorted(i.sort for i in column)
    first, second = column[0], column[1]
    from kiteboard.emulator.sort_keys import between

    moved = await graphql.edit_work_item(column[-1].id, sort=between(first.sort, second.sort))
    assert [i.id for i in state.column(todo)][:3] == [first.id, moved.id, second.id]
    bottom = await rest.create_work_item(title="At the bottom", status_id=todo, placement="bottom")
    assert state.column(todo)[-1].id == bottom.id
    assert state.column(todo)[-1].sort > state.column(todo)[-2].sort
    top = await graphql.create_work_item(title="No sort: first", status_id=todo)
    assert state.column(todo)[0].id == top.id


async def test_members_join_and_leave_and_the_history_says_so(clients, emulator):
    graphql, _ = clients
    org = await graphql.organization()
    ada, bo = org.users[0], org.users[1]
    item_id = emulator.state.space_by_key("DES").item_ids[0]
    before = {m.id for m in (await graphql.work_item(item_id)).members}
    joined = await graphql.add_members(item_id, [ada.id, bo.id])
    assert {m.id for m in joined.members} == before | {ada.id, bo.id}
    left = await graphql.remove_members(item_id, [ada.id])
    assert ada.id not in {m.id for m in left.members}
    history = (await graphql.work_item(item_id)).activities
    assert history[-1].type == "MEMBERS_CHANGED"
    assert history[-1].details == {"addedMemberIds": [], "removedMemberIds": [ada.id]}
    with pytest.raises(BadRequestError, match="unknown user"):
        await graphql.add_members(item_id, ["0000000000000000"])


async def test_labels_are_added_and_removed_one_by_one(clients, emulator):
    graphql, _ = clients
    state = emulator.state
    kb = state.space_by_key("KB")
    item = state.items_of(kb.id)[0]
    label = await graphql.create_label(kb.id, "graphql", "ff00aa")
    added = await graphql.add_labels(item.id, [label.id])
    assert label.id in [x.id for x in added.labels]
    removed = await graphql.remove_labels(item.id, [label.id])
    assert label.id not in [x.id for x in removed.labels]
    kinds = [a.type for a in (await graphql.work_item(item.id)).activities]
    assert kinds[-2:] == ["LABELS_CHANGED", "LABELS_CHANGED"]


async def test_a_reply_joins_its_thread_and_a_thread_of_another_item_is_refused(clients, emulator):
    graphql, rest = clients
    items = emulator.state.space_by_key("KB").item_ids
    opened = await graphql.create_comment(items[0], "Opening a thread")
    reply = await graphql.create_comment(items[0], "A reply", thread_id=opened.thread_id)
    assert reply.thread_id == opened.thread_id
    recent = await rest.recent_comments(emulator.state.space_by_key("KB").id, count=2)
    assert [(c.body, c.reply) for c in recent] == [("A reply", True), ("Opening a thread", False)]
    with pytest.raises(BadRequestError, match="thread"):
        await graphql.create_comment(items[1], "Lost", thread_id=opened.thread_id)


async def test_an_unknown_item_is_not_found(clients):
    graphql, _ = clients
    with pytest.raises(NotFoundError):
        await graphql.work_item_by_number("KB-99999")
    with pytest.raises(NotFoundError):
        await graphql.work_item("0000000000000000")


def test_the_same_seed_gives_the_same_graphql_world():
    def world() -> str:
        emulator = Emulator(build_demo_state(seed=5), token=TOKEN)
        query = next(op for op in ALL_OPERATIONS if op.name == "WorkItems").text
        space = emulator.state.space_by_key("KB").id
        body = json.dumps({"query": query, "variables": {"spaceId": space}}).encode()
        headers = {"authorization": f"Bearer {TOKEN}"}
        return emulator.handle("POST", GRAPHQL_PATH, {}, headers, body).body.decode()

    assert world() == world()


# ----- the wire: auth, rate limit, faults, off -------------------------------------------


def test_graphql_over_http_needs_the_bearer_token(served):
    query = "{ organization { name } }"
    assert post(served, query).json() == {"data": {"organization": {"name": "Northwind Labs"}}}
    for headers in (
        {"Authorization": ""},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "", "X-API-KEY": TOKEN},
    ):
        answer = post(served, query, **headers)
        assert answer.status_code == 401
        assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_query_that_does_not_fit_the_schema_is_a_400_with_errors(served):
    answer = post(served, "{ organization { nonsense } }")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert post(served, "{ organization {").status_code == 400


async def test_the_graphql_client_over_loopback_http(served):
    async with GraphQLClient(served, TOKEN) as graphql:
        org = await graphql.organization()
        page = await graphql.work_items_page(org.spaces[0].id)
    assert org.name == "Northwind Labs" and page.work_items


def test_the_rate_limit_counts_graphql_and_rest_together():
    now = [10.0]
    emulator = Emulator(
        build_demo_state(), token=TOKEN, rate_limit=1, burst=2, clock=lambda: now[0]
    )
    rest = {"x-api-key": TOKEN}
    body = json.dumps({"query": "{ organization { id } }"}).encode()
    graphql = {"authorization": f"Bearer {TOKEN}"}
    assert emulator.handle("GET", "/organization", {}, rest, b"").status == 200
    assert emulator.handle("POST", GRAPHQL_PATH, {}, graphql, body).status == 200
    limited = emulator.handle("POST", GRAPHQL_PATH, {}, graphql, body)
    assert limited.status == 429 and "Retry-After" in limited.headers


async def test_faults_meet_graphql_as_they_meet_rest(clients, emulator):
    graphql, _ = clients
    kb = emulator.state.space_by_key("KB")
    emulator.faults.inject("drop_response", path=GRAPHQL_PATH)
    with pytest.raises(UnknownOutcomeError):
        await graphql.create_work_item(title="Saved, answer lost", status_id=kb.status_ids[0])
    assert emulator.state.items_of(kb.id)[-1].title == "Saved, answer lost"


def test_graphql_off_answers_404_and_rest_still_works(emulator):
    emulator.graphql = False
    with EmulatorServer(emulator, port=0) as base_url:
        answer = post(graphql_url(base_url), "{ organization { id } }")
        assert answer.status_code == 404
        with httpx.Client(headers={"X-API-KEY": TOKEN}) as http:
            assert http.get(base_url + "/organization").status_code == 200


async def test_with_graphql_off_the_client_sees_a_not_found(emulator):
    emulator.graphql = False
    graphql = GraphQLClient(GRAPHQL_URL, TOKEN, transport=EmulatorTransport(emulator))
    with pytest.raises(NotFoundError):
        await graphql.organization()


async def test_a_rest_token_check_is_not_a_graphql_one(clients, emulator):
    graphql = GraphQLClient(GRAPHQL_URL, "wrong", transport=EmulatorTransport(emulator))
    with pytest.raises(AuthError):
        await graphql.organization()


def test_the_emulator_imports_graphql_core_only_on_the_first_graphql_request():
    script = (
        "import sys, json\n"
        "from kiteboard.emulator.app import Emulator, GRAPHQL_PATH\n"
        "from kiteboard.emulator.demo import build_demo_state\n"
        "e = Emulator(build_demo_state(), token='t')\n"
        "e.handle('GET', '/organization', {}, {'x-api-key': 't'}, b'')\n"
        "print('graphql' in sys.modules)\n"
        "body = json.dumps({'query': '{ organization { id } }'}).encode()\n"
        "e.handle('POST', GRAPHQL_PATH, {}, {'authorization': 'Bearer t'}, body)\n"
        "print('graphql' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_a_sort_key_fits_between_any_two_neighbours():
    import random

    from kiteboard.emulator.sort_keys import between, spread

    column: list[str] = []
    rng = random.Random(7)
    for _ in range(2000):
        at = rng.randrange(len(column) + 1)
        key = between(column[at - 1] if at else None, column[at] if at < len(column) else None)
        column.insert(at, key)
    assert column == sorted(column) and len(set(column)) == len(column)
    fresh = spread(2000)
    assert fresh == sorted(fresh) and len(set(fresh)) == 2000 and len(fresh[0]) <= 3


@pytest.mark.parametrize(("switch", "status"), [([], 200), (["--graphql", "off"], 404)])
def test_the_command_serves_graphql_unless_told_off(monkeypatch, capsys, switch, status):
    from kiteboard.cli import emulator as cli
    from kiteboard.cli.main import main

    answers = []

    def wait() -> None:
        out = capsys.readouterr().out
        base_url = re.search(r"Base URL: (\S+)", out)[1]
        answers.append(("GraphQL:" in out, post(graphql_url(base_url), "{ organization { id } }")))
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_wait_forever", wait)
    assert main(["emulator", "--port", "0", "--token", TOKEN, "--items", "60", *switch]) == 0
    [(announced, answer)] = answers
    assert answer.status_code == status
    assert announced == (status == 200)
