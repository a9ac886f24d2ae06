"""The command line: `kiteboard [options]` (the app) and its commands `init`, `sync`
and `emulator`.

    main.py      the parser, the dispatch, and `fail`: any error as one line + exit code
    init.py      `kiteboard init`: ask for a token, check it, save it in a profile
    sync.py      `kiteboard sync`: fill the local store headless
    emulator.py  `kiteboard emulator`: serve the Kitemaker emulator on loopback

The top layer: it may import every other part of kiteboard (config, api, store,
session, emulator, ui), and nothing imports it but `kiteboard/__main__.py`. The exit
codes are in `kiteboard.exit_codes` and the words for failures in `kiteboard.failures`,
below it, so that the config and the UI can use them without importing the command line.

Start-up speed matters here: `main.py` imports only argparse and what a plain
`kiteboard [options]` needs; each command imports its own modules when it runs.
"""
