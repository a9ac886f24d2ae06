"""Reading the config file: TOML syntax, then each key's type and range, with the
line of every mistake (`lines.py`). Unknown keys become warnings.

`load_settings` (config.py) combines what this reads with the environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiteboard.config.errors import ConfigError
from kiteboard.config.lines import Key, dotted, line_of
from kiteboard.config.token import token_problem

TOP_KEYS = ("default_profile", "theme", "refresh_interval", "store", "keymap", "profiles")
PROFILE_KEYS = (
    "base_url",
    "graphql_url",
    "api",
    "token",
    "token_command",
    "default_space",
    "space_keys",
)
# A profile's `api`: "auto" tries GraphQL once per connection and falls back to REST
# (the session decides); "rest" and "graphql" force one.
API_CHOICES = ("auto", "rest", "graphql")
DEFAULT_API = "auto"
DEFAULT_REFRESH_INTERVAL = 30.0
MIN_REFRESH_INTERVAL = 5.0  # the API is rate limited: polling faster only earns 429s
_SPACE_KEY = re.compile(r"[A-Za-z0-9]{1,16}")
_KEYS = re.compile(r"[^\s,]+(,[^\s,]+)*")


def read_config_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ({}, "") if there is no file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, ""
    except IsADirectoryError:
        raise ConfigError(path, None, None, "is a folder, not a config file") from None
    except OSError as error:
        raise ConfigError(path, None, None, f"cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(path, line, None, "not UTF-8 text") from None
    # Here, where there is a file to parse: it costs ~4 ms of a start without one.
    import tomllib

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        line, message = _syntax_error_position(str(error), text)
        raise ConfigError(path, line, None, f"TOML syntax error: {message}") from None


def _syntax_error_position(message: str, text: str) -> tuple[int | None, str]:
    """tomllib says '... (at line 3, column 7)' or '(at end of document)': split it."""
    if match := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        return int(match[1]), f"{message[: match.start()]} (column {match[2]})"
    if match := re.search(r"\s*\(at end of document\)$", message):
        return text.count("\n") + 1, f"{message[: match.start()]} (at the end of the file)"
    return None, message


class Reader:
    """Type checks with file:line:key messages; collects warnings."""

    def __init__(self, path: Path, lines: dict[Key, int]) -> None:
        self.path = path
        self.lines = lines
        self.warnings: list[str] = []

    def line(self, key: Key) -> int | None:
        return line_of(self.lines, key)

    def error(self, key: Key, message: str) -> ConfigError:
        return ConfigError(self.path, self.line(key), dotted(key) if key else None, message)

    def warn(self, key: Key, message: str) -> None:
        self.warnings.append(str(self.error(key, message)))

    def check_table(
        self, table: dict[str, Any], key: Key, known: tuple[str, ...], misplaced=()
    ) -> dict[str, Any]:
        for name in table:
            if name in known:
                continue
            if name in misplaced:
                raise self.error(
                    (*key, name),
                    "belongs to a profile: put it under [profiles.NAME] "
                    "(`kiteboard init` writes one)",
                )
            self.warn((*key, name), f"unknown key, ignored{did_you_mean(name, known)}")
        return table

    def value(
        self,
        table: dict[str, Any],
        key: Key,
        kind: type | tuple,
        expected: str,
        *,
        secret: bool = False,
    ) -> Any:
        value = table.get(key[-1])
        if value is None:
            return None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(key, f"expected {expected}, got {describe(value, secret)}")
        return value

    def string(self, table: dict[str, Any], key: Key, *, secret: bool = False) -> str | None:
        value = self.value(table, key, str, "a string", secret=secret)
        if value is not None and not value.strip():
            raise self.error(key, "is empty")
        return value

    def boolean(self, table: dict[str, Any], key: Key, *, default: bool) -> bool:
        value = self.value(table, key, bool, "true or false")
        return default if value is None else value

    def table(self, table: dict[str, Any], key: Key) -> dict[str, Any]:
        return self.value(table, key, dict, "a table") or {}


def describe(value: Any, secret: bool = False) -> str:
    """A value as the message shows it; a secret's only by its type."""
    if isinstance(value, bool):
        return "a boolean" if secret else ("true" if value else "false")
    if isinstance(value, str):
        if secret:
            return "a string"
        shown = value if len(value) <= 40 else value[:37] + "..."
        return '"' + shown.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, int | float):
        return "a number" if secret else repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def read_profiles(reader: Reader, top: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every profile, validated (not only the chosen one: the file is one whole)."""
    profiles: dict[str, dict[str, Any]] = {}
    for name, raw in reader.table(top, ("profiles",)).items():
        key: Key = ("profiles", name)
        if not isinstance(raw, dict):
            raise reader.error(
                key, f"expected a table [profiles.{dotted((name,))}], got {describe(raw)}"
            )
        reader.check_table(raw, key, PROFILE_KEYS)
        profile: dict[str, Any] = {}
        for option in ("base_url", "graphql_url", "default_space"):
            if (value := reader.string(raw, (*key, option))) is not None:
                profile[option] = value.strip()
        if (api := read_api(reader, raw, (*key, "api"))) is not None:
            profile["api"] = api
        if (token := reader.string(raw, (*key, "token"), secret=True)) is not None:
            if problem := token_problem(token.strip()):
                raise reader.error((*key, "token"), problem)
            profile["token"] = token.strip()
        if "token_command" in raw:
            if "token" in profile:
                raise reader.error(
                    (*key, "token_command"),
                    "set token or token_command, not both (which one did you mean?)",
                )
            profile["token_command"] = read_command(reader, raw, (*key, "token_command"))
        profile["space_keys"] = read_space_keys(reader, raw, (*key, "space_keys"))
        profiles[name] = profile
    return profiles


def read_api(reader: Reader, table: dict[str, Any], key: Key) -> str | None:
    """A profile's `api`, or None when it sets none; anything but auto, rest or
    graphql is an error (file:line)."""
    value = table.get(key[-1])
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in API_CHOICES:
        return value.strip().lower()
    hint = did_you_mean(value, API_CHOICES) if isinstance(value, str) else ""
    choices = ", ".join(f'"{c}"' for c in API_CHOICES)
    raise reader.error(key, f"expected one of {choices}, got {describe(value)}{hint}")


def read_command(reader: Reader, table: dict[str, Any], key: Key) -> list[str]:
    """A command as a string (split like a shell would, but run without one) or a list."""
    value = table[key[-1]]
    if isinstance(value, str):
        import shlex  # here: only a token_command needs it, not every start

        try:
            argv = shlex.split(value)
        except ValueError as error:  # unbalanced quotes
            raise reader.error(key, f"cannot split the command: {error}") from None
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise reader.error(
            key, f"expected a command string or an array of strings, got {describe(value)}"
        )
    if not argv or not argv[0]:
        raise reader.error(key, "the command is empty")
    return argv


def flatten(table: dict[str, Any], path: Key) -> dict[str, tuple[Any, Key]]:
    """Entries of a name -> value table, with the key path each was written as.

    `board.down = "j"` (unquoted, so TOML makes it a nested table) means the name
    "board.down", the same as the quoted `"board.down" = "j"`.
    """
    flat: dict[str, tuple[Any, Key]] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            for inner, (found, key) in flatten(value, (*path, name)).items():
                flat[f"{name}.{inner}"] = (found, key)
        else:
            flat[name] = (value, (*path, name))
    return flat


def read_space_keys(reader: Reader, table: dict[str, Any], key: Key) -> dict[str, str]:
    space_keys: dict[str, str] = {}
    for space, (value, item_key) in flatten(reader.table(table, key), key).items():
        if not isinstance(value, str) or not _SPACE_KEY.fullmatch(value):
            raise reader.error(
                item_key,
                f'expected a space key of letters and digits like "KB", got {describe(value)}',
            )
        space_keys[space] = value
    return space_keys


def read_keymap(reader: Reader, top: dict[str, Any]) -> tuple[dict[str, str], dict[str, int]]:
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    for binding_id, (value, key) in flatten(reader.table(top, ("keymap",)), ("keymap",)).items():
        # Textual splits on "," and does not strip: "j, down" would bind " down".
        normalized = (
            ",".join(p.strip() for p in value.split(",")) if isinstance(value, str) else None
        )
        if normalized is None or not _KEYS.fullmatch(normalized):
            raise reader.error(key, f'expected keys like "j,down", got {describe(value)}')
        keymap[binding_id] = normalized
        if line := reader.line(key):
            lines[binding_id] = line
    return keymap, lines


def read_refresh_interval(reader: Reader, top: dict[str, Any]) -> float:
    key: Key = ("refresh_interval",)
    value = reader.value(top, key, int | float, "a number of seconds")
    if value is None:
        return DEFAULT_REFRESH_INTERVAL
    if not MIN_REFRESH_INTERVAL <= value <= 24 * 3600:
        raise reader.error(
            key, f"expected between {MIN_REFRESH_INTERVAL:g} and 86400 seconds, got {value!r}"
        )
    return float(value)
