"""The activity screen (`A`), driven as a person would: what changed, newest first,
from the store alone (offline, no request), new entries marked and counted in the top
bar, live as refreshes write them, filtered with `/`, Enter to the item on its board."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.transport import EmulatorTransport
from kiteboard.session.connectors import demo_connector
from kiteboard.session.demo_activity import sync_demo_with_activity
from kiteboard.session.session import Session
from kiteboard.store.db import Store
from kiteboard.ui.screens.activity import ActivityScreen
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import record_notifications, wait_until
from tests.ui.demo_store import FIXED_NOW, fill_store, fixed_clock


@pytest.fixture(scope="module")
def activity_store_file(tmp_path_factory):
    """The demo synced, then an hour of the team's work seen by a refresh (9 entries)."""
    folder = tmp_path_factory.mktemp("activity")
    return asyncio.run(sync_demo_with_activity(folder, FIXED_NOW))


@pytest.fixture
def offline_app(activity_store_file, tmp_path):
    path = tmp_path / "store.sqlite3"
    shutil.copy(activity_store_file, path)
    store = Store.open(path)
    session = Session(connect=None, open_store=lambda: store)
    yield KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock, connect=False))
    store.close()


def lines(screen: ActivityScreen) -> list[str]:
    """The lines shown, their spaces collapsed (the references are padded to align)."""
    option_list = screen.query_one("#activity-list")
    prompts = [option_list.get_option_at_index(i).prompt for i in range(option_list.option_count)]
    return [" ".join(str(prompt).split()) for prompt in prompts]


async def open_activity(pilot) -> ActivityScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
    await pilot.press("A")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ActivityScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(lines(screen)))
    return screen


async def test_offline_it_shows_what_changed_newest_first_new_ones_marked(offline_app):
    app = offline_app
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        board = app.screen
        await wait_until(pilot, lambda: board.top_bar.unseen_text == "9 new")
        screen = await open_activity(pilot)
        shown = lines(screen)
        assert len(shown) == 9
        assert shown[0].startswith('● KB-59 comment by @Maja: "Shipped in 0.4 [see notes]"')
        assert "· 2 min ago" in shown[0]  # API text literally: the brackets stay
        assert shown[1].startswith("● DES-34 moved Exploring → Done · 6 min ago")
        assert any("KB-61 new · @Ole · 41 min ago" in line for line in shown)
        assert any("labels +bug" in line for line in shown)
        assert any('comment by @Kenji: "Reproduced on staging.…"' in line for line in shown)
        assert all(line.startswith("●") for line in shown)

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is board)
        await wait_until(pilot, lambda: board.top_bar.unseen_text == "")  # seen now
        screen = await open_activity(pilot)
        assert not any(line.startswith("●") for line in lines(screen))  # seen before


async def test_slash_filters_by_space_and_by_kind(offline_app):
    app = offline_app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(pilot)
        await pilot.press("slash", *"plat")
        await wait_until(pilot, lambda: len(lines(screen)) == 2)
        assert all("PLAT-" in line for line in lines(screen))
        await pilot.press(*" comm")
        await wait_until(pilot, lambda: len(lines(screen)) == 1)
        assert "@Kenji" in lines(screen)[0]
        await pilot.press("enter")  # kept; the keys go to the list again
        assert screen.query_one("#activity-list").has_focus
        await pilot.press("escape")  # clears it
        await wait_until(pilot, lambda: len(lines(screen)) == 9)
        await pilot.press("slash", *"moved")
        await wait_until(pilot, lambda: len(lines(screen)) == 2)
        await pilot.press("escape", "escape")  # clears, then closes
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))


async def test_enter_opens_the_item_on_its_board_in_another_space(offline_app):
    app = offline_app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(pilot)
        store = app.session.store
        await pilot.press("j")  # DES-34: moved Exploring → Done
        entry = screen._shown[1]
        assert entry.reference == "DES-34"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, BoardScreen)
                and app.screen.space.name == "Design"
                and app.screen.current_card_id() == entry.row.item_id
            ),
        )
        done = store.read.card(entry.row.item_id).status_id
        assert app.screen.focused_status_id() == done  # the cursor is on it, in Done


def make_synced_app(tmp_path, monkeypatch):
    """The app on a warm store, connected to the emulator; every request counted."""
    requests: list[str] = []
    original = EmulatorTransport.handle_async_request

    async def counted(self, request):
        requests.append(f"{request.method} {request.url.path}")
        return await original(self, request)

    monkeypatch.setattr(EmulatorTransport, "handle_async_request", counted)
    state = build_demo_state(seed=1)
    state.set_clock(fixed_clock)
    store = Store.open(tmp_path / "store.sqlite3")
    fill_store(store, state)  # synced before: a refresh's changes are news
    session = Session(
        connect=demo_connector(state=state, clock=fixed_clock),
        open_store=lambda: store,
        refresh_interval=None,
    )
    app = KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock))
    return app, state, requests


async def test_another_clients_change_between_two_refreshes_comes_in_live(tmp_path, monkeypatch):
    app, state, requests = make_synced_app(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.session.connected)
        board = app.screen
        kb = board.space.id
        await wait_until(pilot, lambda: app.session.engine.statuses.status(kb).state == "synced")
        sent = len(requests)
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        await pilot.pause()
        assert len(requests) == sent  # opening it read the store only
        assert lines(screen) == []
        assert "Nothing has changed" in str(screen.query_one("#activity-empty").render())

        # Another client moves a card and comments on it; the next refresh sees it.
        item = state.items_of(kb)[0]
        columns = state.statuses_of(kb)
        before = state.statuses[item.status_id].name
        target = next(s for s in columns if s.id != item.status_id)
        state.update_item(item.id, {"status_id": target.id})
        kenji = next(a.id for a in state.actors.values() if a.name == "@Kenji")
        state.add_comment(item.id, "Moved it, see <b>why</b>", actor_id=kenji)
        app.refresh_space(kb)

        await wait_until(pilot, lambda: len(lines(screen)) == 2)
        reference, title = f"KB-{item.number}", " ".join(item.title.split())
        assert lines(screen) == [
            f'● {reference} comment by @Kenji: "Moved it, see <b>why</b>" · 0 s ago {title}',
            f"● {reference} moved {before} → {target.name} · 0 s ago {title}",
        ]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is board)
        assert board.top_bar.unseen_text == ""  # seen while it was open


async def test_own_moves_are_shown_as_yours_and_not_counted(tmp_path, monkeypatch):
    app, _state, _requests = make_synced_app(tmp_path, monkeypatch)
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.session.connected)
        board = app.screen
        kb = board.space.id
        await wait_until(pilot, lambda: app.session.engine.statuses.status(kb).state == "synced")
        moved = board.current_card_id()
        await pilot.press("L")  # move the card under the cursor one column right
        await wait_until(pilot, lambda: any("→" in text for _title, text in said))
        app.refresh_space(kb)
        await pilot.pause()
        assert board.top_bar.unseen_text == ""  # nobody needs telling what they did
        screen = await open_activity(pilot)
        shown = lines(screen)
        assert len(shown) == 1 and " · you · " in shown[0] and not shown[0].startswith("●")
        assert screen._shown[0].row.item_id == moved


async def test_the_palette_opens_it(offline_app):
    from textual.command import CommandList

    app = offline_app
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("colon")
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)))
        await pilot.press(*"activity")
        command_list = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: command_list.option_count >= 1)
        assert "Activity" in str(command_list.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ActivityScreen))
