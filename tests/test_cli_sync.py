"""`kiteboard sync` over loopback HTTP against the emulator: summaries, exit codes,
one-line errors, the key question, and a SIGKILL in the middle of a backfill."""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiteboard import locations
from kiteboard.api.retry import NO_RETRY
from kiteboard.cli.main import build_parser
from kiteboard.cli.sync import run_sync
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.faults import FaultPlan
from kiteboard.emulator.server import EmulatorServer
from kiteboard.store.db import Store
from tests.sync_support import demo_state, expected_board, grow_space, space_id, stored_board

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def world():
    state = demo_state(items=150)
    emulator = Emulator(state)
    with EmulatorServer(emulator) as base_url:
        yield state, emulator, base_url


def sync(monkeypatch, *argv: str, token: str | None = "demo", stdin=None, err=None, **options):
    if token is None:
        monkeypatch.delenv("KITEMAKER_TOKEN", raising=False)
    else:
        monkeypatch.setenv("KITEMAKER_TOKEN", token)
    args = build_parser().parse_args(["sync", *argv])
    err = err or io.StringIO()
    code = run_sync(args, err=err, stdin=stdin or io.StringIO(), client_options=options)
    return code, err.getvalue()


def test_a_first_sync_then_a_second_that_is_already_up_to_date(world, monkeypatch):
    state, emulator, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, "--space", "Platform")
    assert code == 0, out
    assert "Platform: 150 of 150 items" in out and "requests" in out and "rate-limit" in out
    assert "Traceback" not in out
    emulator.stats.reset()
    code, out = sync(monkeypatch, "--base-url", base_url, "--space", "plat")  # by key now
    assert code == 0
    assert "Platform: already up to date — 150 items" in out
    assert emulator.stats.count("GET", "/workitem") == 0
    path = locations.store_file(base_url, state.organization.id)
    with Store.open(path) as store:
        assert stored_board(store, space_id(state, "Platform")) == expected_board(
            state, space_id(state, "Platform")
        )


def test_a_space_named_by_its_key_on_the_very_first_run(world, monkeypatch):
    # Keys are not in /metadata/spaces: the command learns them from comments first.
    _, _emulator, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, "--space", "PLAT")
    assert code == 0, out
    assert "Platform: 150 of 150 items" in out
    assert "Kiteboard" not in out  # only the space asked for was synced


def test_all_spaces(world, monkeypatch):
    _, _, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, "--all")
    assert code == 0
    for name in ("Kiteboard", "Platform", "Design", "Growth"):
        assert f"\n{name}: " in "\n" + out
    assert "4 spaces" in out


def test_no_token_is_exit_3_in_one_line(world, monkeypatch):
    _, _, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, token=None)
    assert code == 3
    assert out.count("\n") == 1 and "KITEMAKER_TOKEN" in out


def test_a_rejected_token_is_exit_3_and_never_shown(world, monkeypatch):
    _, _, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, token="wrong-secret-token")
    assert code == 3
    assert out.count("\n") == 1 and "wrong-secret-token" not in out
    assert "did not accept the API token (from KITEMAKER_TOKEN)" in out


def test_an_unreachable_server_is_exit_1_in_one_line(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/developers/rest/v1"
    code, out = sync(monkeypatch, "--base-url", url, retry=NO_RETRY)
    assert code == 1
    assert out.count("\n") == 1 and "Could not reach Kitemaker" in out


def test_an_unknown_space_is_exit_2(world, monkeypatch):
    _, _, base_url = world
    code, out = sync(monkeypatch, "--base-url", base_url, "--space", "Nowhere")
    assert code == 2
    assert out.count("\n") == 1 and "Nowhere" in out and "Platform" in out


def test_a_space_whose_key_is_unknown_says_how_to_set_it(world, monkeypatch):
    state, _, base_url = world
    grow_space(state, "Growth", 60)
    code, out = sync(monkeypatch, "--base-url", base_url, "--space", "Growth")
    assert code == 0
    assert "Growth: 50 of 86 items" in out
    assert "space_keys" in out and '"Growth" = "KEY"' in out


def test_on_a_terminal_the_key_is_asked_for(world, monkeypatch):
    state, _, base_url = world
    grow_space(state, "Growth", 60)
    err = Terminal()
    code, out = sync(
        monkeypatch,
        "--base-url",
        base_url,
        "--space",
        "Growth",
        stdin=Terminal("WRONG\nGRO\n"),
        err=err,
    )
    assert code == 0
    assert "The key of space “Growth” is needed" in out
    assert "“WRONG” did not find the items of Growth" in out
    assert "Growth: 86 of 86 items" in out
    assert "[" in out and "#" in out  # the progress bar


def test_a_sync_killed_mid_backfill_leaves_a_consistent_store_that_resumes(monkeypatch):
    state = demo_state(items=400)
    emulator = Emulator(state, faults=FaultPlan(latency_ms=15))
    platform = space_id(state, "Platform")
    with EmulatorServer(emulator) as base_url:
        path = locations.store_file(base_url, state.organization.id)
        env = dict(os.environ, KITEMAKER_TOKEN="demo")
        command = [sys.executable, "-m", "kiteboard", "sync", "--base-url", base_url]
        child = subprocess.Popen(
            [*command, "--space", "Platform"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while _loaded(path, platform) < 120:
                assert child.poll() is None, "the sync ended before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.01)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait()
        first_run = emulator.stats.count("GET", "/workitem")

        store = Store.open(path)
        assert store.notice is None and store.read.integrity_ok()
        loaded, total = store.read.counts(platform)
        assert 120 <= loaded < total == 400
        assert all(store.read.item(card.id) is not None for card in store.read.cards(platform))
        store.close()

        code, out = sync(monkeypatch, "--base-url", base_url, "--space", "Platform")
        assert code == 0, out
        second_run = emulator.stats.count("GET", "/workitem") - first_run
        # Resumed: only what was not loaded yet (plus answers lost with the process).
        assert second_run <= 400 - loaded + 4
        with Store.open(path) as store:
            assert stored_board(store, platform) == expected_board(state, platform)


def _loaded(path: Path, space: str) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "SELECT count(*) FROM items WHERE space_id = ? AND loaded = 1", (space,)
            ).fetchone()
            return row[0]
    except sqlite3.Error:
        return 0
