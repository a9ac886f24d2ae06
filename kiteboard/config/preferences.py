"""What the app remembers between runs (the theme) and what the environment asks for
(NO_COLOR). Kept in the state folder, never in the config file: the user's config is
theirs, and the app never rewrites it behind their back.

The theme to start with is the latest choice: the one picked in the app, unless the
config file's `theme` has changed since that pick (then the file is the newer word).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiteboard.config import Settings

_FILE = "preferences.json"


def _path() -> Path:
    from kiteboard import locations

    return locations.state_dir() / _FILE


def _load() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no file yet, or a damaged one: nothing remembered
    return data if isinstance(data, dict) else {}


def remember_theme(name: str, settings: Settings) -> bool:
    """Remember the theme picked in the app. False if it could not be saved.

    The settings' `theme` is remembered with it, so that a later edit of the config
    file's `theme` wins over this pick.
    """
    from kiteboard.config.write import write_private_file

    data = _load()
    data["theme"] = name
    data["config_theme"] = settings.theme
    try:
        write_private_file(_path(), json.dumps(data, indent=2) + "\n")
    except OSError:
        return False
    return True


def remembered_theme() -> str | None:
    """The theme last picked in the app, if any."""
    theme = _load().get("theme")
    return theme if isinstance(theme, str) and theme else None


def startup_theme(settings: Settings) -> str | None:
    """The theme to start with: the app's remembered pick, unless the config's `theme`
    changed after it; else the config's; None means Textual's default.

    The name may not exist (a theme from another version): the UI checks it against
    `app.available_themes` and falls back.
    """
    data = _load()
    picked = remembered_theme()
    if picked and (settings.theme is None or data.get("config_theme") == settings.theme):
        return picked
    return settings.theme


def no_color(environ: Mapping[str, str] = os.environ) -> bool:
    """NO_COLOR (https://no-color.org): set and not empty means no color."""
    return bool(environ.get("NO_COLOR"))
