"""Which store a start paints before connecting: the one its profile last used."""

from __future__ import annotations

from kiteboard import locations
from kiteboard.session.connectors import remember_organization, remembered_store
from kiteboard.store.db import Store

URL = "https://kitemaker.example.com"


def _store_of(org_id: str):
    path = locations.store_file(URL, org_id)
    Store.open(path).close()
    return path


def test_two_profiles_on_one_server_each_paint_their_own_organizations_store():
    work, side = _store_of("org-work"), _store_of("org-side")
    remember_organization(URL, "org-work", "work")
    remember_organization(URL, "org-side", "side")
    assert remembered_store(URL, "work") == work
    assert remembered_store(URL + "/", "side") == side
    # A start without a profile (the token from the environment) keeps its own memory.
    assert remembered_store(URL) is None
    remember_organization(URL, "org-work")
    assert remembered_store(URL) == work
    assert remembered_store(URL, "side") == side


def test_nothing_is_remembered_for_a_store_that_is_gone():
    path = _store_of("org-work")
    remember_organization(URL, "org-work", "work")
    path.unlink()
    assert remembered_store(URL, "work") is None
