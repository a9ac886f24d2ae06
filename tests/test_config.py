"""Settings: where the file is, which profile, which token, and every kind of mistake
giving one line with the file, the line and the key."""

from __future__ import annotations

import pickle
import shlex
import sys
import tomllib
from pathlib import Path

import pytest

from kiteboard import config, exit_codes
from kiteboard.config import (
    DEFAULT_BASE_URL,
    ConfigError,
    InsecureBaseURLError,
    MissingTokenError,
    TokenCommandError,
    list_profiles,
    load_settings,
    switch_profile,
    unknown_keymap_ids,
)
from kiteboard.config.lines import key_lines

SECRET = "tok-SECRET-4f2a9c"


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"

    def write(text: str, mode: int = 0o600) -> Path:
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        return path

    return write


def python_command(code: str) -> str:
    """A token_command running `code` with this Python (no shell involved)."""
    return shlex.join([sys.executable, "-c", code])


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load(path, **kwargs):
    kwargs.setdefault("environ", {})
    return load_settings(config_path=path, **kwargs)


# --- where the file is ---------------------------------------------------------------


def test_missing_file_gives_defaults_and_asks_for_a_token(tmp_path):
    settings = load(tmp_path / "nope.toml")
    assert settings.profile is None
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.refresh_interval == 30.0 and settings.store_enabled
    assert settings.warnings == []
    with pytest.raises(MissingTokenError) as caught:
        settings.token  # noqa: B018
    assert caught.value.exit_code == exit_codes.EXIT_AUTH
    assert "KITEMAKER_TOKEN" in str(caught.value) and "kiteboard init" in str(caught.value)


def test_config_location_flag_then_env_then_platform(tmp_path, isolated_environment):
    platform = isolated_environment / ".config" / "kiteboard" / "config.toml"
    from_env = tmp_path / "env.toml"
    from_flag = tmp_path / "flag.toml"
    for path, theme in ((platform, "platform"), (from_env, "env"), (from_flag, "flag")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'theme = "{theme}"\n')
        path.chmod(0o600)
    env = {"KITEBOARD_CONFIG": str(from_env)}
    assert load_settings(environ={}).theme == "platform"
    assert load_settings(environ=env).theme == "env"
    assert load_settings(config_path=str(from_flag), environ=env).theme == "flag"


def test_a_full_file_is_read(config_file):
    path = config_file(
        f"""
default_profile = "work"
theme = "nord"
refresh_interval = 45
store = false

[keymap]
"board.down" = "j, down"
board.up = "k"

[profiles.work]
base_url = "https://kitemaker.example.com/developers/rest/v1/"
token = "{SECRET}"
default_space = "Platform"

[profiles.work.space_keys]
"Platform" = "PLAT"
"136975ca1bb5d800" = "KB"
"""
    )
    settings = load(path)
    assert settings.profile == "work"
    assert settings.base_url == "https://kitemaker.example.com/developers/rest/v1"
    assert settings.theme == "nord" and settings.refresh_interval == 45.0
    assert settings.store_enabled is False
    # spaces after commas dropped (Textual would bind " down"); unquoted dots are ids too
    assert settings.keymap == {"board.down": "j,down", "board.up": "k"}
    assert settings.space_keys == {"Platform": "PLAT", "136975ca1bb5d800": "KB"}
    assert settings.default_space == "Platform"
    assert settings.token.reveal() == SECRET
    assert settings.warnings == []


# --- token precedence ----------------------------------------------------------------


def test_env_token_wins_over_the_profile_token(config_file):
    path = config_file(f'[profiles.a]\ntoken = "{SECRET}"\n')
    settings = load(path, environ={"KITEMAKER_TOKEN": "from-env"})
    assert settings.token.reveal() == "from-env"
    assert settings.token_origin == "KITEMAKER_TOKEN"
    assert load(path).token.reveal() == SECRET
    assert load(path).token_origin == "token of profile a"


def test_env_token_wins_without_running_token_command(config_file, tmp_path):
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').close(); print('from-command')"
    path = config_file(f"[profiles.a]\ntoken_command = {toml_string(python_command(code))}\n")
    settings = load(path, environ={"KITEMAKER_TOKEN": "from-env"})
    assert settings.token.reveal() == "from-env"
    assert not marker.exists()


def test_an_empty_env_token_counts_as_unset(config_file):
    path = config_file(f'[profiles.a]\ntoken = "{SECRET}"\n')
    assert load(path, environ={"KITEMAKER_TOKEN": ""}).token.reveal() == SECRET


# --- token_command -------------------------------------------------------------------


def test_token_command_runs_on_first_use_only_and_once(config_file, tmp_path):
    runs = tmp_path / "runs"
    code = f"open({str(runs)!r}, 'a').write('x'); print('{SECRET}'); print('notes: ignored')"
    path = config_file(f"[profiles.a]\ntoken_command = {toml_string(python_command(code))}\n")
    settings = load(path)
    assert not runs.exists()  # loading (e.g. for --demo) never runs it
    assert settings.token.reveal() == SECRET  # the first line, stripped
    assert settings.token.reveal() == SECRET
    assert runs.read_text() == "x"
    assert settings.token_origin == "token_command of profile a"


def test_token_command_as_an_array(config_file):
    argv = ", ".join(toml_string(p) for p in [sys.executable, "-c", "print('  arr-tok  ')"])
    path = config_file(f"[profiles.a]\ntoken_command = [{argv}]\n")
    assert load(path).token.reveal() == "arr-tok"


def test_a_failing_token_command_never_shows_its_output(config_file):
    code = f"import sys; print('{SECRET}'); print('{SECRET}', file=sys.stderr); sys.exit(4)"
    command = toml_string(python_command(code))
    path = config_file(f"# my password manager\n[profiles.a]\ntoken_command = {command}\n")
    with pytest.raises(TokenCommandError) as caught:
        load(path).token  # noqa: B018
    message = str(caught.value)
    assert SECRET not in message
    assert message.startswith(f"{path}:3: profiles.a.token_command: ")
    assert "exit status 4" in message and "run it yourself" in message
    assert caught.value.exit_code == exit_codes.EXIT_AUTH


def test_a_token_command_that_hangs_is_stopped(config_file, monkeypatch):
    monkeypatch.setattr(config, "TOKEN_COMMAND_TIMEOUT", 0.3)
    code = "import time; time.sleep(30)"
    path = config_file(f"[profiles.a]\ntoken_command = {toml_string(python_command(code))}\n")
    with pytest.raises(TokenCommandError, match=r"did not finish within 0\.3 seconds"):
        load(path).token  # noqa: B018


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('"kiteboard-no-such-program-xyz"', "command not found: kiteboard-no-such-program-xyz"),
        (toml_string(python_command("pass")), "printed nothing"),
        (toml_string(python_command("print('two words')")), "spaces"),
    ],
)
def test_token_command_problems(config_file, command, expected):
    path = config_file(f"[profiles.a]\ntoken_command = {command}\n")
    with pytest.raises(TokenCommandError, match=expected):
        load(path).token  # noqa: B018


def test_a_token_command_that_cannot_be_split_is_a_config_error(config_file):
    path = config_file('[profiles.a]\ntoken_command = "pass show \'unbalanced"\n')
    with pytest.raises(ConfigError, match=r":2: profiles\.a\.token_command: cannot split"):
        load(path)


# --- every kind of bad config --------------------------------------------------------


def test_syntax_error_names_the_line(config_file):
    path = config_file('theme = "nord"\n\nrefresh_interval = \n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:3: TOML syntax error: Invalid value")
    assert caught.value.line == 3 and caught.value.exit_code == exit_codes.EXIT_USAGE


def test_syntax_error_at_the_end_of_the_file(config_file):
    path = config_file('theme = "nord"\ntoken = "abc\n')
    with pytest.raises(ConfigError, match=r":2: TOML syntax error"):
        load(path)


def test_wrong_type_names_file_line_and_key(config_file):
    path = config_file('# settings\ntheme = "nord"\n\n\n\n\nrefresh_interval = "fast"\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value) == (
        f'{path}:7: refresh_interval: expected a number of seconds, got "fast"'
    )


def test_home_is_shown_as_tilde(isolated_environment):
    path = isolated_environment / ".config" / "kiteboard" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("store = 1\n")
    path.chmod(0o600)
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={})
    assert str(caught.value) == (
        "~/.config/kiteboard/config.toml:1: store: expected true or false, got 1"
    )


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("refresh_interval = 1\n", 1, "refresh_interval", "between 5 and 86400"),
        ("refresh_interval = true\n", 1, "refresh_interval", "got true"),
        ('\n[keymap]\n"board.down" = ""\n', 3, 'keymap."board.down"', "expected keys like"),
        ("[keymap]\nboard.down = 3\n", 2, "keymap.board.down", "got 3"),
        ('[profiles.a]\nbase_url = "ftp://x"\n', 2, "profiles.a.base_url", "http(s) URL"),
        (
            '[profiles.a.space_keys]\nPlatform = "PL-AT"\n',
            2,
            "profiles.a.space_keys.Platform",
            "space key",
        ),
        ("[profiles]\na = 1\n", 2, "profiles.a", "expected a table"),
        (
            'default_profile = "nope"\n[profiles.a]\n',
            1,
            "default_profile",
            'no profile named "nope" (profiles: a)',
        ),
        ('token = "x"\n', 1, "token", "belongs to a profile"),
        ("[profiles.a]\ntoken = 42\n", 2, "profiles.a.token", "expected a string, got a number"),
    ],
)
def test_bad_values(config_file, text, line, key, message):
    path = config_file(text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert (caught.value.line, caught.value.key) == (line, key)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: {key}: ")


def test_not_utf8_names_the_line(config_file):
    path = config_file("")
    path.write_bytes(b'theme = "nord"\ntheme2 = "\xff"\n')
    with pytest.raises(ConfigError, match=r":2: not UTF-8"):
        load(path)


def test_unknown_keys_are_warnings_with_line_and_suggestion(config_file):
    path = config_file('theme = "nord"\nrefresh_intervall = 10\n[profiles.a]\ntokn = "x"\n')
    settings = load(path)
    assert settings.warnings == [
        f'{path}:2: refresh_intervall: unknown key, ignored (did you mean "refresh_interval"?)',
        f'{path}:4: profiles.a.tokn: unknown key, ignored (did you mean "token"?)',
    ]


def test_an_unknown_profile_is_an_error(config_file):
    path = config_file('[profiles.home]\ntoken = "x"\n[profiles.work]\ntoken = "y"\n')
    with pytest.raises(ConfigError) as caught:
        load(path, profile="nope")
    assert str(caught.value) == f'{path}: --profile: no profile named "nope" (profiles: home, work)'


def test_an_unknown_profile_without_a_file_suggests_init(tmp_path):
    with pytest.raises(ConfigError, match="kiteboard init --profile work"):
        load(tmp_path / "none.toml", profile="work")


def test_several_profiles_need_a_default(config_file):
    path = config_file('[profiles.home]\ntoken = "x"\n[profiles.work]\ntoken = "y"\n')
    with pytest.raises(ConfigError, match="set default_profile or pass --profile"):
        load(path)


def test_token_and_token_command_together_is_an_error(config_file):
    path = config_file('[profiles.a]\ntoken = "x"\ntoken_command = "pass show km"\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert (caught.value.line, caught.value.key) == (3, "profiles.a.token_command")
    assert "not both" in caught.value.message


def test_a_token_with_spaces_is_refused_without_being_shown(config_file):
    path = config_file(f'[profiles.a]\ntoken = "{SECRET} extra"\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert SECRET not in str(caught.value) and "spaces" in str(caught.value)


# --- plain http ----------------------------------------------------------------------


def test_plain_http_to_another_host_is_refused(config_file):
    path = config_file(
        f'[profiles.a]\nbase_url = "http://kitemaker.example.com/v1"\ntoken = "{SECRET}"\n'
    )
    with pytest.raises(InsecureBaseURLError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:2: profiles.a.base_url: refusing plain http")
    assert "unencrypted" in message and SECRET not in message
    assert caught.value.exit_code == exit_codes.EXIT_USAGE


def test_plain_http_from_the_flag_is_refused(tmp_path):
    with pytest.raises(
        InsecureBaseURLError, match=r"^--base-url: refusing plain http to 10\.0\.0\.5"
    ):
        load(tmp_path / "none.toml", base_url="http://10.0.0.5:8765/developers/rest/v1")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/developers/rest/v1",
        "http://localhost:1/x",
        "http://[::1]:99/x",
        "https://kitemaker.example.com/x",
    ],
)
def test_loopback_http_and_https_are_fine(tmp_path, url):
    assert load(tmp_path / "none.toml", base_url=url + "/").base_url == url


def test_a_url_with_credentials_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="user name or password"):
        load(tmp_path / "none.toml", base_url="https://me:pw@example.com/x")


# --- permissions ---------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_file_others_can_read_is_warned_about(config_file):
    path = config_file(f'[profiles.a]\ntoken = "{SECRET}"\n', mode=0o644)
    (warning,) = load(path).warnings
    assert "readable by other users (mode 644); it holds a token" in warning
    assert f"chmod 600 {path}" in warning


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_group_readable_file_without_a_token_is_warned_about_too(config_file):
    path = config_file('theme = "nord"\n', mode=0o640)
    (warning,) = load(path).warnings
    assert "mode 640" in warning and "holds a token" not in warning and "chmod 600" in warning


def test_a_private_file_gets_no_warning(config_file):
    assert load(config_file(f'[profiles.a]\ntoken = "{SECRET}"\n')).warnings == []


# --- profiles ------------------------------------------------------------------------

TWO_PROFILES = f"""
default_profile = "home"

[profiles.home]
token = "home-token"
default_space = "Garden"

[profiles.work]
base_url = "http://127.0.0.1:8765/developers/rest/v1"
token = "{SECRET}"
default_space = "Platform"
space_keys = {{ "Platform" = "PLAT" }}
"""


def test_profile_switching(config_file):
    path = config_file(TWO_PROFILES)
    home = load(path)
    assert (home.profile, home.default_space, home.token.reveal()) == (
        "home",
        "Garden",
        "home-token",
    )
    assert home.base_url == DEFAULT_BASE_URL
    work = load(path, profile="work")
    assert (work.profile, work.default_space, work.space_keys) == (
        "work",
        "Platform",
        {"Platform": "PLAT"},
    )
    assert work.base_url == "http://127.0.0.1:8765/developers/rest/v1"
    assert work.token.reveal() == SECRET
    assert load(path, environ={"KITEBOARD_PROFILE": "work"}).profile == "work"
    assert load(path, profile="home", environ={"KITEBOARD_PROFILE": "work"}).profile == "home"


def test_the_base_url_flag_overrides_the_profile(config_file):
    path = config_file(TWO_PROFILES)
    settings = load(path, profile="work", base_url="https://other.example.com/api")
    assert settings.base_url == "https://other.example.com/api"


def test_list_profiles(config_file):
    path = config_file(TWO_PROFILES)
    profiles = list_profiles(path)
    assert [(p.name, p.is_default, p.token_origin) for p in profiles] == [
        ("home", True, "token"),
        ("work", False, "token"),
    ]
    assert list_profiles(load(path)) == profiles


def test_switching_profile_in_the_app_does_not_carry_the_env_token(config_file):
    path = config_file(TWO_PROFILES)
    env = {"KITEMAKER_TOKEN": "env-token-for-home"}
    home = load(path, environ=env)
    assert home.token.reveal() == "env-token-for-home"
    work = switch_profile(home, "work", environ=env)
    assert work.profile == "work" and work.token.reveal() == SECRET
    assert switch_profile(work, "work", environ=env).token.reveal() == "env-token-for-home"


def test_unknown_keymap_ids_name_the_line(config_file):
    path = config_file('\n[keymap]\n"board.down" = "j"\nboard.upp = "k"\n')
    warnings = unknown_keymap_ids(load(path), ["board.down", "board.up"])
    assert warnings == [
        f'{path}:4: keymap."board.upp": no binding has this id (did you mean "board.up"?)'
    ]


# --- the token stays secret ----------------------------------------------------------


def test_the_token_never_shows(config_file):
    path = config_file(TWO_PROFILES)
    settings = load(path, profile="work")
    token = settings.token
    for text in (repr(settings), str(settings), repr(token), str(token), f"{token}", f"{token!r}"):
        assert SECRET not in text
    with pytest.raises(TypeError):
        pickle.dumps(token)


# --- the command line ----------------------------------------------------------------


# --- the line finder -----------------------------------------------------------------


def test_key_lines_skip_multiline_values_and_understand_quotes():
    text = '''# a comment with key = "value"
title = """
fake = 1
"""
list = [
  "a", # comment ]
  "b",
]
"quoted.key" = 1
dotted . inner = 2  # spaces around the dot
[ profiles . "my work" ]
token = 'x'
[[arr]]
item = 1
'''
    lines = key_lines(text)
    assert ("fake",) not in lines
    assert lines[("title",)] == 2 and lines[("list",)] == 5
    assert lines[("quoted.key",)] == 9
    assert lines[("dotted", "inner")] == 10
    assert lines[("profiles", "my work")] == 11
    assert lines[("profiles", "my work", "token")] == 12
    assert lines[("arr", "item")] == 14


# --- the example file ----------------------------------------------------------------


def test_the_example_file_documents_every_key_and_loads_cleanly(tmp_path):
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    path = tmp_path / "config.toml"
    path.write_text(example.read_text())
    path.chmod(0o600)
    settings = load(path)
    assert settings.warnings == []
    assert [p.name for p in settings.profiles] == ["work", "emulator"]
    assert load(path, profile="emulator").token.reveal() == "demo"
    data = tomllib.loads(example.read_text())
    assert set(data) == set(config.TOP_KEYS)
    assert set(data["profiles"]["work"]) | set(data["profiles"]["emulator"]) == set(
        config.PROFILE_KEYS
    )
