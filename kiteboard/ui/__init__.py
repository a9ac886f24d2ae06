"""The Textual user interface: screens, widgets, styles.

It is handed a `Session` (kiteboard/session/) and asks it for reads (the store's
`read` side), writes (its writer) and events (the sync engine's, which reach the
screens as typed Textual messages, one per kind: `ui/messages.py`). May import the
session, the store's rows, events and results, config, and the API's models, errors and
colors; never httpx, an API client or the emulator (tests/test_architecture.py checks
it). Screens reach the app through `ui/host.py`'s protocol, not by importing app.py.
"""
