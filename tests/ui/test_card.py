"""A card's lines: exact width, literal text, chips in their colors."""

from __future__ import annotations

from rich.style import Style

from kiteboard.store.rows import CardRow, LabelRow
from kiteboard.ui.widgets.card import CardStyles, render_card
from kiteboard.ui.widgets.label_colors import chip_style

STYLES = CardStyles(*(Style() for _ in range(8)))


def make_card(title="Title", labels=(), loaded=True, effort="Large", impact="Small"):
    return CardRow("i", "s", 42, title, "st", tuple(labels), effort, impact, None, None, loaded)


def test_lines_are_exactly_the_width_and_title_is_ellipsized():
    lines = render_card(make_card("A very long title " * 5), {}, "KB", 24, STYLES, selected=False)
    assert [line.cell_length for line in lines] == [24, 24, 24]
    assert lines[0].text.strip().startswith("KB-42")
    assert lines[0].text.rstrip().endswith("I:S E:L")
    assert lines[1].text.rstrip().endswith("…")


def test_hostile_title_and_label_are_shown_literally():
    labels = {"l": LabelRow("l", "[red]x\x1b[2J", "nonsense")}
    lines = render_card(make_card("[bold]\x07hi", ["l"]), labels, "KB", 30, STYLES, selected=True)
    text = "".join(line.text for line in lines)
    assert "[bold]hi" in text and "[red]x" in text
    assert "\x1b" not in text and "\x07" not in text


def test_loading_card_says_so():
    lines = render_card(make_card(loaded=False), {}, "KB", 30, STYLES, selected=False)
    assert "loading…" in lines[0].text


def test_chips_that_do_not_fit_are_counted():
    labels = {str(n): LabelRow(str(n), f"label{n}", "e91e63") for n in range(6)}
    lines = render_card(make_card(labels=list(labels)), labels, "KB", 26, STYLES, selected=False)
    assert "label0" in lines[2].text and "+" in lines[2].text


def test_chip_colors_hex_palette_and_fallback():
    assert chip_style("e91e63").bgcolor.triplet.hex == "#e91e63"
    assert chip_style("brown").bgcolor.triplet.hex == "#ad7f58"
    assert chip_style("BROWN") == chip_style("brown")
    # A light color gets dark text, a dark one light text.
    assert chip_style("ffe629").color.triplet.hex == "#000000"
    assert chip_style("3e63dd").color.triplet.hex == "#ffffff"
    for odd in (None, "", "not-a-color", "#12", "red; evil", "\x1b[31m"):
        assert chip_style(odd) is None
