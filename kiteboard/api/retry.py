"""When and how long the client waits before trying a request again.

Kept apart from the client so the arithmetic can be read (and tested) on its own.
Which failures are retried is the client's business (reads and writes differ); this
module only answers "how long to wait before retry number n" and "what did the server's
Retry-After header mean". Plain Python: no httpx, no pydantic.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded three ways.

    max_attempts   tries in all, the first one included (1 = never retry)
    base_delay     the first retry's backoff ceiling, in seconds; doubles each retry
    max_delay      no backoff ceiling grows beyond this
    max_total_wait no retry is scheduled to start later than this many seconds after
                   the first attempt began (a Retry-After that would overshoot it ends
                   the retries at once: waiting less would only earn another 429)
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total_wait: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_total_wait < 0:
            raise ValueError("delays must not be negative")

    def ceiling(self, retry_number: int) -> float:
        """The backoff ceiling of retry ``retry_number`` (1 for the first retry)."""
        return min(self.max_delay, self.base_delay * 2 ** max(0, retry_number - 1))

    def delay(
        self, retry_number: int, retry_after: float | None, random: Callable[[], float]
    ) -> float:
        """The wait before retry ``retry_number`` (1 for the first retry).

        Backoff is "equal jitter": uniformly in [ceiling/2, ceiling]. Half the ceiling
        is guaranteed (so retries really back off); the other half is random (so many
        clients that failed together do not retry together). A Retry-After from the
        server is a floor: the wait is at least that, plus up to 10% jitter for the
        same reason."""
        draw = _unit(random())
        wait = self.ceiling(retry_number) * (0.5 + 0.5 * draw)
        if retry_after is not None:
            wait = max(wait, retry_after * (1.0 + 0.1 * draw))
        return wait


# For callers that must not retry at all (e.g. a connectivity probe).
NO_RETRY = RetryPolicy(max_attempts=1)


def _unit(value: float) -> float:
    """An injected random() is trusted, but kept within [0, 1] all the same."""
    if not isinstance(value, int | float) or math.isnan(value):
        return 0.5
    return min(1.0, max(0.0, float(value)))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds ("2", and "1.5" which
    some servers send) or an HTTP-date. None when absent or unreadable; never negative.
    ``now`` is the wall-clock time (time.time()) used for an HTTP-date."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)
