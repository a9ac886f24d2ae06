"""UI benchmarks: how fast kiteboard paints, moves its cursor, and how much memory it needs.

    python benchmarks/bench_ui.py            # everything, 7 runs each (about a minute)
    python benchmarks/bench_ui.py --runs 3   # quicker

What is measured (medians; every figure from this one run, on this machine):

1. Process start to painted board, in a real pseudo-terminal (80x24): the time from
   spawning the process until the terminal receives the first card's reference. Beside
   it, in the same run and measured the same way, a minimal Textual app (one Static).
   - warm store: `kiteboard --space KB` with a token, the store already synced by an
     earlier run (the network side connects after the first paint; here it is the
     emulator on loopback);
   - demo, first run: `kiteboard --demo --space KB` with an empty cache folder (the
     in-process emulator; nothing to paint until the first sync has answered);
   - demo, again: the same with the demo's world kept by an earlier run (its store
     paints the board; the emulator comes back after the first paint);
   - 50-item and 5,000-item boards (warm store, the Platform space).
2. Cursor move: key press to frame written, in-process (Textual's headless driver), on
   a 50-item and a 5,000-item board (the same moves on both, all on screen), and on the
   5,000-item board moving over 40 cards, so that the column scrolls with every key.
3. Triage walk: `L` (move the card, show the next) to the frame that shows the next
   card, in-process, while the emulator holds every answer (before Kitemaker answers).
4. Moving a card on the board (`L`, then `H` back): key press to frame written,
   in-process, on the 5,000-item board connected to the in-process emulator: the card
   is in its new column with the cursor on it (the request goes on in a worker).
5. Peak memory (max RSS) of a process showing the 5,000-item board and moving around.

Python's bytecode cache is on for the processes measured (as for anyone who installed
kiteboard: pip compiles it), even where the environment turns it off
(PYTHONDONTWRITEBYTECODE): Textual's own bytecode is compiled at install, so without
kiteboard's the comparison would charge kiteboard alone for compiling its source
(about 40 ms on every start).

Nothing here touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import fcntl
import os
import pty
import resource
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("MINIMAL-PAINTED")
Minimal().run()
"""


# -- a process in a pseudo-terminal ---------------------------------------------------


def time_to_paint(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0):
    """Seconds from spawn until `marker` appears on the terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = seen[-256:] + chunk
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    if elapsed is None:
        raise RuntimeError(f"{argv} never painted {marker!r}; last output: {seen[-300:]!r}")
    return elapsed


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KITEMAKER", "KITEBOARD")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_DATA_HOME=str(home / ".local/share"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        **extra,
    )
    return env


def warm_home(base: Path, name: str, base_url: str, items: int | None) -> Path:
    """A home folder whose store already holds the demo organization (as a finished
    sync leaves it), found by `kiteboard` without any request."""
    from kiteboard.emulator.demo import build_demo_state
    from kiteboard.store.db import Store
    from tests.ui.demo_store import fill_store

    home = base / name
    env = isolated_env(home)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        from kiteboard import locations

        state = build_demo_state(seed=1, items=items)
        # Remembered as the organization at base_url, as a finished sync leaves it.
        path = locations.organization_store(base_url, state.organization.id)
        store = Store.open(path)
        fill_store(store, state, synced_at=time.time())
        store.close()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return home


def bench_paint(runs: int) -> dict[str, list[float]]:
    from kiteboard.emulator.app import Emulator
    from kiteboard.emulator.demo import build_demo_state
    from kiteboard.emulator.server import EmulatorServer

    python = sys.executable
    results: dict[str, list[float]] = {}
    # As an installed kiteboard has it (see the module's docstring).
    compileall.compile_dir(ROOT / "kiteboard", quiet=1)
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        base = Path(tmp)
        # The emulator the warm runs connect to after their first paint.
        server = EmulatorServer(Emulator(build_demo_state(seed=1), token="demo"))
        base_url = stack.enter_context(server)
        homes = {
            "warm": warm_home(base, "warm", base_url, None),
            "big": warm_home(base, "big", base_url, 5000),
            "small": warm_home(base, "small", base_url, 50),
        }
        kiteboard = [python, "-m", "kiteboard", "--base-url", base_url]
        cases = {
            "minimal Textual app": (
                [python, "-c", MINIMAL_APP],
                b"MINIMAL-PAINTED",
                isolated_env(base / "minimal"),
            ),
            "warm store (KB)": (
                [*kiteboard, "--space", "KB"],
                b"KB-",
                isolated_env(homes["warm"], KITEMAKER_TOKEN="demo"),
            ),
            "--demo, first run (KB)": (
                [python, "-m", "kiteboard", "--demo", "--space", "KB"],
                b"KB-",
                isolated_env(base / "demo-first"),  # emptied before every run
            ),
            "--demo, again (KB)": (
                [python, "-m", "kiteboard", "--demo", "--space", "KB"],
                b"KB-",
                isolated_env(base / "demo-again"),  # the warm-up run made its world
            ),
            "50-item board (PLAT)": (
                [*kiteboard, "--space", "PLAT"],
                b"PLAT-",
                isolated_env(homes["small"], KITEMAKER_TOKEN="demo"),
            ),
            "5,000-item board (PLAT)": (
                [*kiteboard, "--space", "PLAT"],
                b"PLAT-",
                isolated_env(homes["big"], KITEMAKER_TOKEN="demo"),
            ),
        }
        first_demo = Path(cases["--demo, first run (KB)"][2]["HOME"])
        for argv, marker, env in cases.values():  # warm the OS file cache
            Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
            time_to_paint(argv, marker, env)
        for _ in range(runs):  # interleaved, so that drift hits every case alike
            for name, (argv, marker, env) in cases.items():
                if Path(env["HOME"]) == first_demo:
                    shutil.rmtree(first_demo)
                    first_demo.mkdir()
                results.setdefault(name, []).append(time_to_paint(argv, marker, env))
    return results


# -- cursor moves, in-process -----------------------------------------------------------


async def _cursor_latency(items: int | None, moves: int, span: int) -> float:
    from textual import events

    from kiteboard.app import AppOptions, KiteboardApp
    from kiteboard.session.session import Session
    from tests.ui.demo_store import demo_store, fixed_clock

    with tempfile.TemporaryDirectory() as tmp:
        store = demo_store(Path(tmp) / "store.sqlite3", items=items)
        app = KiteboardApp(
            Session(connect=None, open_store=lambda: store),
            AppOptions(space="PLAT", clock=fixed_clock, connect=False),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            while app.screen.model.partial:  # a big space: its whole read, in a thread
                await pilot.pause(0.01)
            # The headless driver skips turning a frame into terminal bytes: do it
            # here, so that the time includes it, and note when a frame is done.
            from textual._compositor import CompositorUpdate

            written = asyncio.Event()
            original_display = app._display

            def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                    written.set()
                original_display(screen, renderable)

            app._display = display  # type: ignore[method-assign]
            times = []
            card_list = app.focused
            direction = "j"
            for _ in range(moves):
                # Down and back up over `span` cards: every key moves the cursor.
                if card_list.cursor >= min(span, len(card_list.cards) - 1):
                    direction = "k"
                elif card_list.cursor == 0:
                    direction = "j"
                await pilot.pause()
                written.clear()
                start = time.perf_counter()
                # The key event as the driver delivers it (Pilot.press adds its own
                # waiting for idleness, which is not what a person waits for).
                app.post_message(events.Key(direction, direction))
                await asyncio.wait_for(written.wait(), 2)
                times.append(time.perf_counter() - start)
            assert len(app.screen.model) == store.read.counts(app.screen.space.id)[1]
        store.close()
    return statistics.median(times)


def bench_cursor(moves: int) -> dict[str, float]:
    # The same moves on both boards: over the first 4 cards of the first column (the
    # 50-item board's Backlog holds 4), all on screen. Then moves that scroll the
    # column at every step, which only the big board has room for.
    return {
        "50 items": asyncio.run(_cursor_latency(50, moves, 3)),
        "5,000 items": asyncio.run(_cursor_latency(5000, moves, 3)),
        "5,000 items, scrolling": asyncio.run(_cursor_latency(5000, moves, 40)),
    }


# -- triage walk decisions, in-process ----------------------------------------------------


async def _walk_latency(items: int | None, decisions: int) -> float:
    """Key (`L`: move the card, show the next) to the frame that shows the next card,
    while Kitemaker holds every answer: what the person waits for is the screen."""
    from textual import events

    from kiteboard.emulator.app import Emulator
    from kiteboard.emulator.demo import build_demo_state
    from kiteboard.ui.screens.walk import WalkScreen
    from kiteboard.ui.widgets.item_detail import ItemDetailView
    from tests.board_world import Kitemaker, connected_app
    from tests.ui.demo_store import demo_store
    from tests.writing_world import RecordingTransport

    kitemaker = Kitemaker()
    kitemaker.emulator = Emulator(build_demo_state(seed=1, items=items))
    kitemaker.transport = RecordingTransport(kitemaker.emulator)
    with tempfile.TemporaryDirectory() as tmp:
        store = demo_store(Path(tmp) / "store.sqlite3", items=items)
        app = connected_app(store, kitemaker)
        async with app.run_test(size=(80, 24)) as pilot:
            while app.session.writer() is None or app.screen.model.partial:
                await pilot.pause(0.01)
            await pilot.press("t")
            while not isinstance(app.screen, WalkScreen):
                await pilot.pause(0.01)
            walk = app.screen
            view = walk.query_one(ItemDetailView)
            kitemaker.transport.hold = asyncio.Event()  # no answer until the end
            from textual._compositor import CompositorUpdate

            written = asyncio.Event()
            original_display = app._display

            def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                    written.set()
                original_display(screen, renderable)

            app._display = display  # type: ignore[method-assign]
            times = []
            count = min(decisions, len(walk.state.item_ids) - 1)
            for index in range(1, count + 1):
                await pilot.pause()
                written.clear()
                start = time.perf_counter()
                app.post_message(events.Key("L", "L"))
                # Frames until the one drawn with the next card in it.
                while True:
                    await asyncio.wait_for(written.wait(), 2)
                    written.clear()
                    if view.item_id == walk.state.item_ids[index]:
                        break
                times.append(time.perf_counter() - start)
            assert kitemaker.transport.writes  # (held: not one answered while measured)
            kitemaker.transport.hold.set()
        store.close()
    return statistics.median(times)


def bench_walk(decisions: int) -> dict[str, float]:
    return {
        "50-item demo (KB)": asyncio.run(_walk_latency(None, decisions)),
        "5,000 items": asyncio.run(_walk_latency(5000, decisions)),
    }


# -- moving a card, in-process ----------------------------------------------------------


async def _move_latency(items: int, moves: int, *, held: bool = True) -> float:
    """`L` / `H` key to the frame written with the card in its new column and the cursor
    on it. ``held``: Kitemaker's answers are held until the end (as the walk's figure:
    what the person waits for is the screen, not the network); else the in-process
    emulator answers at once, on the same event loop, inside the measured frame."""
    from textual import events

    from kiteboard.app import AppOptions, KiteboardApp
    from kiteboard.emulator.app import Emulator
    from kiteboard.emulator.demo import build_demo_state
    from kiteboard.session.session import Connection, Session
    from kiteboard.store.db import Store
    from kiteboard.store.sync import SyncEngine
    from tests.board_world import Kitemaker
    from tests.ui.demo_store import fill_store, fixed_clock
    from tests.writing_world import RecordingTransport

    kitemaker = Kitemaker()
    kitemaker.emulator = Emulator(build_demo_state(seed=1, items=items))
    kitemaker.transport = RecordingTransport(kitemaker.emulator)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "store.sqlite3")
        fill_store(store, kitemaker.state)

        async def connect(_store: Store | None) -> Connection:
            from kiteboard.api.client import KitemakerClient

            client = KitemakerClient(
                "http://emulator.invalid/developers/rest/v1", "demo", transport=kitemaker.transport
            )
            return Connection(store, SyncEngine(client, store), client.aclose)

        session = Session(connect=connect, open_store=lambda: store, refresh_interval=None)
        app = KiteboardApp(session, AppOptions(space="PLAT", clock=fixed_clock))
        async with app.run_test(size=(80, 24)) as pilot:
            while app.screen.model is None or app.screen.model.partial or session.writer() is None:
                await pilot.pause(0.01)
            await app.workers.wait_for_complete()
            if held:
                kitemaker.transport.hold = asyncio.Event()
            from textual._compositor import CompositorUpdate

            written = asyncio.Event()
            original_display = app._display

            def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                    written.set()
                original_display(screen, renderable)

            app._display = display  # type: ignore[method-assign]
            board = app.screen
            card_id = board.current_card_id()
            columns = len(board.model.statuses)
            times = []
            key = "L"
            for _ in range(moves):
                # Across the board and back: every key moves the same card one column.
                index = board.board.focused_index()
                if index == columns - 1:
                    key = "H"
                elif index == 0:
                    key = "L"
                if not held:
                    await app.workers.wait_for_complete()  # the last move's answer is in
                await pilot.pause()
                written.clear()
                start = time.perf_counter()
                app.post_message(events.Key(key, key))
                await asyncio.wait_for(written.wait(), 2)
                times.append(time.perf_counter() - start)
                assert board.current_card_id() == card_id  # the cursor went with the card
            if held:
                kitemaker.transport.hold.set()
                await app.workers.wait_for_complete()
            assert len(board.model) == items
        store.close()
    return statistics.median(times)


def bench_move(moves: int) -> dict[str, float]:
    return {
        "answers held": asyncio.run(_move_latency(5000, moves)),
        "answered at once": asyncio.run(_move_latency(5000, moves, held=False)),
    }


# -- peak memory, in a child process --------------------------------------------------


async def _memory_child() -> None:
    from kiteboard.app import AppOptions, KiteboardApp
    from kiteboard.session.session import Session
    from tests.ui.demo_store import demo_store, fixed_clock

    with tempfile.TemporaryDirectory() as tmp:
        store = demo_store(Path(tmp) / "store.sqlite3", items=5000)
        app = KiteboardApp(
            Session(connect=None, open_store=lambda: store),
            AppOptions(space="PLAT", clock=fixed_clock, connect=False),
        )
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            await pilot.press("G", "l", "G", "l", "slash", *"data", "enter", "escape", "enter")
            await pilot.pause()
        store.close()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB -> MiB


def bench_memory() -> float:
    output = subprocess.run(
        [sys.executable, __file__, "--memory-child"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return float(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="paint runs per case")
    parser.add_argument("--moves", type=int, default=120, help="cursor moves per board")
    parser.add_argument("--only-move", action="store_true", help="only the card move (L)")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        asyncio.run(_memory_child())
        return 0
    if args.only_move:
        for name, seconds in bench_move(min(args.moves, 60)).items():
            print(f"Moving a card (L / H), {name}: {seconds * 1000:.2f} ms median")
        return 0

    print(f"kiteboard UI benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs")
    paint = bench_paint(args.runs)
    minimal = paint["minimal Textual app"]
    print(f"\nProcess start to painted screen (median of {args.runs}, 80x24 pty):")
    print("  (× minimal: the median of each round's ratio, and its range; the rounds")
    print("  run every case in turn, so that a slow moment of the machine hits them alike)")
    for name, times in paint.items():
        ratio = ""
        if not name.startswith("minimal"):
            ratios = sorted(t / m for t, m in zip(times, minimal, strict=True))
            ratio = (
                f"  ({statistics.median(ratios):.2f}× minimal, {ratios[0]:.2f}–{ratios[-1]:.2f})"
            )
        print(f"  {name:<26} {statistics.median(times) * 1000:7.0f} ms{ratio}")
    big, small = paint["5,000-item board (PLAT)"], paint["50-item board (PLAT)"]
    growth = sorted(b / s - 1 for b, s in zip(big, small, strict=True))
    print(
        f"  5,000 vs 50 items: {statistics.median(growth) * 100:+.1f}%"
        f" (rounds: {growth[0] * 100:+.1f}% to {growth[-1] * 100:+.1f}%)"
    )

    cursor = bench_cursor(args.moves)
    print(f"\nCursor move, key to frame written (median of {args.moves}, in-process):")
    for name, seconds in cursor.items():
        print(f"  {name:<26} {seconds * 1000:7.2f} ms")

    walk = bench_walk(args.moves)
    print("\nTriage walk, `L` to the frame showing the next card (median, answers held):")
    for name, seconds in walk.items():
        print(f"  {name:<26} {seconds * 1000:7.2f} ms")

    move = bench_move(min(args.moves, 60))
    print("\nMoving a card on the board (L / H), key to frame written (median, 5,000 items):")
    for name, seconds in move.items():
        print(f"  {name:<26} {seconds * 1000:7.2f} ms")

    print(f"\nPeak memory with 5,000 items: {bench_memory():.0f} MiB (max RSS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
