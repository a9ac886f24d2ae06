"""Fault injection, latency, rate limit and statistics, through the in-process transport
with an async httpx client, as a client of the real API would meet them. Time is fake:
the transport's sleep and the emulator's clock are injected."""

from __future__ import annotations

import json

import httpx
import pytest

from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.faults import FaultPlan
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def emulator(fake_time) -> Emulator:
    return Emulator(build_demo_state(seed=4), clock=fake_time.clock)


@pytest.fixture
async def client(emulator, fake_time):
    transport = EmulatorTransport(emulator, sleep=fake_time.sleep)
    async with httpx.AsyncClient(
        transport=transport, base_url=DEMO_BASE_URL, headers={"X-API-KEY": "demo"}, timeout=7.5
    ) as client:
        yield client


def new_item(emulator: Emulator) -> dict[str, str]:
    todo = emulator.state.space_by_key("KB").status_ids[1]
    return {"title": "Fault test", "statusId": todo}


def item_count(emulator: Emulator) -> int:
    return len(emulator.state.items)


async def test_reset_is_a_connect_error_and_applies_nothing(client, emulator):
    emulator.faults.inject("reset", method="post", path="/workitem")
    before = item_count(emulator)
    with pytest.raises(httpx.ConnectError):
        await client.post("/workitem", json=new_item(emulator))
    assert item_count(emulator) == before
    # One shot: the resend (safe after a ConnectError) goes through.
    assert (await client.post("/workitem", json=new_item(emulator))).status_code == 201
    assert item_count(emulator) == before + 1


async def test_drop_response_applies_the_write_and_loses_the_answer(client, emulator):
    emulator.faults.inject("drop_response")
    before = item_count(emulator)
    with pytest.raises(httpx.ReadError):
        await client.post("/workitem", json=new_item(emulator))
    assert item_count(emulator) == before + 1


async def test_timeout_waits_the_read_timeout_and_applies_nothing(client, emulator, fake_time):
    emulator.faults.inject("timeout", path="/workitem")
    before = item_count(emulator)
    with pytest.raises(httpx.ReadTimeout):
        await client.post("/workitem", json=new_item(emulator))
    assert fake_time.slept == [7.5]  # the client's read timeout, on the injected sleep
    assert item_count(emulator) == before


async def test_malformed_json_keeps_the_status_and_cuts_the_body(client, emulator):
    emulator.faults.inject("malformed_json", times=2)
    response = await client.get("/metadata/spaces")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    before = item_count(emulator)
    response = await client.post("/workitem", json=new_item(emulator))
    assert response.status_code == 201 and item_count(emulator) == before + 1  # applied
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert (await client.get("/metadata/spaces")).json()  # the plan is used up


async def test_server_error_is_an_html_page_and_applies_nothing(client, emulator):
    emulator.faults.inject("server_error", times=3)
    before = item_count(emulator)
    for _ in range(3):
        response = await client.post("/workitem", json=new_item(emulator))
        assert response.status_code in (502, 503)
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.startswith("<html>")
    assert item_count(emulator) == before


async def test_injections_match_method_and_path_patterns(client, emulator):
    emulator.faults.inject("server_error", method="GET", path="/feedback/*")
    assert (await client.post("/feedback", json={"title": "x"})).status_code == 201
    assert (await client.get("/organization")).status_code == 200
    assert emulator.faults.pending() == 1
    assert (await client.get("/feedback/1")).status_code in (502, 503)
    assert emulator.faults.pending() == 0


async def test_rates_are_repeatable_from_the_seed(fake_time):
    outcomes = []
    for _ in range(2):
        plan = FaultPlan(error_rate=0.3, malformed_rate=0.2, seed=11)
        emulator = Emulator(build_demo_state(), faults=plan)
        transport = EmulatorTransport(emulator, sleep=fake_time.sleep)
        async with httpx.AsyncClient(
            transport=transport, base_url=DEMO_BASE_URL, headers={"X-API-KEY": "demo"}
        ) as client:
            run = []
            for _ in range(100):
                response = await client.get("/metadata/spaces")
                run.append((response.status_code, response.content[-1:] == b"]"))
        outcomes.append(run)
        errors = sum(status >= 500 for status, _ in run)
        malformed = sum(status == 200 and not whole for status, whole in run)
        assert 15 <= errors <= 45 and 8 <= malformed <= 35
        assert emulator.stats.faults["server_error"] == errors
    assert outcomes[0] == outcomes[1]


def test_fault_plan_refuses_nonsense():
    with pytest.raises(ValueError):
        FaultPlan(error_rate=0.7, reset_rate=0.6)
    with pytest.raises(ValueError):
        FaultPlan(error_rate=-0.1)
    with pytest.raises(ValueError):
        FaultPlan().inject("explode")


async def test_latency_is_added_with_the_injected_sleep(client, emulator, fake_time):
    emulator.faults.latency_ms = 250
    await client.get("/organization")
    await client.get("/organization")
    assert fake_time.slept == [0.25, 0.25]


async def test_rate_limit_answers_429_with_retry_after(client, emulator, fake_time):
    emulator.set_rate_limit(2)  # burst defaults to max(1, rate) = 2
    assert [(await client.get("/organization")).status_code for _ in range(2)] == [200, 200]
    limited = await client.get("/organization")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "1"
    [error] = limited.json()["errors"]
    assert error["status"] == 429 and error["code"] == "RATE_LIMITED"
    fake_time.now += 0.5  # one token back at 2 per second
    assert (await client.get("/organization")).status_code == 200
    assert (await client.get("/organization")).status_code == 429
    assert emulator.stats.rate_limited == 2


async def test_retry_after_is_whole_seconds_and_at_least_one(client, emulator, fake_time):
    emulator.set_rate_limit(0.25)  # one request every 4 s
    assert (await client.get("/organization")).status_code == 200
    assert (await client.get("/organization")).headers["retry-after"] == "4"
    fake_time.now += 3.5
    assert (await client.get("/organization")).headers["retry-after"] == "1"
    emulator.set_rate_limit(100, burst=1)
    assert (await client.get("/organization")).status_code == 200
    assert (await client.get("/organization")).headers["retry-after"] == "1"


async def test_statistics_count_every_request(client, emulator):
    emulator.faults.inject("reset")
    with pytest.raises(httpx.ConnectError):
        await client.get("/organization")
    await client.get("/organization")
    await client.get("/feedback/1")
    await client.get("/recent/workitems", params={"spaceId": "x", "count": 5})
    stats = emulator.stats
    assert stats.requests == 4
    assert stats.count("GET", "/organization") == 2
    assert stats.count("get", "/feedback/1") == 1
    assert stats.faults == {"reset": 1}
    stats.reset()
    assert stats.requests == 0 and not stats.per_endpoint


def test_the_token_is_not_in_the_emulators_repr():
    emulator = Emulator(build_demo_state(), token="hunter2-token")
    assert "hunter2" not in repr(emulator)
