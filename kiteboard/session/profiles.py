"""A Session for a profile's account: the one recipe `run.py` (at start) and the in-app
profile switcher share.

A profile's Session paints from the store of the organization last seen at its base URL
and connects with the profile's own token. Switching connects to the new account
*before* the app lets go of the current one: any failure (no token, a token_command
that fails, plain http to another machine, a rejected token, no network) leaves the
person where they were, with a message.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kiteboard.locations import remembered_store
from kiteboard.session.connectors import live_connector
from kiteboard.session.session import Session

if TYPE_CHECKING:
    from kiteboard.config import Settings
    from kiteboard.store.db import Store


def live_session(settings: Settings) -> Session:
    """A Session for the account of `settings`, not connected yet.

    Reads the token first (which may run the profile's token_command, up to its time
    limit): raises MissingTokenError or TokenCommandError when there is none.
    """
    token = settings.token
    store_path = (
        remembered_store(settings.base_url, settings.profile) if settings.store_enabled else None
    )

    def open_store() -> Store | None:
        if store_path is None:
            return None
        from kiteboard.store.db import Store

        return Store.open(store_path)

    return Session(
        connect=live_connector(
            settings.base_url,
            token.reveal,
            space_keys=settings.space_keys,
            store_enabled=settings.store_enabled,
            profile=settings.profile,
        ),
        open_store=open_store,
        refresh_interval=settings.refresh_interval,
    )


class TokenUnchanged(Exception):
    """The token read again is the one Kitemaker refused: it is not sent again."""


async def connect_with_new_token(settings: Settings) -> tuple[Settings, Session]:
    """The same account with its token read again (the config file, the token_command,
    the environment), connected: after a person fixed a token Kitemaker refused.

    Raises TokenUnchanged (nothing sent) when it is still the refused token, else as
    connect_profile does."""
    from kiteboard.config import load_settings

    def read() -> Settings:
        fresh = load_settings(
            config_path=settings.config_path, profile=settings.profile, base_url=settings.base_url
        )
        if fresh.token == settings.token:
            raise TokenUnchanged
        return fresh

    fresh = await asyncio.to_thread(read)
    return fresh, await _connected(fresh)


async def connect_profile(settings: Settings, name: str) -> tuple[Settings, Session]:
    """The settings of profile `name` (same config file) and a Session connected to its
    account, with its list of spaces fresh.

    Raises ConfigError (no such profile, insecure base URL, no token, token_command
    failed; the file may have changed since the start) or the API's errors (token
    rejected, offline). Nothing is left open when it raises.
    """
    from kiteboard.config import switch_profile

    def read() -> Settings:
        # The file is read again and the token_command run here: both may take a
        # while (a password manager may even ask for a passphrase), so off the loop.
        chosen = switch_profile(settings, name)
        chosen.token  # noqa: B018 - resolved now (and remembered) to fail early
        return chosen

    chosen = await asyncio.to_thread(read)
    return chosen, await _connected(chosen)


async def _connected(settings: Settings) -> Session:
    """A Session for `settings`, connected, its list of spaces fresh."""
    session = live_session(settings)
    try:
        await session.connect()
        assert session.engine is not None
        await session.engine.sync_spaces()
    except BaseException:
        await session.aclose()
        raise
    return session
