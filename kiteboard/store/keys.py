"""KeyBook: the space keys (the "KB" of KB-12) that reading an item by number needs.

No documented call returns a space's key directly. Where it comes from, first wins:
1. the config (``space_keys``, by space id or name): the user said so;
2. /recent/comments: ``entity.space`` is the key of the commented item's space;
3. what was learned before (kept in the store);
4. the caller's ``key_resolver`` (the UI or the terminal asks the user), tried on a
   known item before it is believed.
A key not confirmed in this process (by comments or by use) is tried once on the newest
known item before a backfill relies on it: keys can be changed in Kitemaker, and a stale
key would make every number look deleted. A 404 on an item we hold (or an item of
another space answering) during a backfill is the other hint that the key went stale:
it is re-learned from the comments, or forgotten.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from kiteboard.store.rows import SpaceRow

if TYPE_CHECKING:
    from kiteboard.store.db import Store

# async def resolver(space, rejected) -> key or None. ``rejected`` is the key the user
# gave last time, which did not work (None at first). Asked at most KEY_ATTEMPTS times.
KeyResolver = Callable[[SpaceRow, str | None], Awaitable[str | None]]
KEY_ATTEMPTS = 3


def key_from_comments(space_id: str, comments: list[Any]) -> str | None:
    for comment in comments:
        entity = getattr(comment, "entity", None)
        if entity is None or not entity.space:
            continue
        if entity.space_id in (None, space_id):
            return str(entity.space)
    return None


class KeyBook:
    def __init__(
        self,
        client: Any,
        store: Store,
        settings: dict[str, str],
        *,
        on_key_changed: Callable[[str], None],
    ) -> None:
        self._client = client
        self._store = store
        self._settings = settings
        self._on_key_changed = on_key_changed
        self._confirmed: set[tuple[str, str]] = set()
        self._problems: dict[str, str] = {}
        self._asked: set[str] = set()

    def setting(self, space: SpaceRow) -> str | None:
        """The key the config gives this space (by id, else by name, any case)."""
        if space.id in self._settings:
            return self._settings[space.id]
        folded = {name.casefold(): key for name, key in self._settings.items()}
        return folded.get(space.name.casefold())

    def apply_settings(self) -> None:
        for space in self._store.read.spaces():
            if (key := self.setting(space)) is not None:
                self._set(space.id, key, "setting")

    def key(self, space_id: str) -> str | None:
        space = self._store.read.space(space_id)
        return space.key if space else None

    def learn(self, space: SpaceRow, comments: list[Any]) -> None:
        """From what a refresh fetched; no requests."""
        setting = self.setting(space)
        if setting is not None:
            self._set(space.id, setting, "setting")
        elif (key := key_from_comments(space.id, comments)) is not None:
            self._set(space.id, key, "comments")
            self._confirmed.add((space.id, key))

    def problem(self, space_id: str) -> str | None:
        """Why the key we have cannot be used (e.g. a wrong one in the config)."""
        return self._problems.get(space_id)

    def missing_message(self, space_id: str, waiting: int) -> str:
        space = self._store.read.space(space_id)
        name = space.name if space else space_id
        problem = self._problems.get(space_id)
        why = problem or f"the key of space “{name}” (as in KEY-12) is unknown"
        return (
            f"{waiting:,} items are still loading: {why}. Set it in the config file, in "
            f'the profile\'s space_keys table: "{name}" = "KEY".'
        )

    async def usable_key(
        self,
        space: SpaceRow,
        resolver: Any,
        *,
        on_item: Callable[[Any, str], None],
        ask_again: bool = True,
    ) -> str | None:
        """A key to fetch this space's items by number with, or None. The resolver is
        asked only when no key works; with ``ask_again`` False, not if it was asked
        before in this process (a background loop must not nag every interval)."""
        space = self._store.read.space(space.id) or space
        key = space.key
        if key and (space.id, key) not in self._confirmed:
            works = await self._works(space.id, key, on_item)
            if works is False:
                if self._store.read.space_key_source(space.id) == "setting":
                    self._problems[space.id] = (
                        f"the key “{key}” from the config does not match space “{space.name}”"
                    )
                    return None
                self._store.write.forget_space_key(space.id)
                key = None
            elif works:
                self._confirmed.add((space.id, key))
        if key is None and resolver is not None and (ask_again or space.id not in self._asked):
            self._asked.add(space.id)
            key = await self._ask(space, resolver, on_item)
        if key is not None:
            self._problems.pop(space.id, None)
        return key

    async def ask(
        self, space: SpaceRow, resolver: Any, *, on_item: Callable[[Any, str], None]
    ) -> str | None:
        """Ask the resolver whatever is known (the person sets the key); the answer is
        tried on an item before it is kept. None: not answered, or no answer worked."""
        self._asked.add(space.id)
        return await self._ask(space, resolver, on_item)

    async def _ask(self, space: SpaceRow, resolver: Any, on_item: Callable[[Any, str], None]):
        rejected: str | None = None
        for _ in range(KEY_ATTEMPTS):
            answer = ((await resolver(space, rejected)) or "").strip()
            if not answer:
                return None
            if await self._works(space.id, answer, on_item) is not False:
                self._set(space.id, answer, "user")
                self._confirmed.add((space.id, answer))
                return answer
            rejected = answer
        return None

    async def handle_stale(
        self, space: SpaceRow, key: str, number: int, *, on_item: Callable[[Any, str], None]
    ) -> None:
        """A backfill met a 404 on an item we hold (or another space's item): find out
        whether the key or the item is what changed."""
        self._confirmed.discard((space.id, key))
        works = await self._works(space.id, key, on_item, other_than=number)
        if works:
            # The key is fine: that one item was deleted a moment ago. The next
            # /metadata/workitems removes it; do not ask for it again meanwhile.
            self._confirmed.add((space.id, key))
            self._store.write.clear_recheck(space.id, number)
            return
        comments = await self._client.recent_comments(space.id, 50)
        fresh = key_from_comments(space.id, comments)
        if fresh and fresh != key:
            self._set(space.id, fresh, "comments")
            self._confirmed.add((space.id, fresh))
        elif self._store.read.space_key_source(space.id) == "setting":
            self._problems[space.id] = (
                f"the key “{key}” from the config does not match space “{space.name}”"
            )
            self._store.write.forget_space_key(space.id)
        else:
            self._store.write.forget_space_key(space.id)
            self._on_key_changed(space.id)

    async def _works(
        self,
        space_id: str,
        key: str,
        on_item: Callable[[Any, str], None],
        *,
        other_than: int | None = None,
    ) -> bool | None:
        """Try the key on the newest item we hold: True/False, None if we hold none."""
        from kiteboard.api.errors import NotFoundError

        number = self._store.read.newest_loaded_number(space_id, other_than=other_than)
        if number is None:
            return None
        try:
            item = await self._client.work_item(key, number)
        except NotFoundError:
            return False
        space = getattr(item, "space", None)
        if space is not None and space.id != space_id:
            return False
        on_item(item, space_id)
        return True

    def _set(self, space_id: str, key: str, source: str) -> None:
        if self._store.write.set_space_key(space_id, key, source):
            self._on_key_changed(space_id)
