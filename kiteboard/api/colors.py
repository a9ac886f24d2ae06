"""Label colors as Kitemaker sends them: six hex digits ("e91e63") or a palette name
("brown"). ``label_color_hex`` turns either into "#rrggbb", or None for anything else,
so a renderer can fall back to a neutral color. Plain Python: cheap to import."""

from __future__ import annotations

import re

# Kitemaker's named palette (from the contract, ../shared/kitemaker-rest-api.md).
NAMED_COLORS: dict[str, str] = {
    "gray": "8D8D8D",
    "mauve": "8E8C99",
    "slate": "8B8D98",
    "sage": "B8BCBA",
    "olive": "898E87",
    "sand": "8D8D86",
    "tomato": "E54D2E",
    "red": "E5484D",
    "ruby": "E54666",
    "crimson": "E93D82",
    "pink": "D6409F",
    "plum": "AB4ABA",
    "purple": "8E4EC6",
    "violet": "6E56CF",
    "iris": "5B5BD6",
    "indigo": "3E63DD",
    "blue": "0090FF",
    "cyan": "00A2C7",
    "teal": "12A594",
    "jade": "29A383",
    "green": "30A46C",
    "grass": "46A758",
    "bronze": "A18072",
    "gold": "978365",
    "brown": "AD7F58",
    "orange": "F76B15",
    "amber": "FFC53D",
    "yellow": "FFE629",
    "lime": "BDEE63",
    "mint": "86EAD4",
    "sky": "7CE2FE",
}

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def label_color_hex(color: str | None) -> str | None:
    """ "#rrggbb" (lowercase) for a hex or named color; None when it is neither."""
    if not isinstance(color, str):
        return None
    text = color.strip()
    match = _HEX.fullmatch(text)
    if match:
        return "#" + match.group(1).lower()
    named = NAMED_COLORS.get(text.lower())
    return "#" + named.lower() if named else None
