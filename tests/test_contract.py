"""The contract suite: KitemakerClient against the emulator over REAL loopback HTTP.

Every endpoint's success and every documented error (401, the 404 codes, 400 messages,
429), plus the faults a real network adds, as the client sees them through a socket.
Ids come from the emulator's own data, found the way a client finds them (spaces from
/metadata/spaces, space keys from /recent/comments). Nothing really sleeps: the client's
backoff sleep is fake, and the rate-limit test shares that fake clock with the emulator.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from kiteboard.api.answers import error_for_status
from kiteboard.api.client import KitemakerClient
from kiteboard.api.errors import (
    AuthError,
    BadRequestError,
    NotFoundError,
    RateLimitedError,
    UnknownOutcomeError,
)
from kiteboard.api.models import MetadataEntry, WorkItem
from kiteboard.api.retry import NO_RETRY, RetryPolicy
from kiteboard.emulator.app import BASE_PATH, Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.server import EmulatorServer

TOKEN = "contract-token-0123"
# The demo's spaces by name and key, as interfaces.md fixes them.
DEMO_KEYS = {"Kiteboard": "KB", "Platform": "PLAT", "Design": "DES"}


class FakeTime:
    def __init__(self) -> None:
        self.now = 5000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Recorder(httpx.AsyncBaseTransport):
    """Real HTTP (httpx's own transport), noting each exchange so tests can check what
    the client does not show: status codes and the exact JSON keys on the wire."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[str, str, int, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        try:
            value = json.loads(content)
        except ValueError:
            value = None
        path = request.url.path.removeprefix(BASE_PATH)
        self.exchanges.append((request.method, path, response.status_code, value))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Emulator, str]]:
    """One emulator for the module (tests add to its data but never rely on counts)."""
    emulator = Emulator(build_demo_state(seed=1), token=TOKEN)
    with EmulatorServer(emulator, hold_timeout=5.0) as base_url:
        yield emulator, base_url


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def client(served, fake_time, recorder) -> AsyncIterator[KitemakerClient]:
    emulator, base_url = served
    emulator.faults.clear()
    async with KitemakerClient(
        base_url,
        TOKEN,
        transport=recorder,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        timeout=5.0,
    ) as client:
        yield client


async def space_named(client: KitemakerClient, name: str) -> MetadataEntry:
    return next(s for s in await client.spaces() if s.label == name)


async def some_item(client: KitemakerClient, name: str = "Kiteboard") -> tuple[str, WorkItem]:
    """(space key, an item of that space), the key learnt from the comment feed."""
    space = await space_named(client, name)
    comments = await client.recent_comments(space.id, 50)
    assert comments, f"the demo space {name} has comments"
    key = comments[0].entity.space
    item = (await client.recent_work_items(space.id, 1))[0]
    return key, item


# ----- every endpoint succeeds with the documented shape ----------------------------


async def test_organization(client):
    org = await client.organization()
    assert org.id and org.name
    assert isinstance(org.created_at, datetime) and org.created_at.tzinfo is not None


async def test_spaces_statuses_labels_and_titles(client):
    spaces = await client.spaces()
    names = [s.label for s in spaces]
    assert set(DEMO_KEYS) <= set(names)
    assert len({s.id for s in spaces}) == len(spaces)
    for space in spaces:
        statuses = await client.statuses(space.id)
        assert 4 <= len(statuses) <= 6, space.label
        assert statuses == await client.statuses(space.id)  # board order is stable
        labels = await client.labels(space.id)
        assert all(label.id and label.label for label in labels)
        titles = await client.work_item_titles(space.id)
        assert titles and len({t.id for t in titles}) == len(titles)


async def test_recent_work_items_are_a_change_feed_of_this_space(client):
    space = await space_named(client, "Platform")
    items = await client.recent_work_items(space.id, 10)
    assert 1 <= len(items) <= 10
    assert all(i.space is not None and i.space.id == space.id for i in items)
    stamps = [i.updated_at for i in items]
    assert stamps == sorted(stamps, reverse=True)
    titles = {t.id for t in await client.work_item_titles(space.id)}
    assert {i.id for i in items} <= titles
    assert len(await client.recent_work_items(space.id, 50)) <= 50


async def test_recent_comments_carry_the_space_key_and_real_space_id(client):
    for name, key in DEMO_KEYS.items():
        space = await space_named(client, name)
        comments = await client.recent_comments(space.id, 5)
        assert 1 <= len(comments) <= 5
        for comment in comments:
            assert comment.entity is not None
            assert comment.entity.space == key
            assert comment.entity.space_id == space.id
            assert comment.actor is not None and comment.actor.name


async def test_work_item_by_space_key_and_number(client):
    key, recent = await some_item(client)
    assert key == DEMO_KEYS["Kiteboard"]
    item = await client.work_item(key, recent.number)
    assert item.id == recent.id and item.title == recent.title
    assert item.status is not None and item.status.name


async def test_create_work_item_then_find_it_everywhere(client):
    space = await space_named(client, "Design")
    key = DEMO_KEYS["Design"]
    statuses = await client.statuses(space.id)
    labels = await client.labels(space.id)
    before = await client.recent_work_items(space.id, 50)
    created = await client.create_work_item(
        title="Contract: [b]not markup[/b]",
        status_id=statuses[1].id,
        description="# Heading\n\n- one\n- two",
        label_ids=[labels[0].id] if labels else None,
        effort="large",
        impact="Small",
        placement="bottom",
    )
    assert created.number > max(i.number for i in before)  # numbers count up per space
    assert created.title == "Contract: [b]not markup[/b]"
    assert created.status is not None and created.status.id == statuses[1].id
    assert created.space is not None and created.space.id == space.id
    assert (created.effort, created.impact) == ("Large", "Small")  # responses capitalise
    assert [label.id for label in created.labels] == ([labels[0].id] if labels else [])
    assert (await client.recent_work_items(space.id, 1))[0].id == created.id
    assert (await client.work_item(key, created.number)).id == created.id
    assert created.id in {t.id for t in await client.work_item_titles(space.id)}


async def test_update_changes_only_what_is_sent_and_bumps_updated_at(client):
    space = await space_named(client, "Kiteboard")
    statuses = await client.statuses(space.id)
    labels = await client.labels(space.id)
    assert len(labels) >= 2
    item = await client.create_work_item(
        title="Before",
        status_id=statuses[0].id,
        description="Keep me",
        label_ids=[labels[0].id],
        effort="small",
    )
    renamed = await client.update_work_item(item.id, title="After")
    assert renamed.title == "After"
    assert renamed.description == "Keep me" and renamed.effort == "Small"
    assert [label.id for label in renamed.labels] == [labels[0].id]
    assert renamed.updated_at > item.updated_at
    moved = await client.update_work_item(
        item.id,
        status_id=statuses[-1].id,
        label_ids=[labels[1].id],  # the complete set: replaces
        effort=None,  # None clears
        description=None,
    )
    assert moved.status is not None and moved.status.id == statuses[-1].id
    assert [label.id for label in moved.labels] == [labels[1].id]
    assert moved.effort is None and moved.description is None
    assert moved.title == "After"
    assert moved.updated_at > renamed.updated_at
    assert (await client.recent_work_items(space.id, 1))[0].id == item.id


async def test_create_comment(client):
    key, item = await some_item(client, "Platform")
    comment = await client.create_comment(item.id, "Looks **good**")
    assert comment.body == "Looks **good**"
    assert comment.entity is not None
    assert (comment.entity.id, comment.entity.number) == (item.id, item.number)
    assert comment.entity.space == key
    assert comment.entity.space_id == item.space.id
    assert comment.reply is False
    latest = (await client.recent_comments(item.space.id, 1))[0]
    assert latest.id == comment.id


async def test_create_label_with_and_without_a_color(client):
    space = await space_named(client, "Kiteboard")
    named = await client.create_label(space.id, "contract-hex", "ff00aa")
    assert (named.name, named.color, named.space_id) == ("contract-hex", "ff00aa", space.id)
    random_color = await client.create_label(space.id, "contract-random")
    assert random_color.color and len(random_color.color) == 6
    int(random_color.color, 16)  # six hex digits
    listed = {entry.id: entry.label for entry in await client.labels(space.id)}
    assert listed[named.id] == "contract-hex" and random_color.id in listed


async def test_initiatives_one_and_two_and_a_new_one(client):
    first = await client.initiative(1)  # served as an array of one
    second = await client.initiative(2)
    assert (first.number, second.number) == (1, 2)
    assert first.title and first.actor is not None
    space = await space_named(client, "Kiteboard")
    created = await client.create_initiative(
        title="Contract initiative", description="Why", space_ids=[space.id]
    )
    assert created.title == "Contract initiative"
    assert [s.id for s in created.spaces] == [space.id]
    again = await client.initiative(created.number)
    assert again.id == created.id


async def test_feedback_one_and_two_and_a_new_one_with_an_insight(client):
    assert (await client.feedback(1)).id != (await client.feedback(2)).id
    _, item = await some_item(client)
    created = await client.create_feedback(
        title="Contract feedback",
        person_email="ann@example.com",
        contents="Please add **this**",
        link_insight_to_entity_ids=[item.id],
    )
    assert created.title == "Contract feedback"
    assert created.processed is False
    assert [i.entity_ids for i in created.insights] == [[item.id]]
    assert created.insights[0].feedback_id == created.id


# The keys the contract shows, exactly: a client tested against more would come to rely
# on what the real server never sends.
ACTOR = {"id", "name", "type"}
REF = {"id", "name"}
LABEL_REF = {"id", "name", "color"}
WORK_ITEM = {"id", "actor", "number", "title", "description", "status", "space", "labels"}
WORK_ITEM |= {"effort", "impact", "createdAt", "updatedAt"}
COMMENT = {"id", "body", "actor", "entity", "reply", "threadId", "createdAt", "updatedAt"}
ENTITY = {"id", "number", "space", "spaceId", "title"}
INITIATIVE = {"id", "number", "title", "description", "actor", "spaces", "labels"}
INITIATIVE |= {"effort", "impact", "archivedAt", "updatedAt", "createdAt"}
FEEDBACK = {"id", "organizationId", "title", "person", "company", "contents", "insights"}
FEEDBACK |= {"processed", "processedAt", "createdAt", "updatedAt"}
INSIGHT = {"id", "feedbackId", "createdAt", "updatedAt", "actor", "contents", "entityIds"}


def check_work_item(value: dict) -> None:
    assert set(value) == WORK_ITEM
    assert set(value["actor"]) == ACTOR
    assert set(value["status"]) == set(value["space"]) == REF
    assert all(set(label) == LABEL_REF for label in value["labels"])


def check_comment(value: dict) -> None:
    assert set(value) == COMMENT
    assert set(value["actor"]) == ACTOR and set(value["entity"]) == ENTITY


def check_initiative(value: dict) -> None:
    assert set(value) == INITIATIVE
    assert all(set(space) == REF for space in value["spaces"])
    assert all(set(label) == LABEL_REF for label in value["labels"])


def check_feedback(value: dict) -> None:
    assert set(value) == FEEDBACK
    assert all(set(insight) == INSIGHT for insight in value["insights"])


async def test_status_codes_and_exact_shapes_on_the_wire(client, recorder):
    space = await space_named(client, "Kiteboard")
    status_id = (await client.statuses(space.id))[0].id
    await client.labels(space.id)
    await client.work_item_titles(space.id)
    await client.organization()
    key, item = await some_item(client)
    await client.work_item(key, item.number)
    created = await client.create_work_item(title="Shape", status_id=status_id)
    await client.update_work_item(created.id, impact="medium")
    await client.create_comment(created.id, "Shape")
    await client.create_label(space.id, "shape", "00ff00")
    await client.initiative(1)
    await client.create_initiative(title="Shape")
    await client.feedback(1)
    await client.create_feedback(title="Shape", link_insight_to_entity_ids=[created.id])
    seen = set()
    for method, path, status, value in recorder.exchanges:
        seen.add((method, path))
        assert status == (201 if method == "POST" else 200), (method, path, status)
        if path.startswith("/metadata/"):
            assert value and all(set(entry) == {"id", "label"} for entry in value)
        elif path == "/organization":
            assert set(value) == {"id", "name", "createdAt", "updatedAt"}
        elif path == "/recent/workitems":
            for entry in value:
                check_work_item(entry)
        elif path == "/workitem":
            check_work_item(value)
        elif path == "/recent/comments":
            for entry in value:
                check_comment(entry)
        elif path == "/comment":
            check_comment(value)
        elif path == "/label":
            assert set(value) == {"id", "name", "color", "spaceId"}
        elif path == "/initiative":
            check_initiative(value[0] if method == "GET" else value)
            assert isinstance(value, list) == (method == "GET")  # GET: an array of one
        else:
            check_feedback(value)
    assert len(seen) == 16  # every endpoint was exercised


# ----- documented errors ------------------------------------------------------------


def every_endpoint(space_id: str, item_id: str) -> list:
    return [
        lambda c: c.organization(),
        lambda c: c.spaces(),
        lambda c: c.statuses(space_id),
        lambda c: c.labels(space_id),
        lambda c: c.work_item_titles(space_id),
        lambda c: c.recent_work_items(space_id, 5),
        lambda c: c.recent_comments(space_id, 5),
        lambda c: c.work_item("KB", 1),
        lambda c: c.create_work_item(title="x", status_id="0000000000000000"),
        lambda c: c.update_work_item(item_id, title="x"),
        lambda c: c.create_comment(item_id, "x"),
        lambda c: c.create_label(space_id, "x"),
        lambda c: c.initiative(1),
        lambda c: c.create_initiative(title="x"),
        lambda c: c.feedback(1),
        lambda c: c.create_feedback(title="x"),
    ]


@pytest.mark.parametrize("token", ["wrong-token", ""], ids=["wrong token", "no token"])
async def test_every_endpoint_answers_401_without_the_right_token(served, client, token):
    emulator, base_url = served
    space = await space_named(client, "Kiteboard")
    _, item = await some_item(client)
    before = emulator.stats.requests
    calls = every_endpoint(space.id, item.id)
    assert len(calls) == 16
    async with KitemakerClient(base_url, token) as intruder:
        for call in calls:
            with pytest.raises(AuthError) as caught:
                await call(intruder)
            assert caught.value.code == "UNAUTHORIZED"
            assert caught.value.message == "The requested action could not be completed"
    assert emulator.stats.requests - before == 16  # a 401 is not retried


async def test_not_found_codes(client):
    space = await space_named(client, "Kiteboard")
    _, item = await some_item(client)
    unknown = "ffffffffffffffff"
    cases = [
        (lambda: client.recent_work_items(unknown, 5), "SPACE_NOT_FOUND"),
        (lambda: client.recent_comments(unknown, 5), "SPACE_NOT_FOUND"),
        (lambda: client.create_label(unknown, "x"), "SPACE_NOT_FOUND"),
        (lambda: client.work_item(DEMO_KEYS["Kiteboard"], 999_999), "ISSUE_NOT_FOUND"),
        (lambda: client.work_item("NOPE", item.number), "ISSUE_NOT_FOUND"),
        (lambda: client.create_comment(unknown, "x"), "ISSUE_NOT_FOUND"),
        (lambda: client.update_work_item(unknown, title="x"), "ISSUE_NOT_FOUND"),
        (lambda: client.initiative(999_999), "INITIATIVE_NOT_FOUND"),
        (lambda: client.feedback(999_999), "FEEDBACK_NOT_FOUND"),
    ]
    for call, code in cases:
        with pytest.raises(NotFoundError) as caught:
            await call()
        assert caught.value.code == code
        assert caught.value.message
    assert space.id  # the space used above exists; only the unknown one is refused


async def test_bad_requests_come_back_with_the_servers_message(client):
    space = await space_named(client, "Kiteboard")
    status_id = (await client.statuses(space.id))[0].id
    _, item = await some_item(client)
    cases = [
        (lambda: client.create_work_item(title=None, status_id=status_id), "title"),  # type: ignore[arg-type]
        (lambda: client.create_work_item(title="x", status_id=None), "statusId"),  # type: ignore[arg-type]
        (lambda: client.create_work_item(title="x", status_id="0000000000000000"), "statusId"),
        (lambda: client.create_work_item(title="x", status_id=status_id, effort="huge"), "effort"),
        (lambda: client.create_work_item(title="x", status_id=status_id, impact="tiny"), "impact"),
        (
            lambda: client.create_work_item(title="x", status_id=status_id, placement="middle"),
            "placement",
        ),
        (
            lambda: client.create_work_item(title="x", status_id=status_id, label_ids=["0" * 16]),
            "labelIds",
        ),
        (lambda: client.update_work_item(item.id, title=None), "title"),
        (lambda: client.update_work_item(item.id, effort="enormous"), "effort"),
        (lambda: client.recent_work_items(space.id, 0), "count"),
        (lambda: client.recent_work_items(space.id, 51), "count"),
        (lambda: client.recent_comments(space.id, 51), "count"),
        (lambda: client.create_comment(item.id, ""), "body"),
        (lambda: client.create_initiative(title=None), "title"),  # type: ignore[arg-type]
        (lambda: client.create_feedback(title=None), "title"),  # type: ignore[arg-type]
    ]
    for call, field in cases:
        with pytest.raises(BadRequestError) as caught:
            await call()
        assert caught.value.status == 400
        assert field in caught.value.message, caught.value.message


async def test_raw_bodies_not_json_are_400_and_json_without_content_type_is_accepted(served):
    # What the client never sends, but the contract documents (its curl examples send
    # JSON without a Content-Type).
    _, base_url = served
    async with httpx.AsyncClient(base_url=base_url, headers={"X-API-KEY": TOKEN}) as raw:
        broken = await raw.post("/comment", content=b"workItemId=1&body=x")
        assert broken.status_code == 400
        error = error_for_status(400, broken.content, broken.headers.get("Content-Type"), TOKEN)
        assert isinstance(error, BadRequestError) and error.code == "BAD_REQUEST"
        spaces = (await raw.get("/metadata/spaces")).json()
        space_id = next(s["id"] for s in spaces if s["label"] == "Kiteboard")
        plain = await raw.post(
            "/label", content=json.dumps({"spaceId": space_id, "labelName": "curl-made"})
        )
        assert plain.status_code == 201 and plain.json()["name"] == "curl-made"


async def test_rate_limit_429_with_retry_after_and_the_client_waiting_it_out():
    # A separate emulator whose token bucket runs on the same fake clock as the client's
    # sleep: the client's backoff "waits" and the bucket refills, instantly.
    fake = FakeTime()
    emulator = Emulator(
        build_demo_state(seed=1), token=TOKEN, rate_limit=1, burst=1, clock=fake.clock
    )
    with EmulatorServer(emulator) as base_url:
        async with KitemakerClient(
            base_url, TOKEN, retry=NO_RETRY, clock=fake.clock, sleep=fake.sleep
        ) as impatient:
            await impatient.organization()
            with pytest.raises(RateLimitedError) as caught:
                await impatient.organization()
            assert caught.value.code == "RATE_LIMITED"
            assert caught.value.retry_after is not None and caught.value.retry_after >= 1
        # Five requests against a bucket of one: one gets through per refill, so the
        # last may need five 429s; enough attempts that the outcome does not depend on
        # the order in which the threads answer.
        patience = RetryPolicy(max_attempts=12, max_total_wait=120.0)
        async with KitemakerClient(
            base_url, TOKEN, retry=patience, clock=fake.clock, sleep=fake.sleep
        ) as patient:
            results = await asyncio.gather(*(patient.spaces() for _ in range(5)))
            assert all(results)
            assert patient.stats.rate_limited >= 1
            assert fake.sleeps and min(fake.sleeps) >= 1.0  # Retry-After honoured
    assert emulator.stats.rate_limited >= 2


# ----- faults through a real socket -------------------------------------------------


@pytest.mark.parametrize("kind", ["server_error", "reset", "malformed_json", "drop_response"])
async def test_a_read_survives_each_fault(served, client, kind):
    emulator, _ = served
    emulator.faults.inject(kind, method="GET", path="/metadata/spaces")
    spaces = await client.spaces()
    assert set(DEMO_KEYS) <= {s.label for s in spaces}
    assert client.stats.retries == 1
    assert emulator.faults.pending() == 0


@pytest.mark.parametrize("kind", ["reset", "drop_response", "server_error", "malformed_json"])
async def test_a_write_with_a_lost_answer_is_unknown_and_never_resent(served, client, kind):
    emulator, _ = served
    _, item = await some_item(client)
    body = f"exactly once ({kind})"
    sent_before = emulator.stats.count("POST", "/comment")
    emulator.faults.inject(kind, method="POST", path="/comment")
    with pytest.raises(UnknownOutcomeError) as caught:
        await client.create_comment(item.id, body)
    assert (caught.value.method, caught.value.path) == ("POST", "/comment")
    assert emulator.stats.count("POST", "/comment") - sent_before == 1  # not resent
    applied = [c for c in await client.recent_comments(item.space.id, 50) if c.body == body]
    # drop_response and malformed_json apply the write; reset and server_error do not.
    assert len(applied) == (1 if kind in ("drop_response", "malformed_json") else 0)


async def test_a_write_that_times_out_is_unknown_and_never_resent(served):
    emulator, base_url = served
    emulator.faults.clear()
    fake = FakeTime()
    async with KitemakerClient(
        base_url, TOKEN, timeout=0.3, clock=fake.clock, sleep=fake.sleep
    ) as client:
        _, item = await some_item(client)
        sent_before = emulator.stats.count("PUT", "/workitem")
        emulator.faults.inject("timeout", method="PUT", path="/workitem")
        with pytest.raises(UnknownOutcomeError):
            await client.update_work_item(item.id, title="timed out")
        assert emulator.stats.count("PUT", "/workitem") - sent_before == 1
        assert fake.sleeps == []
