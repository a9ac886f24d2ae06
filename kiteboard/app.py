"""KiteboardApp: which screen shows, the workers that talk to the sync engine, keymap.

The app is handed a `Session` (the store and the sync engine behind one seam) and its
options; it never builds a client itself. Startup: paint from the store at once (board
or space picker), then connect in a worker; sync events come back as messages.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import events, work
from textual.app import App
from textual.binding import BindingType
from textual.reactive import reactive

from kiteboard.session.session import Session
from kiteboard.store.events import ActivityRecorded
from kiteboard.ui import commands
from kiteboard.ui.messages import Connected, ConnectFailed, store_message
from kiteboard.ui.settings_actions import SettingsActions
from kiteboard.ui.type_ahead import TypeAhead

if TYPE_CHECKING:
    from textual.command import Provider

    from kiteboard.config import Settings
    from kiteboard.store.events import SyncEvent
    from kiteboard.store.rows import SpaceRow
    from kiteboard.ui.screens.board import BoardScreen

LAST_SPACE_KEY = "ui.last_space"


class AppOptions(NamedTuple):
    """(A NamedTuple: defining it costs a tenth of a frozen dataclass, on every start.)"""

    space: str | None = None  # name, key or id to open (--space / default_space)
    keymap: Mapping[str, str] = MappingProxyType({})  # binding id -> "j,down"
    theme: str | None = None
    clock: Callable[[], float] = time.time  # wall clock: injected for stable screenshots
    connect: bool = True  # False: show the store only (screenshots of a warm store)
    # Called with a theme name when the person picks one (issue 6 remembers it).
    on_theme_change: Callable[[str], None] | None = None
    settings: Settings | None = None  # the config: profile switcher, [keymap] check
    notices: tuple[str, ...] = ()  # e.g. config warnings, shown once on start
    reconnect_delay: float = 2.0  # first wait before connecting again (doubles to 60 s)
    # Called once, when the first screen with content (board, picker, an error, the
    # first-run screen) has been painted: run.py resumes the garbage collector there.
    on_started: Callable[[], None] | None = None


def _screen_commands() -> type[Provider]:
    from kiteboard.ui.palette import ScreenCommands

    return ScreenCommands


def _space_commands() -> type[Provider]:
    from kiteboard.ui.palette import SpaceCommands

    return SpaceCommands


def _item_commands() -> type[Provider]:
    from kiteboard.ui.palette import ItemCommands

    return ItemCommands


def _profile_commands() -> type[Provider]:
    from kiteboard.ui.palette import ProfileCommands

    return ProfileCommands


def _theme_commands() -> type[Provider]:
    from kiteboard.ui.palette import ThemeCommands

    return ThemeCommands


class KiteboardApp(SettingsActions, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "kiteboard"
    # The palette opens with the registry's app.palette keys (`:`, Ctrl+k): as that
    # binding names the command_palette action, Textual does not add its Ctrl+p one
    # (Ctrl+p is the profile switch). Providers are imported when it first opens.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        _screen_commands,
        _space_commands,
        _item_commands,
        _profile_commands,
        _theme_commands,
    }
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("app")
    # Activity entries that arrived since the person last looked (the top bar shows it).
    unseen_activity: reactive[int] = reactive(0, init=False)

    def __init__(self, session: Session, options: AppOptions | None = None) -> None:
        super().__init__()
        self.session = session
        self.options = options or AppOptions()
        self.clock = self.options.clock
        self.current_space: SpaceRow | None = None
        self._wanted_space = self.options.space
        self._offline_since: float | None = None  # connecting failed; retried with backoff
        self._token_refused = False  # connecting failed on the token: not retried
        self._told_notice_of: object = None  # the store whose notice was shown
        self._reconnect_delay = self.options.reconnect_delay
        self._started = False
        self._type_ahead = TypeAhead(self)
        self._undo_hangup: Callable[[], None] = lambda: None
        if self.options.keymap:
            self.set_keymap(dict(self.options.keymap))
        if self.options.theme and self.options.theme in self.available_themes:
            self.theme = self.options.theme

    @property
    def typing_settled(self) -> bool:
        """Every key typed so far has gone on (none waits for a screen to open)."""
        return self._type_ahead.idle

    async def on_event(self, event: events.Event) -> None:
        # Keys typed while a screen opens wait for it (see type_ahead.py).
        if isinstance(event, events.Key | events.Paste):
            if not self.screen_stack:
                return  # closing: no screen to take it (Textual would raise)
            if isinstance(event, events.Paste) and not event.is_forwarded:
                event = self._clean_paste(event)
            if self._type_ahead.take(event):
                return
        await super().on_event(event)

    def _clean_paste(self, paste: events.Paste) -> events.Paste:
        """Pasted text is text: no controls or escape sequences reach a field (to be
        sent to Kitemaker, or drawn raw on the terminal by the field)."""
        from textual.widgets import TextArea

        from kiteboard.ui.widgets.safe_text import pasted_text

        text = pasted_text(paste.text, multi_line=isinstance(self.focused, TextArea))
        return paste if text == paste.text else events.Paste(text)

    # -- startup ---------------------------------------------------------------
    def on_mount(self) -> None:
        from kiteboard.ui.hangup import on_hangup

        self._undo_hangup = on_hangup(self.keep_typing, lambda code: self.exit(return_code=code))
        self.session.subscribe(self._deliver_store_event)
        # Whatever happens (a connect that takes long, a space-less organization),
        # "started" comes within a few seconds.
        self.set_timer(5.0, self._note_started)
        for notice in self.options.notices:
            self.notify(notice, title="Config", severity="warning", timeout=8, markup=False)
        if self.session.needs_token:
            from kiteboard.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), self._first_run_done)
            self.call_after_refresh(self._note_started)
            return
        # Outside the mount's batch update: a frame drawn inside it is thrown away.
        self.call_later(self._start)

    def _note_started(self) -> None:
        """The first screen with content is painted (called once)."""
        if self._started:
            return
        self._started = True
        if self.options.on_started is not None:
            self.options.on_started()

    def _start(self) -> None:
        self._show_from_store()
        store = self.session.store
        if store is not None and store.read_only:
            return  # syncing is writing: the stored board is all there is to show
        if self.options.connect:
            # After the first frame: connecting imports httpx and pydantic (~170 ms),
            # which must not stand between the person and the board.
            self.call_after_refresh(self.connect)

    def _first_run_done(self, choice: str | None) -> None:
        if choice != "demo":
            self.exit(0)
            return
        from kiteboard.session.demo_world import demo_source

        settings = self.options.settings
        connect, open_store = demo_source(keep=settings is None or settings.store_enabled)
        self.session.use_connector(connect, demo=True, open_store=open_store)
        self._show_from_store()
        self.connect()

    def _show_from_store(self) -> None:
        """Paint what the store already knows: the board, the picker, or 'connecting'."""
        store = self.session.open_store()
        self._tell_store_notice()
        self.count_activity()
        spaces = store.read.spaces() if store else []
        wanted = asked = self._wanted_space  # asked for: --space or default_space
        if wanted is None and store is not None:
            wanted = store.local.get_value(LAST_SPACE_KEY)
        space = self._find_space(spaces, wanted)
        if space is not None:
            self.open_board(space)
            self.call_after_refresh(self._note_started)
        elif spaces:
            self.open_picker(can_cancel=False, missing=asked)
            self.call_after_refresh(self._note_started)
        else:
            from kiteboard.ui.screens.connecting import ConnectingScreen

            text = "Starting the demo…" if self.session.demo else "Connecting to Kitemaker…"
            self.push_screen(ConnectingScreen(text))

    # -- connecting and syncing (workers) ----------------------------------------
    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self) -> None:
        try:
            await self.session.connect()  # imports the network side in a thread
            assert self.session.engine is not None
            await self.session.engine.sync_spaces()
            await self._learn_wanted_key()
        except Exception as error:  # turned into words in one place
            from kiteboard.api.errors import AuthError
            from kiteboard.ui.errors import describe_error

            title, text, fatal = describe_error(error)
            rejected = isinstance(error, AuthError)
            self.post_message(ConnectFailed(title, text, fatal=fatal, token_rejected=rejected))
            return
        self.post_message(Connected())

    async def _learn_wanted_key(self) -> None:
        """`--space KB` on a fresh store: keys are learned per space, so look at the
        spaces whose key is not known yet until one answers to it."""
        store, engine, wanted = self.session.store, self.session.engine, self._wanted_space
        if not wanted or store is None or engine is None or self.current_space is not None:
            return
        if self._find_space(store.read.spaces(), wanted) is not None:
            return
        for space in store.read.spaces():
            if space.key is None:
                await engine.refresh(space.id)
                if self._find_space(store.read.spaces(), wanted) is not None:
                    return

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def watch_space(self, space_id: str) -> None:
        """Keep the open space fresh (the engine goes offline and back by itself)."""
        engine = await self.session.wait_connected()
        interval = self.session.refresh_interval
        if interval is None:
            await engine.sync_space(space_id, key_resolver=self._ask_space_key)
        else:
            await engine.run(space_id, interval=interval, key_resolver=self._ask_space_key)

    @work(exclusive=True, group="space_key", exit_on_error=False)
    async def ask_space_key(self, space_id: str, *, again: bool = False) -> None:
        """The board needs the key of a space the sync could not learn it for (or the
        person sets it: `again`)."""
        engine = self.session.engine
        if engine is None:
            if again:
                self.notify(
                    "Not connected yet: a key is tried on an item before it is kept.",
                    severity="warning",
                    markup=False,
                )
            return
        key = await engine.ask_key(space_id, self._ask_space_key, again=again)
        if again and key is not None:
            self.notify(f"Space key set to {key}.", title="Space key", markup=False)

    async def _ask_space_key(self, space: SpaceRow, rejected: str | None) -> str | None:
        """The engine cannot learn the space's key: ask the person (in this worker)."""
        from kiteboard.ui.screens.space_key import SpaceKeyScreen

        return await self.push_screen(SpaceKeyScreen(space, rejected), wait_for_dismiss=True)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def refresh_space(self, space_id: str) -> None:
        engine, store = self.session.engine, self.session.store
        if self.token_rejected(space_id):
            self.retry_rejected_token()  # only with a token other than the one refused
            return
        if store is not None and store.read_only and store.notice:
            self.notify(store.notice, title="Local cache", severity="warning", markup=False)
            return
        if engine is None:  # offline: try now rather than at the next attempt
            if not self.session.connecting and self.session.can_connect:
                self.notify("Connecting to Kitemaker…", markup=False)
                self.connect()
            else:
                self.notify("Not connected yet.", severity="warning")
            return
        try:
            await engine.refresh(space_id)
        except Exception as error:
            from kiteboard.ui.errors import describe_error

            title, text, _ = describe_error(error)
            self.notify(text, title=title, severity="error")

    def token_rejected(self, space_id: str | None = None) -> bool:
        """Kitemaker refused the token (when connecting, or later while syncing)."""
        if self._token_refused:
            return True
        engine = self.session.engine
        return bool(engine and space_id and engine.statuses.status(space_id).state == "rejected")

    def on_connected(self, message: Connected) -> None:
        self._offline_since, self._reconnect_delay = None, self.options.reconnect_delay
        self._token_refused = False
        if not self.screen_stack:
            return  # quit while connecting: the screens are gone already
        self._tell_store_notice()  # (the connector may have opened the store only now)
        from kiteboard.ui.screens.board import BoardScreen
        from kiteboard.ui.screens.connecting import ConnectingScreen

        if isinstance(self.screen, ConnectingScreen):
            self.pop_screen()
            self._show_from_store()  # a board opened now starts its own sync
            return
        if isinstance(self.screen, BoardScreen):
            self.screen.show_sync_status()
        self._open_space_found_since()
        if self.current_space is not None:
            self.watch_space(self.current_space.id)

    async def find_wanted_space(self) -> None:
        """After connecting outside `connect` (a new token): learn the key of the space
        asked for, and open it if the picker is standing in for it."""
        await self._learn_wanted_key()
        self._open_space_found_since()

    def _open_space_found_since(self) -> None:
        """The picker says "No space named GRO", painted from the store; connecting
        may have learned that key since: then open that space after all."""
        from kiteboard.ui.screens.space_picker import SpacePickerScreen

        screen, store = self.screen, self.session.store
        if not isinstance(screen, SpacePickerScreen) or screen.missing is None or not store:
            return
        space = self._find_space(store.read.spaces(), screen.missing)
        if space is not None:
            screen.dismiss(space.id)

    def on_connect_failed(self, message: ConnectFailed) -> None:
        if not self.screen_stack:
            return  # quit while connecting
        from kiteboard.ui.screens.connecting import ConnectingScreen

        self.call_after_refresh(self._note_started)
        if isinstance(self.screen, ConnectingScreen):
            self.screen.show_error(message.title, message.text, fatal=message.fatal)
            return
        # The board from the store stays on screen; the top bar says why it is not fresh,
        # and connecting is tried again by itself (unless trying again cannot help).
        self.notify(message.text, title=message.title, severity="error", timeout=10)
        self._offline_since = self._offline_since or self.clock()
        self._token_refused = message.token_rejected
        for screen in self.screen_stack:
            show_offline = getattr(screen, "show_offline", None)
            if show_offline is not None:
                show_offline(self._offline_since, message.text, rejected=message.token_rejected)
        if not message.fatal:
            self.set_timer(self._reconnect_delay, self.connect)
            self._reconnect_delay = min(60.0, self._reconnect_delay * 2)

    def _deliver_store_event(self, event: SyncEvent) -> None:
        """A sync event: to every screen of the stack, not only the top one (the board
        under a modal keeps up). Each screen gets its own message, in its own queue, and
        handles the kinds it cares about."""
        for screen in self.screen_stack:
            screen.post_message(store_message(event))
        if isinstance(event, ActivityRecorded):
            self.count_activity()

    def count_activity(self) -> None:
        store = self.session.store
        try:
            self.unseen_activity = store.activity.unseen(self.clock()) if store else 0
        except sqlite3.Error:  # (a store from before the log, being rebuilt)
            self.unseen_activity = 0

    # -- screens -----------------------------------------------------------------
    def open_board(self, space: SpaceRow) -> BoardScreen:
        from kiteboard.ui.screens.board import BoardScreen

        self.current_space = space
        self._wanted_space = space.id
        self.call_after_refresh(self._remember_space, space.id)  # a write: after the paint
        board = BoardScreen(space)
        if isinstance(self.screen, BoardScreen):
            self.switch_screen(board)
        else:
            self.push_screen(board)
        if self.session.connected:
            self.watch_space(space.id)
        return board

    def _tell_store_notice(self) -> None:
        """Say once per store file what opening it found (rebuilt, read-only)."""
        store = self.session.store
        if store is None or store.notice is None or self._told_notice_of is store:
            return
        self._told_notice_of = store
        self.notify(store.notice, title="Local cache", severity="warning", timeout=12, markup=False)

    def _remember_space(self, space_id: str) -> None:
        store = self.session.store
        if store is None or store.read_only:
            return
        if store.local.get_value(LAST_SPACE_KEY) != space_id:
            # A store that cannot be written (a full disk) only forgets which space was
            # last: the board shows all the same (the forms say what cannot be kept).
            with contextlib.suppress(sqlite3.Error, OSError):
                store.local.set_value(LAST_SPACE_KEY, space_id)

    def open_picker(self, *, can_cancel: bool, missing: str | None = None) -> None:
        """`missing`: the space asked for that none matched (the picker says so)."""
        from kiteboard.ui.screens.space_picker import SpacePickerScreen

        store = self.session.store
        spaces = store.read.spaces() if store else []
        current = self.current_space.id if self.current_space else None
        self.push_screen(
            SpacePickerScreen(
                spaces,
                current=current,
                can_cancel=can_cancel,
                read_spaces=self._stored_spaces,
                missing=missing,
            ),
            self._space_chosen,
        )

    def _stored_spaces(self) -> list[SpaceRow]:
        store = self.session.store
        return store.read.spaces() if store else []

    def _find_space(self, spaces: list[SpaceRow], wanted: str | None) -> SpaceRow | None:
        settings = self.settings
        from kiteboard.store.space_lookup import find_stored_space

        return find_stored_space(spaces, wanted, settings.space_keys if settings else None)

    def _space_chosen(self, space_id: str | None) -> None:
        if space_id is None or self.session.store is None:
            return
        space = self.session.store.read.space(space_id)
        if space is None:
            return
        if self.current_space is not None and space.id == self.current_space.id:
            return
        self.open_board(space)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activity":
            from textual.command import CommandPalette
            from textual.screen import ModalScreen

            from kiteboard.ui.screens.activity import ActivityScreen

            # Not over a form or a picker (their keys are theirs), nor over itself; the
            # palette offers it for the screen it was opened over.
            stack = [s for s in self.screen_stack if not isinstance(s, CommandPalette)]
            below = stack[-1] if stack else None
            return self.session.store is not None and not isinstance(
                below, ModalScreen | ActivityScreen
            )
        if action == "switch_space":
            # Nothing to switch to before the first run is done or spaces are known.
            store = self.session.store
            return self.current_space is not None or bool(store and store.read.spaces())
        return True

    def action_switch_space(self) -> None:
        from kiteboard.ui.screens.space_picker import SpacePickerScreen

        if isinstance(self.screen, SpacePickerScreen) or self.session.store is None:
            return
        self.open_picker(can_cancel=self.current_space is not None)

    def action_activity(self) -> None:
        from textual.command import CommandPalette

        from kiteboard.ui.screens.activity import ActivityScreen

        if self.check_action("activity", ()) and not CommandPalette.is_open(self):
            self.push_screen(ActivityScreen(), self._activity_chosen)

    def _activity_chosen(self, item_id: str | None) -> None:
        """Enter on an entry: its item on its board, the cursor on it."""
        from kiteboard.ui.screens.board import BoardScreen

        store = self.session.store
        card = store.read.card(item_id) if store is not None and item_id else None
        space = store.read.space(card.space_id) if store is not None and card else None
        if item_id is None:
            return
        if card is None or space is None:
            self.notify(
                "That item is no longer on any board kiteboard holds (deleted, or moved).",
                title="Activity",
                severity="warning",
                markup=False,
            )
            return
        board = self.screen
        if not isinstance(board, BoardScreen) or board.space.id != space.id:
            board = self.open_board(space)
        board.reveal_card(card.id)

    def action_help(self) -> None:
        from kiteboard.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.options.keymap))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            placeholder = "A command, a space, an item (KB-12), a theme…"
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    async def show_session(self, session: Session, *, space: str | None) -> None:
        """Show another account (the profile switcher): `session` is connected; open
        `space`, else the last space opened there, else the space picker."""
        stopped = [
            *self.workers.cancel_group(self, "connect"),
            *self.workers.cancel_group(self, "sync"),
            *self.workers.cancel_group(self, "refresh"),
        ]
        if stopped:  # (an empty list would mean: wait for every worker, this one too)
            with contextlib.suppress(Exception):  # they were cancelled: that is all
                await self.workers.wait_for_complete(stopped)
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        old, self.session = self.session, session
        self.current_space, self._wanted_space = None, space
        self._offline_since, self._reconnect_delay = None, self.options.reconnect_delay
        self._token_refused = False
        session.subscribe(self._deliver_store_event)
        await old.aclose()
        if session.store is not None and not session.store.read.spaces():
            self.open_picker(can_cancel=False)  # an organization without spaces
        else:
            self._show_from_store()

    def keep_typing(self) -> None:
        """Write every open form's draft now (the session is dropped: see hangup.py)."""
        from kiteboard.ui.screens.forms.base import DraftForm

        for screen in self.screen_stack:
            if isinstance(screen, DraftForm):
                screen.save_draft_now()

    async def on_unmount(self) -> None:
        self._undo_hangup()
        self._type_ahead.close()
        await self.session.aclose()
