"""`kiteboard init` against the emulator: a scripted terminal types tokens; the file it
writes is private, atomic, and keeps everything else that was in it."""

from __future__ import annotations

import argparse
import io
import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from kiteboard import exit_codes
from kiteboard.api.client import KitemakerClient
from kiteboard.api.errors import NetworkError
from kiteboard.cli.init import run_init
from kiteboard.cli.main import main
from kiteboard.config import load_settings
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.server import EmulatorServer
from kiteboard.emulator.state import EmulatorState
from kiteboard.emulator.transport import EmulatorTransport
from kiteboard.ui.screens.first_run import WELCOME

# The in-process transport serves any origin; a loopback one passes the http rule.
BASE_URL = "http://127.0.0.1:8765/developers/rest/v1"
GOOD = "km-GOOD-token-71c3"
BAD = "km-BAD-token-0000"


@pytest.fixture
def emulator():
    state = EmulatorState(seed=1)
    state.set_organization("Acme Kites", 0, 0)
    return Emulator(state, token=GOOD)


class Terminal:
    """Types the given answers at the hidden prompt; records the prompts."""

    def __init__(self, *answers: str | type[BaseException]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def getpass(self, prompt: str) -> str:
        self.prompts.append(prompt)
        answer = self.answers.pop(0)
        if isinstance(answer, type):
            raise answer()
        return answer


class Init:
    """Runs `kiteboard init` in-process against the emulator."""

    def __init__(self, emulator: Emulator, path: Path) -> None:
        self.emulator = emulator
        self.path = path
        self.out = ""
        self.err = ""

    def factory(self, base_url: str, token: str) -> KitemakerClient:
        return KitemakerClient(base_url, token, transport=EmulatorTransport(self.emulator))

    def __call__(self, *answers, profile=None, base_url=BASE_URL, environ=None) -> int:
        terminal = Terminal(*answers)
        args = argparse.Namespace(config=str(self.path), profile=profile, base_url=base_url)
        out, err = io.StringIO(), io.StringIO()
        code = run_init(
            args,
            getpass=terminal.getpass,
            client_factory=self.factory,
            environ=environ or {},
            out=out,
            err=err,
        )
        self.out, self.err, self.prompts = out.getvalue(), err.getvalue(), terminal.prompts
        return code

    def data(self) -> dict:
        return tomllib.loads(self.path.read_text())


@pytest.fixture
def init(emulator, tmp_path):
    return Init(emulator, tmp_path / "conf" / "config.toml")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_run_checks_the_token_and_writes_a_private_file(init):
    assert init(GOOD) == exit_codes.EXIT_OK
    assert "Token accepted: organization Acme Kites" in init.out
    assert init.data() == {
        "default_profile": "default",
        "profiles": {"default": {"base_url": BASE_URL, "token": GOOD}},
    }
    if os.name == "posix":
        assert mode(init.path) == 0o600
        assert mode(init.path.parent) == 0o700
    assert f"Wrote {init.path}" in init.out
    assert "Next: run `kiteboard`" in init.out
    assert GOOD not in init.out + init.err
    assert "hidden" in init.prompts[0]
    settings = load_settings(config_path=init.path, environ={})
    assert settings.token.reveal() == GOOD and settings.warnings == []
    assert list(init.path.parent.iterdir()) == [init.path]  # no temporary file left


def test_it_says_where_to_get_a_token_in_the_welcome_screens_words(init):
    assert init(GOOD) == exit_codes.EXIT_OK
    where = "in Kitemaker press Ctrl+K (Cmd+K on a Mac), choose Manage developer settings"
    assert f"To get a token: {where}" in init.out
    assert where in WELCOME.plain


def test_a_rejected_token_is_asked_again(init):
    assert init(BAD, GOOD) == exit_codes.EXIT_OK
    assert "Kitemaker rejected this token; try again (2 tries left)" in init.err
    assert len(init.prompts) == 2
    assert init.data()["profiles"]["default"]["token"] == GOOD


def test_three_rejected_tokens_exit_3_and_write_nothing(init):
    assert init(BAD, "  ", BAD) == exit_codes.EXIT_AUTH
    assert "the token is empty" in init.err
    assert "no token accepted after 3 tries: nothing was written" in init.err
    assert BAD not in init.out + init.err
    assert not init.path.exists()


def test_ctrl_c_and_end_of_input_write_nothing_and_show_no_traceback(init):
    assert init(KeyboardInterrupt) == exit_codes.EXIT_INTERRUPTED
    assert "cancelled: nothing was written" in init.err and "Traceback" not in init.err
    assert init(EOFError) == exit_codes.EXIT_AUTH
    assert not init.path.exists()


def test_an_unreachable_server_writes_nothing(init):
    class Unreachable:
        async def organization(self):
            raise NetworkError("Could not reach Kitemaker (connection refused)")

        async def aclose(self):
            pass

    init.factory = lambda base_url, token: Unreachable()
    assert init(GOOD) == exit_codes.EXIT_ERROR
    assert "could not check the token: Could not reach Kitemaker" in init.err
    assert not init.path.exists()


def test_a_wrong_base_url_says_so(init):
    assert init(GOOD, base_url="http://127.0.0.1:9/not-the-api") == exit_codes.EXIT_ERROR
    assert "is the base URL right?" in init.err


def test_plain_http_to_another_host_is_refused_before_asking(init):
    assert init(GOOD, base_url="http://kitemaker.example.com/developers/rest/v1") == 2
    assert "refusing plain http" in init.err and init.prompts == []


def test_a_broken_file_is_left_alone(init):
    init.path.parent.mkdir()
    init.path.write_text("theme = \n")
    assert init(GOOD) == exit_codes.EXIT_USAGE
    assert f"{init.path}:1: TOML syntax error" in init.err
    assert init.path.read_text() == "theme = \n"


EXISTING = """\
# My kiteboard settings
theme = "nord"  # the dark one
refresh_interval = 60

[keymap]
"board.down" = "j,down"

# the work account
[profiles.work]
base_url = "http://127.0.0.1:8765/developers/rest/v1"
token_command = "pass show kitemaker"
default_space = "Platform"

[profiles.work.space_keys]
Platform = "PLAT"
"""


def write_existing(path: Path, text: str = EXISTING, file_mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(file_mode)


def test_adding_a_profile_keeps_everything_else_and_the_comments(init):
    write_existing(init.path)
    assert init(GOOD, profile="home") == exit_codes.EXIT_OK
    text = init.path.read_text()
    # there was no default_profile: it is added below the opening comment
    assert text.startswith('# My kiteboard settings\ndefault_profile = "home"\ntheme = "nord"')
    assert EXISTING.split("\n", 1)[1] in text
    data = init.data()
    assert data["theme"] == "nord" and data["keymap"] == {"board.down": "j,down"}
    assert data["profiles"]["work"]["token_command"] == "pass show kitemaker"
    assert data["profiles"]["home"] == {"base_url": BASE_URL, "token": GOOD}
    if os.name == "posix":
        assert mode(init.path) == 0o600  # even though it was 0644 before
    assert "comments" not in init.out  # nothing lost, nothing to say


def test_running_init_twice_updates_the_profile_in_place(init):
    write_existing(init.path, 'default_profile = "work"\n' + EXISTING)
    assert init(GOOD, profile="home") == exit_codes.EXIT_OK
    assert "Next: run `kiteboard --profile home`" in init.out
    init.emulator = Emulator(init.emulator.state, token="km-NEWER-token")  # token rotated
    assert init("km-NEWER-token", profile="home") == exit_codes.EXIT_OK
    data = init.data()
    assert data["default_profile"] == "work"  # already set: not changed
    assert data["profiles"]["home"]["token"] == "km-NEWER-token"
    assert init.path.read_text().count("[profiles.home]") == 1
    assert "# the work account" in init.path.read_text()
    assert 'Updating profile "home"' in init.out


def test_updating_a_token_command_profile_replaces_the_command(init):
    write_existing(init.path)
    # no --base-url: the profile's own is kept (the in-process emulator serves any origin)
    assert init(GOOD, profile="work", base_url=None) == exit_codes.EXIT_OK
    data = init.data()
    assert data["profiles"]["work"] == {
        "base_url": "http://127.0.0.1:8765/developers/rest/v1",
        "token": GOOD,
        "default_space": "Platform",
        "space_keys": {"Platform": "PLAT"},
    }
    assert 'The token_command of profile "work" was replaced by the token.' in init.out
    text = init.path.read_text()
    assert "# the work account" in text and "token_command" not in text


def test_a_file_it_cannot_edit_in_place_is_rewritten_with_a_backup(init):
    text = '# comment\n[profiles]\nwork = { token = "old-token-1", base_url = "https://a.b/c" }\n'
    write_existing(init.path, text, file_mode=0o600)
    assert init(GOOD, profile="work") == exit_codes.EXIT_OK
    assert init.data()["profiles"]["work"]["token"] == GOOD
    backup = init.path.with_name("config.toml.bak")
    assert backup.read_text() == text
    if os.name == "posix":
        assert mode(backup) == 0o600
    assert f"the previous file is {backup}" in init.out


def test_a_failed_write_leaves_the_old_file_whole(init, monkeypatch):
    write_existing(init.path, file_mode=0o600)

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert init(GOOD, profile="home") == exit_codes.EXIT_ERROR
    assert init.err.count("\n") == 1
    assert f"cannot write {init.path}: the disk is full" in init.err
    assert "Nothing was written" in init.err
    assert init.path.read_text() == EXISTING
    assert sorted(p.name for p in init.path.parent.iterdir()) == ["config.toml"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_a_symlinked_config_stays_a_symlink(init, tmp_path):
    real = tmp_path / "dotfiles" / "kiteboard.toml"
    write_existing(real, file_mode=0o600)
    init.path.parent.mkdir()
    init.path.symlink_to(real)
    assert init(GOOD, profile="home") == exit_codes.EXIT_OK
    assert init.path.is_symlink()
    assert tomllib.loads(real.read_text())["profiles"]["home"]["token"] == GOOD


def test_the_organization_name_is_shown_without_terminal_escapes(init, emulator):
    emulator.state.set_organization("Evil\x1b]0;pwned\x07 Corp\u202e", 0, 0)
    assert init(GOOD) == exit_codes.EXIT_OK
    assert "\x1b" not in init.out and "\x07" not in init.out and "\u202e" not in init.out
    assert "Evil ]0;pwned Corp" in init.out


def test_a_note_when_the_env_token_would_win(init):
    assert init(GOOD, environ={"KITEMAKER_TOKEN": "x"}) == exit_codes.EXIT_OK
    assert "KITEMAKER_TOKEN is set and wins over the saved token" in init.out


def test_init_from_the_command_line_over_real_http(emulator, tmp_path, monkeypatch, capsys):
    import kiteboard.cli.init

    terminal = Terminal(BAD, GOOD)
    monkeypatch.setattr(kiteboard.cli.init, "_ask_for_token", terminal.getpass)
    path = tmp_path / "config.toml"
    with EmulatorServer(emulator) as base_url:
        code = main(["init", "--base-url", base_url, "--config", str(path), "--profile", "w"])
    assert code == exit_codes.EXIT_OK
    captured = capsys.readouterr()
    assert "organization Acme Kites" in captured.out and "rejected" in captured.err
    assert GOOD not in captured.out + captured.err
    settings = load_settings(config_path=path, environ={})
    assert (settings.profile, settings.base_url) == ("w", base_url)
    assert settings.token.reveal() == GOOD


def test_the_token_can_be_piped_in(emulator, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{GOOD}\n"))
    path = tmp_path / "config.toml"
    with EmulatorServer(emulator) as base_url:
        assert main(["init", "--config", str(path), "--base-url", base_url]) == exit_codes.EXIT_OK
    assert load_settings(config_path=path, environ={}).token.reveal() == GOOD
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # nothing piped: no token
    assert main(["init", "--config", str(path), "--base-url", base_url]) == exit_codes.EXIT_AUTH
    assert "no token given" in capsys.readouterr().err
