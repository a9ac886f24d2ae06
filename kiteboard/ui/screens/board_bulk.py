"""The writing keys on the marked cards (board_marks.py): `m` picks one column for all
of them, `H` / `L` move each to the column beside its own. Every card moves at once
(the cursor following its card, if it was marked); the requests go one after the other,
paced as the sync's are (store/write_batch.py); one summary says what happened
(`5 moved to Todo · u undo`), naming a write that failed (its card keeps its mark),
and one `u` undoes the batch. `#`, `E`, `I` set labels, effort, impact on the marked
cards (else the cursor's) with the walk's pickers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow
    from kiteboard.store.write_batch import BatchResult
    from kiteboard.store.write_results import ItemFields
    from kiteboard.store.writer import ItemWriter
    from kiteboard.ui.screens.board_writing import WritingHost


class BulkWriting:
    def __init__(self, host: WritingHost) -> None:
        self._host = host

    def pick_column(self, store: Store, writer: ItemWriter, ids: list[str]) -> None:
        """`m` with cards marked: one column for all of them."""
        cards = [card for item_id in ids if (card := store.read.card(item_id)) is not None]
        if not cards:
            return
        from kiteboard.ui.screens.forms import StatusPicker

        statuses = [(s.id, s.name) for s in store.read.statuses(cards[0].space_id)]
        picker = StatusPicker(statuses, None, title=f"{len(cards)} marked cards")

        def picked(status_id: str | None) -> None:
            if status_id is not None:
                self.move(writer, dict.fromkeys(ids, status_id))

        self._host.app.push_screen(picker, picked)

    def move_by(self, store: Store, writer: ItemWriter, ids: list[str], step: int) -> None:
        """`H` / `L` with cards marked: each to the column beside its own."""
        moves: dict[str, str] = {}
        for item_id in ids:
            card = store.read.card(item_id)
            if card is None:
                continue
            columns = [status.id for status in store.read.statuses(card.space_id)]
            if card.status_id in columns:
                index = columns.index(card.status_id) + step
                if 0 <= index < len(columns):
                    moves[item_id] = columns[index]
        if not moves:
            self._host.app.bell()  # every marked card is at the edge already
            return
        self.move(writer, moves)

    def move(self, writer: ItemWriter, moves: dict[str, str]) -> None:
        from kiteboard.store.write_batch import finish_moves, start_moves

        started = start_moves(writer, moves)  # shown now, before the next key
        cursor = self._host.target_item_id()
        if cursor in moves:
            self._host.item_moved(cursor)

        async def send() -> None:
            self._done(await finish_moves(writer, started))

        # Not exclusive: a batch cancelled halfway would leave cards unconfirmed.
        self._host.run_worker(send(), group="board-move", exit_on_error=False)

    def _done(self, result: BatchResult) -> None:
        self._host.marks_done([item_id for item_id, _, _ in result.failed])
        if result.failed:
            self._host.notify(
                safe_line(result.summary(), max_chars=400), severity="warning", markup=False
            )
        else:
            self._host.notify(f"{result.summary()} · u undo", markup=False)

    # -- labels, effort, impact (`#`, `E`, `I`): the marked cards, else the cursor's ----

    def pick_size(self, store: Store, writer: ItemWriter, ids: list[str], kind: str) -> None:
        from kiteboard.store.write_results import normalize_size
        from kiteboard.ui.screens.forms.size_picker import NO_SIZE, SizePicker

        cards = [card for item_id in ids if (card := store.read.card(item_id)) is not None]
        if not cards or kind not in ("effort", "impact"):
            return
        sizes = {normalize_size(getattr(card, kind)) for card in cards}
        current = sizes.pop() if len(sizes) == 1 else None

        def picked(size: str | None) -> None:
            if size is None:
                return
            value = None if size == NO_SIZE else size
            self.edit(writer, ids, lambda f: replace(f, **{kind: value}), f"· {kind} {size}")

        size_kind = "effort" if kind == "effort" else "impact"
        picker = SizePicker(size_kind, current, about=self._about(store, cards))
        self._host.app.push_screen(picker, picked)

    def pick_labels(self, store: Store, writer: ItemWriter, ids: list[str]) -> None:
        """The labels every one of the cards has are shown ticked; what is ticked or
        unticked is added to or taken from each card (its other labels stay)."""
        from kiteboard.ui.screens.forms.label_toggle import LabelToggle
        from kiteboard.ui.screens.forms.labels import LabelChoice

        cards = [card for item_id in ids if (card := store.read.card(item_id)) is not None]
        if not cards:
            return
        common = set(cards[0].label_ids).intersection(*(c.label_ids for c in cards[1:]))
        before = tuple(label for label in cards[0].label_ids if label in common)
        choices = [LabelChoice(x.id, x.name, x.color) for x in store.read.labels(cards[0].space_id)]

        def picked(chosen: tuple[str, ...] | None) -> None:
            if chosen is None:
                return
            added = [label for label in chosen if label not in common]
            removed = common - set(chosen)

            def edit(fields: ItemFields) -> ItemFields:
                kept = [label for label in fields.label_ids if label not in removed]
                return replace(fields, label_ids=tuple(dict.fromkeys([*kept, *added])))

            self.edit(writer, ids, edit, "· labels set")

        toggle = LabelToggle(
            choices,
            before,
            space_id=cards[0].space_id,
            writer=writer,
            about=self._about(store, cards),
        )
        self._host.app.push_screen(toggle, picked)

    def edit(
        self,
        writer: ItemWriter,
        ids: list[str],
        edit: Callable[[ItemFields], ItemFields],
        what: str,
    ) -> None:
        from kiteboard.store.write_batch import edit_items

        async def send() -> None:
            self._done(await edit_items(writer, ids, edit, what))

        self._host.run_worker(send(), group="board-move", exit_on_error=False)

    def _about(self, store: Store, cards: list[CardRow]) -> str:
        if len(cards) == 1:
            from kiteboard.store.undo_names import reference

            return reference(store, cards[0])
        return f"{len(cards)} marked cards"
