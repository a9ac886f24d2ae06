"""Chip styles for label colors as Kitemaker sends them (hex digits or a palette name).

The parsing lives in `kiteboard.api.colors` (plain Python, cheap to import); anything
it does not recognise gets no style of its own and is drawn in the theme's neutral
chip style.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color
from rich.style import Style

from kiteboard.api.colors import label_color_hex


@lru_cache(maxsize=512)
def chip_style(color: str | None) -> Style | None:
    """A chip style (its own background, a readable foreground), or None for neutral."""
    hex_color = label_color_hex(color)
    if hex_color is None:
        return None
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    # Relative luminance decides between dark and light text on the chip.
    luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255
    foreground = Color.from_rgb(0, 0, 0) if luminance > 0.55 else Color.from_rgb(255, 255, 255)
    return Style(bgcolor=Color.from_rgb(red, green, blue), color=foreground)
