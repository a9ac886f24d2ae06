"""`kiteboard` (the TUI): settings in, a Session and the app out, run until quit.

Only what the first paint needs is imported before it: the config, the store (SQLite),
Textual. The client (httpx, pydantic) is built by the Session's connector in a worker.
"""

from __future__ import annotations

import argparse
import gc
from typing import Any


def _resume_gc(app: Any) -> None:
    """The first screen is painted. What startup built (modules, classes, widgets, the
    board) is set aside from the collector's scans while the app settles (connecting,
    the first sync), then handed back to it, so that a board replaced later is freed."""
    gc.freeze()
    gc.enable()
    app.set_timer(30.0, gc.unfreeze)


def run_app(args: argparse.Namespace) -> int:
    # Startup allocates some 60,000 objects that live as long as the app; the cyclic
    # collector would scan them again and again (~40 ms before the first paint, twice
    # what a minimal Textual app spends). Refcounting still frees everything acyclic.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    """A bad config (or a token_command that fails) is raised: the command line says it
    in one line, with its exit code."""
    from kiteboard.config import MissingTokenError, load_settings

    settings = load_settings(
        config_path=getattr(args, "config", None),
        profile=getattr(args, "profile", None),
        base_url=getattr(args, "base_url", None),
    )

    from kiteboard.app import AppOptions, KiteboardApp
    from kiteboard.config import preferences
    from kiteboard.session.profiles import live_session
    from kiteboard.session.session import Session

    reset_demo = getattr(args, "reset_demo", False)
    if args.demo or reset_demo:
        from kiteboard.session.demo_world import demo_session

        session = demo_session(
            reset_world=reset_demo,
            keep=settings.store_enabled,
            refresh_interval=settings.refresh_interval,
        )
    else:
        try:
            session = live_session(settings)  # may run the profile's token_command
        except MissingTokenError:
            session = Session(connect=None, needs_token=True)  # the welcome screen

    def remember(theme: str) -> None:
        preferences.remember_theme(theme, settings)

    app = KiteboardApp(
        session,
        AppOptions(
            space=args.space or settings.default_space,
            keymap=settings.keymap,
            theme=preferences.startup_theme(settings),
            on_theme_change=remember,
            settings=settings,
            notices=tuple(settings.warnings),
            on_started=lambda: _resume_gc(app),
        ),
    )
    app.run()
    return app.return_code or 0
