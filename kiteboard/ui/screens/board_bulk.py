"""The writing keys on the marked cards (board_marks.py): `m` picks one column for all
of them, `H` / `L` move each to the column beside its own. Every card moves at once
(the cursor following its card, if it was marked); the requests go one after the other,
paced as the sync's are (store/write_batch.py); one summary says what happened
(`5 moved to Todo · u undo`), naming a write that failed (its card keeps its mark),
and one `u` undoes the batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.write_batch import BatchResult
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
