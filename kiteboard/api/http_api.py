"""What every Kitemaker client shares, whichever API it speaks (REST or GraphQL).

Sending with retries, pacing and a cap on requests in flight; reading an answer into
data or a typed error; keeping the token secret. The REST client (client.py) and the
GraphQL client (graphql_client.py) are subclasses that add their endpoints and say how
the token is sent (``_auth_headers``). What it guarantees:
- every request carries ``Accept: application/json`` and a ``kiteboard/<version>``
  User-Agent, and has a timeout;
- at most ``max_in_flight`` requests are on the wire at once (shared by every caller
  of this client; a request waiting out a backoff does not hold a slot);
- reads are retried on 429, 502/503/504, an unreadable 200, connect errors, timeouts
  and lost connections; writes only when the server certainly did not apply them (429,
  or a connection that failed before the request was sent). A write whose fate is
  unknown raises UnknownOutcomeError and is never resent;
- every failure is a KitemakerError subclass (errors.py), and the token never appears
  in a repr, a log line or an exception message.
Clock, sleep and random are injectable so tests never wait.
"""

from __future__ import annotations

import asyncio
import logging
import random as _random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, Self

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from kiteboard import __version__

from .answers import clean_text, decode_json, error_for_status
from .errors import (
    AuthError,
    BadResponseError,
    KitemakerError,
    NetworkError,
    RateLimitedError,
    UnknownOutcomeError,
)
from .retry import RetryPolicy, parse_retry_after
from .secret import Secret

log = logging.getLogger("kiteboard.api")

USER_AGENT = f"kiteboard/{__version__}"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Statuses after which a READ is tried again (a 5xx on a write is an unknown outcome).
RETRYABLE_READ_STATUSES = frozenset({502, 503, 504})
# Failures that happen before a single byte of the request left: safe to resend anything.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which a read is tried again: timeouts, resets, lost connections.
TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class Pacer(Protocol):
    """Optional hook for the sync engine to pace requests (e.g. a shared token bucket).
    ``wait`` runs before each attempt (before a slot is taken); ``on_rate_limited`` is
    told of every 429 (with its Retry-After in seconds, or None); ``on_success`` of
    every answer that was not a 429."""

    async def wait(self) -> None: ...
    def on_rate_limited(self, retry_after: float | None) -> None: ...
    def on_success(self) -> None: ...


@dataclass
class ClientStats:
    requests: int = 0  # attempts sent (retries included)
    rate_limited: int = 0  # 429 answers seen
    retries: int = 0  # attempts that were retries


@dataclass(frozen=True, slots=True)
class Call:
    """One request as the retry loop sees it. ``label`` names it in messages and logs
    ("GET /workitem", "GraphQL editWorkItem"); ``write`` says whether resending it
    could apply it twice."""

    method: str
    path: str
    label: str
    write: bool
    params: dict[str, str] | None = None
    body: dict[str, Any] | None = None

    @classmethod
    def rest(
        cls,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Call:
        """A REST request: whether it writes is what its method says."""
        return cls(method, path, f"{method} {path}", method in WRITE_METHODS, params, body)


class _Retry(Exception):
    """Internal: this attempt failed in a way that may be retried."""

    def __init__(self, error: KitemakerError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    if kind not in _adapters:
        _adapters[kind] = TypeAdapter(kind)
    return _adapters[kind]


def header_safe(token: str) -> bool:
    # httpx's complaint about an illegal header value would quote the token in its
    # message, so such a token is never put in a header (see _attempt).
    return all(0x21 <= ord(ch) <= 0x7E for ch in token)


class HttpApiClient:
    """The shared machinery; subclasses define the endpoints and ``_auth_headers``."""

    DEFAULT_BASE_URL = ""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = 10.0,
        max_in_flight: int = 4,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        pacer: Pacer | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        reveal = getattr(token, "reveal", None)  # a config Secret is welcome as is
        self.base_url = str(base_url or self.DEFAULT_BASE_URL).rstrip("/")
        # Surrounding whitespace is a paste accident (a trailing newline), not the token.
        self._token = Secret((reveal() if callable(reveal) else str(token or "")).strip())
        self._transport = transport
        self._timeout = timeout
        self.max_in_flight = max_in_flight
        self.retry = retry or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._random = random
        self.pacer = pacer
        self.stats = ClientStats()
        self._http: httpx.AsyncClient | None = None  # created on first use
        self._slots: asyncio.Semaphore | None = None  # created on first use, in the loop

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, token=<hidden>)"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _auth_headers(self, token: str) -> dict[str, str]:
        """The header(s) that carry a non-empty token."""
        raise NotImplementedError

    # ----- reading answers ----------------------------------------------------------

    def _parse(self, kind: Any, data: Any, call: Call) -> Any:
        try:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                return kind.model_validate(data)
            return _adapter(kind).validate_python(data)
        except ValidationError as exc:
            what = f"{call.label}: the answer does not have the documented shape "
            what += f"({exc.error_count()} problem(s))"
            if call.write:
                # The server said it applied the write, but we cannot read the result.
                raise UnknownOutcomeError(call.method, call.path, what) from None
            raise BadResponseError(what, 200) from None

    # ----- sending ------------------------------------------------------------------

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                transport=self._transport,
                timeout=self._timeout,
                headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                limits=httpx.Limits(
                    max_connections=self.max_in_flight,
                    max_keepalive_connections=self.max_in_flight,
                ),
            )
        return self._http

    def _semaphore(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_in_flight)
        return self._slots

    async def _send(self, call: Call) -> Any:
        """Send with retries; the decoded JSON of a 2xx answer, or a KitemakerError."""
        policy = self.retry
        started = self._clock()
        attempt = 1
        while True:
            try:
                return await self._attempt(call)
            except _Retry as failed:
                error = failed.error
                if attempt >= policy.max_attempts:
                    raise error from None
                wait = policy.delay(attempt, failed.retry_after, self._random)
                if self._clock() - started + wait > policy.max_total_wait:
                    raise error from None
                log.info("%s: %s; retry %d in %.2fs", call.label, error.message, attempt, wait)
                self.stats.retries += 1
                attempt += 1
                await self._sleep(wait)

    async def _attempt(self, call: Call) -> Any:
        if self.pacer is not None:
            await self.pacer.wait()
        http = self._client()
        token = self._token.reveal()
        if not header_safe(token):
            raise AuthError("The API token contains spaces or characters a header cannot carry")
        headers = self._auth_headers(token) if token else {}
        async with self._semaphore():
            request = http.build_request(
                call.method, call.path, params=call.params, json=call.body, headers=headers
            )
            self.stats.requests += 1
            began = self._clock()
            try:
                response = await http.send(request)
            except httpx.RequestError as exc:
                raise self._transport_failure(call, exc) from None
        log.debug(
            "%s -> %d in %.0f ms",
            call.label,
            response.status_code,
            (self._clock() - began) * 1000,
        )
        return self._interpret(call, response)

    def _transport_failure(self, call: Call, exc: httpx.RequestError) -> Exception:
        """The error (or _Retry) for a request that got no answer."""
        detail = clean_text(str(exc), self._token.reveal())
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        if isinstance(exc, NOT_SENT):
            return _Retry(NetworkError(f"Could not reach Kitemaker ({what})"))
        if call.write:
            # Sent, maybe applied, answer lost: only a re-read can tell.
            return UnknownOutcomeError(
                call.method,
                call.path,
                f"{call.label}: the connection failed before Kitemaker answered ({what}); "
                "the change may or may not have been saved",
            )
        if isinstance(exc, TRANSIENT):
            return _Retry(NetworkError(f"Kitemaker did not answer ({what})"))
        if isinstance(exc, httpx.DecodingError):  # a body whose encoding is broken
            return _Retry(BadResponseError(f"Kitemaker's answer could not be decoded ({what})"))
        return NetworkError(f"Could not talk to Kitemaker ({what})")

    def _interpret(self, call: Call, response: httpx.Response) -> Any:
        status = response.status_code
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
            self.stats.rate_limited += 1
            if self.pacer is not None:
                self.pacer.on_rate_limited(retry_after)
            error = self._error(response, retry_after)
            assert isinstance(error, RateLimitedError)
            raise _Retry(error, retry_after)  # not applied: safe for writes too
        if self.pacer is not None:
            self.pacer.on_success()
        if 200 <= status < 300:
            ok, data = decode_json(response.content)
            if ok:
                return data
            message = f"{call.label}: Kitemaker answered {status} but its body could not be read"
            if call.write:
                raise UnknownOutcomeError(
                    call.method,
                    call.path,
                    message + "; the change was probably saved",
                    status=status,
                )
            raise _Retry(BadResponseError(message, status))
        error = self._error(response)
        if status >= 500:
            if call.write:
                raise UnknownOutcomeError(
                    call.method,
                    call.path,
                    f"{call.label}: Kitemaker failed with {status}; "
                    "the change may or may not have been saved",
                    status=status,
                )
            if status in RETRYABLE_READ_STATUSES:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), now=time.time()
                )
                raise _Retry(error, retry_after)
        raise error

    def _error(self, response: httpx.Response, retry_after: float | None = None) -> KitemakerError:
        return error_for_status(
            response.status_code,
            response.content,
            response.headers.get("Content-Type"),
            self._token.reveal(),
            retry_after=retry_after,
        )
