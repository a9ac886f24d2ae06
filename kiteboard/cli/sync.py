"""`kiteboard sync`: fill the local store headless (from cron, or before going offline).

    kiteboard sync [--base-url URL] [--space NAME|KEY|ID | --all]

Without --space or --all: the profile's default_space, else every space. Progress goes
to stderr (a bar on a terminal, a line per 10% otherwise), then one summary line per
space. Exit codes (as every command): 0 done, 1 the server or the network failed (what
was loaded is kept; the next run resumes), 2 bad arguments or config, 3 the token is
missing or was rejected, 130 interrupted. Errors are one line, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any, TextIO

from kiteboard.cli.main import fail
from kiteboard.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from kiteboard.store.rows import SpaceRow, SyncStatus
from kiteboard.store.space_lookup import find_space

PROG = "kiteboard sync"
RESUME = "What was loaded is kept; run again to resume"
KEPT = "What was loaded is kept"


class _Exit(Exception):
    """A failure of the command itself (an unknown space): its message and code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Failed(Exception):
    """An error to be said by `fail`, with what was in use when it happened."""

    def __init__(self, error: BaseException, where: object = None, then: str = "") -> None:
        super().__init__(str(error))
        self.error = error
        self.where = where
        self.then = then


def plain(text: object) -> str:
    """Text from the server, safe for a terminal: control, format (bidi, zero-width)
    and escape characters become U+FFFD."""
    return "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in str(text))


def run_sync(
    args: argparse.Namespace,
    *,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
    transport: Any = None,
    client_options: dict[str, Any] | None = None,
) -> int:
    """``transport`` and ``client_options`` (KitemakerClient keywords) are for tests."""
    err = err or sys.stderr
    stdin = stdin or sys.stdin
    from kiteboard.config import ConfigError, load_settings

    try:
        settings = load_settings(
            config_path=getattr(args, "config", None),
            profile=getattr(args, "profile", None),
            base_url=getattr(args, "base_url", None),
        )
        token = settings.token  # KITEMAKER_TOKEN, the profile's token or token_command
    except ConfigError as error:
        return fail(error, prog=PROG, err=err)
    for warning in settings.warnings:
        print(f"{PROG}: warning: {warning}", file=err)
    try:
        options = {"transport": transport, **(client_options or {})}
        return asyncio.run(_sync(args, settings, token, err, stdin, options))
    except _Exit as failure:
        print(f"{PROG}: {failure.message}", file=err)
        return failure.code
    except _Failed as failed:
        return fail(failed.error, prog=PROG, where=failed.where, then=failed.then, err=err)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; what was loaded is kept, the next run resumes", file=err)
        return EXIT_INTERRUPTED


async def _sync(
    args: argparse.Namespace,
    settings: Any,
    token: Any,
    err: TextIO,
    stdin: TextIO,
    client_options: dict[str, Any],
) -> int:
    from kiteboard import locations
    from kiteboard.api.client import KitemakerClient
    from kiteboard.api.errors import AuthError, KitemakerError
    from kiteboard.api.retry import RetryPolicy
    from kiteboard.store.db import Store
    from kiteboard.store.pacing import AdaptivePacer
    from kiteboard.store.sync import SyncEngine

    options: dict[str, Any] = {
        "pacer": AdaptivePacer(),
        # A backfill outlasts a rate limit or a hiccup rather than giving up on an item.
        "retry": RetryPolicy(max_attempts=6, max_total_wait=60.0),
        **client_options,
    }
    client = KitemakerClient(settings.base_url, token, **options)
    started = time.monotonic()
    async with client:
        try:
            organization = await client.organization()
            path: Path | None = None
            try:
                # The app's store for this account, found by the app offline as well.
                path = locations.organization_store(
                    settings.base_url, organization.id, settings.profile
                )
                store = Store.open(path)
            except (sqlite3.Error, OSError) as error:  # no room, no permission
                raise _Failed(error, where=path, then=KEPT) from None
            if store.notice:
                print(f"{PROG}: {store.notice}", file=err)
            try:
                engine = SyncEngine(client, store, space_keys=settings.space_keys)
                spaces = await engine.sync_spaces()
                chosen = await _choose(spaces, args, settings, engine)
                progress = _Progress(err)
                engine.events.subscribe(progress.on_event)
                interactive = stdin.isatty() and err.isatty()
                resolver = _terminal_resolver(err, stdin) if interactive else None
                for space in chosen:
                    await _sync_one(engine, client, space, progress, resolver, err)
            except (sqlite3.Error, OSError) as error:  # the disk filled up, say
                raise _Failed(error, where=path, then=KEPT) from None
            finally:
                store.close()
        except AuthError as error:
            raise _Failed(error, where=getattr(settings, "token_origin", None)) from None
        except KitemakerError as error:
            raise _Failed(error, then=RESUME) from None
    if len(chosen) > 1:
        print(
            f"{len(chosen)} spaces, {client.stats.requests:,} requests, "
            f"{client.stats.rate_limited:,} rate-limit waits answered, "
            f"{time.monotonic() - started:.1f} s",
            file=err,
        )
    return EXIT_OK


async def _sync_one(
    engine: Any, client: Any, space: SpaceRow, progress: _Progress, resolver: Any, err: TextIO
) -> None:
    began = time.monotonic()
    requests, limited = client.stats.requests, client.stats.rate_limited
    progress.start(space)
    try:
        report = await engine.sync_space(space.id, key_resolver=resolver)
    finally:
        progress.stop()  # a failure's line then starts on a line of its own
    took = time.monotonic() - began
    sent = client.stats.requests - requests
    waits = client.stats.rate_limited - limited
    name = plain(space.name)
    if report.up_to_date:
        line = (
            f"{name}: already up to date — {report.total:,} items, {sent:,} requests, {took:.1f} s"
        )
    else:
        parts = [f"{report.added:,} new", f"{report.changed:,} changed"]
        if report.removed:
            parts.append(f"{report.removed:,} removed")
        if report.fetched:
            parts.append(f"{report.fetched:,} loaded by number")
        line = (
            f"{name}: {report.loaded:,} of {report.total:,} items ({', '.join(parts)}), "
            f"{sent:,} requests, {waits:,} rate-limit waits answered, {took:.1f} s"
        )
    print(line, file=err)
    if report.message:
        print(f"  {plain(report.message)}", file=err)


async def _choose(
    spaces: list[SpaceRow], args: argparse.Namespace, settings: Any, engine: Any
) -> list[SpaceRow]:
    wanted = getattr(args, "space", None)
    if getattr(args, "all", False) or (wanted is None and not settings.default_space):
        return spaces
    wanted = wanted or settings.default_space
    if (found := await find_space(engine, wanted)) is not None:
        return [found]
    names = ", ".join(plain(s.name) for s in spaces) or "none"
    raise _Exit(
        EXIT_USAGE,
        f"no space named “{plain(wanted)}” (by name, key or id). Spaces: {names}.",
    )


def _terminal_resolver(err: TextIO, stdin: TextIO) -> Any:
    async def ask(space: SpaceRow, rejected: str | None) -> str | None:
        if rejected:
            print(f"“{plain(rejected)}” did not find the items of {plain(space.name)}.", file=err)
        err.write(
            f"\nThe key of space “{plain(space.name)}” is needed to load its older items: "
            "the prefix of its item references (as in KEY-12). Key (Enter to skip): "
        )
        err.flush()
        line = await asyncio.to_thread(stdin.readline)
        return line.strip() or None

    return ask


class _Progress:
    """A progress bar on a terminal; else a plain line at every 10%."""

    WIDTH = 30

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._tty = err.isatty()
        self._space: SpaceRow | None = None
        self._shown = False
        self._last_tenth = -1

    def start(self, space: SpaceRow) -> None:
        self._space = space
        self._last_tenth = -1

    def stop(self) -> None:
        if self._shown:
            self._err.write("\r\x1b[2K")
            self._err.flush()
        self._shown = False
        self._space = None

    def on_event(self, event: Any) -> None:
        status: SyncStatus | None = getattr(event, "status", None)
        if self._space is None or status is None or event.space_id != self._space.id:
            return
        if status.state != "syncing" or not status.total:
            return
        name = plain(self._space.name)
        count = f"{status.loaded:,} of {status.total:,}"
        if self._tty:
            done = int(self.WIDTH * status.loaded / status.total)
            bar = "#" * done + "-" * (self.WIDTH - done)
            self._err.write(f"\r\x1b[2K{name}: [{bar}] {count}")
            self._err.flush()
            self._shown = True
            return
        tenth = 10 * status.loaded // status.total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            print(f"{name}: {count} items loaded", file=self._err)
