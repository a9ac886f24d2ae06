"""A vertical scroll moved by the same keys as the board: j/k, g/G, ctrl+d/ctrl+u.

Used by the item detail and the help overlay. Keys scroll at once, never animated:
an animation costs every key a few frames, and keys typed during one were lost (six
j's typed quickly scrolled one line).
"""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import VerticalScroll


class KeyScroll(VerticalScroll):
    """Subclasses give their own BINDINGS (from the registry, ui/commands.py)."""

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._scroll_by(-round(self.scroll_y))

    def action_scroll_end(self) -> None:
        self._scroll_by(self.max_scroll_y - round(self.scroll_y))

    def _scroll_by(self, lines: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()  # nothing to scroll: the key may mean something around
        self.scroll_to(y=self.scroll_y + lines, animate=False, immediate=True)
