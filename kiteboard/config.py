"""Settings: the TOML config file and the environment, validated into one object.

Where the file is: `--config PATH`, else `$KITEBOARD_CONFIG`, else the platform's config
folder (`locations.config_file()`). A missing file is fine: defaults and environment.

Which profile: `--profile`, else `$KITEBOARD_PROFILE`, else `default_profile`, else the
only profile there is. Which token: `$KITEMAKER_TOKEN`, else the profile's
`token_command`, else its `token`; resolved on first use (`settings.token`).

Every mistake is a `ConfigError` whose `str()` is one line naming the file, the line
and the key; unknown keys are warnings (`settings.warnings`), not errors.
config.example.toml documents every key.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiteboard.config_lines import Key, dotted, key_lines, line_of
from kiteboard.config_token import (
    TOKEN_COMMAND_TIMEOUT,
    Secret,
    TokenCommandFailed,
    TokenSource,
    run_token_command,
    token_problem,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ConfigError",
    "InsecureBaseURLError",
    "MissingTokenError",
    "ProfileInfo",
    "Secret",
    "Settings",
    "TokenCommandError",
    "TokenSource",
    "config_path_for",
    "list_profiles",
    "load_settings",
    "read_config_file",
    "switch_profile",
    "unknown_keymap_ids",
    "validate_base_url",
]

DEFAULT_BASE_URL = "https://toil.kitemaker.co/developers/rest/v1"
DEFAULT_REFRESH_INTERVAL = 30.0
MIN_REFRESH_INTERVAL = 5.0  # the API is rate limited: polling faster only earns 429s
TOKEN_ENV = "KITEMAKER_TOKEN"
CONFIG_ENV = "KITEBOARD_CONFIG"
PROFILE_ENV = "KITEBOARD_PROFILE"

_TOP_KEYS = ("default_profile", "theme", "refresh_interval", "store", "keymap", "profiles")
_PROFILE_KEYS = ("base_url", "token", "token_command", "default_space", "space_keys")
_SPACE_KEY = re.compile(r"[A-Za-z0-9]{1,16}")
_KEYS = re.compile(r"[^\s,]+(,[^\s,]+)*")


# --- errors --------------------------------------------------------------------------


def display_path(path: Path | str) -> str:
    """A path as the user knows it: the home folder as `~`."""
    path = Path(path)
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


class ConfigError(Exception):
    """A bad config, shown as one line: `path:line: key: message`.

    `exit_code` is 2 (EXIT_USAGE in __main__) unless a subclass says otherwise.
    Messages never hold the token.
    """

    exit_code = 2

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
    exit_code = 3  # EXIT_AUTH: the token was missing or rejected


class TokenCommandError(ConfigError):
    """The profile's token_command did not give a token."""

    exit_code = 3


# --- the settings object -------------------------------------------------------------


@dataclass(frozen=True)
class ProfileInfo:
    """A profile as the profile switcher shows it (no token, nothing resolved)."""

    name: str
    base_url: str
    default_space: str | None
    token_origin: str | None  # "token", "token_command" or None (KITEMAKER_TOKEN only)
    is_default: bool


@dataclass(frozen=True)
class Settings:
    """Everything the app needs from the config and the environment; immutable."""

    profile: str | None
    base_url: str = DEFAULT_BASE_URL
    default_space: str | None = None
    theme: str | None = None
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> "j,down"
    space_keys: dict[str, str] = field(default_factory=dict)  # space name or id -> key
    store_enabled: bool = True
    config_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    profiles: tuple[ProfileInfo, ...] = ()
    token_source: TokenSource = field(
        default_factory=lambda: TokenSource(None, _no_token(None, None)), compare=False
    )
    keymap_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def token(self) -> Secret:
        """The token, found on first use (this may run the profile's token_command).

        Raises MissingTokenError or TokenCommandError (both ConfigErrors, exit 3).
        """
        return self.token_source.resolve()

    @property
    def token_origin(self) -> str | None:
        """Where the token comes from, for messages; None if there is none."""
        return self.token_source.origin


# --- loading -------------------------------------------------------------------------


def config_path_for(config_path: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The config file: --config, else $KITEBOARD_CONFIG, else the platform's."""
    if config_path:
        return Path(config_path).expanduser()
    if env := environ.get(CONFIG_ENV):
        return Path(env).expanduser()
    from kiteboard import locations

    return locations.config_file()


def load_settings(
    *,
    config_path: str | Path | None = None,
    profile: str | None = None,
    base_url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Read, validate and combine the config file and the environment.

    Never runs token_command (see `Settings.token`). Raises ConfigError.
    """
    path = config_path_for(config_path, environ)
    data, text = read_config_file(path)
    reader = _Reader(path, key_lines(text))
    top = reader.check_table(data, (), _TOP_KEYS, misplaced=_PROFILE_KEYS)
    profiles = _read_profiles(reader, top)
    default_profile = reader.string(top, ("default_profile",))
    if default_profile is not None and default_profile not in profiles:
        raise reader.error(("default_profile",), _no_such_profile(default_profile, profiles))

    chosen = _choose_profile(reader, profiles, default_profile, profile, environ)
    settings_of = profiles.get(chosen, {}) if chosen else {}
    if base_url:
        url = validate_base_url(base_url, key="--base-url")
    elif "base_url" in settings_of:
        url = validate_base_url(
            settings_of["base_url"],
            path=path,
            line=reader.line((*_profile_key(chosen), "base_url")),
            key=dotted((*_profile_key(chosen), "base_url")),
        )
    else:
        url = DEFAULT_BASE_URL

    keymap, keymap_lines = _read_keymap(reader, top)
    has_file_token = any("token" in p for p in profiles.values())
    _check_permissions(reader, path, holds_token=has_file_token)
    return Settings(
        profile=chosen,
        base_url=url,
        default_space=settings_of.get("default_space"),
        theme=reader.string(top, ("theme",)),
        refresh_interval=_read_refresh_interval(reader, top),
        keymap=keymap,
        keymap_lines=keymap_lines,
        space_keys=dict(settings_of.get("space_keys", {})),
        store_enabled=reader.boolean(top, ("store",), default=True),
        config_path=path,
        warnings=reader.warnings,
        profiles=tuple(
            ProfileInfo(
                name=name,
                base_url=p.get("base_url", DEFAULT_BASE_URL).rstrip("/"),
                default_space=p.get("default_space"),
                token_origin=next((k for k in ("token_command", "token") if k in p), None),
                is_default=name == default_profile,
            )
            for name, p in profiles.items()
        ),
        token_source=_token_source(reader, chosen, settings_of, environ),
    )


def switch_profile(
    settings: Settings, name: str, environ: Mapping[str, str] = os.environ
) -> Settings:
    """Settings for another profile of the same config file (the in-app switcher).

    KITEMAKER_TOKEN belongs to the profile the app started with: another profile uses
    its own token, so that one account's token is never sent as another's.
    """
    if name != settings.profile:
        environ = {k: v for k, v in environ.items() if k != TOKEN_ENV}
    return load_settings(config_path=settings.config_path, profile=name, environ=environ)


def list_profiles(settings_or_path: Settings | str | Path) -> list[ProfileInfo]:
    """The profiles of a config file, in file order (for the profile switcher)."""
    if isinstance(settings_or_path, Settings):
        return list(settings_or_path.profiles)
    return list(load_settings(config_path=settings_or_path, environ={}).profiles)


def unknown_keymap_ids(settings: Settings, known_ids: Iterable[str]) -> list[str]:
    """Warnings for [keymap] entries that name no binding (the UI knows the ids)."""
    known = set(known_ids)
    warnings = []
    for binding_id in settings.keymap:
        if binding_id not in known:
            line = settings.keymap_lines.get(binding_id)
            where = display_path(settings.config_path) if settings.config_path else "config"
            where += f":{line}" if line else ""
            hint = _did_you_mean(binding_id, known)
            key = dotted(("keymap", binding_id))
            warnings.append(f"{where}: {key}: no binding has this id{hint}")
    return warnings


def validate_base_url(
    url: str, *, path: Path | None = None, line: int | None = None, key: str = "base_url"
) -> str:
    """The base URL without a trailing slash, or a ConfigError saying what is wrong.

    Plain http is refused unless the host is this machine (127.0.0.1, localhost, ::1:
    the emulator): every request carries the token, which must not travel in clear.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigError(path, line, key, f"not a valid URL: {url!r}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(
            path, line, key, f"expected an http(s) URL like {DEFAULT_BASE_URL}, got {url!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(path, line, key, "the URL must not hold a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(path, line, key, "the URL must not have a ?query or #fragment")
    if parts.scheme == "http" and not _is_loopback(host):
        raise InsecureBaseURLError(
            path,
            line,
            key,
            f"refusing plain http to {host}: the token would travel unencrypted; use https "
            "(plain http is only for this machine: 127.0.0.1, localhost, ::1)",
        )
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_config_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ({}, "") if there is no file."""
    import tomllib  # on use: `kiteboard --version` does not need it

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


class _Reader:
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
            self.warn((*key, name), f"unknown key, ignored{_did_you_mean(name, known)}")
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
            raise self.error(key, f"expected {expected}, got {_describe(value, secret)}")
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


def _describe(value: Any, secret: bool = False) -> str:
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


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _profile_key(name: str | None) -> Key:
    return ("profiles", name) if name else ()


def _no_such_profile(name: str, profiles: Mapping[str, Any]) -> str:
    if not profiles:
        return f'no profile named "{name}": the file has none (`kiteboard init --profile {name}`)'
    return f'no profile named "{name}" (profiles: {", ".join(profiles)})'


def _read_profiles(reader: _Reader, top: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every profile, validated (not only the chosen one: the file is one whole)."""
    profiles: dict[str, dict[str, Any]] = {}
    for name, raw in reader.table(top, ("profiles",)).items():
        key: Key = ("profiles", name)
        if not isinstance(raw, dict):
            raise reader.error(
                key, f"expected a table [profiles.{dotted((name,))}], got {_describe(raw)}"
            )
        reader.check_table(raw, key, _PROFILE_KEYS)
        profile: dict[str, Any] = {}
        for option in ("base_url", "default_space"):
            if (value := reader.string(raw, (*key, option))) is not None:
                profile[option] = value.strip()
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
            profile["token_command"] = _read_command(reader, raw, (*key, "token_command"))
        profile["space_keys"] = _read_space_keys(reader, raw, (*key, "space_keys"))
        profiles[name] = profile
    return profiles


def _read_command(reader: _Reader, table: dict[str, Any], key: Key) -> list[str]:
    """A command as a string (split like a shell would, but run without one) or a list."""
    value = table[key[-1]]
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as error:  # unbalanced quotes
            raise reader.error(key, f"cannot split the command: {error}") from None
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise reader.error(
            key, f"expected a command string or an array of strings, got {_describe(value)}"
        )
    if not argv or not argv[0]:
        raise reader.error(key, "the command is empty")
    return argv


def _flatten(table: dict[str, Any], path: Key) -> dict[str, tuple[Any, Key]]:
    """Entries of a name -> value table, with the key path each was written as.

    `board.down = "j"` (unquoted, so TOML makes it a nested table) means the name
    "board.down", the same as the quoted `"board.down" = "j"`.
    """
    flat: dict[str, tuple[Any, Key]] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            for inner, (found, key) in _flatten(value, (*path, name)).items():
                flat[f"{name}.{inner}"] = (found, key)
        else:
            flat[name] = (value, (*path, name))
    return flat


def _read_space_keys(reader: _Reader, table: dict[str, Any], key: Key) -> dict[str, str]:
    space_keys: dict[str, str] = {}
    for space, (value, item_key) in _flatten(reader.table(table, key), key).items():
        if not isinstance(value, str) or not _SPACE_KEY.fullmatch(value):
            raise reader.error(
                item_key,
                f'expected a space key of letters and digits like "KB", got {_describe(value)}',
            )
        space_keys[space] = value
    return space_keys


def _read_keymap(reader: _Reader, top: dict[str, Any]) -> tuple[dict[str, str], dict[str, int]]:
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    for binding_id, (value, key) in _flatten(reader.table(top, ("keymap",)), ("keymap",)).items():
        # Textual splits on "," and does not strip: "j, down" would bind " down".
        normalized = (
            ",".join(p.strip() for p in value.split(",")) if isinstance(value, str) else None
        )
        if normalized is None or not _KEYS.fullmatch(normalized):
            raise reader.error(key, f'expected keys like "j,down", got {_describe(value)}')
        keymap[binding_id] = normalized
        if line := reader.line(key):
            lines[binding_id] = line
    return keymap, lines


def _read_refresh_interval(reader: _Reader, top: dict[str, Any]) -> float:
    key: Key = ("refresh_interval",)
    value = reader.value(top, key, int | float, "a number of seconds")
    if value is None:
        return DEFAULT_REFRESH_INTERVAL
    if not MIN_REFRESH_INTERVAL <= value <= 24 * 3600:
        raise reader.error(
            key, f"expected between {MIN_REFRESH_INTERVAL:g} and 86400 seconds, got {value!r}"
        )
    return float(value)


def _choose_profile(
    reader: _Reader,
    profiles: Mapping[str, Any],
    default_profile: str | None,
    requested: str | None,
    environ: Mapping[str, str],
) -> str | None:
    for source, name in (("--profile", requested), (PROFILE_ENV, environ.get(PROFILE_ENV))):
        if name:
            if name not in profiles:
                raise ConfigError(reader.path, None, source, _no_such_profile(name, profiles))
            return name
    if default_profile is not None:
        return default_profile
    if len(profiles) == 1:
        return next(iter(profiles))
    if profiles:
        raise reader.error(
            (),
            f"several profiles ({', '.join(profiles)}) and no default_profile: "
            "set default_profile or pass --profile NAME",
        )
    return None


def _token_source(
    reader: _Reader, name: str | None, profile: dict[str, Any], environ: Mapping[str, str]
) -> TokenSource:
    if env := environ.get(TOKEN_ENV, "").strip():
        if problem := token_problem(env):
            raise ConfigError(None, None, TOKEN_ENV, problem)
        return TokenSource.literal(env, TOKEN_ENV)
    where = f" of profile {name}" if name else ""
    if "token_command" in profile:
        key = (*_profile_key(name), "token_command")
        argv = profile["token_command"]

        def run() -> Secret:
            try:
                token = run_token_command(argv, timeout=TOKEN_COMMAND_TIMEOUT)
            except TokenCommandFailed as error:
                raise TokenCommandError(
                    reader.path, reader.line(key), dotted(key), str(error)
                ) from None
            if problem := token_problem(token):
                raise TokenCommandError(
                    reader.path,
                    reader.line(key),
                    dotted(key),
                    f"{argv[0]} printed something that is not a token: {problem}",
                )
            return Secret(token)

        return TokenSource(f"token_command{where}", run)
    if "token" in profile:
        return TokenSource.literal(profile["token"], f"token{where}")
    return TokenSource(None, _no_token(reader.path, name))


def _no_token(path: Path | None, name: str | None):
    def fail() -> Secret:
        init = f"kiteboard init --profile {name}" if name else "kiteboard init"
        raise MissingTokenError(
            path, None, None, f"no token: set {TOKEN_ENV}, or run `{init}` to save one"
        )

    return fail


def _check_permissions(reader: _Reader, path: Path, *, holds_token: bool) -> None:
    """Warn when others may read the file (a token) or write it (a token_command)."""
    if os.name != "posix":
        return
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return
    if not mode & 0o077:
        return
    who = "writable" if mode & 0o022 and not mode & 0o044 else "readable"
    holds = "; it holds a token" if holds_token else ""
    shown = display_path(path)
    command = (
        shown
        if shlex.quote(shown.removeprefix("~/")) == shown.removeprefix("~/")
        else shlex.quote(str(path))
    )
    reader.warnings.append(
        f"{shown}: {who} by other users (mode {mode:03o}){holds}: run `chmod 600 {command}`"
    )
