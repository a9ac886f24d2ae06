"""What the activity screen shows: the log's entries as lines, and its filter.

A line: `● KB-12  moved Todo → Done · @ada · 5 min ago  Fix the login form`: a mark
when it is new since the person last looked, the item's reference, what changed, who
(when Kitemaker says; "you" for the person's own writes), when, and the item's title
then (dim). Everything from the API in it is made safe (safe_line) and assembled as
plain text: nothing is read as markup.

The filter (`/`) takes words: a space (its key or a word of its name: `KB`,
`platform`), a kind (`moved`, `comment`, `labels`…, any prefix: `mov`), someone
(`@kenji`, `you`), or a word of the title. Words of one sort widen (`KB PLAT`: both
spaces), sorts narrow (`KB comment`: comments in KB).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.content import Content

from kiteboard.store.activity import KINDS, ActivityRow, describe
from kiteboard.store.rows import SpaceRow
from kiteboard.ui.widgets.safe_text import safe_line
from kiteboard.ui.widgets.sync_state import relative

NEW_MARK = "●"


class Entry(NamedTuple):
    row: ActivityRow
    reference: str  # `KB-12`, `#12` while the space's key is unknown
    space_name: str
    space_key: str
    new: bool  # arrived since the person last looked (never their own)


def entries_of(
    rows: Sequence[ActivityRow], spaces: Sequence[SpaceRow], seen_up_to: int
) -> list[Entry]:
    by_id = {space.id: space for space in spaces}
    entries = []
    for row in rows:
        space = by_id.get(row.space_id)
        key = safe_line(space.key, max_chars=16) if space is not None and space.key else ""
        number = "?" if row.number is None else str(row.number)
        reference = f"{key}-{number}" if key else f"#{number}"
        name = safe_line(space.name, max_chars=60) if space is not None else ""
        entries.append(Entry(row, reference, name, key, row.id > seen_up_to and not row.own))
    return entries


def line(entry: Entry, now: float, reference_width: int) -> Content:
    row = entry.row
    what = safe_line(describe(row), max_chars=200)
    who = ""
    if row.own:
        who = " · you"
    elif row.actor and "comment" not in row.kinds:  # (a comment says by whom already)
        who = f" · {safe_line(row.actor, max_chars=40)}"
    return Content.assemble(
        (f"{NEW_MARK} " if entry.new else "  ", "bold $text-accent"),
        (entry.reference.ljust(reference_width), "bold $text-primary"),
        "  ",
        what,
        who,
        (f" · {relative(now - row.at)}", "$text-muted"),
        "  ",
        (safe_line(row.title, max_chars=120), "$text-muted italic"),
    )


def _matches_space(word: str, entry: Entry) -> bool:
    if entry.space_key and entry.space_key.lower() == word:
        return True
    return any(part.lower().startswith(word) for part in entry.space_name.split())


def _is_space_word(word: str, spaces: Sequence[SpaceRow]) -> bool:
    for space in spaces:
        if (space.key or "").lower() == word:
            return True
        if any(part.lower().startswith(word) for part in safe_line(space.name).split()):
            return True
    return False


def _kind_of(word: str) -> str | None:
    return next((kind for kind in KINDS if kind.startswith(word)), None)


def filtered(entries: Sequence[Entry], query: str, spaces: Sequence[SpaceRow]) -> list[Entry]:
    words = [word.lower() for word in query.split()]
    if not words:
        return list(entries)
    space_words, kinds, others = [], [], []
    for word in words:
        if _is_space_word(word, spaces):
            space_words.append(word)
        elif (kind := _kind_of(word)) is not None:
            kinds.append(kind)
        else:
            others.append(word)

    def keep(entry: Entry) -> bool:
        row = entry.row
        if space_words and not any(_matches_space(word, entry) for word in space_words):
            return False
        if kinds and not any(kind in row.kinds for kind in kinds):
            return False
        for word in others:
            who = "you" if row.own else (row.actor or "").lower()
            places = (who, row.title.lower(), entry.reference.lower())
            if not any(word.lstrip("@") in place or word in place for place in places):
                return False
        return True

    return [entry for entry in entries if keep(entry)]
