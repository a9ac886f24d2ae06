"""Markdown descriptions and comment bodies for the demo data, drawn from a seeded RNG.

Descriptions come in the shapes real teams write: a bug report (steps, expected,
actual), a feature proposal (why, proposal, checklist), a chore with a code block, a
browser/version table, a one-liner, or nothing at all. Links, inline code, headings,
lists and tables all appear, so a client's markdown rendering meets each of them.
"""

from __future__ import annotations

import random

_SYMPTOMS = [
    "the request hangs for about 30 seconds and then fails with a generic error",
    "the page renders twice and the second render loses the scroll position",
    "the counter shows the old value until a full reload",
    "the change is saved but the board does not update for other viewers",
    "we log a warning on every request, which floods the log pipeline",
    "the keyboard focus jumps back to the first column",
    "exports contain the label ids instead of their names",
]
_MOTIVATIONS = [
    "Customers keep asking for this in support conversations (12 tickets this quarter).",
    "This removes a manual step the on-call engineer does every week.",
    "It came up in three of the last five user interviews.",
    "Without it, large teams work around the limit with spreadsheets.",
    "It blocks the migration of our two biggest accounts.",
    "Power users want to stay on the keyboard; this is the last mouse-only action.",
]
_STEPS = [
    "Open a board with more than 200 items",
    "Filter by any label",
    "Switch to another space and back",
    "Drag a card to the Done column",
    "Reload the page",
    "Open the same item in a second tab",
    "Paste a long markdown table into the description",
]
_PROPOSALS = [
    "Keep the current behaviour as the default",
    "Add a setting under *Workspace → Preferences*",
    "Show a toast with an **Undo** action",
    "Remember the choice per user, not per workspace",
    "Expose it in the command palette as well",
    "Log an audit event when it changes",
]
_LINKS = [
    "[the design doc](https://docs.northwind.dev/rfcs/{n})",
    "[Sentry issue](https://sentry.io/organizations/northwind/issues/{n}/)",
    "[Grafana dashboard](https://grafana.northwind.dev/d/api-latency?from=now-7d)",
    "[the support thread](https://support.northwind.dev/conversations/{n})",
    "[PR #{n}](https://github.com/northwind/app/pull/{n})",
]
_CODE = [
    (
        "python",
        "def backoff(attempt: int) -> float:\n"
        "    return min(30.0, 0.5 * 2**attempt) * random.uniform(0.8, 1.2)",
    ),
    (
        "sql",
        "CREATE INDEX CONCURRENTLY work_items_space_updated\n"
        "    ON work_items (space_id, updated_at DESC);",
    ),
    ("bash", "kubectl -n api rollout restart deploy/sync-worker\nkubectl -n api get pods -w"),
    ("json", '{"error": "timeout", "retryAfter": 30, "requestId": "req_8f2c1e"}'),
    (
        "text",
        "Traceback (most recent call last):\n"
        '  File "worker/sync.py", line 214, in flush\n'
        "    batch = queue.pop_many(500)\n"
        "TimeoutError: pop_many timed out after 30.0s",
    ),
]
_TABLE = (
    "| Browser | Version | Result |\n"
    "|---|---|---|\n"
    "| Firefox | 128 | works |\n"
    "| Chrome | 126 | works |\n"
    "| Safari | 17.4 | **broken** |\n"
    "| Edge | 125 | not tested |"
)
_ONE_LINERS = [
    "See the thread in #product for context.",
    "Small one, should be quick.",
    "Follow-up from the last retro.",
    "Needs a decision from design first.",
]


def _link(rng: random.Random) -> str:
    return rng.choice(_LINKS).format(n=rng.randint(100, 9999))


def description(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.2:
        return rng.choice(_ONE_LINERS)
    kind = rng.choice(("bug", "feature", "chore", "table"))
    if kind == "bug":
        steps = "\n".join(f"{n}. {s}" for n, s in enumerate(rng.sample(_STEPS, 3), 1))
        return (
            f"## What happens\nWhen you do the steps below, {rng.choice(_SYMPTOMS)}.\n\n"
            f"## Steps to reproduce\n{steps}\n\n## Expected\nThe board stays as it was.\n\n"
            f"Seen in {_link(rng)}."
        )
    if kind == "feature":
        bullets = "\n".join(f"- {p}" for p in rng.sample(_PROPOSALS, 3))
        return (
            f"## Why\n{rng.choice(_MOTIVATIONS)}\n\n## Proposal\n{bullets}\n\n"
            f"### Done when\n- [ ] behind a feature flag\n- [ ] docs updated\n\n"
            f"More in {_link(rng)}."
        )
    if kind == "chore":
        lang, code = rng.choice(_CODE)
        return (
            f"Context: {rng.choice(_MOTIVATIONS)}\n\n```{lang}\n{code}\n```\n\n"
            f"Owner should check `config/production.toml` before rolling out. See {_link(rng)}."
        )
    return (
        f"## Browser matrix\nResults from the last QA pass:\n\n{_TABLE}\n\nTracked in {_link(rng)}."
    )


# Descriptions for specific hostile titles: text that a terminal UI must show literally.
SPECIAL_DESCRIPTIONS = {
    "Escape [brackets] in CSV export": (
        "A title like `[urgent] Fix login` is exported as `urgent Fix login`.\n\n"
        "Also breaks on [b]bold[/b], [red]colour tags[/red] and [link=https://example.com]"
        "links[/link] that people paste from other tools.\n\n"
        "- [ ] keep brackets verbatim\n- [ ] add a regression test"
    ),
    "Investigate the memory leak in the sync worker": (
        "RSS grows by ~40 MB an hour until the pod is OOM-killed. Pasted from the pod log"
        " (colours and all):\n\n```\n\x1b[31mERROR\x1b[0m worker exited with code 137"
        " (OOMKilled)\n\x1b[33mWARN\x1b[0m  restarting in 5s\n```\n\n"
        "| hour | RSS |\n|---|---|\n| 0 | 310 MB |\n| 6 | 560 MB |\n| 12 | 790 MB |"
    ),
}

_COMMENTS = [
    "Reproduced on staging. Happens every time with a board of 300+ items.",
    "I think this overlaps with {ref}; should we merge them?",
    "Can we ship this behind a flag first?",
    "👍 looks good to me",
    "Moved to the next cycle, we ran out of time.",
    "Pairing on this tomorrow morning.",
    "Customer confirmed the fix works for them 🎉",
    "Here is the query I used:\n\n```sql\n"
    "SELECT count(*) FROM work_items WHERE space_id = $1;\n```",
    "Not sure about the second bullet, it changes the default for everyone.",
    "Blocked until {ref} is deployed.",
    "Design is ready in Figma, see the *Board v3* page.",
    "Could this be a caching issue? The CDN keeps the old bundle for 10 minutes.",
    "Added a test that fails without the fix.",
    "**Heads up:** this needs a migration, please review carefully.",
]
_REPLIES = [
    "Agreed.",
    "Good catch, updated.",
    "Yes, let's do that.",
    "I'll take it.",
    "Done in the latest build.",
    "Hmm, I see it differently: see my note above.",
]
_AUTOMATED = [
    "Created from Intercom conversation #{n}",
    "Linked Zendesk ticket #{n} (priority: high)",
    "New reply on the linked support conversation #{n}",
]


def comment(rng: random.Random, ref: str) -> str:
    return rng.choice(_COMMENTS).format(ref=ref)


def reply(rng: random.Random) -> str:
    return rng.choice(_REPLIES)


def automated_comment(rng: random.Random) -> str:
    return rng.choice(_AUTOMATED).format(n=rng.randint(10000, 99999))
