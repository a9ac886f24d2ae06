"""Secret: the token, held so that it cannot leak by accident.

Shared by the client (which sends it) and the config (which finds it). Imports nothing,
so holding a token costs nothing at startup.
"""

from __future__ import annotations

from typing import NoReturn

_MASK = "********"


class Secret:
    """A string that stays out of reprs, logs, tracebacks' locals and f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The token itself: call this only where it is sent (the client's header)."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # on use: 5 ms at import time for a comparison that is rare

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> NoReturn:
        # A pickle would write the token to wherever the pickle goes.
        raise TypeError("a Secret is never pickled")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict) -> Secret:
        return self
