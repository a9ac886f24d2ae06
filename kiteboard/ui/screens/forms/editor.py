"""Open a multi-line field's text in the user's own editor ($VISUAL, $EDITOR, vi).

People on SSH live in vim: the app suspends (gives the terminal back), runs the editor
on a private temporary file, and reads the result when it exits. The text is never
lost: if the editor cannot start or fails, the field keeps what it had.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SuspendNotSupported


@dataclass(frozen=True, slots=True)
class EditorOutcome:
    text: str | None  # None: keep the field as it is
    message: str | None = None  # said to the user when the text was not brought back


def editor_command() -> list[str]:
    """$VISUAL, then $EDITOR (both may carry arguments, e.g. "code -w"), then vi."""
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = [value]
            if parts:
                return parts
    return ["vi"]


def edit_in_editor(app: App[object], text: str, *, suffix: str = ".md") -> EditorOutcome:
    """Suspend ``app``, edit ``text`` in the external editor, return the new text."""
    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="kiteboard-") as folder:
        # TemporaryDirectory is created 0o700: nobody else can read the draft.
        path = Path(folder) / f"draft{suffix}"
        # A text file ends with a newline: without it a line the editor appends (`o` on
        # the last line, `echo >>`) would join the last one.
        handed = text if not text or text.endswith("\n") else text + "\n"
        path.write_text(handed, encoding="utf-8")
        try:
            with app.suspend():
                completed = subprocess.run([*command, str(path)], check=False)
        except SuspendNotSupported:
            return EditorOutcome(None, "This terminal cannot hand over to an editor.")
        except OSError as error:
            return EditorOutcome(None, f"Could not start {command[0]!r}: {error.strerror}.")
        if completed.returncode != 0:
            return EditorOutcome(
                None, f"{command[0]} exited with status {completed.returncode}; text unchanged."
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return EditorOutcome(None, f"Could not read the edited text back: {error}.")
    # Editors add a final newline; a field that had none should not grow one each trip.
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return EditorOutcome(edited)
