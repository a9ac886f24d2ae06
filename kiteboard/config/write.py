"""Writing the config file: atomically, readable by its owner only, keeping the rest.

`save_profile` adds or updates one profile. It first edits the file's text in place
(so the user's comments and layout survive) and checks that the edited text parses to
exactly the intended data; when the file is written in a shape that edit does not
handle (a profile as an inline table, say), it writes the whole file with tomli-w
instead, which drops comments, and keeps the previous file as `<name>.bak` first.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiteboard.config.lines import dotted, key_lines


@dataclass(frozen=True)
class SaveResult:
    path: Path  # the file written (a symlink's target)
    created: bool  # there was no file before
    set_default: bool  # default_profile was unset and now names this profile
    replaced_token_command: bool  # the profile's token_command gave way to the token
    backup: Path | None  # the previous file, when its comments could not be kept


def write_private_file(path: Path, text: str) -> Path:
    """Replace `path` with `text` atomically; the file is 0600 from its first byte.

    A symlinked config (a dotfiles repository) is written through: the link stays.
    Returns the path actually written.
    """
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file 0600, in the same folder so that os.replace is atomic.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where we can
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return target


def save_profile(
    path: Path, existing: dict[str, Any], text: str, name: str, values: dict[str, str]
) -> SaveResult:
    """Set `values` (base_url, token) in profile `name`, keeping everything else.

    `existing` and `text` are the file as read now ({} and "" when there is none).
    A token_command in that profile is removed: a profile has one token source.
    """
    import tomli_w

    profiles = existing.get("profiles", {})
    old_profile = profiles.get(name, {})
    replaced_command = "token_command" in old_profile
    set_default = "default_profile" not in existing
    data = {**existing, "profiles": {**profiles}}
    data["profiles"][name] = {k: v for k, v in old_profile.items() if k != "token_command"}
    data["profiles"][name].update(values)
    if set_default:
        data = {"default_profile": name, **data}

    new_text = _edit_in_place(text, existing, data, name, values, set_default=set_default)
    backup = None
    if new_text is None:
        new_text = tomli_w.dumps(data)
        if _has_comments(text):
            backup = write_private_file(path.with_name(path.name + ".bak"), text)
    written = write_private_file(path, new_text)
    return SaveResult(written, not text, set_default, replaced_command, backup)


def _edit_in_place(
    text: str,
    existing: dict[str, Any],
    data: dict[str, Any],
    name: str,
    values: dict[str, str],
    *,
    set_default: bool,
) -> str | None:
    """The file's text with the change made line by line, or None if that failed."""
    import tomllib

    import tomli_w

    if not text.strip():
        return None  # nothing to keep: tomli-w writes the cleanest file
    lines = text.splitlines()
    positions = key_lines(text)
    header = ("profiles", name)

    def assignment(key: str, value: str) -> str:
        return tomli_w.dumps({key: value}).strip()

    if name not in existing.get("profiles", {}):
        lines += ["", f"[{dotted(header)}]"] + [assignment(k, v) for k, v in values.items()]
    else:
        header_line = positions.get(header)
        if header_line is None or not lines[header_line - 1].lstrip().startswith("["):
            return None  # written as dotted keys or an inline table
        edits: dict[int, str | None] = {}  # line index -> new text (None: delete)
        inserts: list[str] = []
        for key, value in values.items():
            line = positions.get((*header, key))
            if line is None:
                inserts.append(assignment(key, value))
                continue
            old = lines[line - 1]
            indent = old[: len(old) - len(old.lstrip())]
            edits[line - 1] = indent + assignment(key, value)
        if (line := positions.get((*header, "token_command"))) is not None:
            edits[line - 1] = None
        edited: list[str] = []
        for index, line in enumerate(lines):
            replacement = edits.get(index, line)
            if replacement is not None:
                edited.append(replacement)
            if index == header_line - 1:
                edited += inserts
        lines = edited
    if set_default:
        # Below the file's opening comments, above its first key or table.
        first = next(
            (
                i
                for i, line in enumerate(lines)
                if line.strip() and not line.lstrip().startswith("#")
            ),
            len(lines),
        )
        lines.insert(first, assignment("default_profile", name))
    new_text = "\n".join(lines) + "\n"
    try:
        if tomllib.loads(new_text) != data:
            return None
    except tomllib.TOMLDecodeError:
        return None
    return new_text


def _has_comments(text: str) -> bool:
    return any("#" in line for line in text.splitlines())
