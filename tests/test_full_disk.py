"""A cache disk that fills up while a form is open: the app stays up, says once that
the store cannot be written and where, keeps the form and what is typed, and sends it.
The store's writes fail at the store's seam (its local state and what the writer
keeps), and once on a real 8 MB filesystem filled to the brim where the machine lets
us mount one."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input

from kiteboard.ui.screens.forms import WorkItemForm
from tests.pilot_support import record_notifications, wait_until
from tests.test_forms import message, new_item_app, titled, type_text
from tests.writing_world import World, make_world

SIZE = (100, 34)


def disk_full(*_args: object, **_kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


async def type_and_send_on_a_full_disk(world: World, monkeypatch) -> None:
    app = new_item_app(world)
    async with app.run_test(size=SIZE) as pilot:
        said = record_notifications(app, monkeypatch)
        form = app.screen
        assert isinstance(form, WorkItemForm)
        await type_text(pilot, "Written on a full disk")
        # The draft is written after half a second of quiet typing: it fails.
        await wait_until(pilot, lambda: "cannot write" in message(app))
        assert app.is_running and app.screen is form  # up, the form open
        assert form.query_one("#title", Input).value == "Written on a full disk"
        assert str(world.store.path) in message(app) and "disk is full" in message(app)
        await type_text(pilot, "!")  # more typing, more failed drafts: said once
        await wait_until(pilot, lambda: form._pending is None)
        assert len([x for x in said if "cannot write" in x[1]]) == 1
        assert world.store.read.spaces()  # reads keep working
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(app.results))
        await app.workers.wait_for_complete()
    (item,) = titled(world, "Written on a full disk!")
    assert app.results == [item.id]  # sent, once, and the form closed on it


async def test_a_full_disk_keeps_the_form_and_still_sends_it(tmp_path, monkeypatch) -> None:
    world = await make_world(tmp_path / "store.db")
    for write in ("save_draft", "clear_draft", "set_value"):
        monkeypatch.setattr(world.store.local, write, disk_full)
    for write in ("upsert_item", "add_comments"):
        monkeypatch.setattr(world.store.write, write, disk_full)
    await type_and_send_on_a_full_disk(world, monkeypatch)


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs (root only; skipped where the machine does not allow it)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()
    # The last blocks, a little at a time.
    with contextlib.suppress(OSError), open(folder / "filler-tail", "wb", buffering=0) as tail:
        while True:
            tail.write(b"\0" * 512)
    probe = folder / "probe"
    with pytest.raises(OSError) as full:
        probe.write_bytes(b"\0" * 4096)
    assert full.value.errno == errno.ENOSPC


async def test_on_a_real_full_filesystem_the_form_is_kept_and_sent(small_disk, monkeypatch):
    world = await make_world(small_disk / "store.db")
    fill(small_disk)
    try:
        await type_and_send_on_a_full_disk(world, monkeypatch)
    finally:
        world.store.close()
        os.remove(small_disk / "filler")
