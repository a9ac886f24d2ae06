"""Snapshots of the theme picker, the profile switcher and the board without colors
(NO_COLOR): demo data, fixed clock, 80x24.

Update after looking at every changed picture: `pytest tests/ui/test_settings_snapshots.py
--snapshot-update`, then `rsvg-convert -o x.png <svg>` and look at it.
"""

from __future__ import annotations

from kiteboard.config import load_settings
from kiteboard.ui.screens.profile_picker import ProfilePickerScreen
from kiteboard.ui.screens.theme_picker import ThemePickerScreen


async def settle(pilot, condition=lambda: True) -> None:
    """Let messages, timers and refreshes finish, until `condition()` holds."""
    for _ in range(200):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.02)
        if condition():
            break
    else:
        raise AssertionError("condition never held")
    await pilot.pause()


def test_theme_picker_previews_a_light_theme(snap_compare, make_app):
    async def pick(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ThemePickerScreen))
        await pilot.press("down")  # textual-dark -> textual-light, shown at once
        await settle(pilot, lambda: pilot.app.theme == "textual-light")

    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=pick)


def test_profile_switcher(snap_compare, make_app, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        """\
default_profile = "work"

[profiles.work]
token = "t"
default_space = "Kiteboard"

[profiles.emulator]
base_url = "http://127.0.0.1:8765/developers/rest/v1"
token = "demo"

[profiles.side-project]
base_url = "https://kitemaker.example.com/developers/rest/v1"
default_space = "Platform"
"""
    )
    config.chmod(0o600)
    settings = load_settings(config_path=config, environ={})

    async def open_switcher(pilot):
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ProfilePickerScreen))

    app = make_app("KB", settings=settings)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_switcher)


def test_board_without_colors(snap_compare, make_app, monkeypatch):
    """NO_COLOR: the cursor (bar, bold, underline) and the focused column's header
    (reversed) still show where the person is."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("KB")
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), press=["j", "l"])
