"""The local cache of Kitemaker's data and the sync that keeps it fresh.

What is here: the SQLite store (``db.py``: ``Store`` owns the file; its reading side
``store_reader.py``, its writing side ``store_writer.py`` and the UI's small state
``local_state.py`` are objects of their own), the sync engine (``sync.py``) and its
parts (``event_hub.py``, ``sync_status.py``, ``refresh.py``, ``backfill.py``,
``sync_apply.py``, ``keys.py``), the typed events it announces (``events.py``), and the
writer that sends the user's writes (``writer.py``).

May import: the standard library and ``kiteboard.api`` (its models and errors; the
client only where the network is used, lazily). Never imports textual, ``kiteboard.ui``,
``kiteboard.session`` or ``kiteboard.emulator``: the UI and the session sit above it.
"""
