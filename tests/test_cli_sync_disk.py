"""`kiteboard sync` on a full disk: one line saying what failed and where (the store's
file), exit 1, no traceback; and the store it leaves is the one it had, not rebuilt."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kiteboard import locations
from kiteboard.cli.main import main
from kiteboard.config.errors import display_path
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.server import EmulatorServer
from kiteboard.store import db
from tests.sync_support import demo_state

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setenv("KITEMAKER_TOKEN", "demo")
    state = demo_state(items=150)
    with EmulatorServer(Emulator(state)) as base_url:
        yield state, base_url


def a_disk_that_fills_up(monkeypatch) -> None:
    """Every store opened from now on is full: SQLite itself answers the first write
    that needs room with SQLITE_FULL ("database or disk is full"), as on a full disk."""
    real_connect = db.connect

    def connect(path):
        conn, notice = real_connect(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn, notice

    monkeypatch.setattr(db, "connect", connect)


def test_a_full_disk_is_one_line_naming_the_store_and_exit_1(world, monkeypatch, capsys):
    state, base_url = world
    a_disk_that_fills_up(monkeypatch)
    assert main(["sync", "--base-url", base_url, "--all"]) == 1
    err = capsys.readouterr().err
    store = locations.store_file(base_url, state.organization.id)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"kiteboard sync: cannot write {display_path(store)}: the disk is full")
    assert "What was loaded is kept" in err


def test_no_room_for_the_store_file_itself_is_one_line_and_exit_1(world, monkeypatch, capsys):
    state, base_url = world

    def no_room(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(db, "connect", no_room)
    assert main(["sync", "--base-url", base_url, "--all"]) == 1
    err = capsys.readouterr().err
    store = locations.store_file(base_url, state.organization.id)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"cannot write {display_path(store)}: the disk is full" in err


# -- the real thing: a small filesystem that fills up -------------------------------


@pytest.fixture
def small_filesystem(tmp_path):
    """A 2 MB tmpfs (as root, where the machine allows mounting): else the test skips."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root on Linux")
    mounted = subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=2m",
            f"kiteboard-{uuid.uuid4().hex[:8]}",
            str(mount_point),
        ],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_sync_on_a_filesystem_that_fills_up(small_filesystem, tmp_path):
    state = demo_state(items=3000)  # far more than 2 MB of store
    cache = small_filesystem / "cache"
    env = dict(
        os.environ,
        KITEMAKER_TOKEN="demo",
        XDG_CACHE_HOME=str(cache),
        PYTHONPATH=str(ROOT),
    )
    with EmulatorServer(Emulator(state)) as base_url:
        command = [sys.executable, "-m", "kiteboard", "sync", "--base-url", base_url]
        done = subprocess.run(
            [*command, "--space", "Platform"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    last = lines[-1]
    assert last.startswith("kiteboard sync: cannot write "), last
    assert str(cache) in last and "the disk is full" in last
