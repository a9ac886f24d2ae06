"""AdaptivePacer: spaces requests so a backfill runs at the server's rate limit, not
into it.

Kitemaker does not document its rate limit, and a 429 costs a whole second (the
Retry-After is whole seconds, at least 1): answering every 429 with a pause would waste
a third of a backfill. So the pacer learns the rate instead, AIMD-style (as TCP does):

- until the first 429 it does not hold anything back;
- the first 429 sets the pace to what the server accepted in the last second (the
  bucket's burst makes that an overestimate; the next cuts correct it);
- each later 429 cuts the pace by `decrease` (at most once per `hold` seconds: the
  429s of requests already on their way say nothing new);
- each success raises it additively, by `increase` requests/s per second of traffic,
  to find capacity again (or a raised limit).

A token bucket on the server forgives the sawtooth: tokens not used while we run below
the limit wait in the bucket and are spent when we run above it, so the sustained rate
stays close to the limit with a 429 only every several seconds. The client still honours
each 429's Retry-After for the request that got it; the other requests go on, paced.

Plugged into KitemakerClient(pacer=...): ``wait()`` before each attempt,
``on_rate_limited(retry_after)`` on a 429, ``on_success()`` on any other answer.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any


class AdaptivePacer:
    def __init__(
        self,
        *,
        rate: float | None = None,
        min_rate: float = 0.5,
        max_rate: float = 500.0,
        increase: float = 0.5,
        decrease: float = 0.85,
        hold: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.rate: float | None = rate  # requests per second; None: not limited yet
        self.min_rate = min_rate
        self.max_rate = max_rate
        self.increase = increase
        self.decrease = decrease
        self.hold = hold
        self.rate_limited = 0  # 429s seen
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0  # the earliest time the next request may start
        self._cut_until = float("-inf")
        self._recent: deque[float] = deque()  # times of successes in the last second

    async def wait(self) -> None:
        """Take the next slot; sleep until it comes."""
        if self.rate is None:
            return
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + 1.0 / self.rate
        if slot > now:
            await self._sleep(slot - now)

    def on_success(self) -> None:
        now = self._clock()
        self._recent.append(now)
        while self._recent and self._recent[0] < now - 1.0:
            self._recent.popleft()
        if self.rate is not None:
            # +increase requests/s for every second spent at the current pace.
            self.rate = min(self.max_rate, self.rate + self.increase / self.rate)

    def on_rate_limited(self, retry_after: float | None) -> None:
        now = self._clock()
        self.rate_limited += 1
        if self.rate is None:
            accepted = sum(1 for t in self._recent if t >= now - 1.0)
            self.rate = max(self.min_rate, min(self.max_rate, accepted * self.decrease))
        elif now >= self._cut_until:
            self.rate = max(self.min_rate, self.rate * self.decrease)
        else:
            return
        self._cut_until = now + self.hold
        # Let the server's bucket earn a token before the next request goes.
        self._next = max(self._next, now + 1.0 / self.rate)

    def __repr__(self) -> str:
        pace = "unlimited" if self.rate is None else f"{self.rate:.1f}/s"
        return f"AdaptivePacer({pace}, {self.rate_limited} rate-limited)"
