"""The local store and the sync engine that keeps it fresh. Never imports textual."""
