"""The id of every key binding kiteboard declares, for the check of the config's
[keymap] table (an id that names no binding is a typo worth a warning).

The ids are found by looking at every class of the app, its screens (forms included)
and its widgets, so that a new screen needs no list to be kept up to date. That means
importing all of them: done after the first paint, in a thread, and only when the
config has a [keymap] at all.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

# Where kiteboard's bindings are declared (besides the app itself).
_PACKAGES = ("kiteboard.ui.screens", "kiteboard.ui.widgets")


def _kiteboard_classes() -> list[type]:
    from kiteboard.app import KiteboardApp

    classes: list[type] = [KiteboardApp, *KiteboardApp.__mro__]
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            module = importlib.import_module(info.name)
            classes.extend(
                value
                for value in vars(module).values()
                if inspect.isclass(value) and value.__module__ == module.__name__
            )
    return classes


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets."""
    ids: set[str] = set()
    for cls in _kiteboard_classes():
        if not cls.__module__.startswith("kiteboard"):
            continue
        for binding in vars(cls).get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids
