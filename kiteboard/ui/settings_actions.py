"""SettingsActions: what the app does with the person's settings, as a base class of
the app.

    class KiteboardApp(SettingsActions, App[int]): ...

- ctrl+t (app.theme) opens the theme picker; the theme kept is remembered through
  `AppOptions.on_theme_change` (only then: never at start, never while previewing).
- ctrl+p (app.profile) opens the profile switcher; the chosen profile's account is
  connected first, then shown (`KiteboardApp.show_session`); a failure keeps the
  current one and says why.
- At start, [keymap] ids that name no command of the registry, and a `theme`
  that names no theme, are warned about.

The bindings themselves are in KiteboardApp.BINDINGS, with the app's others. The
screens are imported when first opened: nothing here is on the first paint's path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App

if TYPE_CHECKING:
    from kiteboard.app import AppOptions
    from kiteboard.config import Settings
    from kiteboard.session.session import Session
    from kiteboard.store.rows import SpaceRow


class SettingsActions(App[int]):
    options: AppOptions
    session: Session
    _switched_settings: Settings | None = None  # after a profile switch
    _switching_to: str | None = None  # a profile being connected to
    current_space: SpaceRow | None

    @property
    def settings(self) -> Settings | None:
        """The settings of the profile in use (None when the app was given none)."""
        return self._switched_settings or self.options.settings

    # Textual calls the Mount handler of every class of the app, this one included.
    def on_mount(self) -> None:
        settings = self.settings
        if settings is not None and settings.keymap:
            self.call_after_refresh(self.check_keymap, settings)  # after the first paint
        if settings is not None and settings.theme is not None:
            from kiteboard.config import unknown_theme

            warning = unknown_theme(settings, self.available_themes)
            if warning is not None:
                self.notify(warning, title="Config", severity="warning", timeout=8, markup=False)

    def check_keymap(self, settings: Settings) -> None:
        """Warn about [keymap] ids that name no command of the registry (typos)."""
        from kiteboard.config import unknown_keymap_ids
        from kiteboard.ui.commands import command_ids

        for warning in unknown_keymap_ids(settings, command_ids()):
            self.notify(warning, title="Config", severity="warning", timeout=8, markup=False)

    # -- theme -------------------------------------------------------------------------
    def action_pick_theme(self) -> None:
        from kiteboard.ui.screens.theme_picker import ThemePickerScreen

        if not isinstance(self.screen, ThemePickerScreen):
            self.push_screen(ThemePickerScreen(), self._theme_kept)

    def use_theme(self, theme: str) -> None:
        """Show `theme` and remember it (the palette's "Theme: …")."""
        self.theme = theme
        self._theme_kept(theme)

    def _theme_kept(self, theme: str | None) -> None:
        if theme is not None and self.options.on_theme_change is not None:
            self.options.on_theme_change(theme)

    # -- profile -----------------------------------------------------------------------
    def action_pick_profile(self) -> None:
        from kiteboard.ui.screens.profile_picker import ProfilePickerScreen

        if not isinstance(self.screen, ProfilePickerScreen):
            picker = ProfilePickerScreen(self.settings, demo=self.session.demo)
            self.push_screen(picker, self.choose_profile)

    def choose_profile(self, name: str | None) -> None:
        if name is None:
            return
        if self._switching_to is not None:
            self.notify(
                f"Still connecting to profile {self._switching_to}.",
                severity="warning",
                markup=False,
            )
            return
        self.switch_profile(name)

    @work(group="profile", exit_on_error=False)
    async def switch_profile(self, name: str) -> None:
        """Connect to profile `name`'s account, then show it; on failure stay."""
        from kiteboard.session.profiles import connect_profile
        from kiteboard.ui.errors import describe_switch_error
        from kiteboard.ui.widgets.safe_text import safe_line

        settings = self.settings
        if settings is None:
            return
        self._switching_to = name
        self.notify(f"Connecting to profile {name}…", title="Profile", markup=False)
        try:
            chosen, session = await connect_profile(settings, name)
        except Exception as error:
            self.notify(
                describe_switch_error(error, name),
                title=f"Still on profile {settings.profile}",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        finally:
            self._switching_to = None
        self._switched_settings = chosen
        await self.show_session(session, space=chosen.default_space)
        organization = session.store.read.organization() if session.store else None
        where = f" ({safe_line(organization.name, max_chars=60)})" if organization else ""
        self.notify(f"Profile {name}{where}", title="Profile", markup=False)

    # -- a token Kitemaker refused --------------------------------------------------
    @work(group="profile", exclusive=True, exit_on_error=False)
    async def retry_rejected_token(self) -> None:
        """`r` after the token was refused: read it again (the person may have run
        `kiteboard init`, or fixed the token_command); send it only if it changed."""
        from kiteboard.session.profiles import TokenUnchanged, connect_with_new_token
        from kiteboard.ui.errors import TOKEN_REJECTED, describe_error

        settings = self.settings
        if settings is None or self.session.demo:
            self.notify(TOKEN_REJECTED, title="Token rejected", severity="error", markup=False)
            return
        try:
            fresh, session = await connect_with_new_token(settings)
        except TokenUnchanged:
            self.notify(TOKEN_REJECTED, title="Token rejected", severity="error", markup=False)
            return
        except Exception as error:
            title, text, _ = describe_error(error)
            self.notify(text, title=title, severity="error", timeout=10, markup=False)
            return
        self._switched_settings = fresh
        space = self.current_space.id if self.current_space else fresh.default_space
        await self.show_session(session, space=space)
        self.notify("Kitemaker accepted the new token.", title="Connected", markup=False)
        await self.find_wanted_space()  # a key (`--space KB`) a fresh store learns now

    async def find_wanted_space(self) -> None:
        raise NotImplementedError  # KiteboardApp's

    async def show_session(self, session: Session, *, space: str | None) -> None:
        raise NotImplementedError  # KiteboardApp's
