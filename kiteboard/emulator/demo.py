"""The demo organization, "Northwind Labs": deterministic from a seed.

Four spaces (Kiteboard/KB, Platform/PLAT, Design/DES, Growth/GRO) with 4-6 statuses
each, labels with hex and named colours, items with realistic titles and markdown, and
comments from several people plus one application; an Archived status, column order,
members and history that only GraphQL shows (demo_board.py). Growth has NO comments at
all, so a client cannot learn its key from /recent/comments (the sync engine must
cope). `items` sets the size of the large space, Platform (thousands, for benchmarks).

History is dated relative to a FIXED base date (BASE_MS), not to now, so that snapshots
stay stable; every demo timestamp is unique. Mutations made later use the state's
clock (`clock`, default time.time), which is always kept after the history.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass

from kiteboard.emulator import demo_text
from kiteboard.emulator.demo_board import add_board_details
from kiteboard.emulator.demo_titles import DESIGN, GROWTH, KITEBOARD, PLATFORM, generated_title
from kiteboard.emulator.records import Actor, Space, WorkItem
from kiteboard.emulator.state import EmulatorState

BASE_MS = calendar.timegm((2025, 6, 2, 9, 30, 0)) * 1000  # 2025-06-02T09:30:00.000Z
DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS
LARGE_SPACE = "Platform"
SPACE_WITHOUT_COMMENTS = "Growth"
USERS = ["@Ole", "@Maja", "@Jonas", "@Priya", "@Tomás", "@Robin", "@Kenji", "@Amara"]
API_USER = "@Robin"  # whose token the emulator's clients use: the actor of their writes
APPLICATION = "Zapier integration"


@dataclass(frozen=True)
class _SpacePlan:
    name: str
    key: str
    statuses: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]  # (name, colour: hex or a palette name)
    titles: list[str]
    size: int
    comments: bool = True


SPACES = (
    _SpacePlan(
        "Kiteboard",
        "KB",
        ("Backlog", "Todo", "In Progress", "In Review", "Done"),
        (
            ("bug", "e5484d"),
            ("feature", "3e63dd"),
            ("ux", "8e4ec6"),
            ("performance", "f76b15"),
            ("tech debt", "brown"),
            ("good first issue", "30a46c"),
        ),
        KITEBOARD,
        len(KITEBOARD),
    ),
    _SpacePlan(
        "Platform",
        "PLAT",
        ("Backlog", "Todo", "In Progress", "Blocked", "In Review", "Done"),
        (
            ("infrastructure", "0090ff"),
            ("security", "e54666"),
            ("database", "teal"),
            ("incident", "e93d82"),
            ("observability", "29a383"),
            ("ci", "978365"),
        ),
        PLATFORM,
        80,
    ),
    _SpacePlan(
        "Design",
        "DES",
        ("Ideas", "Exploring", "In Progress", "Done"),
        (("research", "12a594"), ("visual", "d6409f"), ("accessibility", "ffc53d")),
        DESIGN,
        len(DESIGN),
    ),
    _SpacePlan(
        "Growth",
        "GRO",
        ("Backlog", "Next", "Doing", "Shipped"),
        (("experiment", "46a758"), ("marketing", "ab4aba"), ("lifecycle", "5b5bd6")),
        GROWTH,
        len(GROWTH),
        comments=False,
    ),
)


class _Timeline:
    """Hands out unique past timestamps, so /recent/* has one true order."""

    def __init__(self, rng: random.Random) -> None:
        self._used: set[int] = set()
        self._rng = rng

    def days_ago(self, days: int) -> int:
        """About `days` before BASE_MS, at some time of that working day."""
        return self.at(BASE_MS - days * DAY_MS + self._rng.randrange(-5 * 3_600_000, 0))

    def at(self, ms: int) -> int:
        while ms in self._used:
            ms += 1
        self._used.add(ms)
        return ms


def build_demo_state(
    seed: int = 1, items: int | None = None, clock: Callable[[], float] | None = None
) -> EmulatorState:
    if items is not None and items < 0:
        raise ValueError("items must not be negative")
    rng = random.Random(f"kiteboard-demo-{seed}")
    state = EmulatorState(seed=seed, clock=clock)
    state.sort_keys_deferred = True  # keys for the built columns at once, at the end
    timeline = _Timeline(random.Random(f"kiteboard-demo-dates-{seed}"))
    users = [state.add_actor(name, "user") for name in USERS]
    app = state.add_actor(APPLICATION, "application")
    state.api_actor_id = next(u.id for u in users if u.name == API_USER)
    state.set_organization("Northwind Labs", timeline.days_ago(420), timeline.days_ago(35))
    spaces: dict[str, Space] = {}
    for plan in SPACES:
        size = items if plan.name == LARGE_SPACE and items is not None else plan.size
        spaces[plan.key] = _build_space(state, plan, size, rng, timeline, users, app)
    _build_initiatives(state, spaces, users, timeline)
    _build_feedback(state, spaces, users, timeline)
    add_board_details(state, seed)
    return state


def _build_space(
    state: EmulatorState,
    plan: _SpacePlan,
    size: int,
    rng: random.Random,
    timeline: _Timeline,
    users: list[Actor],
    app: Actor,
) -> Space:
    space = state.add_space(plan.name, plan.key)
    statuses = [state.add_status(space.id, name) for name in plan.statuses]
    labels = [state.add_label(space.id, name, color) for name, color in plan.labels]
    team = rng.sample(users, 4)  # each space has its regulars
    created = sorted(rng.randrange(BASE_MS - YEAR_MS, BASE_MS - 3_600_000) for _ in range(size))
    made: list[WorkItem] = []
    for index, created_ms in enumerate(created):
        title = plan.titles[index] if index < len(plan.titles) else generated_title(rng)
        age = (BASE_MS - created_ms) / YEAR_MS  # 0 (new) .. 1 (a year old)
        done = rng.random() < 0.1 + 0.75 * age  # old work is mostly done
        status = statuses[-1] if done else rng.choice(statuses[:-1])
        special = demo_text.SPECIAL_DESCRIPTIONS.get(title)
        updated_ms = created_ms + int((BASE_MS - created_ms) * rng.random() ** 2)
        made.append(
            state.create_item(
                title=title,
                status_id=status.id,
                description=special or demo_text.description(rng),
                label_ids=[x.id for x in rng.sample(labels, _label_count(rng))],
                effort=rng.choice((None, None, "small", "medium", "large")),
                impact=rng.choice((None, "small", "medium", "medium", "large")),
                placement="bottom" if rng.random() < 0.2 else "top",
                actor_id=app.id if rng.random() < 0.08 else rng.choice(team).id,
                created_at=timeline.at(created_ms),
                updated_at=timeline.at(updated_ms),
            )
        )
    if plan.comments:
        _build_comments(state, plan, made, rng, timeline, team, app)
    return space


def _label_count(rng: random.Random) -> int:
    return rng.choices((0, 1, 2, 3), weights=(30, 40, 22, 8))[0]


def _build_comments(
    state: EmulatorState,
    plan: _SpacePlan,
    items: list[WorkItem],
    rng: random.Random,
    timeline: _Timeline,
    team: list[Actor],
    app: Actor,
) -> None:
    recent_from = len(items) - 120  # recent items get talked about; old ones rarely
    for index, item in enumerate(items):
        if rng.random() >= (0.45 if index >= recent_from else 0.06):
            continue
        span = BASE_MS - item.created_at
        times = sorted(item.created_at + int(span * rng.random()) for _ in range(rng.randint(1, 4)))
        previous = None
        for at in times:
            ref = f"{plan.key}-{rng.randint(1, len(items))}"
            if rng.random() < 0.1:
                body, author, reply_to = demo_text.automated_comment(rng), app, None
            elif previous is not None and rng.random() < 0.35:
                body, author, reply_to = demo_text.reply(rng), rng.choice(team), previous.id
            else:
                body, author, reply_to = demo_text.comment(rng, ref), rng.choice(team), None
            created_ms = timeline.at(at)
            edited = rng.random() < 0.1
            previous = state.add_comment(
                item.id,
                body,
                actor_id=author.id,
                reply_to=reply_to,
                created_at=created_ms,
                updated_at=timeline.at(created_ms + rng.randint(1, 600_000)) if edited else None,
            )


def _build_initiatives(
    state: EmulatorState, spaces: dict[str, Space], users: list[Actor], timeline: _Timeline
) -> None:
    goal = state.add_label(None, "Company goal", "brown")
    h2 = state.add_label(None, "H2", "violet")
    ole, maja, jonas = users[0], users[1], users[2]
    state.create_initiative(
        title="Self-serve onboarding",
        description=(
            "## Goal\nA new team gets from sign-up to a working board **without talking to"
            " us**.\n\n- Activation: first card moved within 10 minutes\n- Trial to paid: +15%"
            "\n\nSee the [onboarding brief](https://docs.northwind.dev/briefs/onboarding)."
        ),
        space_ids=[spaces["KB"].id, spaces["GRO"].id],
        label_ids=[goal.id],
        impact="large",
        actor_id=ole.id,
        created_at=timeline.days_ago(200),
        updated_at=timeline.days_ago(20),
    )
    state.create_initiative(
        title="99.95% API availability",
        description="Error budgets per service, zero-downtime deploys, tested restores.\n",
        space_ids=[spaces["PLAT"].id],
        label_ids=[goal.id, h2.id],
        effort="large",
        impact="medium",
        actor_id=jonas.id,
        created_at=timeline.days_ago(150),
        updated_at=timeline.days_ago(9),
    )
    archived = timeline.days_ago(30)
    state.create_initiative(
        title="Design system 2.0",
        description=None,
        space_ids=[spaces["DES"].id, spaces["KB"].id],
        actor_id=maja.id,
        archived_at=archived,
        created_at=timeline.days_ago(330),
        updated_at=archived,
    )


def _build_feedback(
    state: EmulatorState, spaces: dict[str, Space], users: list[Actor], timeline: _Timeline
) -> None:
    kb = spaces["KB"]
    by_title = {state.items[i].title: state.items[i] for i in kb.item_ids}
    maja, priya = users[1], users[3]
    state.create_feedback(
        title="CSV export mangles titles with brackets",
        person_email="dana.whitfield@contoso.example",
        contents="Our titles start with [Team] tags and the export drops them.\n",
        link_insight_to_entity_ids=[by_title["Escape [brackets] in CSV export"].id],
        actor_id=maja.id,
        created_at=timeline.days_ago(60),
    )
    state.create_feedback(
        title="Please let me move cards with the keyboard",
        person_email="li.wei@fabrikam.example",
        contents="I triage 50 items every morning; reaching for the mouse slows me down.\n",
        link_insight_to_entity_ids=[
            by_title["Keyboard shortcut to move a card to the next column"].id
        ],
        actor_id=priya.id,
        processed_at=timeline.days_ago(12),
        created_at=timeline.days_ago(45),
    )
    state.create_feedback(
        title="Dark mode for late-night triage",
        contents="Would love a dark theme 🌙\n",
        created_at=timeline.days_ago(7),
    )
