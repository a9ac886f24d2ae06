"""Drawing one card as a few lines of segments (for the Line API column).

A card is CARD_LINES lines tall and then a gap line, so that the column can find any
line of any card by arithmetic, without laying anything out:

    ▌KB-123                I:L E:M     reference, then impact/effort markers
                                       (`✓ KB-123` when the card is marked: `v`)
    ▌Fix the login page when t…        title, ellipsized to the width
    ▌ bug  frontend  +2                label chips in their own colors

Every string from the API goes through `safe_line` and is put into a Segment as plain
text: nothing here is ever parsed as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from kiteboard.ui.board_model import reference
from kiteboard.ui.widgets.label_colors import chip_style
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.rows import CardRow, LabelRow

CARD_LINES = 3
CARD_HEIGHT = CARD_LINES + 1  # with the gap below

_SIZE_LETTER = {"small": "S", "medium": "M", "large": "L"}


def size_letter(value: str | None) -> str | None:
    """`Large`/`large` -> `L`; anything unexpected is shown cut to one safe character."""
    if not value:
        return None
    letter = _SIZE_LETTER.get(value.strip().lower())
    return letter or (safe_line(value)[:1].upper() or None)


class CardStyles(NamedTuple):
    """Rich styles resolved from the column's component classes (theme-aware)."""

    base: Style  # the card's background and text
    cursor: Style  # the card under the cursor (instead of base)
    gutter: Style  # the bar left of the card under the cursor
    reference: Style
    markers: Style
    loading: Style
    chip: Style  # neutral chip, for labels without a usable color
    more: Style  # "+2" after the chips that fit
    marked: Style = Style(bold=True)  # the "✓" of a marked card


MARK = "✓ "  # before a marked card's reference: a glyph, so NO_COLOR shows it too


def truncate(text: str, width: int) -> str:
    """Cut `text` to `width` cells, ending with an ellipsis when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def _line(parts: list[tuple[str, Style]], width: int, fill: Style) -> Strip:
    segments = [Segment(text, style) for text, style in parts if text]
    used = sum(cell_len(text) for text, _ in parts)
    if used < width:
        segments.append(Segment(" " * (width - used), fill))
    strip = Strip(segments)
    return strip.crop(0, width) if used > width else strip


def render_card(
    card: CardRow,
    labels: Mapping[str, LabelRow],
    space_key: str | None,
    width: int,
    styles: CardStyles,
    *,
    selected: bool,
    marked: bool = False,
) -> list[Strip]:
    """The CARD_LINES strips of one card, each exactly `width` cells."""
    base = styles.cursor if selected else styles.base
    gutter = ("▌", base + styles.gutter) if selected else (" ", base)
    inner = max(0, width - 2)  # gutter on the left, one cell of air on the right

    # Line 1: reference, and impact/effort markers (or "loading…") on the right.
    ref = reference(space_key, card.number)
    if not card.loaded:
        right, right_style = "loading…", base + styles.loading
    else:
        markers = []
        if impact := size_letter(card.impact):
            markers.append(f"I:{impact}")
        if effort := size_letter(card.effort):
            markers.append(f"E:{effort}")
        right, right_style = " ".join(markers), base + styles.markers
    mark = MARK if marked else ""
    room = inner - len(mark)
    ref_text = truncate(ref, max(0, room - cell_len(right) - 1) if right else room)
    gap = max(0, room - cell_len(ref_text) - cell_len(right))
    first = _line(
        [
            gutter,
            (mark, base + styles.marked),
            (ref_text, base + styles.reference),
            (" " * gap, base),
            (right, right_style),
        ],
        width,
        base,
    )

    # Line 2: the title.
    title = truncate(safe_line(card.title) or "(untitled)", inner)
    second = _line([gutter, (title, base)], width, base)

    # Line 3: label chips, as many as fit, then "+N".
    parts: list[tuple[str, Style]] = [gutter]
    used = 0
    label_rows = [labels[label_id] for label_id in card.label_ids if label_id in labels]
    for index, label in enumerate(label_rows):
        name = truncate(safe_line(label.name, max_chars=60), 20)
        chip = f" {name} "
        remaining = len(label_rows) - index - 1
        reserve = len(f" +{remaining}") if remaining else 0
        if used + cell_len(chip) + reserve > inner:
            more = f"+{len(label_rows) - index}"
            if used + cell_len(more) <= inner:
                parts.append((more, base + styles.more))
            break
        style = chip_style(label.color)
        parts.append((chip, styles.chip if style is None else style))
        used += cell_len(chip)
        if used < inner:
            parts.append((" ", base))
            used += 1
    third = _line(parts, width, base)
    return [first, second, third]
