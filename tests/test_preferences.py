"""The theme picked in the app is remembered in the state folder, never in the config
file; a later edit of the config's `theme` wins; NO_COLOR is respected."""

from __future__ import annotations

import os
import stat

from kiteboard.config import load_settings
from kiteboard.config.preferences import no_color, remember_theme, remembered_theme, startup_theme


def settings_with_theme(tmp_path, theme: str | None):
    path = tmp_path / "config.toml"
    path.write_text(f'theme = "{theme}"\n' if theme else "")
    path.chmod(0o600)
    return load_settings(config_path=path, environ={})


def test_nothing_remembered_at_first(tmp_path):
    assert remembered_theme() is None
    assert startup_theme(settings_with_theme(tmp_path, None)) is None
    assert startup_theme(settings_with_theme(tmp_path, "nord")) == "nord"


def test_the_picked_theme_is_remembered_in_the_state_folder(tmp_path, isolated_environment):
    config = tmp_path / "config.toml"
    settings = settings_with_theme(tmp_path, None)
    before = config.read_text()
    assert remember_theme("textual-light", settings)
    assert remembered_theme() == "textual-light"
    assert startup_theme(settings) == "textual-light"
    assert config.read_text() == before  # the user's config is never rewritten
    state = isolated_environment / ".local" / "state" / "kiteboard" / "preferences.json"
    assert state.exists()
    if os.name == "posix":
        assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_the_pick_wins_over_the_config_theme_it_was_picked_against(tmp_path):
    nord = settings_with_theme(tmp_path, "nord")
    remember_theme("dracula", nord)
    assert startup_theme(nord) == "dracula"
    # the user then edits the config file: their newer word wins
    assert startup_theme(settings_with_theme(tmp_path, "gruvbox")) == "gruvbox"


def test_a_damaged_state_file_is_ignored(isolated_environment, tmp_path):
    state = isolated_environment / ".local" / "state" / "kiteboard"
    state.mkdir(parents=True)
    (state / "preferences.json").write_text("{not json")
    assert remembered_theme() is None
    assert remember_theme("nord", settings_with_theme(tmp_path, None))
    assert remembered_theme() == "nord"


def test_no_color():
    assert no_color({"NO_COLOR": "1"})
    assert not no_color({"NO_COLOR": ""})  # https://no-color.org: empty means unset
    assert not no_color({})
