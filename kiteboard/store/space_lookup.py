"""Finding a space by what a person calls it: its id, its name, or its key (KB in KB-12).

Ids and names come with /metadata/spaces; keys do not (the REST API carries a space's
key only in comments), so a key someone types on the first run may not be known yet.
Rather than refuse it, `find_space` learns the missing keys from each space's newest
comment (one request per space whose key is unknown) and looks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from kiteboard.store.rows import SpaceRow

if TYPE_CHECKING:
    from kiteboard.store.sync import SyncEngine


def match_space(
    spaces: Sequence[SpaceRow], wanted: str, key_of: Callable[[SpaceRow], str | None]
) -> SpaceRow | None:
    """The space whose id, name or key is `wanted` (names and keys in any case)."""
    folded = wanted.strip().casefold()
    for space in spaces:
        if space.id == wanted.strip():
            return space
    for space in spaces:
        if space.name.casefold() == folded:
            return space
    for space in spaces:
        key = key_of(space)
        if key and key.casefold() == folded:
            return space
    return None


def find_stored_space(
    spaces: Sequence[SpaceRow], wanted: str | None, space_keys: Mapping[str, str] | None = None
) -> SpaceRow | None:
    """A space by id, name or key among those the store holds (no request: the app's
    first frame); a key the config gives (`space_keys`, by space id or name) counts
    before the store knows it."""
    if not wanted:
        return None
    configured = {name.casefold(): key for name, key in (space_keys or {}).items()}

    def key_of(space: SpaceRow) -> str | None:
        return space.key or configured.get(
            space.id.casefold(), configured.get(space.name.casefold())
        )

    return match_space(spaces, wanted, key_of)


async def find_space(engine: SyncEngine, wanted: str) -> SpaceRow | None:
    spaces = engine.store.read.spaces() or await engine.sync_spaces()

    def key_of(space: SpaceRow) -> str | None:
        return engine.keys.key(space.id) or engine.keys.setting(space)

    if (found := match_space(spaces, wanted, key_of)) is not None:
        return found
    for space in spaces:
        if key_of(space) is not None:
            continue
        comments = await engine.client.recent_comments(space.id, count=1)
        engine.keys.learn(space, comments)
        if (key := key_of(space)) and key.casefold() == wanted.strip().casefold():
            return engine.store.read.space(space.id) or space
    return None
