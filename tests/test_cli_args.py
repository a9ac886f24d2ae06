"""`kiteboard [options]` is read without building the subcommands' parsers; whatever it
reads must be exactly what the whole parser reads, and mistakes get its messages."""

from __future__ import annotations

import pytest

from kiteboard.__main__ import build_parser, parse_args


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
