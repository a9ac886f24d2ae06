"""`python -m kiteboard` and the `kiteboard` script: the command line is `kiteboard.cli`."""

from __future__ import annotations

import sys

from kiteboard.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
