"""Sync and store figures (printed, not asserted): `python benchmarks/bench_sync.py`.

1. Cold sync of a 2,000-item emulated space over loopback HTTP, the server limited to
   20 requests/s with 50 ms latency, through GraphQL (one `organization` query and a
   `workItems` page per 50 items) and through REST (the feed, then a backfill by
   number), side by side: requests, 429s, wall time, and the ratio to the minimum the
   rate limit allows (successful requests ÷ rate).
2. Warm load of a 5,000-item board from the store: Store.open + read.cards(), in this process
   and in a fresh one (imports included, as the app's first paint pays them).
3. Requests for a refresh of an unchanged space.

Options: --items N (cold sync size, 2000), --rate R (20), --latency-ms L (50),
--warm-items N (5000), --skip-cold, --source graphql|rest|both (both).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiteboard.api.client import KitemakerClient  # noqa: E402
from kiteboard.api.graphql_client import GraphQLClient  # noqa: E402
from kiteboard.api.retry import RetryPolicy  # noqa: E402
from kiteboard.api.urls import graphql_url  # noqa: E402
from kiteboard.emulator.app import Emulator  # noqa: E402
from kiteboard.emulator.demo import build_demo_state  # noqa: E402
from kiteboard.emulator.faults import FaultPlan  # noqa: E402
from kiteboard.emulator.server import EmulatorServer  # noqa: E402
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport  # noqa: E402
from kiteboard.store.db import Store  # noqa: E402
from kiteboard.store.pacing import AdaptivePacer  # noqa: E402
from kiteboard.store.sync import SyncEngine  # noqa: E402


def platform_id(state) -> str:
    return next(s.id for s in state.spaces.values() if s.name == "Platform")


async def cold_sync(
    items: int, rate: float, latency_ms: float, folder: Path, source: str
) -> tuple[int, int, float]:
    """(requests, 429s, seconds) of one cold sync through `source` ("graphql", "rest")."""
    state = build_demo_state(items=items)
    emulator = Emulator(state, rate_limit=rate, faults=FaultPlan(latency_ms=latency_ms))
    with EmulatorServer(emulator) as base_url:
        pacer = AdaptivePacer()
        retry = RetryPolicy(max_attempts=8, max_total_wait=120.0)
        client = KitemakerClient(base_url, "demo", pacer=pacer, retry=retry)
        graphql = None
        if source == "graphql":
            graphql = GraphQLClient(graphql_url(base_url), "demo", pacer=pacer, retry=retry)
        async with client:
            engine = SyncEngine(
                client, Store.open(folder / f"cold-{source}.sqlite3"), graphql=graphql
            )
            started = time.monotonic()
            await engine.sync_spaces()
            report = await engine.sync_space(platform_id(state))
            wall = time.monotonic() - started
            sent = client.stats.requests + (graphql.stats.requests if graphql else 0)
            limited = client.stats.rate_limited + (graphql.stats.rate_limited if graphql else 0)
            needed = sent - limited
            minimum = needed / rate
            print(
                f"cold sync through {source}, {items:,}-item space, {rate:g} req/s limit, "
                f"{latency_ms:g} ms:"
            )
            print(f"  items loaded        {report.loaded:,} of {report.total:,}")
            print(f"  requests            {sent:,} ({limited:,} answered 429)")
            print(f"  wall time           {wall:.1f} s")
            print(f"  minimum             {minimum:.1f} s ({needed:,} requests ÷ {rate:g}/s)")
            print(f"  ratio               {wall / minimum:.3f}")
            print(f"  pacer's final rate  {pacer.rate or 0:.1f} req/s")

            emulator.stats.reset()
            await engine.refresh(platform_id(state))
            print(f"  unchanged refresh   {emulator.stats.requests} requests (REST's feed)")
            engine.store.close()
            if graphql is not None:
                await graphql.aclose()
            return sent, limited, wall


async def build_warm_store(items: int, path: Path) -> str:
    state = build_demo_state(items=items)
    emulator = Emulator(state)
    client = KitemakerClient(DEMO_BASE_URL, "demo", transport=EmulatorTransport(emulator))
    async with client:
        engine = SyncEngine(client, Store.open(path), concurrency=8)
        await engine.sync_spaces()
        space = platform_id(state)
        await engine.sync_space(space)
        engine.store.close()
    return space


FRESH_PROCESS = """
import sys, time
t0 = time.perf_counter()
from kiteboard.store.db import Store
t1 = time.perf_counter()
store = Store.open(sys.argv[1])
cards = store.read.cards(sys.argv[2])
t2 = time.perf_counter()
assert len(cards) == int(sys.argv[3])
print(f"{(t1 - t0) * 1000:.1f} {(t2 - t1) * 1000:.1f}")
"""


def warm_load(items: int, folder: Path) -> None:
    path = folder / "warm.sqlite3"
    began = time.monotonic()
    space = asyncio.run(build_warm_store(items, path))
    print(f"warm load, {items:,}-item board (store built in {time.monotonic() - began:.0f} s):")
    times = []
    for _ in range(7):
        start = time.perf_counter()
        store = Store.open(path)
        cards = store.read.cards(space)
        times.append((time.perf_counter() - start) * 1000)
        store.close()
    assert len(cards) == items, len(cards)
    print(
        f"  Store.open + cards(), in process: median {statistics.median(times):.1f} ms, "
        f"first {times[0]:.1f} ms"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", FRESH_PROCESS, str(path), space, str(items)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    imports, load = min(runs, key=lambda r: r[0] + r[1])
    print(f"  fresh process: import {imports:.1f} ms + Store.open + cards() {load:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--warm-items", type=int, default=5000)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--source", choices=("graphql", "rest", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiteboard-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_cold:
            sources = ("graphql", "rest") if args.source == "both" else (args.source,)
            figures = {
                source: asyncio.run(
                    cold_sync(args.items, args.rate, args.latency_ms, folder, source)
                )
                for source in sources
            }
            if len(figures) == 2:
                print(f"side by side, {args.items:,} items:   requests   429s   seconds")
                for source, (sent, limited, wall) in figures.items():
                    print(f"  {source:<28}{sent:>8,}{limited:>7,}{wall:>10.1f}")
        warm_load(args.warm_items, folder)


if __name__ == "__main__":
    main()
