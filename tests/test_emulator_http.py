"""The emulator over real HTTP on 127.0.0.1 (port 0), and the `kiteboard emulator` command."""

from __future__ import annotations

import io
import json
import re
import socket
import time

import httpx
import pytest

from kiteboard.cli import emulator as cli
from kiteboard.cli.main import build_parser, main
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.server import EmulatorServer

TOKEN = "loopback-token"


def http_client(**options) -> httpx.Client:
    # Plain HTTP on loopback: skip building a TLS context (~0.1 s a client).
    return httpx.Client(verify=False, **options)


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(build_demo_state(seed=2), token=TOKEN)


@pytest.fixture
def served(emulator):
    """(base_url, client) for a fresh server; the client never retries."""
    log = io.StringIO()
    server = EmulatorServer(emulator, port=0, log=log, hold_timeout=5)
    with (
        server as base_url,
        http_client(base_url=base_url, headers={"X-API-KEY": TOKEN}, timeout=5) as client,
    ):
        yield base_url, client
    assert TOKEN not in log.getvalue()


def todo_status(emulator: Emulator) -> str:
    return emulator.state.space_by_key("KB").status_ids[1]


def test_serves_the_api_under_its_prefix(served, emulator):
    base_url, client = served
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/developers/rest/v1", base_url)
    assert client.get("/organization").json()["name"] == "Northwind Labs"
    spaces = client.get("/metadata/spaces").json()
    assert [s["label"] for s in spaces][:3] == ["Kiteboard", "Platform", "Design"]
    item = client.get("/workitem", params={"spaceKey": "KB", "workItemNumber": 2}).json()
    assert item["title"] == "Escape [brackets] in CSV export"
    assert client.get("/initiative", params={"number": 1}).json()[0]["number"] == 1
    assert client.get("/feedback/2").json()["title"]


def test_a_post_without_content_type_is_created(served, emulator):
    _, client = served
    body = json.dumps({"title": "Über café ☕", "statusId": todo_status(emulator)}).encode()
    response = client.post("/workitem", content=body)  # no Content-Type, like the docs' curl
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["title"] == "Über café ☕"


def test_errors_over_http(served):
    base_url, client = served
    refused = client.get("/organization", headers={"X-API-KEY": "nope"})
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "UNAUTHORIZED"
    missing = client.get("/workitem", params={"spaceKey": "KB", "workItemNumber": 9999})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "ISSUE_NOT_FOUND"
    origin = base_url.removesuffix("/developers/rest/v1")
    outside = client.get(origin + "/organization")
    assert outside.status_code == 404 and "/developers/rest/v1" in outside.text


def test_rate_limit_429_with_retry_after():
    clock = FakeClock()
    emulator = Emulator(build_demo_state(), token=TOKEN, rate_limit=1, burst=2, clock=clock)
    with (
        EmulatorServer(emulator) as base_url,
        http_client(base_url=base_url, headers={"X-API-KEY": TOKEN}) as client,
    ):
        statuses = [client.get("/organization").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = client.get("/organization")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
        assert limited.json()["errors"][0]["code"] == "RATE_LIMITED"
        clock.now += 1
        assert client.get("/organization").status_code == 200


def test_reset_drops_the_connection_before_processing(served, emulator):
    _, client = served
    emulator.faults.inject("reset", method="POST", path="/workitem")
    before = len(emulator.state.items)
    with pytest.raises(httpx.ReadError):  # ECONNRESET: a TCP RST after the request went out
        client.post("/workitem", json={"title": "x", "statusId": todo_status(emulator)})
    assert len(emulator.state.items) == before
    assert client.get("/organization").status_code == 200  # the server lives on


def test_drop_response_applies_the_write_and_closes_without_answer(served, emulator):
    _, client = served
    emulator.faults.inject("drop_response")
    before = len(emulator.state.items)
    with pytest.raises(httpx.RemoteProtocolError):  # "Server disconnected without ..."
        client.post("/workitem", json={"title": "x", "statusId": todo_status(emulator)})
    assert len(emulator.state.items) == before + 1


def test_malformed_json_and_server_errors(served, emulator):
    _, client = served
    emulator.faults.inject("malformed_json")
    response = client.get("/metadata/spaces")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    emulator.faults.inject("server_error")
    response = client.get("/metadata/spaces")
    assert response.status_code in (502, 503)
    assert response.headers["content-type"].startswith("text/html")


def test_timeout_holds_the_connection_until_the_client_gives_up(served, emulator):
    _, client = served
    emulator.faults.inject("timeout")
    before = len(emulator.state.items)
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            "/workitem", json={"title": "x", "statusId": todo_status(emulator)}, timeout=0.2
        )
    assert len(emulator.state.items) == before


def test_latency_is_added_in_the_handler_thread(served, emulator):
    _, client = served
    emulator.faults.latency_ms = 60
    started = time.perf_counter()
    client.get("/organization")
    assert time.perf_counter() - started >= 0.06


# ---- the command ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_the_command_refuses_a_non_loopback_host(host, capsys):
    assert main(["emulator", "--host", host, "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert host in err and "--allow-remote" in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
     ("0.0.0.0", False), ("10.0.0.1", False), ("my-host", False)],
)  # fmt: skip
def test_is_loopback(host, loopback):
    assert cli.is_loopback(host) is loopback


@pytest.mark.parametrize(
    "argv",
    [["--items", "-5"], ["--latency-ms", "-1"], ["--rate-limit", "0"], ["--port", "70000"]],
)
def test_the_command_refuses_bad_numbers(argv, capsys):
    assert main(["emulator", *argv]) == 2
    assert argv[0] in capsys.readouterr().err


def test_the_command_serves_until_interrupted(monkeypatch, capsys):
    answers = []

    def wait() -> None:
        out = capsys.readouterr().out
        base_url = re.search(r"Base URL: (\S+)", out)[1]
        answers.append(out)
        headers = {"X-API-KEY": "t0ken"}
        with http_client(headers=headers) as client:
            answers.append(client.get(f"{base_url}/organization").status_code)
        raise KeyboardInterrupt  # Ctrl+C

    monkeypatch.setattr(cli, "_wait_forever", wait)
    assert main(["emulator", "--port", "0", "--token", "t0ken", "--items", "300"]) == 0
    printed, status = answers
    assert status == 200
    assert "http://127.0.0.1:" in printed and "/developers/rest/v1" in printed
    assert "curl" in printed and "t0ken" not in printed
    assert "PLAT, 300 items" in printed
    captured = capsys.readouterr()
    assert "GET /developers/rest/v1/organization -> 200" in captured.err
    assert "t0ken" not in captured.err and "Traceback" not in captured.err


def test_the_command_reports_a_port_in_use(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["emulator", "--port", str(port)]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_the_parser_knows_the_emulator_options():
    args = build_parser().parse_args(["emulator"])
    assert (args.host, args.port, args.token, args.seed) == ("127.0.0.1", 8765, "demo", 1)
    assert args.allow_remote is False
