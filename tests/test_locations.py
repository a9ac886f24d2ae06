"""File names made from digests must not change between versions (a changed name is a
lost cache and a lost demo world)."""

from __future__ import annotations

import hashlib

from kiteboard import locations


def test_sha256_hex_is_sha256_whatever_module_computes_it():
    for data in ("", "https://kitemaker.example.com\n0123456789abcdef", "é ✓", b"\x00\xff"):
        raw = data.encode() if isinstance(data, str) else data
        assert locations.sha256_hex(data) == hashlib.sha256(raw).hexdigest()


def test_a_store_file_name_is_stable():
    path = locations.store_file("https://kitemaker.example.com/", "0123456789abcdef")
    expected = hashlib.sha256(b"https://kitemaker.example.com\n0123456789abcdef").hexdigest()
    assert path.name == f"store-{expected[:16]}.sqlite3"
