"""The token: a Secret that hides itself, and where it comes from.

The token is resolved lazily, on first use, so commands that never talk to Kitemaker
(`kiteboard emulator`, `--demo`) never run a profile's `token_command` (which may
prompt a password manager). Nothing here ever puts the token, or a command's output,
into a message: a password manager's output is the secret itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from kiteboard.api.secret import Secret

TOKEN_COMMAND_TIMEOUT = 10.0  # seconds; a password manager answers well within it


def token_problem(value: str) -> str | None:
    """Why `value` cannot be a token (it goes into an HTTP header), or None if it can.

    The message never quotes the value.
    """
    if not value:
        return "the token is empty"
    if not all(33 <= ord(char) <= 126 for char in value):
        return "the token contains spaces, control characters or non-ASCII characters"
    return None


class TokenCommandFailed(Exception):
    """A token_command did not give a token; `str()` says why, never what it printed."""


def run_token_command(argv: Sequence[str], *, timeout: float = TOKEN_COMMAND_TIMEOUT) -> str:
    """Run `argv` (no shell) and return the first line of what it printed, stripped.

    stdin is closed (the TUI may own the terminal) and stdout/stderr are captured and
    never shown: on failure the message names the program and the exit status only.
    """
    import subprocess  # on use: most runs never need it

    program = argv[0]
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise TokenCommandFailed(f"command not found: {program}") from None
    except PermissionError:
        raise TokenCommandFailed(f"cannot run {program}: permission denied") from None
    except subprocess.TimeoutExpired:
        raise TokenCommandFailed(
            f"{program} did not finish within {timeout:g} seconds and was stopped"
        ) from None
    except OSError as error:
        raise TokenCommandFailed(f"cannot run {program}: {error.strerror}") from None
    hidden = "its output is not shown here, as it may hold the token"
    if done.returncode < 0:
        raise TokenCommandFailed(f"{program} was killed by signal {-done.returncode}; {hidden}")
    if done.returncode != 0:
        raise TokenCommandFailed(
            f"{program} failed with exit status {done.returncode}; "
            f"run it yourself to see why ({hidden})"
        )
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise TokenCommandFailed(f"{program} printed something that is not UTF-8 text") from None
    lines = text.strip().splitlines()
    if not lines:
        raise TokenCommandFailed(f"{program} printed nothing")
    # Password managers (pass, gopass) print the secret on the first line and notes after.
    return lines[0].strip()


class TokenSource:
    """Where the token comes from. `resolve()` finds it once and remembers it.

    `origin` says where, for messages ("KITEMAKER_TOKEN", "token_command of profile
    work"); None when there is no token at all. The repr shows only the origin.
    """

    __slots__ = ("_lock", "_resolve", "_secret", "origin")

    def __init__(self, origin: str | None, resolve: Callable[[], Secret]) -> None:
        self.origin = origin
        self._resolve = resolve
        self._secret: Secret | None = None
        self._lock = threading.Lock()  # a UI worker thread and the main thread may race

    @classmethod
    def literal(cls, value: str, origin: str) -> TokenSource:
        """A token known up front (the environment, the config file, the demo's)."""
        secret = Secret(value)
        return cls(origin, lambda: secret)

    def resolve(self) -> Secret:
        """The token. Raises a ConfigError subclass if there is none or it failed."""
        with self._lock:
            if self._secret is None:
                self._secret = self._resolve()
            return self._secret

    def __repr__(self) -> str:
        return f"TokenSource(origin={self.origin!r})"
