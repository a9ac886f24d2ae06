"""The person's settings inside the app: the theme picker (live preview, Enter keeps and
remembers, Esc puts back), the profile switcher (two accounts on two emulators over
loopback HTTP; failures keep the current account), the [keymap] typo warning."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.config import load_settings, preferences
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.server import EmulatorServer
from kiteboard.emulator.state import EmulatorState
from kiteboard.session.profiles import live_session
from kiteboard.session.session import Session
from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.profile_picker import ProfilePickerScreen
from kiteboard.ui.screens.space_picker import SpacePickerScreen
from kiteboard.ui.screens.theme_picker import ThemePickerScreen
from tests.pilot_support import record_notifications, wait_until
from tests.ui.demo_store import demo_store, fixed_clock


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


# -- theme ------------------------------------------------------------------------------


def remembering_app(make_app, settings, **options) -> KiteboardApp:
    """The app as run.py wires it: a theme kept is remembered in the state folder."""
    return make_app(
        "KB",
        on_theme_change=lambda theme: preferences.remember_theme(theme, settings),
        settings=settings,
        **options,
    )


@pytest.fixture
def settings(tmp_path):
    return load_settings(config_path=write_config(tmp_path / "config.toml", ""), environ={})


async def test_the_theme_picker_previews_the_highlighted_theme(make_app, settings):
    app = remembering_app(make_app, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        before = app.theme
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemePickerScreen))
        names = list(app.available_themes)
        assert "textual-light" in names and "catppuccin-latte" in names  # light ones too
        await pilot.press("down")
        after = names[names.index(before) + 1]
        await wait_until(pilot, lambda: app.theme == after)  # shown, the picker still open
        assert isinstance(app.screen, ThemePickerScreen)
        await pilot.press("j")
        await wait_until(pilot, lambda: app.theme == names[names.index(before) + 2])
    assert preferences.remembered_theme() is None  # trying themes is not choosing one


async def test_enter_keeps_the_theme_and_it_is_used_next_time(make_app, settings, tmp_path):
    app = remembering_app(make_app, settings, theme="nord")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.theme == "nord"
        assert preferences.remembered_theme() is None  # the start is nobody's choice
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemePickerScreen))
        names = list(app.available_themes)
        target = "solarized-light"
        steps = names.index(target) - names.index("nord")
        await pilot.press(*(["down"] * steps), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.theme == target
    assert preferences.remembered_theme() == target
    assert preferences.startup_theme(settings) == target

    # The next start opens with it (a new app, as run.py builds it).
    store = demo_store(tmp_path / "again.sqlite3")
    again = KiteboardApp(
        Session(connect=None, open_store=lambda: store),
        AppOptions(space="KB", connect=False, theme=preferences.startup_theme(settings)),
    )
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, BoardScreen))
        assert again.theme == target


async def test_escape_puts_back_the_theme_in_use(make_app, settings):
    app = remembering_app(make_app, settings, theme="dracula")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemePickerScreen))
        await pilot.press("up", "up", "up")
        await wait_until(pilot, lambda: app.theme != "dracula")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.theme == "dracula"
    assert preferences.remembered_theme() is None


# -- profiles: two accounts on two emulators ----------------------------------------------


def acme_state() -> EmulatorState:
    """A second organization, unlike the demo's: other name, other spaces, other items."""
    state = EmulatorState(seed=7)
    state.add_actor("Wile E. Coyote", "user")
    state.set_organization("Acme Rockets", 1_700_000_000_000, 1_700_000_000_000)
    for name, key, titles in (
        ("Launchpad", "LP", ["Countdown checklist", "Fuel the booster"]),
        ("Payload", "PAY", ["Anvil mount"]),
    ):
        space = state.add_space(name, key)
        todo = state.add_status(space.id, "Todo")
        state.add_status(space.id, "Done")
        for title in titles:
            item = state.create_item(title=title, status_id=todo.id)
        state.add_comment(item.id, "On it")  # the feed tells the space's key
    return state


@pytest.fixture
def two_accounts(tmp_path) -> Iterator[Path]:
    """A config with two profiles, each on its own emulator (its own token)."""
    north = EmulatorServer(Emulator(build_demo_state(seed=1), token="north-token"))
    acme = EmulatorServer(Emulator(acme_state(), token="acme-token"))
    with north as north_url, acme as acme_url:
        yield write_config(
            tmp_path / "config.toml",
            f"""\
default_profile = "north"

[profiles.north]
base_url = "{north_url}"
token = "north-token"
default_space = "Kiteboard"

[profiles.acme]
base_url = "{acme_url}"
token = "acme-token"
""",
        )


def live_app(config: Path, **options) -> KiteboardApp:
    """The app as run.py builds it for a config file's default profile."""
    settings = load_settings(config_path=config, environ={})
    return KiteboardApp(
        live_session(settings),
        AppOptions(space=settings.default_space, settings=settings, clock=fixed_clock, **options),
    )


async def choose_profile(pilot, name: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))
    names = [p.name for p in app.screen.profiles]
    current = names.index(app.settings.profile)
    steps = names.index(name) - current
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")


def shown_spaces(screen: SpacePickerScreen) -> list[str]:
    option_list = screen.query_one("#picker-list", OptionList)
    return [
        str(option_list.get_option_at_index(i).prompt).split("  ")[0]
        for i in range(option_list.option_count)
    ]


async def test_switching_profile_shows_the_other_organization(two_accounts, monkeypatch):
    app = live_app(two_accounts)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.session.connected)
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.screen.space.name == "Kiteboard"
        north_session = app.session

        await choose_profile(pilot, "acme")
        # acme has no default space and was never opened: the picker, with its spaces.
        await wait_until(pilot, lambda: isinstance(app.screen, SpacePickerScreen))
        assert app.settings is not None and app.settings.profile == "acme"
        assert app.session is not north_session and north_session.store is None  # closed
        assert app.session.store.read.organization().name == "Acme Rockets"
        assert sorted(shown_spaces(app.screen)) == ["Launchpad", "Payload"]
        assert ("Profile", "Profile acme (Acme Rockets)") in notes

        await pilot.press("enter")  # opens the highlighted space, synced from acme
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        board = app.screen
        await wait_until(
            pilot,
            lambda: any(
                card.title == "Countdown checklist"
                for column in board.board.columns
                for card in column.cards.cards
            ),
        )

        await choose_profile(pilot, "north")  # and back: its default space
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, BoardScreen) and app.screen.space.name == "Kiteboard",
        )
        assert app.settings.profile == "north"
        assert app.session.store.read.organization().name == "Northwind Labs"


async def test_the_palette_switches_profile(two_accounts):
    from tests.ui.test_commands import open_palette, palette_options, type_in_palette

    app = live_app(two_accounts)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await open_palette(pilot)
        await type_in_palette(pilot, "profile acme", "Switch profile: acme")
        assert palette_options(app)[0] == "Switch profile: acme"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SpacePickerScreen))
        assert app.settings is not None and app.settings.profile == "acme"


@pytest.fixture
def broken_profiles(tmp_path) -> Iterator[Path]:
    """The profile in use, and others that cannot be switched to, each for its reason."""
    with EmulatorServer(Emulator(acme_state(), token="right-token")) as url:
        yield write_config(
            tmp_path / "config.toml",
            f"""\
default_profile = "north"

[profiles.north]
base_url = "http://127.0.0.1:9/developers/rest/v1"
token = "north-token"

[profiles.plain]
base_url = "http://kitemaker.example.com/developers/rest/v1"
token = "t"

[profiles.notoken]
base_url = "{url}"

[profiles.failing]
base_url = "{url}"
token_command = "false"

[profiles.rejected]
base_url = "{url}"
token = "wrong-token"
""",
        )


@pytest.mark.parametrize(
    ("profile", "why"),
    [
        ("plain", "refusing plain http to kitemaker.example.com"),
        ("notoken", "no token: set KITEMAKER_TOKEN"),
        ("failing", "profiles.failing.token_command: false failed with exit status 1"),
        ("rejected", "Kitemaker did not accept the token of profile rejected"),
    ],
)
async def test_a_failing_switch_keeps_the_current_profile(
    broken_profiles, make_app, store, monkeypatch, profile, why
):
    settings = load_settings(config_path=broken_profiles, environ={})
    app = make_app("KB", settings=settings)  # north, from the warm store
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        session, board = app.session, app.screen
        await choose_profile(pilot, profile)
        await wait_until(
            pilot, lambda: any(title == "Still on profile north" for title, _ in notes)
        )
        message = next(text for title, text in notes if title == "Still on profile north")
        assert why in message
        assert "wrong-token" not in message and "right-token" not in message
        assert app.settings.profile == "north"
        assert app.session is session and session.store is store
        assert app.screen is board
        await pilot.press("j")  # the board still works
        await pilot.pause()


async def test_the_switcher_says_when_there_is_nothing_to_switch_to(tmp_path, make_app):
    config = write_config(
        tmp_path / "config.toml",
        '[profiles.solo]\nbase_url = "http://127.0.0.1:9/developers/rest/v1"\ntoken = "t"\n',
    )
    app = make_app("KB", settings=load_settings(config_path=config, environ={}))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))
        note = str(app.screen.query_one("#profile-note", Static).render())
        assert "solo is the only profile" in note and "kiteboard init --profile NAME" in note
        await pilot.press("enter")  # nothing to switch to: nothing happens
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.settings.profile == "solo"


async def test_the_demo_has_no_profiles(tmp_path, store):
    app = KiteboardApp(
        Session(connect=None, open_store=lambda: store, demo=True),
        AppOptions(space="KB", clock=fixed_clock, connect=False),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))
        note = str(app.screen.query_one("#profile-note", Static).render())
        assert "The demo has no profiles" in note
        assert not app.screen.query("#profile-list")


def test_the_profile_option_selects_the_profile_at_start(two_accounts, monkeypatch):
    """`kiteboard --profile acme`: run.py builds the app for acme's account."""
    from kiteboard.cli.main import build_parser
    from kiteboard.ui import run

    built: list[KiteboardApp] = []
    monkeypatch.setattr(KiteboardApp, "run", lambda self, **kw: built.append(self))
    args = build_parser().parse_args(["--config", str(two_accounts), "--profile", "acme"])
    assert isinstance(args, argparse.Namespace)
    assert run.run_app(args) == 0
    (app,) = built
    acme = load_settings(config_path=two_accounts, profile="acme", environ={})
    assert app.settings is not None and app.settings.profile == "acme"
    assert app.settings.base_url == acme.base_url


# -- keymap -----------------------------------------------------------------------------


async def test_keymap_ids_that_match_no_binding_are_warned_about(tmp_path, make_app, monkeypatch):
    config = write_config(
        tmp_path / "config.toml",
        """\
[keymap]
"board.down" = "n"
"board.dwon" = "j"
"form.send" = "ctrl+enter"
"app.theme" = "f2"
""",
    )
    settings = load_settings(config_path=config, environ={})
    app = make_app("KB", settings=settings, keymap=settings.keymap)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: any(title == "Config" for title, _ in notes))
        await pilot.pause()
        warnings = [text for title, text in notes if title == "Config"]
        # Only the typo: the ids of forms and of the app's own keys are known too.
        assert warnings == [
            f'{config}:3: keymap."board.dwon": no binding has this id (did you mean "board.down"?)'
        ]
        await pilot.press("f2")  # and the remapped keys work
        await wait_until(pilot, lambda: isinstance(app.screen, ThemePickerScreen))


async def test_a_theme_that_does_not_exist_is_warned_about_with_the_closest_name(
    tmp_path, make_app, monkeypatch
):
    config = write_config(tmp_path / "config.toml", 'refresh_interval = 30\ntheme = "nrod"\n')
    settings = load_settings(config_path=config, environ={})
    app = make_app("KB", settings=settings, theme=settings.theme)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: any(title == "Config" for title, _ in notes))
        warnings = [text for title, text in notes if title == "Config"]
        assert warnings == [
            f'{config}:2: theme: no theme named "nrod", ignored (did you mean "nord"?)'
        ]
        assert app.theme == "textual-dark"  # the default, not a crash
