"""The command palette's providers (`:` or Ctrl+k): what typing there finds.

- the current screen's commands and the app's, from the registry, by title with the
  key shown ("Move card to…  m"); Enter runs the command as its key would;
- the spaces of the organization by name or key ("Open space Design");
- an item by its exact reference (`KB-12`), in whichever space of the store it is;
- the profiles of the config file, and the themes.

Imported when the palette first opens (app.py names these classes lazily), so that
start-up does not pay for it. Text from the API (space names, item titles) is shown
literally: candidates become Content, never markup.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch

from kiteboard.ui import commands
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.app import KiteboardApp
    from kiteboard.store.rows import CardRow, SpaceRow

# An exact item reference: the space's key, a dash, the number ("KB-12", "kb-12").
_REFERENCE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)-(\d+)\s*$")


class _KiteboardProvider(Provider):
    @property
    def kiteboard(self) -> KiteboardApp:
        return self.app  # type: ignore[return-value]

    def _highlighted(self, query: str, text: str) -> tuple[float, Content]:
        """The fuzzy score of `text` for `query`, and `text` with the matches marked
        (Textual's Matcher.highlight would read the text as markup)."""
        score, offsets = FuzzySearch().match(query, text)
        content = Content(text)
        if score and self.match_style is not None:
            for offset in offsets:
                content = content.stylize(self.match_style, offset, offset + 1)
        return score, content


class ScreenCommands(_KiteboardProvider):
    """The registry's commands bound on the screen the palette was opened from, and
    the app's; those that cannot run there now (check_action) are left out."""

    def _runnable(self) -> Iterable[tuple[commands.Command, Callable[[], Any]]]:
        screen = self.screen
        bound = {
            binding.id
            for binding in type(screen).BINDINGS
            if not isinstance(binding, tuple) and binding.id
        }
        for command in commands.COMMANDS:
            if not command.palette:
                continue
            if command.id in bound:
                target: Any = screen
            elif "app" in command.scopes:
                target = self.app
            else:
                continue
            _namespace, name, parameters = parse(command.action)
            if not target.check_action(name, parameters):
                continue
            yield command, partial(target.run_action, command.action)

    def _prompt(self, title: Content, command: commands.Command) -> Content:
        keymap = self.kiteboard.options.keymap
        key = commands.key_label(commands.keys_of(command, keymap).split(",")[0])
        return Content.assemble(title, "  ", (key, "bold $accent"))

    async def discover(self) -> Hits:
        for command, run in self._runnable():
            yield DiscoveryHit(
                self._prompt(Content(command.title), command),
                run,
                text=command.title,
                help=Content(command.description),  # type: ignore[arg-type]
            )

    async def search(self, query: str) -> Hits:
        for command, run in self._runnable():
            score, title = self._highlighted(query, command.title)
            if score > 0:
                yield Hit(
                    score,
                    self._prompt(title, command),
                    run,
                    text=command.title,
                    help=Content(command.description),  # type: ignore[arg-type]
                )


class SpaceCommands(_KiteboardProvider):
    """Open a space by its name or its key."""

    async def search(self, query: str) -> Hits:
        store = self.kiteboard.session.store
        if store is None:
            return
        for space in store.read.spaces():
            name = safe_line(space.name, max_chars=60)
            key = f" ({safe_line(space.key, max_chars=12)})" if space.key else ""
            score, text = self._highlighted(query, f"Open space {name}{key}")
            if score > 0:
                yield Hit(score, text, partial(self._open, space), text=f"Open space {name}")

    def _open(self, space: SpaceRow) -> None:
        current = self.kiteboard.current_space
        if current is None or current.id != space.id:
            self.kiteboard.open_board(space)


class ItemCommands(_KiteboardProvider):
    """Go to an item by its exact reference, `KB-12`, in any space of the store."""

    async def search(self, query: str) -> Hits:
        found = _REFERENCE.match(query)
        store = self.kiteboard.session.store
        if found is None or store is None:
            return
        key, number = found.group(1).upper(), int(found.group(2))
        spaces = [space for space in store.read.spaces() if (space.key or "").upper() == key]
        for space in spaces:
            # (A space's cards: ~10 ms for 5,000, read in a thread.)
            cards = await asyncio.to_thread(store.read.cards, space.id)
            card = next((card for card in cards if card.number == number), None)
            if card is not None:
                reference = f"{space.key}-{number}"
                title = safe_line(card.title, max_chars=80)
                prompt = Content.assemble(("Go to ", "dim"), (reference, "bold"), "  ", title)
                yield Hit(1.0, prompt, partial(self._open, space, card), text=reference)

    async def _open(self, space: SpaceRow, card: CardRow) -> None:
        from kiteboard.ui.screens.board import WIDE_WIDTH, BoardScreen
        from kiteboard.ui.screens.item import ItemScreen

        board = self.app.screen
        if isinstance(board, BoardScreen) and board.space.id == space.id:
            board.reveal_card(card.id)  # the cursor goes there too
            if board.size.width >= WIDE_WIDTH:
                await board.pane.open(card.id)
                return
        await self.app.push_screen(ItemScreen(card.id, space))


class ProfileCommands(_KiteboardProvider):
    """Switch to another profile of the config file."""

    async def search(self, query: str) -> Hits:
        settings = self.kiteboard.settings
        if settings is None or self.kiteboard.session.demo:
            return
        for profile in settings.profiles:
            if profile.name == settings.profile:
                continue
            name = safe_line(profile.name, max_chars=40)
            score, text = self._highlighted(query, f"Switch profile: {name}")
            if score > 0:
                run = partial(self.kiteboard.choose_profile, profile.name)
                yield Hit(score, text, run, text=f"Switch profile: {name}")


class ThemeCommands(_KiteboardProvider):
    """Pick a theme (remembered, as with Ctrl+t)."""

    async def search(self, query: str) -> Hits:
        for name in sorted(self.app.available_themes):
            score, text = self._highlighted(query, f"Theme: {name}")
            if score > 0:
                run = partial(self.kiteboard.use_theme, name)
                yield Hit(score, text, run, text=f"Theme: {name}")
