"""The command line's parser and its one way of failing.

`kiteboard [options]` is read without building the subcommands' parsers; whatever it
reads must be exactly what the whole parser reads, and mistakes get its messages. Any
error a command meets ends as one line on stderr and the exit code the README lists."""

from __future__ import annotations

import errno
import sqlite3

import pytest

import kiteboard.cli.sync
from kiteboard.api.errors import AuthError, NetworkError
from kiteboard.cli.main import build_parser, main, parse_args
from kiteboard.config import MissingTokenError, load_settings
from kiteboard.exit_codes import EXIT_USAGE
from kiteboard.failures import GET_TOKEN, explain
from kiteboard.ui.errors import describe_error
from kiteboard.ui.screens.first_run import WELCOME


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--space", "KB"],
        ["--space", "sync"],  # a value that is also a command's name
        ["--config", "c.toml", "--profile", "work", "--base-url", "http://x", "--space", "K"],
        ["--reset-demo", "--space=Platform"],
        ["sync", "--all"],
        ["emulator", "--port", "9000"],
    ],
)
def test_the_quick_reading_is_the_whole_parsers(argv):
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--space"], "argument --space: expected one argument"),
        (["board"], "invalid choice: 'board'"),
    ],
)
def test_mistakes_get_the_whole_parsers_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "c.toml", "--profile", "work", "--base-url", "https://x/y", "init"],
        ["init", "--config", "c.toml", "--profile", "work", "--base-url", "https://x/y"],
        ["--config", "c.toml", "init", "--profile", "work", "--base-url", "https://x/y"],
    ],
)
def test_global_options_before_or_after_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.command, args.config, args.profile, args.base_url) == (
        "init",
        "c.toml",
        "work",
        "https://x/y",
    )


@pytest.mark.parametrize("command", [["sync"], ["emulator"]])
def test_global_options_after_every_command(command):
    args = build_parser().parse_args([*command, "--profile", "work", "--config", "c.toml"])
    assert (args.profile, args.config) == ("work", "c.toml")
    args = build_parser().parse_args(["--profile", "work", *command])
    assert args.profile == "work"


def test_a_config_error_anywhere_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text('\n\nrefresh_interval = "fast"\n', encoding="utf-8")
    path.chmod(0o600)
    import kiteboard.cli.init

    # Any command that loads settings: the error reaches main() and becomes one line.
    def command(args):
        load_settings(config_path=args.config, profile=args.profile, base_url=args.base_url)
        return 0

    monkeypatch.setattr(kiteboard.cli.init, "run_init", command)
    assert main(["init", "--config", str(path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    expected = f'{path}:3: refresh_interval: expected a number of seconds, got "fast"\n'
    assert err == f"kiteboard init: {expected}"
    # The app itself too, before any screen is shown.
    assert main(["--config", str(path)]) == EXIT_USAGE
    assert capsys.readouterr().err == f"kiteboard: {expected}"


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (NetworkError("Could not reach Kitemaker: connection refused"), 1, "Could not reach"),
        (AuthError(), 3, "Kitemaker did not accept the API token. To get one: in Kitemaker"),
        (sqlite3.OperationalError("database or disk is full"), 1, "the disk is full"),
        (OSError(errno.ENOSPC, "No space left on device", "/x/s.db"), 1, "/x/s.db: the disk"),
        (MissingTokenError(None, None, None, "no token: set KITEMAKER_TOKEN"), 3, "no token"),
        (KeyboardInterrupt(), 130, None),
    ],
)
def test_every_failure_a_command_meets_is_one_line_and_its_exit_code(
    error, code, words, monkeypatch, capsys
):
    def command(args):
        raise error

    monkeypatch.setattr(kiteboard.cli.sync, "run_sync", command)
    assert main(["sync"]) == code
    err = capsys.readouterr().err
    if words is None:
        assert err == ""
    else:
        assert err.startswith("kiteboard sync: ") and err.count("\n") == 1 and words in err


def test_a_bug_keeps_its_traceback(monkeypatch):
    def command(args):
        raise ZeroDivisionError("a bug, not a failure to explain")

    monkeypatch.setattr(kiteboard.cli.sync, "run_sync", command)
    with pytest.raises(ZeroDivisionError):
        main(["sync"])


def test_the_app_and_the_command_line_use_the_same_words():
    title, text, fatal = describe_error(AuthError())
    assert (title, fatal) == ("Token rejected", True)
    assert text.startswith(explain(AuthError()).line)
    assert GET_TOKEN in text and GET_TOKEN in WELCOME.plain
