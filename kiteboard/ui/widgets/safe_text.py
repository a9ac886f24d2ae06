"""Make untrusted text (anything from the API) safe to put on a terminal.

Everything the server sends is shown literally: it is never parsed as markup (the UI
builds rich `Text` / Textual `Content` objects from plain strings) and nothing in it
may reach the terminal as a control: escape sequences are removed whole (so no
`[31m` debris is left behind), other C0/C1 controls dropped, and the invisible
characters that can reorder or hide what is shown (bidi overrides and isolates,
zero-width characters) are removed, so that what a person reads is what is there.
Megabytes of text are cut short before any work is done on them.
"""

from __future__ import annotations

import functools
import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC (ESC ] ...
# terminated by BEL or ST), and two-character escapes (ESC + one byte). The 8-bit
# forms (U+009B CSI, U+009D OSC, ...) are handled the same way.
_ESCAPES_PATTERN = r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?               # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])           # OSC, DCS, SOS, PM, APC ...
        .*?(?:\x07|\x1b\\|\x9c|$)                    # ... up to BEL or ST (or the end)
  | \x1b[ -/]*[0-~]?                                 # any other escape
    """

# Controls (C0 but tab/newline, DEL, C1), bidi embeddings/overrides/isolates, and
# zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, the invisible operators).
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DROP_PATTERN = "[\x00-\x08\x0b-\x1f\x7f-\x9f" + _INVISIBLE + _BIDI + "\ufff9-\ufffb]"

# Cut-offs: a title of more than a few screens is not read by anyone, and a
# description is rendered as markdown, whose cost grows with its size.
MAX_LINE_CHARS = 2_000
MAX_BLOCK_CHARS = 100_000


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Compiled on first need (~2 ms): most text is printable and never needs them.
    return re.compile(_ESCAPES_PATTERN, re.VERBOSE | re.DOTALL), re.compile(_DROP_PATTERN)


def _clean(text: str) -> str:
    escapes, drop = _patterns()
    return drop.sub("", escapes.sub("", text))


def safe_line(text: str | None, *, max_chars: int = MAX_LINE_CHARS) -> str:
    """One line of untrusted text (a title, a name): no controls, no line breaks.

    Line breaks and tabs become single spaces; the result is cut to `max_chars`
    (with an ellipsis) so that a megabyte title costs no more than a short one.
    """
    if not text:
        return ""
    if len(text) <= max_chars and text.isprintable():
        # Every character the cleaning removes (controls, escapes' introducers, line
        # breaks, tabs, the invisible and bidi ones: categories Cc and Cf) is one that
        # isprintable() refuses: such text is shown as it is, without the regexes.
        return text
    truncated = len(text) > max_chars * 2
    text = text[: max_chars * 2]  # escapes may shrink it; don't work on megabytes
    text = _clean(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    text = text.replace("\t", " ")
    if len(text) > max_chars or truncated:
        text = text[: max_chars - 1] + "…"
    return text


def safe_block(text: str | None, *, max_chars: int = MAX_BLOCK_CHARS) -> str:
    """Multi-line untrusted text (a description, a comment): line breaks kept.

    Tabs become four spaces; carriage returns are dropped. Text longer than
    `max_chars` is cut, and the cut is said in the text itself.
    """
    if not text:
        return ""
    original_length = len(text)
    text = text[: max_chars + 1_000]
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", "    ")
    if len(text) > max_chars or original_length > max_chars + 1_000:
        text = text[:max_chars] + f"\n\n… (cut: the text is {original_length:,} characters long)"
    return text


def pasted_text(text: str, *, multi_line: bool) -> str:
    """What a paste puts in a field: text only. Escape sequences go whole, other C0/C1
    controls and the bidi and invisible characters go; line breaks (as `\\n`) and tabs
    stay in a multi-line field; a one-line field gets spaces for tabs (and keeps its
    own rule for line breaks: the first line). The same text cleaned twice is the same."""
    if text.isprintable():
        return text
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if multi_line else text.replace("\t", " ")


def safe_text(text: str | None) -> str:
    """The one entry point for short untrusted text shown in the UI (see `safe_line`)."""
    return safe_line(text)
