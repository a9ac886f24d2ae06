"""KitemakerClient against a scripted transport: what it sends, how it reads answers,
when it retries and how long it waits (a fake clock: no test really sleeps), and that
the token never leaks."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiteboard import __version__
from kiteboard.api.client import KitemakerClient
from kiteboard.api.errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    KitemakerError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerUnavailableError,
    UnknownOutcomeError,
)
from kiteboard.api.retry import RetryPolicy, parse_retry_after

BASE = "https://kitemaker.test/developers/rest/v1"
TOKEN = "s3cr3t-T0KEN-abc"

ITEM = {
    "id": "136975ca1bb5d800",
    "number": 123,
    "title": "My Title",
    "status": {"id": "1335a4d06b286401", "name": "Done"},
    "labels": [],
    "effort": "Large",
    "impact": None,
}
COMMENT = {"id": "c1", "body": "Hey", "entity": {"id": "i1", "space": "ACM"}, "reply": False}
ORG = {"id": "o1", "name": "Kitemaker", "createdAt": "2021-12-12T08:25:46.455Z"}
ENTRIES = [{"id": "a", "label": "Backlog"}, {"id": "b", "label": "Done"}]
INITIATIVE = {"id": "n1", "number": 1, "title": "Hey there", "labels": []}
FEEDBACK = {"id": "f1", "title": "Feedback", "insights": [], "processed": False}
LABEL = {"id": "l1", "name": "Infra", "color": "ff00aa", "spaceId": "s1"}


def api_error(status: int, message: str, code: str) -> httpx.Response:
    return httpx.Response(
        status, json={"errors": [{"message": message, "status": status, "code": code}]}
    )


class FakeTime:
    """A clock that only moves when the client sleeps (or a test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Step = httpx.Response | type[Exception] | Callable[[httpx.Request], Any]


class Script:
    """Answers requests from a list of steps, in order: a Response, an httpx exception
    class (raised for the request), or a callable(request) returning a Response."""

    def __init__(self, *steps: Step, repeat_last: bool = False) -> None:
        self.steps = list(steps)
        self.repeat_last = repeat_last
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.steps:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        step = self.steps[0] if self.repeat_last and len(self.steps) == 1 else self.steps.pop(0)
        if isinstance(step, type) and issubclass(step, Exception):
            raise step("scripted failure", request=request)
        if callable(step) and not isinstance(step, httpx.Response):
            step = step(request)
            if asyncio.iscoroutine(step):
                step = await step
        return step

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]


def make(
    *steps: Step,
    repeat_last: bool = False,
    random: Callable[[], float] = lambda: 0.5,
    retry: RetryPolicy | None = None,
    **kwargs: Any,
) -> tuple[KitemakerClient, Script, FakeTime]:
    script = Script(*steps, repeat_last=repeat_last)
    fake = FakeTime()
    client = KitemakerClient(
        BASE,
        TOKEN,
        transport=httpx.MockTransport(script),
        clock=fake.clock,
        sleep=fake.sleep,
        random=random,
        retry=retry,
        **kwargs,
    )
    return client, script, fake


# ----- what is sent ----------------------------------------------------------------


async def test_every_request_carries_accept_token_and_user_agent():
    client, script, _ = make(httpx.Response(200, json=ORG))
    org = await client.organization()
    assert org.name == "Kitemaker"
    (request,) = script.requests
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-API-KEY"] == TOKEN
    assert request.headers["User-Agent"] == f"kiteboard/{__version__}"
    assert str(request.url) == f"{BASE}/organization"


Endpoint = tuple[str, Callable[[KitemakerClient], Any], str, str, dict, Any, Any]


def endpoint(name, call, method, path, query=None, sent=None, answer=None) -> Endpoint:
    return (name, call, method, path, query or {}, sent, answer)


S1 = {"spaceId": "s1"}
ENDPOINTS: list[Endpoint] = [
    # (name, call, method, path, query, body sent, answer)
    endpoint("organization", lambda c: c.organization(), "GET", "/organization", answer=ORG),
    endpoint("spaces", lambda c: c.spaces(), "GET", "/metadata/spaces", answer=ENTRIES),
    endpoint(
        "statuses", lambda c: c.statuses("s1"), "GET", "/metadata/statuses", S1, None, ENTRIES
    ),
    endpoint("labels", lambda c: c.labels("s1"), "GET", "/metadata/labels", S1, None, ENTRIES),
    endpoint(
        "titles",
        lambda c: c.work_item_titles("s1"),
        "GET",
        "/metadata/workitems",
        S1,
        None,
        ENTRIES,
    ),
    endpoint(
        "recent items",
        lambda c: c.recent_work_items("s1", 10),
        "GET",
        "/recent/workitems",
        {"spaceId": "s1", "count": "10"},
        answer=[ITEM],
    ),
    endpoint(
        "recent comments",
        lambda c: c.recent_comments("s1"),
        "GET",
        "/recent/comments",
        {"spaceId": "s1", "count": "50"},
        answer=[COMMENT],
    ),
    endpoint(
        "work item",
        lambda c: c.work_item("KM", 123),
        "GET",
        "/workitem",
        {"spaceKey": "KM", "workItemNumber": "123"},
        answer=ITEM,
    ),
    endpoint(
        "create item",
        lambda c: c.create_work_item(
            title="T", status_id="st", label_ids=["l1"], effort="Large", placement="bottom"
        ),
        "POST",
        "/workitem",
        sent={
            "title": "T",
            "statusId": "st",
            "labelIds": ["l1"],
            "effort": "large",
            "placement": "bottom",
        },
        answer=ITEM,
    ),
    endpoint(
        "update item",
        lambda c: c.update_work_item("i1", title="New"),
        "PUT",
        "/workitem",
        sent={"id": "i1", "title": "New"},
        answer=ITEM,
    ),
    endpoint(
        "comment",
        lambda c: c.create_comment("i1", "Hi **there**"),
        "POST",
        "/comment",
        sent={"workItemId": "i1", "body": "Hi **there**"},
        answer=COMMENT,
    ),
    endpoint(
        "label",
        lambda c: c.create_label("s1", "Infra", "#ff00aa"),
        "POST",
        "/label",
        sent={"spaceId": "s1", "labelName": "Infra", "color": "ff00aa"},
        answer=LABEL,
    ),
    endpoint(
        "initiative",
        lambda c: c.initiative(1),
        "GET",
        "/initiative",
        {"number": "1"},
        answer=[INITIATIVE],
    ),
    endpoint(
        "create initiative",
        lambda c: c.create_initiative(title="I", space_ids=["s1"]),
        "POST",
        "/initiative",
        sent={"title": "I", "spaceIds": ["s1"]},
        answer=INITIATIVE,
    ),
    endpoint("feedback", lambda c: c.feedback(2), "GET", "/feedback/2", answer=FEEDBACK),
    endpoint(
        "create feedback",
        lambda c: c.create_feedback(
            title="F", person_email="a@b.c", link_insight_to_entity_ids=["i1"]
        ),
        "POST",
        "/feedback",
        sent={"title": "F", "personEmail": "a@b.c", "linkInsightToEntityIds": ["i1"]},
        answer=FEEDBACK,
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "query", "sent", "answer"),
    [e[1:] for e in ENDPOINTS],
    ids=[e[0] for e in ENDPOINTS],
)
async def test_each_endpoint_sends_the_documented_request(call, method, path, query, sent, answer):
    status = 201 if method == "POST" else 200
    client, script, _ = make(httpx.Response(status, json=answer))
    result = await call(client)
    (request,) = script.requests
    assert request.method == method
    assert request.url.path == "/developers/rest/v1" + path
    assert dict(request.url.params) == query
    assert script.bodies()[0] == sent
    expected_id = (answer[0] if isinstance(answer, list) else answer)["id"]
    got = result[0] if isinstance(result, list) else result
    assert got.id == expected_id


def test_there_are_sixteen_endpoints():
    assert len({(e[2], e[3]) for e in ENDPOINTS}) == len(ENDPOINTS) == 16


async def test_update_sends_only_what_changed_and_none_clears():
    client, script, _ = make(httpx.Response(200, json=ITEM))
    await client.update_work_item("i1", effort=None, impact="Medium", label_ids=("a", "b"))
    assert script.bodies() == [
        {"id": "i1", "effort": None, "impact": "medium", "labelIds": ["a", "b"]}
    ]


async def test_update_refuses_an_unknown_field_without_sending():
    client, script, _ = make()
    with pytest.raises(TypeError, match="colour"):
        await client.update_work_item("i1", colour="red")
    assert script.requests == []


async def test_initiative_accepts_a_bare_object_and_an_empty_array_is_not_found():
    client, _, _ = make(httpx.Response(200, json=INITIATIVE), httpx.Response(200, json=[]))
    assert (await client.initiative(1)).title == "Hey there"
    with pytest.raises(NotFoundError) as caught:
        await client.initiative(9)
    assert caught.value.code == "INITIATIVE_NOT_FOUND"


# ----- answers that are errors -----------------------------------------------------


HTML = {"Content-Type": "text/html"}
UNAUTHORIZED = "The requested action could not be completed"
NO_ITEM = "Could not find the specified work item"
NO_SPACE = "The specified space does not exist"


@pytest.mark.parametrize(
    ("response", "error_type", "message", "code"),
    [
        (api_error(401, UNAUTHORIZED, "UNAUTHORIZED"), AuthError, UNAUTHORIZED, "UNAUTHORIZED"),
        (api_error(404, NO_ITEM, "ISSUE_NOT_FOUND"), NotFoundError, NO_ITEM, "ISSUE_NOT_FOUND"),
        (api_error(404, NO_SPACE, "SPACE_NOT_FOUND"), NotFoundError, NO_SPACE, "SPACE_NOT_FOUND"),
        (api_error(400, "title is required", "BAD_REQUEST"), BadRequestError, None, "BAD_REQUEST"),
        (api_error(500, "Internal", "INTERNAL"), ServerUnavailableError, "Internal", "INTERNAL"),
    ],
    ids=["401", "404 item", "404 space", "400", "500 json"],
)
async def test_api_errors_become_typed_errors_with_the_api_message(
    response, error_type, message, code
):
    client, script, fake = make(response)
    with pytest.raises(error_type) as caught:
        await client.work_item("KM", 1)
    assert caught.value.message == (message or "title is required") == str(caught.value)
    assert caught.value.code == code
    assert caught.value.status == response.status_code
    assert len(script.requests) == 1 and fake.sleeps == []  # none of these is retried


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (httpx.Response(500, text="<p>Oops</p>", headers=HTML), "HTML page"),
        (httpx.Response(500, content=b""), "empty body"),
        (httpx.Response(500, content=b'{"errors": [{"mess'), "not valid JSON"),
        (httpx.Response(404, text="<!DOCTYPE html><h1>Not Found</h1>"), "HTML page"),
        (httpx.Response(401, text="Unauthorized"), "not valid JSON"),
        (httpx.Response(400, json={"detail": "nope"}), "JSON that is not an API error"),
        (httpx.Response(302, headers={"Location": "https://login.example"}), "empty body"),
    ],
    ids=["500 html", "500 empty", "500 truncated", "404 html", "401 text", "400 other json", "302"],
)  # fmt: skip
async def test_answers_that_are_not_the_api_become_server_unavailable(response, words):
    # An HTML 404 from a proxy must not look like "this item was deleted".
    client, _, _ = make(response)
    with pytest.raises(ServerUnavailableError) as caught:
        await client.work_item("KM", 1)
    assert isinstance(caught.value, BadResponseError)
    assert caught.value.status == response.status_code
    assert words in caught.value.message
    assert "<" not in caught.value.message  # the page itself is not pasted in


async def test_long_or_multiline_api_messages_are_one_capped_line():
    client, _, _ = make(api_error(400, "bad\n\x1b[31mthing\n" + "x" * 5000, "BAD_REQUEST"))
    with pytest.raises(BadRequestError) as caught:
        await client.organization()
    assert "\n" not in caught.value.message
    assert len(caught.value.message) <= 300


# ----- retries of reads ------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        api_error(429, "slow down", "RATE_LIMITED"),
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(503, content=b""),
        httpx.Response(504, text="<html>timeout</html>"),
        httpx.Response(200, content=b'[{"id": "a", "lab'),
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.ReadTimeout,
        httpx.ReadError,
        httpx.RemoteProtocolError,
        httpx.DecodingError,
    ],
    ids=[
        "429", "502", "503", "504", "200 malformed",
        "connect", "connect timeout", "read timeout", "reset", "lost", "bad encoding",
    ],
)  # fmt: skip
async def test_reads_are_retried_after_transient_failures(failure):
    client, script, fake = make(failure, httpx.Response(200, json=ENTRIES))
    assert [e.label for e in await client.spaces()] == ["Backlog", "Done"]
    assert len(script.requests) == 2
    assert len(fake.sleeps) == 1
    assert client.stats.retries == 1 and client.stats.requests == 2


async def test_a_500_on_a_read_is_not_retried():
    client, script, _ = make(httpx.Response(500, text="<html></html>"))
    with pytest.raises(ServerUnavailableError):
        await client.spaces()
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("draw", "expected"),
    [(0.0, [0.25, 0.5, 1.0, 2.0, 2.5, 2.5]), (1.0, [0.5, 1.0, 2.0, 4.0, 5.0, 5.0])],
)
async def test_backoff_doubles_and_jitter_stays_in_half_to_full_ceiling(draw, expected):
    policy = RetryPolicy(max_attempts=7, base_delay=0.5, max_delay=5.0, max_total_wait=1000)
    client, script, fake = make(
        httpx.Response(503), repeat_last=True, random=lambda: draw, retry=policy
    )
    with pytest.raises(ServerUnavailableError):
        await client.spaces()
    assert fake.sleeps == pytest.approx(expected)
    assert len(script.requests) == 7


async def test_jittered_waits_vary_but_stay_within_bounds():
    import random

    rng = random.Random(42)
    policy = RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=30.0, max_total_wait=1000)
    client, _, fake = make(httpx.ConnectError, repeat_last=True, random=rng.random, retry=policy)
    with pytest.raises(NetworkError):
        await client.spaces()
    ceilings = [1.0, 2.0, 4.0, 8.0, 16.0]
    assert len(fake.sleeps) == 5
    for wait, ceiling in zip(fake.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert len({round(w / c, 6) for w, c in zip(fake.sleeps, ceilings, strict=True)}) > 1


async def test_retry_after_is_honoured_and_reported():
    limited = httpx.Response(
        429,
        headers={"Retry-After": "7"},
        json={"errors": [{"message": "Too many requests", "status": 429, "code": "RATE_LIMITED"}]},
    )
    client, _, fake = make(limited, httpx.Response(200, json=ORG))
    await client.organization()
    assert 7.0 <= fake.sleeps[0] <= 7.7
    assert client.stats.rate_limited == 1


async def test_rate_limit_that_outlasts_the_budget_gives_up_at_once_with_the_wait():
    limited = httpx.Response(
        429,
        headers={"Retry-After": "120"},
        json={"errors": [{"message": "Too many requests", "status": 429, "code": "RATE_LIMITED"}]},
    )
    client, script, fake = make(limited, retry=RetryPolicy(max_total_wait=30))
    with pytest.raises(RateLimitedError) as caught:
        await client.spaces()
    assert caught.value.retry_after == 120
    assert caught.value.message == "Too many requests"
    assert caught.value.code == "RATE_LIMITED"
    assert fake.sleeps == [] and len(script.requests) == 1


async def test_total_wait_is_bounded_even_with_many_attempts_allowed():
    policy = RetryPolicy(max_attempts=1000, base_delay=0.5, max_delay=4.0, max_total_wait=20.0)
    client, script, fake = make(httpx.Response(503), repeat_last=True, retry=policy)
    with pytest.raises(ServerUnavailableError):
        await client.spaces()
    assert sum(fake.sleeps) <= 20.0
    assert sum(fake.sleeps) > 20.0 - 4.0  # it did use the budget, not give up early
    assert len(script.requests) == len(fake.sleeps) + 1


async def test_time_spent_waiting_for_answers_counts_against_the_budget():
    fake_holder: list[FakeTime] = []

    def slow_timeout(request: httpx.Request) -> httpx.Response:
        fake_holder[0].now += 10.0  # each attempt burns its 10 s timeout
        raise httpx.ReadTimeout("timed out", request=request)

    policy = RetryPolicy(max_attempts=10, base_delay=0.5, max_delay=4.0, max_total_wait=30.0)
    client, script, fake = make(slow_timeout, repeat_last=True, retry=policy)
    fake_holder.append(fake)
    start = fake.now
    with pytest.raises(NetworkError):
        await client.spaces()
    assert len(script.requests) == 3
    assert fake.now - start <= 30.0 + 10.0  # no retry began after the budget


# ----- writes: resent only when certainly not applied -------------------------------


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.RemoteProtocolError],
    ids=["read timeout", "write timeout", "reset", "lost mid-response"],
)
async def test_a_write_whose_answer_was_lost_is_never_resent(failure):
    client, script, fake = make(failure, httpx.Response(201, json=ITEM))
    with pytest.raises(UnknownOutcomeError) as caught:
        await client.create_work_item(title="T", status_id="st")
    assert len(script.requests) == 1 and fake.sleeps == []
    assert (caught.value.method, caught.value.path) == ("POST", "/workitem")
    assert "may or may not" in caught.value.message


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="<html>oops</html>"),
        httpx.Response(502),
        httpx.Response(503, headers={"Retry-After": "1"}),
        httpx.Response(200, content=b'{"id": "136975ca1bb5d800", "num'),
        httpx.Response(200, json={"no": "id"}),
    ],
    ids=["500", "502", "503", "malformed body", "wrong shape"],
)
async def test_a_write_answered_with_5xx_or_an_unreadable_body_is_unknown(failure):
    client, script, _ = make(failure, httpx.Response(200, json=ITEM))
    with pytest.raises(UnknownOutcomeError) as caught:
        await client.update_work_item("i1", title="x")
    assert caught.value.method == "PUT"
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
    ],
    ids=["429", "connect refused", "connect timeout", "pool timeout"],
)
async def test_a_write_not_applied_is_resent_identically(failure):
    client, script, fake = make(failure, httpx.Response(201, json=COMMENT))
    comment = await client.create_comment("i1", "Hello")
    assert comment.id == "c1"
    assert len(script.requests) == 2
    assert script.bodies()[0] == script.bodies()[1] == {"workItemId": "i1", "body": "Hello"}
    assert len(fake.sleeps) == 1


async def test_a_write_rate_limited_to_the_end_raises_rate_limited():
    policy = RetryPolicy(max_attempts=3, max_total_wait=100)
    client, script, _ = make(httpx.Response(429), repeat_last=True, retry=policy)
    with pytest.raises(RateLimitedError) as caught:
        await client.create_label("s1", "x")
    assert caught.value.retry_after is None
    assert len(script.requests) == 3
    assert client.stats.rate_limited == 3


async def test_write_4xx_errors_are_typed_and_not_retried():
    client, script, _ = make(api_error(400, "statusId is required", "BAD_REQUEST"))
    with pytest.raises(BadRequestError, match="statusId is required"):
        await client.create_work_item(title="T", status_id="")
    assert len(script.requests) == 1


async def test_read_network_failure_after_retries_is_network_error():
    policy = RetryPolicy(max_attempts=3)
    client, script, _ = make(httpx.ConnectError, repeat_last=True, retry=policy)
    with pytest.raises(NetworkError) as caught:
        await client.organization()
    assert "ConnectError" in caught.value.message
    assert len(script.requests) == 3


# ----- concurrency -----------------------------------------------------------------


@pytest.mark.parametrize("limit", [4, 2])
async def test_requests_in_flight_never_exceed_the_limit(limit):
    in_flight = 0
    peak = 0
    release = asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await release.wait()
        in_flight -= 1
        return httpx.Response(200, json=ENTRIES)

    kwargs = {} if limit == 4 else {"max_in_flight": limit}
    client, script, _ = make(held, repeat_last=True, **kwargs)
    tasks = [asyncio.create_task(client.statuses(f"s{i}")) for i in range(10)]
    for _ in range(20):
        await asyncio.sleep(0)
    assert in_flight == limit  # the rest are queued, not sent
    release.set()
    await asyncio.gather(*tasks)
    assert peak == limit
    assert len(script.requests) == 10


async def test_a_request_waiting_out_a_backoff_does_not_hold_a_slot():
    gate = asyncio.Event()
    sleeping = asyncio.Event()

    async def blocking_sleep(seconds: float) -> None:
        sleeping.set()
        await gate.wait()

    client, _, _ = make(
        httpx.Response(503), httpx.Response(200, json=ORG), httpx.Response(200, json=ORG),
        max_in_flight=1,
    )  # fmt: skip
    client._sleep = blocking_sleep  # this test needs a sleep that really blocks
    first = asyncio.create_task(client.organization())
    await sleeping.wait()
    await asyncio.wait_for(client.organization(), timeout=5)  # gets the only slot
    gate.set()
    await first


def test_the_client_can_be_built_outside_an_event_loop():
    client = KitemakerClient(BASE, TOKEN)
    assert client.max_in_flight == 4
    assert repr(client) == f"KitemakerClient(base_url={BASE!r}, token=<hidden>)"


# ----- the pacer seam --------------------------------------------------------------


class RecordingPacer:
    def __init__(self) -> None:
        self.events: list[Any] = []

    async def wait(self) -> None:
        self.events.append("wait")

    def on_rate_limited(self, retry_after: float | None) -> None:
        self.events.append(("limited", retry_after))

    def on_success(self) -> None:
        self.events.append("ok")


async def test_pacer_is_consulted_before_each_attempt_and_told_the_outcome():
    pacer = RecordingPacer()
    client, _, _ = make(
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(200, json=ORG),
        pacer=pacer,
    )
    await client.organization()
    assert pacer.events == ["wait", ("limited", 3.0), "wait", "ok"]


# ----- the token stays secret ------------------------------------------------------


def test_retry_after_parses_seconds_and_http_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_the_token_appears_in_no_repr_message_traceback_or_log(caplog):
    caplog.set_level(logging.DEBUG)
    echoing = api_error(400, f"token {TOKEN} is not allowed here", "BAD_REQUEST")
    failures: list[Step] = [
        echoing,
        api_error(401, "The requested action could not be completed", "UNAUTHORIZED"),
        httpx.Response(404, text=f"<html>{TOKEN}</html>"),
        httpx.Response(503, text="<html>down</html>"),
        httpx.ReadTimeout,
        httpx.ConnectError,
    ]
    policy = RetryPolicy(max_attempts=2)
    calls = [lambda c: c.spaces(), lambda c: c.create_comment("i", "b")]
    texts: list[str] = []
    for failure in failures:
        for call in calls:
            client, _, _ = make(failure, failure, retry=policy)
            texts += [repr(client), str(client), repr(vars(client))]
            with pytest.raises(KitemakerError) as caught:
                await call(client)
            exc = caught.value
            texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the client logs its requests"
    leaks = [t for t in texts if TOKEN in t]
    assert leaks == []
    assert any("***" in t for t in texts)  # the echoed token was scrubbed, not dropped


async def test_a_token_a_header_cannot_carry_is_refused_without_echoing_it():
    script = Script()
    client = KitemakerClient(BASE, "abc def-secret", transport=httpx.MockTransport(script))
    with pytest.raises(AuthError) as caught:
        await client.organization()
    assert "secret" not in str(caught.value)
    assert script.requests == []  # nothing was sent


async def test_whitespace_around_a_pasted_token_is_dropped():
    client, script, _ = make(httpx.Response(200, json=ORG))
    client = KitemakerClient(BASE, f"  {TOKEN}\n", transport=httpx.MockTransport(script))
    await client.organization()
    assert script.requests[0].headers["X-API-KEY"] == TOKEN


async def test_no_token_sends_no_key_header():
    client, script, _ = make(api_error(401, UNAUTHORIZED, "UNAUTHORIZED"))
    client = KitemakerClient(BASE, "", transport=httpx.MockTransport(script))
    with pytest.raises(AuthError):
        await client.organization()
    assert "X-API-KEY" not in script.requests[0].headers


def test_a_config_secret_is_accepted():
    class Secret:
        def reveal(self) -> str:
            return TOKEN

        def __repr__(self) -> str:
            return "Secret(***)"

    client = KitemakerClient(BASE, Secret())  # type: ignore[arg-type]
    assert client._token.reveal() == TOKEN


def test_a_short_token_is_scrubbed_only_where_it_stands_alone():
    from kiteboard.api.answers import clean_text

    assert clean_text("too many attempts", "t") == "too many attempts"
    assert clean_text("token t rejected", "t") == "token *** rejected"
    assert clean_text(f"bad key {TOKEN}.", TOKEN) == "bad key ***."
