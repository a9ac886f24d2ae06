"""Which store a start paints before connecting: the one its profile last used (told
by the app when it connected, or by `kiteboard sync`)."""

from __future__ import annotations

from kiteboard import locations
from kiteboard.store.db import Store

URL = "https://kitemaker.example.com"


def _store_of(org_id: str):
    path = locations.store_file(URL, org_id)
    Store.open(path).close()
    return path


def test_two_profiles_on_one_server_each_paint_their_own_organizations_store():
    work, side = _store_of("org-work"), _store_of("org-side")
    locations.organization_store(URL, "org-work", "work")
    locations.organization_store(URL, "org-side", "side")
    assert locations.remembered_store(URL, "work") == work
    assert locations.remembered_store(URL + "/", "side") == side
    # A start without a profile (the token from the environment) keeps its own memory.
    assert locations.remembered_store(URL) is None
    locations.organization_store(URL, "org-work")
    assert locations.remembered_store(URL) == work
    assert locations.remembered_store(URL, "side") == side


def test_nothing_is_remembered_for_a_store_that_is_gone():
    path = _store_of("org-work")
    locations.organization_store(URL, "org-work", "work")
    path.unlink()
    assert locations.remembered_store(URL, "work") is None
