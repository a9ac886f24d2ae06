"""Shared fixtures. Every test runs with its own config/cache folders and no token,
so nothing reads the developer's own files or environment."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    home = tmp_path / "home"
    for var, sub in {
        "HOME": "",
        "XDG_CONFIG_HOME": ".config",
        "XDG_CACHE_HOME": ".cache",
        "XDG_STATE_HOME": ".local/state",
        "XDG_DATA_HOME": ".local/share",
    }.items():
        path = home / sub if sub else home
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    for var in ("KITEMAKER_TOKEN", "KITEBOARD_CONFIG", "NO_COLOR", "EDITOR", "VISUAL"):
        monkeypatch.delenv(var, raising=False)
    return home
