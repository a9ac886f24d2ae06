"""A space's first sync through GraphQL: the whole board in ⌈N/50⌉ pages plus one
`organization` query, the same store REST's sync makes (cards, comments with threads,
the key without guessing), archived items left out, and a pass cut short resumed from
its cursor."""

from __future__ import annotations

import math
import sqlite3

import httpx
import pytest

from kiteboard.api.client import KitemakerClient
from kiteboard.api.errors import NetworkError
from kiteboard.api.graphql_client import GraphQLClient
from kiteboard.api.urls import graphql_url
from kiteboard.emulator.app import GRAPHQL_PATH, Emulator
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport
from kiteboard.store.db import Store
from kiteboard.store.sync import SyncEngine
from tests.sync_support import FAST_RETRY, demo_state, space_id


def engines(emulator: Emulator, tmp_path, *, transport=None):
    """(GraphQL-fed engine, REST-only engine), each with a store of its own."""
    transport = transport or EmulatorTransport(emulator)
    rest = KitemakerClient(DEMO_BASE_URL, "demo", transport=transport, retry=FAST_RETRY)
    graphql = GraphQLClient(
        graphql_url(DEMO_BASE_URL), "demo", transport=transport, retry=FAST_RETRY
    )
    both = SyncEngine(rest, Store.open(tmp_path / "graphql.db"), graphql=graphql, pace=False)
    rest_only = SyncEngine(
        KitemakerClient(DEMO_BASE_URL, "demo", transport=transport, retry=FAST_RETRY),
        Store.open(tmp_path / "rest.db"),
        pace=False,
    )
    return both, rest_only


def board(store: Store, space: str) -> set[tuple]:
    return {
        (c.id, c.number, c.title, c.status_id, c.label_ids, c.effort, c.impact, c.loaded)
        for c in store.read.cards(space)
    }


async def test_a_cold_sync_is_one_organization_query_and_a_page_per_fifty_items(tmp_path):
    state = demo_state(items=430)
    emulator = Emulator(state, token="demo")
    graphql_engine, rest_engine = engines(emulator, tmp_path)
    platform = space_id(state, "Platform")
    report = await graphql_engine.sync_space(platform)
    assert emulator.stats.count("POST", GRAPHQL_PATH) == 1 + math.ceil(430 / 50)
    assert emulator.stats.requests == 1 + math.ceil(430 / 50)  # no REST request at all
    assert (report.loaded, report.total) == (430, 430)
    await rest_engine.sync_space(platform)
    # The same board as REST's sync: numbers, titles, columns, labels, sizes.
    assert board(graphql_engine.store, platform) == board(rest_engine.store, platform)
    assert graphql_engine.store.read.space(platform).key == "PLAT"


async def test_every_comment_comes_with_its_item_and_replies_keep_their_thread(tmp_path):
    state = demo_state(items=80)
    emulator = Emulator(state, token="demo")
    graphql_engine, _ = engines(emulator, tmp_path)
    kiteboard = space_id(state, "Kiteboard")
    await graphql_engine.sync_space(kiteboard)
    commented = [i for i in state.items_of(kiteboard) if state.comments_of(i.id)]
    # More than the 50 newest that REST's feed could ever show.
    assert sum(len(state.comments_of(i.id)) for i in commented) > 50
    for item in commented:
        held = graphql_engine.store.read.comments(item.id)
        assert {c.id for c in held} == {c.id for c in state.comments_of(item.id)}
    # Threads as Kitemaker has them (the board's reading of them is the UI's business).
    with sqlite3.connect(tmp_path / "graphql.db") as db:
        threads = set(db.execute("SELECT id, thread_id, reply FROM comments"))
    made = {(c.id, c.thread_id, int(c.reply)) for i in commented for c in state.comments_of(i.id)}
    assert threads == made


async def test_archived_items_are_left_out_and_an_item_archived_later_leaves_the_board(
    tmp_path,
):
    state = demo_state(items=120)
    emulator = Emulator(state, token="demo")
    graphql_engine, _ = engines(emulator, tmp_path)
    design = state.space_by_key("DES")
    archived = design.hidden_status_ids[0]
    first, second = state.items_of(design.id)[:2]
    state.update_item(first.id, {"status_id": archived})
    await graphql_engine.sync_space(design.id)
    held = {c.id for c in graphql_engine.store.read.cards(design.id)}
    assert first.id not in held and second.id in held
    assert archived not in {s.id for s in graphql_engine.store.read.statuses(design.id)}
    state.update_item(second.id, {"status_id": archived})
    report = await graphql_engine.sync_space(design.id)
    assert second.id not in {c.id for c in graphql_engine.store.read.cards(design.id)}
    assert report.removed == 1


class FailingAfter(httpx.AsyncBaseTransport):
    """The emulator, until `pages` workItems pages have been answered: then down."""

    def __init__(self, inner: httpx.AsyncBaseTransport, pages: int) -> None:
        self.inner = inner
        self.pages = pages

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if b"WorkItems" in request.content:
            if self.pages == 0:
                raise httpx.ConnectError("network is down", request=request)
            self.pages -= 1
        return await self.inner.handle_async_request(request)


async def test_a_pass_cut_short_resumes_from_its_cursor(tmp_path):
    state = demo_state(items=300)
    emulator = Emulator(state, token="demo")
    platform = space_id(state, "Platform")
    failing = FailingAfter(EmulatorTransport(emulator), pages=3)
    graphql_engine, _ = engines(emulator, tmp_path, transport=failing)
    with pytest.raises(NetworkError):
        await graphql_engine.sync_space(platform)
    assert graphql_engine.store.read.counts(platform) == (150, 150)
    failing.pages = 100
    emulator.stats.reset()
    report = await graphql_engine.sync_space(platform)
    assert emulator.stats.graphql_fields["workItems"] == 3  # pages 4 to 6 only
    assert (report.loaded, report.total) == (300, 300)


async def test_after_a_graphql_sync_an_unchanged_refresh_is_rests_three_requests(tmp_path):
    state = demo_state(items=60)
    emulator = Emulator(state, token="demo")
    graphql_engine, _ = engines(emulator, tmp_path)
    growth = space_id(state, "Growth")
    await graphql_engine.sync_space(growth)
    assert graphql_engine.store.read.space(growth).key == "GRO"  # never in REST's feed
    emulator.stats.reset()
    report = await graphql_engine.refresh(growth)
    assert emulator.stats.requests == 3 and emulator.stats.count("POST", GRAPHQL_PATH) == 0
    assert report.up_to_date
