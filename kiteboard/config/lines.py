"""Where each key of a TOML file is written, so that errors can name the line.

`tomllib` parses the file but gives no positions. This scanner reads the same text
line by line and records, for every key it sees, the line it is on. It understands
what it must to not be fooled: table headers (`[profiles.work]`), dotted and quoted
keys (`"board.down" = ...`), comments, and values that span lines (multi-line strings
and arrays), whose contents are skipped. Keys inside an inline table are not recorded;
`line_of` then answers with the line of the nearest enclosing key, which is where the
user has to look anyway.

It runs only on text that `tomllib` has already accepted, so it does not validate.
"""

from __future__ import annotations

import re

Key = tuple[str, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def key_lines(text: str) -> dict[Key, int]:
    """Map every key path (as a tuple of parts) to its 1-based line number.

    A table header maps to the header's line; `a.b = 1` under `[t]` maps `("t", "a")`
    and `("t", "a", "b")` to that line (the first occurrence wins for a parent).
    """
    lines: dict[Key, int] = {}
    table: Key = ()
    scanner = _ValueScanner()
    for number, line in enumerate(text.splitlines(), start=1):
        if scanner.busy:
            scanner.feed(line, 0)
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parts, _ = _parse_key(stripped, 2 if array else 1)
            if parts:
                table = tuple(parts)
                _record(lines, table, number)
            continue
        parts, end = _parse_key(line, len(line) - len(stripped))
        if not parts:
            continue
        _record(lines, table + tuple(parts), number)
        equals = line.find("=", end)
        if equals >= 0:
            scanner.feed(line, equals + 1)
    return lines


def line_of(lines: dict[Key, int], key: Key) -> int | None:
    """The line of `key`, else of its nearest recorded parent, else None."""
    for size in range(len(key), 0, -1):
        if (found := lines.get(key[:size])) is not None:
            return found
    return None


def dotted(key: Key) -> str:
    """A key path as the user would write it: profiles.work.base_url, keymap."a.b"."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else _quote(part) for part in key)


def _quote(part: str) -> str:
    escaped = part.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _record(lines: dict[Key, int], key: Key, number: int) -> None:
    for size in range(1, len(key) + 1):
        lines.setdefault(key[:size], number)


def _parse_key(line: str, start: int) -> tuple[list[str], int]:
    """Parse a (possibly dotted, possibly quoted) key starting at `start`.

    Returns the parts and the index just past the key; no parts if there is none.
    """
    parts: list[str] = []
    i = start
    while True:
        while i < len(line) and line[i] in " \t":
            i += 1
        if i >= len(line):
            return parts, i
        char = line[i]
        if char == '"':
            part, i = _basic_string(line, i + 1)
        elif char == "'":
            close = line.find("'", i + 1)
            if close < 0:
                return parts, len(line)
            part, i = line[i + 1 : close], close + 1
        elif match := _BARE_KEY.match(line, i):
            part, i = match.group(), match.end()
        else:
            return parts, i
        parts.append(part)
        while i < len(line) and line[i] in " \t":
            i += 1
        if i < len(line) and line[i] == ".":
            i += 1
            continue
        return parts, i


def _basic_string(line: str, i: int) -> tuple[str, int]:
    """Read a "basic" string's content from just after its opening quote."""
    out: list[str] = []
    while i < len(line):
        char = line[i]
        if char == '"':
            return "".join(out), i + 1
        if char == "\\" and i + 1 < len(line):
            code = line[i + 1]
            if code in "uU":
                width = 4 if code == "u" else 8
                digits = line[i + 2 : i + 2 + width]
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    out.append(digits)
                i += 2 + width
                continue
            out.append(_ESCAPES.get(code, code))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out), i


class _ValueScanner:
    """Follows a value across lines: open multi-line strings and open brackets."""

    def __init__(self) -> None:
        self.depth = 0  # open [ and { brackets
        self.string: str | None = None  # '"""' or "'''" while inside one

    @property
    def busy(self) -> bool:
        return self.depth > 0 or self.string is not None

    def feed(self, line: str, i: int) -> None:
        while i < len(line):
            if self.string is not None:
                close = self._find_close(line, i, self.string)
                if close < 0:
                    return
                self.string, i = None, close + 3
                continue
            char = line[i]
            if char == "#":
                return
            if line.startswith(('"""', "'''"), i):
                self.string = line[i : i + 3]
                i += 3
            elif char == '"':
                _, i = _basic_string(line, i + 1)
            elif char == "'":
                close = line.find("'", i + 1)
                i = len(line) if close < 0 else close + 1
            elif char in "[{":
                self.depth += 1
                i += 1
            elif char in "]}":
                self.depth = max(0, self.depth - 1)
                i += 1
            else:
                i += 1

    @staticmethod
    def _find_close(line: str, i: int, delimiter: str) -> int:
        while True:
            close = line.find(delimiter, i)
            if close < 0:
                return -1
            # A backslash escapes the quote in a basic string (count them: \\ is not).
            backslashes = len(line[:close]) - len(line[:close].rstrip("\\"))
            if delimiter == '"""' and backslashes % 2 == 1:
                i = close + 1
                continue
            return close
