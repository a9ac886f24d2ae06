"""Sort keys: the strings that order the items of a status column, as Kitemaker's `sort`.

A key sorts as a plain string (byte order); a key can always be made between two others
(``between``), so an item is moved by giving it one new key, without renumbering its
neighbours. Digits are 0-9 then a-z (ASCII order); no key ends with "0", which is what
guarantees that there is room between any two keys.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = len(DIGITS)


def _digit(char: str) -> int:
    index = DIGITS.find(char)
    if index < 0:
        raise ValueError(f"{char!r} is not a sort key digit")
    return index


def _midpoint(low: str, high: str | None) -> str:
    """A key strictly between ``low`` ("" is the lowest) and ``high`` (None: no bound)."""
    if high is not None:
        common = 0
        while common < len(high) and (low[common] if common < len(low) else "0") == high[common]:
            common += 1
        if common:
            return high[:common] + _midpoint(low[common:], high[common:])
    low_digit = _digit(low[0]) if low else 0
    high_digit = _digit(high[0]) if high is not None else _BASE
    if high_digit - low_digit > 1:
        return DIGITS[(low_digit + high_digit + 1) // 2]
    if high is not None and len(high) > 1:
        return high[:1]
    return DIGITS[low_digit] + _midpoint(low[1:], None)


def between(before: str | None, after: str | None) -> str:
    """A key after ``before`` and before ``after`` (None: the column's end on that side).
    Keys that are not ours (any string a client sent) are read by their characters'
    order: a foreign character is replaced by the nearest digit, which keeps the order."""
    low = _ours(before) if before else ""
    high = _ours(after) if after else None
    if high is not None and low >= high:
        # Equal or crossed neighbours (two items given one key): after `before` wins.
        high = None
    return _midpoint(low, high)


def _ours(key: str) -> str:
    cleaned = "".join(c if c in DIGITS else ("z" if c > "z" else "0") for c in key.lower())
    return cleaned.rstrip("0") or ""


def spread(count: int) -> list[str]:
    """``count`` keys of one length, evenly spaced, in order (for a freshly built column)."""
    width = 1
    while _BASE**width <= count * 2:
        width += 1
    step = _BASE**width // (count + 1)
    keys = []
    for position in range(1, count + 1):
        value, digits = position * step, []
        for _ in range(width):
            value, rest = divmod(value, _BASE)
            digits.append(DIGITS[rest])
        keys.append("".join(reversed(digits)).rstrip("0") or DIGITS[1])
    return keys
