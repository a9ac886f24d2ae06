"""Fault injection: the weather a real client meets and the documentation does not promise.

Kinds, and what a client sees (in-process transport / real HTTP on loopback):

- "server_error": 502 or 503 with an HTML body (a proxy's error page); nothing applied.
- "reset": the connection fails BEFORE the request is processed; nothing applied.
  In-process: httpx.ConnectError, the one failure a client may treat as "certainly not
  applied" and so may resend even a write. Over HTTP the request has already been sent
  when the server drops it (with a TCP RST), so the client sees httpx.ReadError
  ("Connection reset by peer") after sending and cannot tell it from "drop_response":
  for a write that is an unknown outcome, which is the honest reading.
- "malformed_json": the request IS applied; the answer keeps its status (200, or 201 for
  a create) but the JSON body is cut in half.
- "drop_response": the request IS applied, then the connection is lost before the
  answer. In-process: httpx.ReadError; over HTTP: the socket is closed with no response
  (httpx.RemoteProtocolError). A client must not resend a write after this.
- "timeout": nothing is applied and no answer comes. In-process: the transport waits the
  request's read timeout with its (injectable) sleep, then raises httpx.ReadTimeout; over
  HTTP the server holds the connection open without answering until the client gives
  up (or the server stops). A client cannot know nothing was applied: unknown outcome.

Rates draw from a seeded RNG (one draw per request), so a run is repeatable; one-shot
injections (`inject`) are used first and match on method and path (fnmatch patterns,
e.g. "/feedback/*").
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass

FAULT_KINDS = ("server_error", "reset", "malformed_json", "drop_response", "timeout")


@dataclass(slots=True)
class Injection:
    kind: str
    times: int
    method: str | None
    path: str | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )


class FaultPlan:
    def __init__(
        self,
        *,
        latency_ms: float = 0,
        error_rate: float = 0.0,
        reset_rate: float = 0.0,
        malformed_rate: float = 0.0,
        drop_response_rate: float = 0.0,
        timeout_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        if latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        self.latency_ms = latency_ms
        self.error_rate = error_rate
        self.reset_rate = reset_rate
        self.malformed_rate = malformed_rate
        self.drop_response_rate = drop_response_rate
        self.timeout_rate = timeout_rate
        self.random = random.Random(seed)
        self._injections: list[Injection] = []
        self._rates()  # validate now rather than on the first request

    @property
    def latency_s(self) -> float:
        return self.latency_ms / 1000

    def _rates(self) -> list[tuple[str, float]]:
        rates = [
            ("server_error", self.error_rate),
            ("reset", self.reset_rate),
            ("malformed_json", self.malformed_rate),
            ("drop_response", self.drop_response_rate),
            ("timeout", self.timeout_rate),
        ]
        if any(not 0 <= rate <= 1 for _, rate in rates) or sum(r for _, r in rates) > 1:
            raise ValueError("fault rates must each be within 0..1 and add up to at most 1")
        return rates

    def inject(
        self, kind: str, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """The next `times` requests matching method/path meet fault `kind`."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._injections.append(Injection(kind, times, method and method.upper(), path))

    def pending(self) -> int:
        """How many injected faults have not happened yet."""
        return sum(i.times for i in self._injections)

    def clear(self) -> None:
        """Drop pending injections and set every rate and the latency to zero."""
        self._injections.clear()
        self.latency_ms = 0
        self.error_rate = self.reset_rate = self.malformed_rate = 0.0
        self.drop_response_rate = self.timeout_rate = 0.0

    def pick(self, method: str, path: str) -> str | None:
        """The fault this request meets, if any (consumes a matching injection)."""
        for injection in self._injections:
            if injection.matches(method, path):
                injection.times -= 1
                if injection.times == 0:
                    self._injections.remove(injection)
                return injection.kind
        rates = self._rates()
        if not any(rate for _, rate in rates):
            return None  # no draw: adding a rate later does not shift earlier runs
        draw = self.random.random()
        for kind, rate in rates:
            if draw < rate:
                return kind
            draw -= rate
        return None

    def server_error_status(self) -> int:
        return self.random.choice((502, 503))


def html_error_page(status: int) -> bytes:
    """What an nginx in front of the API answers when the upstream is down."""
    reason = {502: "Bad Gateway", 503: "Service Temporarily Unavailable"}.get(status, "Error")
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


def truncate_json(body: bytes) -> bytes:
    """The first half of a JSON body: never valid JSON (the closing bracket is gone)."""
    return body[: max(1, len(body) // 2)]
