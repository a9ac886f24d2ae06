"""Text from the API reaches the terminal literally and harmlessly."""

from __future__ import annotations

import pytest

from kiteboard.ui.widgets.safe_text import MAX_BLOCK_CHARS, safe_block, safe_line


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("[bold]x[/]", "[bold]x[/]"),  # markup stays text: it is never parsed
        ("a\x1b[31mred\x1b[0m", "ared"),  # CSI removed whole, no "[31m" debris
        ("bell\x07", "bell"),
        ("\x1b]0;owned\x07title", "title"),  # OSC (window title) removed with its text
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink escapes
        ("\x9b31mz", "z"),  # 8-bit CSI
        ("\x1bPq#0;2;0;0;0\x1b\\ok", "ok"),  # DCS (sixel) removed
        ("abc\u202edcba", "abcdcba"),  # right-to-left override dropped
        ("a\u200bb\ufeffc\u2066d", "abcd"),  # zero-width and isolates dropped
        ("line\none\r\ntwo\tthree", "line one two three"),
        ("emoji 🎉 ok", "emoji 🎉 ok"),
        ("Ünïcödé 日本語", "Ünïcödé 日本語"),
        (None, ""),
    ],
)
def test_safe_line_shows_text_literally_without_controls(hostile, shown):
    assert safe_line(hostile) == shown


def test_no_control_character_survives_any_byte():
    everything = "".join(chr(c) for c in range(0x00, 0xA0))
    for text in (safe_line(everything), safe_block(everything)):
        assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)


def test_megabyte_title_is_cut_short_with_an_ellipsis():
    shown = safe_line("x" * 1_000_000)
    assert len(shown) <= 2_000
    assert shown.endswith("…")


def test_megabyte_description_is_cut_and_says_so():
    shown = safe_block("word " * 400_000)
    assert len(shown) < MAX_BLOCK_CHARS + 200
    assert "cut: the text is 2,000,000 characters long" in shown


def test_safe_block_keeps_line_breaks_but_not_escapes():
    assert safe_block("# Title\r\n\r\nbody \x1b[2Jtext\tend") == "# Title\n\nbody text    end"


def test_the_fast_path_skips_only_text_the_cleaning_would_leave_as_it_is():
    """safe_line returns printable text untouched, without its regexes: so no printable
    character may be one the regexes remove (checked over every code point)."""
    import sys

    from kiteboard.ui.widgets.safe_text import _clean

    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    assert _clean(printable) == printable
    # ... and everything the cleaning removes takes the slow path.
    for hostile in ("\x1b[31mred", "a\u202eb", "zero\u200bwidth", "tab\there", "bell\x07"):
        assert not hostile.isprintable()
        assert safe_line(hostile) != hostile
