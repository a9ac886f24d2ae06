"""Settings: the TOML config file and the environment, validated into one object.

Where the file is: `--config PATH`, else `$KITEBOARD_CONFIG`, else the platform's config
folder (`locations.config_file()`). A missing file is fine: defaults and environment.

Which profile: `--profile`, else `$KITEBOARD_PROFILE`, else `default_profile`, else the
only profile there is. Which API: the profile's `api` (auto, rest or graphql), with
GraphQL at its `graphql_url`, else beside the REST base URL. Which token:
`$KITEMAKER_TOKEN`, else the profile's `token_command`, else its `token`; resolved on
first use (`settings.token`).

Every mistake is a `ConfigError` whose `str()` is one line naming the file, the line
and the key; unknown keys are warnings (`settings.warnings`), not errors.
config.example.toml documents every key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kiteboard.api.urls import REST_BASE_URL, graphql_url
from kiteboard.config.errors import (
    ConfigError,
    InsecureBaseURLError,
    MissingTokenError,
    TokenCommandError,
    display_path,
)
from kiteboard.config.lines import Key, dotted, key_lines
from kiteboard.config.reader import (
    DEFAULT_API,
    DEFAULT_REFRESH_INTERVAL,
    PROFILE_KEYS,
    TOP_KEYS,
    Reader,
    did_you_mean,
    read_config_file,
    read_keymap,
    read_profiles,
    read_refresh_interval,
)
from kiteboard.config.token import (
    TOKEN_COMMAND_TIMEOUT,
    Secret,
    TokenCommandFailed,
    TokenSource,
    run_token_command,
    token_problem,
)
from kiteboard.config.urls import validate_base_url

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
    "display_path",
    "list_profiles",
    "load_settings",
    "read_config_file",
    "switch_profile",
    "unknown_keymap_ids",
    "unknown_theme",
    "validate_base_url",
]

DEFAULT_BASE_URL = REST_BASE_URL
TOKEN_ENV = "KITEMAKER_TOKEN"
CONFIG_ENV = "KITEBOARD_CONFIG"
PROFILE_ENV = "KITEBOARD_PROFILE"

# --- the settings object -------------------------------------------------------------


# NamedTuples, not dataclasses: made before the first frame, where a frozen dataclass
# costs ~2 ms to define (its methods are generated and compiled at import).
class ProfileInfo(NamedTuple):
    """A profile as the profile switcher shows it (no token, nothing resolved)."""

    name: str
    base_url: str
    default_space: str | None
    token_origin: str | None  # "token", "token_command" or None (KITEMAKER_TOKEN only)
    is_default: bool


class Settings(NamedTuple):
    """Everything the app needs from the config and the environment; immutable (the
    mappings and lists too: nothing changes them once loaded)."""

    profile: str | None
    base_url: str = DEFAULT_BASE_URL
    default_space: str | None = None
    theme: str | None = None
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    keymap: Mapping[str, str] = {}  # binding id -> "j,down"
    space_keys: Mapping[str, str] = {}  # space name or id -> key
    store_enabled: bool = True
    config_path: Path | None = None
    warnings: tuple[str, ...] | list[str] = ()
    profiles: tuple[ProfileInfo, ...] = ()
    token_source: TokenSource | None = None  # None: no token anywhere
    api: str = DEFAULT_API  # "auto", "rest" or "graphql"
    graphql_url: str | None = None  # None: beside base_url (see graphql_endpoint)
    keymap_lines: Mapping[str, int] = {}  # binding id -> its line in the file
    theme_line: int | None = None  # the line of `theme` in the file

    @property
    def token(self) -> Secret:
        """The token, found on first use (this may run the profile's token_command).

        Raises MissingTokenError or TokenCommandError (both ConfigErrors, exit 3).
        """
        if self.token_source is None:
            return _no_token(None, None)()
        return self.token_source.resolve()

    @property
    def graphql_endpoint(self) -> str:
        """Where GraphQL is: the profile's graphql_url, else derived from base_url."""
        return self.graphql_url or graphql_url(self.base_url)

    @property
    def token_origin(self) -> str | None:
        """Where the token comes from, for messages; None if there is none."""
        return self.token_source.origin if self.token_source is not None else None


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
    reader = Reader(path, key_lines(text))
    top = reader.check_table(data, (), TOP_KEYS, misplaced=PROFILE_KEYS)
    profiles = read_profiles(reader, top)
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
    # A --base-url names the server to talk to: GraphQL is then the one beside it.
    endpoint = None
    if "graphql_url" in settings_of and not base_url:
        endpoint = validate_base_url(
            settings_of["graphql_url"],
            path=path,
            line=reader.line((*_profile_key(chosen), "graphql_url")),
            key=dotted((*_profile_key(chosen), "graphql_url")),
        )

    keymap, keymap_lines = read_keymap(reader, top)
    has_file_token = any("token" in p for p in profiles.values())
    _check_permissions(reader, path, holds_token=has_file_token)
    return Settings(
        profile=chosen,
        base_url=url,
        default_space=settings_of.get("default_space"),
        theme=reader.string(top, ("theme",)),
        theme_line=reader.line(("theme",)),
        refresh_interval=read_refresh_interval(reader, top),
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
        api=settings_of.get("api", DEFAULT_API),
        graphql_url=endpoint,
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
            hint = did_you_mean(binding_id, known)
            key = dotted(("keymap", binding_id))
            warnings.append(f"{where}: {key}: no binding has this id{hint}")
    return warnings


def unknown_theme(settings: Settings, known_themes: Iterable[str]) -> str | None:
    """A warning when the config's `theme` names no theme (the UI knows the names)."""
    theme = settings.theme
    known = list(known_themes)
    if theme is None or theme in known:
        return None
    where = display_path(settings.config_path) if settings.config_path else "config"
    where += f":{settings.theme_line}" if settings.theme_line else ""
    return f'{where}: theme: no theme named "{theme}", ignored{did_you_mean(theme, known)}'


def _profile_key(name: str | None) -> Key:
    return ("profiles", name) if name else ()


def _no_such_profile(name: str, profiles: Mapping[str, Any]) -> str:
    if not profiles:
        return f'no profile named "{name}": the file has none (`kiteboard init --profile {name}`)'
    return f'no profile named "{name}" (profiles: {", ".join(profiles)})'


def _choose_profile(
    reader: Reader,
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
    reader: Reader, name: str | None, profile: dict[str, Any], environ: Mapping[str, str]
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


def _check_permissions(reader: Reader, path: Path, *, holds_token: bool) -> None:
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
    import shlex  # here: only a warning needs it, not every start

    command = (
        shown
        if shlex.quote(shown.removeprefix("~/")) == shown.removeprefix("~/")
        else shlex.quote(str(path))
    )
    reader.warnings.append(
        f"{shown}: {who} by other users (mode {mode:03o}){holds}: run `chmod 600 {command}`"
    )
