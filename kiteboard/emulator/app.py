"""The emulator proper: one request in, one answer out, independent of how it is served.

`Emulator.handle` runs a request through, in this order: statistics; fault injection
(faults.py); the rate limit (429 RATE_LIMITED with Retry-After); routing (unknown path:
404 NOT_FOUND, so a wrong base URL does not look like a bad token); the token (401
UNAUTHORIZED); the endpoint (routes.py, or graphql_api.py for POST /developers/graphql).
REST and GraphQL share the state, the rate limit and the faults; REST takes the token
in `X-API-KEY`, GraphQL in `Authorization: Bearer`. With `graphql=False` the GraphQL
endpoint answers 404, as a server without it would. Latency is added by the transports,
before they call `handle`, because only they know how to sleep (asyncio or a thread).
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kiteboard.emulator import routes
from kiteboard.emulator.errors import (
    UNAUTHORIZED_MESSAGE,
    EmulatorError,
    no_such_endpoint,
    rate_limited,
    unauthorized,
)
from kiteboard.emulator.faults import FaultPlan, html_error_page, truncate_json
from kiteboard.emulator.ratelimit import TokenBucket
from kiteboard.emulator.state import EmulatorState

BASE_PATH = "/developers/rest/v1"
GRAPHQL_PATH = "/developers/graphql"
JSON_TYPE = "application/json; charset=utf-8"
DEFAULT_TOKEN = "demo"
# Faults the transport must act out instead of delivering the answer.
TRANSPORT_FAULTS = frozenset({"reset", "drop_response", "timeout"})

log = logging.getLogger(__name__)


@dataclass(slots=True)
class EmulatorResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # "reset" | "drop_response" | "timeout": the transport must not deliver this answer
    # but fail the way faults.py describes.
    fault: str | None = None

    def json(self) -> object:
        return json.loads(self.body)


@dataclass(slots=True)
class EmulatorStats:
    requests: int = 0  # every request received, faulted and rate-limited ones too
    per_endpoint: Counter[tuple[str, str]] = field(default_factory=Counter)  # (method, path)
    rate_limited: int = 0
    faults: Counter[str] = field(default_factory=Counter)  # by kind
    # GraphQL requests by the root fields they asked for ("workItems", "editWorkItem").
    graphql_fields: Counter[str] = field(default_factory=Counter)

    def count(self, method: str, path: str) -> int:
        return self.per_endpoint[(method.upper(), path)]

    def reset(self) -> None:
        self.requests = self.rate_limited = 0
        self.per_endpoint.clear()
        self.faults.clear()
        self.graphql_fields.clear()


def json_response(
    status: int, value: object, headers: dict[str, str] | None = None
) -> EmulatorResponse:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return EmulatorResponse(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})


def error_response(error: EmulatorError, headers: dict[str, str] | None = None) -> EmulatorResponse:
    return json_response(error.status, error.body(), headers)


def strip_base(path: str) -> str | None:
    """The API path under /developers/rest/v1, or None for a path outside it."""
    if path == BASE_PATH or path.startswith(BASE_PATH + "/"):
        return path[len(BASE_PATH) :] or "/"
    return None


def api_path(full_path: str) -> str | None:
    """The path `Emulator.handle` takes for a URL's path: relative to the REST prefix
    under it, GRAPHQL_PATH for the GraphQL endpoint, None outside both."""
    if full_path.rstrip("/") == GRAPHQL_PATH:
        return GRAPHQL_PATH
    return strip_base(full_path)


def outside_base(method: str, path: str) -> EmulatorResponse:
    """The answer to a request outside the API's prefix (e.g. a base URL without it)."""
    error = no_such_endpoint(method, path)
    error.message += f" (the API is served under {BASE_PATH}, and GraphQL at {GRAPHQL_PATH})"
    return error_response(error)


class Emulator:
    def __init__(
        self,
        state: EmulatorState,
        *,
        token: str = DEFAULT_TOKEN,
        rate_limit: float | None = None,
        burst: int | None = None,
        faults: FaultPlan | None = None,
        clock: Callable[[], float] = time.monotonic,
        graphql: bool = True,
    ) -> None:
        self.state = state
        self.graphql = graphql  # False: POST /developers/graphql answers 404
        self._token = token.encode()
        self._clock = clock
        self.faults = faults or FaultPlan()
        self.stats = EmulatorStats()
        self._bucket: TokenBucket | None = None
        self.set_rate_limit(rate_limit, burst)

    def __repr__(self) -> str:  # never the token
        return f"<Emulator {self.state.organization.name!r}>"

    def set_rate_limit(self, rate: float | None, burst: float | None = None) -> None:
        """Requests per second (None: unlimited); burst defaults to max(1, rate)."""
        self._bucket = None if rate is None else TokenBucket(rate, burst, clock=self._clock)

    @property
    def latency_s(self) -> float:
        return self.faults.latency_s

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> EmulatorResponse:
        method = method.upper()
        if len(path) > 1:
            path = path.rstrip("/")
        with self.state.lock:
            self.stats.requests += 1
            self.stats.per_endpoint[(method, path)] += 1
            fault = self.faults.pick(method, path)
            if fault is not None:
                self.stats.faults[fault] += 1
            if fault in ("reset", "timeout"):  # before processing: nothing applied
                return EmulatorResponse(0, fault=fault)
            if fault == "server_error":
                status = self.faults.server_error_status()
                html = {"Content-Type": "text/html; charset=utf-8"}
                return EmulatorResponse(status, html_error_page(status), html)
            response = self._process(method, path, query, headers, body)
            if fault == "malformed_json":
                response.body = truncate_json(response.body)
            elif fault == "drop_response":
                response.fault = fault  # applied; the transport loses the answer
            return response

    def _process(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> EmulatorResponse:
        if self._bucket is not None:
            wait = self._bucket.take()
            if wait is not None:
                self.stats.rate_limited += 1
                return error_response(rate_limited(wait), {"Retry-After": str(wait)})
        if path == GRAPHQL_PATH:
            return self._graphql(method, path, headers, body)
        handler = routes.resolve(method, path)
        if handler is None:
            return error_response(no_such_endpoint(method, path))
        if not self._authorised(headers):
            return error_response(unauthorized())
        try:
            status, value = handler(self.state, routes.Request(method, path, query, body))
        except EmulatorError as error:
            return error_response(error)
        except Exception:  # a bug in the emulator: say so as the server would, a 500
            log.exception("emulator failed on %s %s", method, path)
            error = EmulatorError(500, "INTERNAL_ERROR", "The emulator failed (a bug)")
            return error_response(error)
        return json_response(status, value)

    def _graphql(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> EmulatorResponse:
        if not self.graphql or method != "POST":
            return error_response(no_such_endpoint(method, path))
        if not self._bearer(headers):
            error = {"message": UNAUTHORIZED_MESSAGE, "extensions": {"code": "UNAUTHENTICATED"}}
            return json_response(401, {"errors": [error]})
        # graphql-core is imported on the first GraphQL request, never at start-up.
        from kiteboard.emulator import graphql_api

        try:
            status, answer, fields = graphql_api.run(self.state, body)
        except Exception:  # a bug in the emulator: say so as the server would, a 500
            log.exception("emulator failed on a GraphQL request")
            error = EmulatorError(500, "INTERNAL_ERROR", "The emulator failed (a bug)")
            return error_response(error)
        self.stats.graphql_fields.update(fields)
        return json_response(status, answer)

    def _authorised(self, headers: Mapping[str, str]) -> bool:
        given = next((v for k, v in headers.items() if k.lower() == "x-api-key"), "")
        return bool(given) and hmac.compare_digest(given.encode(), self._token)

    def _bearer(self, headers: Mapping[str, str]) -> bool:
        given = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = given.strip().partition(" ")
        token = token.strip()
        return (
            scheme.lower() == "bearer"
            and bool(token)
            and hmac.compare_digest(token.encode(), self._token)
        )
