"""Where the shared reference material (``shared/`` beside the repository) is found.

The repository's clone sits beside ``shared/``; a git worktree of it may sit elsewhere,
so its main clone's neighbour is tried too (the worktree's ``.git`` file names it).
Tests that need a file from there skip, saying where they looked, when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def _main_clone(repository: Path) -> Path | None:
    """The main clone of a worktree, whose ``.git`` is a file:
    ``gitdir: <main>/.git/worktrees/<name>``."""
    marker = repository / ".git"
    if not marker.is_file():
        return None
    text = marker.read_text(encoding="utf-8", errors="replace").strip()
    if not text.startswith("gitdir:"):
        return None
    gitdir = Path(text.removeprefix("gitdir:").strip())
    for parent in gitdir.parents:
        if parent.name == ".git":
            return parent.parent
    return None


def shared_candidates() -> list[Path]:
    places = [REPOSITORY.parent / "shared"]
    main = _main_clone(REPOSITORY)
    if main is not None:
        places.append(main.parent / "shared")
    return places


def shared_file(relative: str) -> Path | None:
    """``shared/<relative>`` when it exists, else None."""
    return next((p / relative for p in shared_candidates() if (p / relative).is_file()), None)


def require_shared_file(relative: str) -> Path:
    """``shared/<relative>``, or skip the test with where it was looked for."""
    found = shared_file(relative)
    if found is None:
        where = ", ".join(str(p / relative) for p in shared_candidates())
        pytest.skip(f"{relative} not found (looked at {where}; shared/ sits beside the clone)")
    return found
