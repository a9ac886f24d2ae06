"""What went wrong, in a person's words: the one place that turns an exception into them.

`explain(error)` gives a `Failure`: a short title, one line saying what failed (and how
to fix it, when we know), the exit code and whether trying again can help. The command
line prints the line and exits with the code (`kiteboard.cli.main.fail`); the app shows
the title and the line (`kiteboard.ui.errors.describe_error`), adding what it does next.

Also here: where an API token comes from, in the words the welcome screen and
`kiteboard init` both use.

Plain Python, cheap to import: the error modules it knows are imported when an error
is explained, not before. Below the UI and the command line; imports neither.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiteboard.exit_codes import EXIT_AUTH, EXIT_ERROR, EXIT_INTERRUPTED

# How to get a token and give it to kiteboard: the welcome screen says these words (with
# the names of keys, menus and commands in bold), `kiteboard init` says the first, and so
# does every message about a token Kitemaker refused.
GET_TOKEN = (
    "in Kitemaker press Ctrl+K (Cmd+K on a Mac), choose Manage developer settings "
    "and create a personal access token."
)
USE_TOKEN = (
    "run kiteboard init (it asks for the token, checks it and keeps it in the config "
    "file), or start kiteboard with the token in the environment:"
)
TOKEN_IN_ENVIRONMENT = "KITEMAKER_TOKEN=… kiteboard"
TOKEN_HOW_TO = f"To get one: {GET_TOKEN} Then {USE_TOKEN} {TOKEN_IN_ENVIRONMENT}"

MAX_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Failure:
    title: str  # a few words, for a heading: "Token rejected"
    message: str  # what failed (and where), one line, no final period
    exit_code: int
    fatal: bool  # trying again cannot help: a rejected token, a bad config file
    hint: str = ""  # how to fix it, when we know: a sentence
    expected: bool = True  # False: a bug, whose traceback the command line lets through

    @property
    def line(self) -> str:
        """The message and its hint, one line."""
        return f"{self.message}. {self.hint}" if self.hint else self.message


def explain(error: BaseException, *, where: Path | str | None = None) -> Failure:
    """`where` names what was being used when it failed: the store file for a disk
    error, the token's origin (KITEMAKER_TOKEN, token_command) for a rejected token."""
    from kiteboard.api import errors
    from kiteboard.config.errors import ConfigError, MissingTokenError, display_path

    if isinstance(error, KeyboardInterrupt):
        return Failure("Interrupted", "interrupted", EXIT_INTERRUPTED, fatal=True)
    if isinstance(error, ConfigError):
        title = "No token" if isinstance(error, MissingTokenError) else "Configuration error"
        return Failure(title, _one_line(str(error)), error.exit_code, fatal=True)
    if isinstance(error, errors.AuthError):
        origin = f" (from {where})" if where else ""
        return Failure(
            "Token rejected",
            f"Kitemaker did not accept the API token{origin}",
            EXIT_AUTH,
            fatal=True,
            hint=TOKEN_HOW_TO,
        )
    if isinstance(error, errors.RateLimitedError):
        return Failure("Rate limited", "Kitemaker asks us to slow down", EXIT_ERROR, fatal=False)
    message = _one_line(getattr(error, "message", None) or str(error))
    if isinstance(error, errors.NetworkError):
        return Failure("Offline", message, EXIT_ERROR, fatal=False)
    if isinstance(error, errors.KitemakerError):
        return Failure("Kitemaker error", message, EXIT_ERROR, fatal=False)
    if (disk := _disk_failure(error, where, display_path)) is not None:
        return disk
    return Failure(
        "Unexpected error",
        f"{type(error).__name__}: {message}",
        EXIT_ERROR,
        fatal=False,
        expected=False,
    )


def _disk_failure(
    error: BaseException, where: Path | str | None, shown: Callable[[Path | str], str]
) -> Failure | None:
    """A file that cannot be written or read: the store (SQLite) or the disk under it."""
    import sqlite3

    if not isinstance(error, sqlite3.Error | OSError):
        return None
    path = where if where is not None else getattr(error, "filename", None)
    what = f"cannot write {shown(path)}" if path else "cannot write to the disk"
    code = getattr(error, "errno", None)
    text = str(error)
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
        return Failure(
            "Disk full",
            f"{what}: the disk is full",
            EXIT_ERROR,
            fatal=False,
            hint="Free some space and try again",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "readonly" in text:
        return Failure("Not writable", f"{what}: permission denied", EXIT_ERROR, fatal=False)
    reason = getattr(error, "strerror", None) or text
    return Failure("Disk error", f"{what}: {_one_line(reason)}", EXIT_ERROR, fatal=False)


def _one_line(text: str) -> str:
    """Text that may come from a server or a file, fit for one line of a terminal: no
    control or format characters (escapes, bidi overrides), no line breaks, not long."""
    import unicodedata

    text = text[: MAX_MESSAGE_CHARS * 2]
    if not text.isprintable():
        text = "".join(
            " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
        )
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return text
