"""What the filter reads as one exact item: `KB-123`, `kb-123`, `#123`, or `123`.

A reference typed in the filter names one card: it is put first in its column and the
cursor goes to it, while the other matches (`KB-5` also finds KB-50 … KB-59 and titles
that hold it) stay shown below. A bare number counts too: typed in a board filter it is
almost always a card's number, and the titles that hold it are still listed.
A key of another space (`PLAT-5` on KB's board) names no card here: plain filtering.
"""

from __future__ import annotations


def exact_number(text: str, space_key: str | None) -> int | None:
    """The item number `text` names exactly on the board of `space_key`, if any."""
    text = text.strip()
    if text.startswith("#"):
        digits = text[1:]
    elif "-" in text:
        key, _, digits = text.rpartition("-")
        if space_key is None or key.casefold() != space_key.casefold():
            return None
    else:
        digits = text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return int(digits)
