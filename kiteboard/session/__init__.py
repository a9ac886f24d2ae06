"""The session layer: everything that turns settings into a running connection.

- `session.py`: `Session`, what the UI is handed. It owns the store (opened before the
  first paint), and once connected the client, the sync engine and the item writer;
  the UI asks it for reads, writes and events, and never builds any of them itself.
- `connectors.py`: how a Session reaches Kitemaker: the real one (`live_connector`,
  and the organization last seen per base URL and profile) or the demo emulator
  (`demo_connector`).
- `profiles.py`: a profile's Session, and switching to another profile's account.
- `demo_world.py`, `demo_journal.py`, `demo_seed.py`: the demo world kept between runs
  of `kiteboard --demo`, the journal of its writes, and its store filled at once.

May import: `kiteboard.api`, `kiteboard.store`, `kiteboard.config`,
`kiteboard.emulator`, `kiteboard.locations`. Never Textual, never `kiteboard.ui`
(tests/test_architecture.py checks it). Whatever imports httpx or pydantic (the client,
the sync engine, the emulator) is imported inside a connector, which runs in a worker
after the first paint: opening a Session's store stays cheap.
"""
