"""A token bucket: `rate` requests a second on average, bursts of up to `burst`."""

from __future__ import annotations

import math
from collections.abc import Callable


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None, *, clock: Callable[[], float]):
        if rate <= 0:
            raise ValueError("rate must be positive (requests per second)")
        self.rate = rate
        self.burst = max(1.0, rate) if burst is None else float(burst)
        if self.burst < 1:
            raise ValueError("burst must be at least 1")
        self._clock = clock
        self._tokens = self.burst
        self._last = clock()

    def take(self) -> int | None:
        """None if the request may pass; else the whole seconds to wait (at least 1),
        for the Retry-After header."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        return max(1, math.ceil((1 - self._tokens) / self.rate))
