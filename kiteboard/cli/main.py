"""The parser and the dispatch of every command, and `fail`: any error, one line.

Heavy modules (textual, httpx, pydantic) are imported inside the command that needs
them, so `kiteboard --version` and `--help` answer at once and the TUI's first paint
is not held up by what it does not use.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from kiteboard import __version__
from kiteboard.exit_codes import EXIT_INTERRUPTED

if TYPE_CHECKING:
    from pathlib import Path

PROG = "kiteboard"
COMMANDS = ("emulator", "sync", "init")


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options that work before or after a command's name.

    They are added to the top parser and to every sub-parser; in sub-parsers their
    default is SUPPRESS so that a value given before the command is not overwritten.
    """
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config", metavar="PATH", default=default, help="config file (default: platform's)"
    )
    parser.add_argument("--profile", metavar="NAME", default=default, help="account profile")
    parser.add_argument(
        "--base-url", metavar="URL", default=default, help="Kitemaker REST base URL"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; the subcommands' parsers are built only when they may be needed
    (building them costs ~2.5 ms of every start). A plain `kiteboard [options]` is read
    by the app's own options; anything else (a command, help, a mistake) by the whole
    parser, whose messages and help list everything."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(arg in COMMANDS or arg in ("-h", "--help", "--version") for arg in args):
        quick = _app_parser(exit_on_error=False)
        quick.set_defaults(command=None)
        try:
            found, extra = quick.parse_known_args(args)
        except argparse.ArgumentError:
            extra = ["(error)"]
        if not extra:
            return found
    return build_parser().parse_args(args)


def _app_parser(*, exit_on_error: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A keyboard-first terminal client for Kitemaker.",
        epilog="The token comes from KITEMAKER_TOKEN or the config file (see `kiteboard init`).",
        exit_on_error=exit_on_error,
    )
    parser.add_argument("--version", action="version", version=f"kiteboard {__version__}")
    _add_global_options(parser, suppress=False)
    parser.add_argument(
        "--space", metavar="NAME|KEY|ID", default=None, help="open this space's board"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a built-in emulator with demo data (no account needed)",
    )
    parser.add_argument(
        "--reset-demo",
        action="store_true",
        help="run the demo from its original data (it keeps your changes between runs)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _app_parser()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    emulator = commands.add_parser(
        "emulator", help="serve the Kitemaker API emulator over HTTP on loopback"
    )
    _add_global_options(emulator, suppress=True)
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8765)
    emulator.add_argument("--token", default="demo", help="the token clients must send")
    emulator.add_argument("--items", type=int, default=None, help="items in the large space")
    emulator.add_argument("--seed", type=int, default=1)
    emulator.add_argument("--latency-ms", type=int, default=0)
    emulator.add_argument(
        "--rate-limit", type=float, default=None, help="requests per second (default: none)"
    )
    emulator.add_argument(
        "--graphql",
        choices=("on", "off"),
        default="on",
        help="serve the GraphQL API at /developers/graphql (off: it answers 404 there)",
    )
    emulator.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (the emulator has no real security)",
    )

    sync = commands.add_parser("sync", help="sync spaces into the local store, headless")
    _add_global_options(sync, suppress=True)
    which = sync.add_mutually_exclusive_group()
    which.add_argument("--space", metavar="NAME|KEY|ID", default=None)
    which.add_argument("--all", action="store_true", help="every space")

    init = commands.add_parser("init", help="set up an account profile in the config file")
    _add_global_options(init, suppress=True)
    return parser


def fail(
    error: BaseException,
    *,
    prog: str = PROG,
    where: Path | str | None = None,
    then: str = "",
    err: TextIO | None = None,
) -> int:
    """Say what went wrong in one line on stderr (no traceback) and return its exit code.

    The words are `kiteboard.failures.explain`'s (the app shows the same); `where` is
    what was in use (the store file, the token's origin), `then` what happens next
    ("what was loaded is kept"), from the command that knows it.
    """
    from kiteboard.failures import explain

    failure = explain(error, where=where)
    line = failure.line + (f". {then}" if then else "")
    print(f"{prog}: {line}", file=err or sys.stderr)
    return failure.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    prog = f"{PROG} {args.command}" if args.command else PROG
    try:
        if args.command == "emulator":
            from kiteboard.cli.emulator import run_emulator

            return run_emulator(args)
        if args.command == "sync":
            from kiteboard.cli.sync import run_sync

            return run_sync(args)
        if args.command == "init":
            from kiteboard.cli.init import run_init

            return run_init(args)
        from kiteboard.ui.run import run_app

        return run_app(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        # A bad config, a missing token, the server, the disk: one line and its code.
        # Anything else is a bug, whose traceback is worth more than a line.
        from kiteboard.failures import explain

        if not explain(error).expected:
            raise
        return fail(error, prog=prog)
