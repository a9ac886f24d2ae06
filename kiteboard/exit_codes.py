"""The exit codes of every `kiteboard` command, defined here once (the README lists them).

A leaf: it imports nothing, so the config (whose errors carry their code) and the
command line can both use it without either importing the other.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # the server, the network or the disk failed us
EXIT_USAGE = 2  # bad arguments or a bad config file
EXIT_AUTH = 3  # the token was missing or rejected
EXIT_INTERRUPTED = 130  # Ctrl+C (128 + SIGINT, as shells report it)
