"""`kiteboard emulator`: serve the demo organization over HTTP until Ctrl+C."""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from kiteboard.api.urls import graphql_url
from kiteboard.emulator.app import DEFAULT_TOKEN, Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.faults import FaultPlan
from kiteboard.emulator.server import EmulatorServer
from kiteboard.exit_codes import EXIT_ERROR, EXIT_OK, EXIT_USAGE


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # any other name may resolve anywhere


def _wait_forever() -> None:
    threading.Event().wait()


def run_emulator(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    wait: Callable[[], None] | None = None,
) -> int:
    """Serve until Ctrl+C (or SIGTERM); `wait` is the pause, replaceable in tests."""
    wait = wait or _wait_forever
    out = out or sys.stdout
    err = err or sys.stderr
    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"kiteboard emulator: refusing to listen on {args.host!r}, which is not a"
            " loopback address; the emulator has no real security. Pass --allow-remote"
            " if you mean it.",
            file=err,
        )
        return EXIT_USAGE
    problem = _check_numbers(args)
    if problem:
        print(f"kiteboard emulator: {problem}", file=err)
        return EXIT_USAGE
    state = build_demo_state(seed=args.seed, items=args.items)
    emulator = Emulator(
        state,
        token=args.token,
        rate_limit=args.rate_limit,
        faults=FaultPlan(latency_ms=args.latency_ms),
        graphql=getattr(args, "graphql", "on") != "off",
    )
    server = EmulatorServer(emulator, args.host, args.port, log=err)
    try:
        base_url = server.start()
    except OSError as error:
        print(f"kiteboard emulator: cannot listen on {args.host}:{args.port}: {error}", file=err)
        return EXIT_ERROR
    # The token is a secret: shown only when it is the well-known demo default.
    shown_token = DEFAULT_TOKEN if args.token == DEFAULT_TOKEN else "<TOKEN>"
    spaces = ", ".join(
        f"{s.name} ({s.key}, {len(s.item_ids)} items)" for s in state.spaces.values()
    )
    print(f"Kitemaker emulator: {state.organization.name} — {spaces}", file=out)
    print(f"Base URL: {base_url}", file=out)
    print(f'Try:      curl -H "X-API-KEY: {shown_token}" {base_url}/organization', file=out)
    if emulator.graphql:
        print(f"GraphQL:  {graphql_url(base_url)} (Authorization: Bearer <token>)", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)
    previous = _raise_on_sigterm()
    try:
        wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("Emulator stopped.", file=out, flush=True)
    return EXIT_OK


def _check_numbers(args: argparse.Namespace) -> str | None:
    if not 0 <= args.port <= 65535:
        return f"--port must be 0..65535, not {args.port}"
    if args.items is not None and args.items < 0:
        return f"--items must not be negative, not {args.items}"
    if args.latency_ms < 0:
        return f"--latency-ms must not be negative, not {args.latency_ms}"
    if args.rate_limit is not None and args.rate_limit <= 0:
        return (
            f"--rate-limit must be a positive number of requests per second, not {args.rate_limit}"
        )
    if not args.token:
        return "--token must not be empty"
    return None


def _raise_on_sigterm() -> signal.Handlers | Callable[..., object] | int | None:
    """Let `kill PID` stop the server as cleanly as Ctrl+C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
