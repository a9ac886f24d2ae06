"""The errors a config can raise: one line each, `path:line: key: message`.

Plain Python, cheap to import (the command line catches them).
"""

from __future__ import annotations

from pathlib import Path

from kiteboard.exit_codes import EXIT_AUTH, EXIT_USAGE


def display_path(path: Path | str) -> str:
    """A path as the user knows it: the home folder as `~`."""
    path = Path(path)
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


class ConfigError(Exception):
    """A bad config, shown as one line: `path:line: key: message`.

    `exit_code` is EXIT_USAGE unless a subclass says otherwise.
    Messages never hold the token.
    """

    exit_code = EXIT_USAGE

    def __init__(
        self, path: Path | str | None, line: int | None, key: str | None, message: str
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path) + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class InsecureBaseURLError(ConfigError):
    """Plain http to a host that is not this machine: the token would travel in clear."""


class MissingTokenError(ConfigError):
    exit_code = EXIT_AUTH


class TokenCommandError(ConfigError):
    """The profile's token_command did not give a token."""

    exit_code = EXIT_AUTH
