"""The async Kitemaker REST client: one method per endpoint of the contract (16).

What it guarantees (see ../shared/kitemaker-rest-api.md and docs/interfaces):
- every request carries ``Accept: application/json``, ``X-API-KEY`` and a
  ``kiteboard/<version>`` User-Agent, and has a timeout;
- at most ``max_in_flight`` requests are on the wire at once (shared by every caller
  of this client; a request waiting out a backoff does not hold a slot);
- reads are retried on 429, 502/503/504, an unreadable 200, connect errors, timeouts
  and lost connections; writes (POST/PUT) only when the server certainly did not apply
  them (429, or a connection that failed before the request was sent). A write whose
  fate is unknown raises UnknownOutcomeError and is never resent;
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
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from kiteboard import __version__

from .answers import clean_text, decode_json, error_for_status
from .errors import (
    AuthError,
    BadResponseError,
    KitemakerError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    UnknownOutcomeError,
)
from .models import (
    Comment,
    Feedback,
    Initiative,
    Label,
    MetadataEntry,
    Organization,
    WorkItem,
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

# PUT /workitem keyword -> JSON field (the only keys update_work_item accepts).
WORK_ITEM_FIELDS = {
    "title": "title",
    "status_id": "statusId",
    "description": "description",
    "label_ids": "labelIds",
    "effort": "effort",
    "impact": "impact",
    "placement": "placement",
}

T = TypeVar("T")


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


def _header_safe(token: str) -> bool:
    # httpx's complaint about an illegal header value would quote the token in its
    # message, so such a token is never put in a header (see _attempt).
    return all(0x21 <= ord(ch) <= 0x7E for ch in token)


def _lower(value: Any) -> Any:
    # Responses say "Large", requests must say "large": accept either from callers.
    return value.lower() if isinstance(value, str) else value


def _drop_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


class KitemakerClient:
    DEFAULT_BASE_URL = "https://toil.kitemaker.co/developers/rest/v1"

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
        return f"KitemakerClient(base_url={self.base_url!r}, token=<hidden>)"

    async def __aenter__(self) -> KitemakerClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # ----- the 16 endpoints -------------------------------------------------------

    async def organization(self) -> Organization:
        return await self._get_as(Organization, "/organization")

    async def spaces(self) -> list[MetadataEntry]:
        return await self._get_as(list[MetadataEntry], "/metadata/spaces")

    async def statuses(self, space_id: str) -> list[MetadataEntry]:
        """The space's statuses (board columns) in board order."""
        return await self._get_as(
            list[MetadataEntry], "/metadata/statuses", params={"spaceId": space_id}
        )

    async def labels(self, space_id: str) -> list[MetadataEntry]:
        return await self._get_as(
            list[MetadataEntry], "/metadata/labels", params={"spaceId": space_id}
        )

    async def work_item_titles(self, space_id: str) -> list[MetadataEntry]:
        """EVERY work item of the space, as {id, label=title} (no number, no status)."""
        return await self._get_as(
            list[MetadataEntry], "/metadata/workitems", params={"spaceId": space_id}
        )

    async def recent_work_items(self, space_id: str, count: int = 50) -> list[WorkItem]:
        """The ``count`` (1..50) most recently updated items, newest first."""
        params = {"spaceId": space_id, "count": str(count)}
        return await self._get_as(list[WorkItem], "/recent/workitems", params=params)

    async def recent_comments(self, space_id: str, count: int = 50) -> list[Comment]:
        params = {"spaceId": space_id, "count": str(count)}
        return await self._get_as(list[Comment], "/recent/comments", params=params)

    async def work_item(self, space_key: str, number: int) -> WorkItem:
        params = {"spaceKey": space_key, "workItemNumber": str(number)}
        return await self._get_as(WorkItem, "/workitem", params=params)

    async def create_work_item(
        self,
        *,
        title: str,
        status_id: str,
        description: str | None = None,
        label_ids: list[str] | None = None,
        effort: str | None = None,
        impact: str | None = None,
        placement: str | None = None,
    ) -> WorkItem:
        body = _drop_none(
            {
                "title": title,
                "statusId": status_id,
                "description": description,
                "labelIds": list(label_ids) if label_ids is not None else None,
                "effort": _lower(effort),
                "impact": _lower(impact),
                "placement": _lower(placement),
            }
        )
        return await self._send_as(WorkItem, "POST", "/workitem", body)

    async def update_work_item(self, item_id: str, **changes: Any) -> WorkItem:
        """PUT only the keys passed (see WORK_ITEM_FIELDS). ``label_ids`` is the
        complete desired set; None clears effort, impact or description."""
        unknown = set(changes) - WORK_ITEM_FIELDS.keys()
        if unknown:
            raise TypeError(f"update_work_item() got unknown fields: {sorted(unknown)}")
        body: dict[str, Any] = {"id": item_id}
        for key, value in changes.items():
            if key in ("effort", "impact", "placement"):
                value = _lower(value)
            elif key == "label_ids" and value is not None:
                value = list(value)
            body[WORK_ITEM_FIELDS[key]] = value
        return await self._send_as(WorkItem, "PUT", "/workitem", body)

    async def create_comment(self, work_item_id: str, body: str) -> Comment:
        payload = {"workItemId": work_item_id, "body": body}
        return await self._send_as(Comment, "POST", "/comment", payload)

    async def create_label(self, space_id: str, name: str, color: str | None = None) -> Label:
        """``color``: six hex digits (a leading '#' is dropped); random when None."""
        if isinstance(color, str):
            color = color.removeprefix("#")
        body = _drop_none({"spaceId": space_id, "labelName": name, "color": color})
        return await self._send_as(Label, "POST", "/label", body)

    async def initiative(self, number: int) -> Initiative:
        """GET /initiative: the documented answer is an ARRAY of one; a bare object is
        accepted too, and an empty array is INITIATIVE_NOT_FOUND."""
        data = await self._request("GET", "/initiative", params={"number": str(number)})
        if isinstance(data, list):
            if not data:
                raise NotFoundError(
                    "Could not find the specified initiative", "INITIATIVE_NOT_FOUND"
                )
            data = data[0]
        return self._parse(Initiative, data, "GET", "/initiative")

    async def create_initiative(
        self,
        *,
        title: str,
        description: str | None = None,
        color: str | None = None,
        label_ids: list[str] | None = None,
        effort_id: str | None = None,
        impact_id: str | None = None,
        space_ids: list[str] | None = None,
        roadmap_column_ids: list[str] | None = None,
    ) -> Initiative:
        body = _drop_none(
            {
                "title": title,
                "description": description,
                "color": color,
                "labelIds": label_ids,
                "effortId": effort_id,
                "impactId": impact_id,
                "spaceIds": space_ids,
                "roadmapColumnIds": roadmap_column_ids,
            }
        )
        data = await self._request("POST", "/initiative", body=body)
        if isinstance(data, list) and data:  # be as lenient as the GET
            data = data[0]
        return self._parse(Initiative, data, "POST", "/initiative")

    async def feedback(self, number: int) -> Feedback:
        # A path parameter, unlike every other read: int() keeps it one path segment.
        return await self._get_as(Feedback, f"/feedback/{int(number)}")

    async def create_feedback(
        self,
        *,
        title: str,
        person_email: str | None = None,
        contents: str | None = None,
        link_insight_to_entity_ids: list[str] | None = None,
    ) -> Feedback:
        body = _drop_none(
            {
                "title": title,
                "personEmail": person_email,
                "contents": contents,
                "linkInsightToEntityIds": link_insight_to_entity_ids,
            }
        )
        return await self._send_as(Feedback, "POST", "/feedback", body)

    # ----- plumbing ---------------------------------------------------------------

    async def _get_as(self, kind: Any, path: str, *, params: dict[str, str] | None = None) -> Any:
        data = await self._request("GET", path, params=params)
        return self._parse(kind, data, "GET", path)

    async def _send_as(self, kind: Any, method: str, path: str, body: dict[str, Any]) -> Any:
        data = await self._request(method, path, body=body)
        return self._parse(kind, data, method, path)

    def _parse(self, kind: Any, data: Any, method: str, path: str) -> Any:
        try:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                return kind.model_validate(data)
            return _adapter(kind).validate_python(data)
        except ValidationError as exc:
            what = f"{method} {path}: the answer does not have the documented shape "
            what += f"({exc.error_count()} problem(s))"
            if method in WRITE_METHODS:
                # The server said it applied the write, but we cannot read the result.
                raise UnknownOutcomeError(method, path, what) from None
            raise BadResponseError(what, 200) from None

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

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """Send with retries; the decoded JSON of a 2xx answer, or a KitemakerError."""
        policy = self.retry
        started = self._clock()
        attempt = 1
        while True:
            try:
                return await self._attempt(method, path, params, body)
            except _Retry as failed:
                error = failed.error
                if attempt >= policy.max_attempts:
                    raise error from None
                wait = policy.delay(attempt, failed.retry_after, self._random)
                if self._clock() - started + wait > policy.max_total_wait:
                    raise error from None
                log.info("%s %s: %s; retry %d in %.2fs", method, path, error.message, attempt, wait)
                self.stats.retries += 1
                attempt += 1
                await self._sleep(wait)

    async def _attempt(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
    ) -> Any:
        is_write = method in WRITE_METHODS
        if self.pacer is not None:
            await self.pacer.wait()
        http = self._client()
        token = self._token.reveal()
        if not _header_safe(token):
            raise AuthError("The API token contains spaces or characters a header cannot carry")
        headers = {"X-API-KEY": token} if token else {}
        async with self._semaphore():
            request = http.build_request(method, path, params=params, json=body, headers=headers)
            self.stats.requests += 1
            began = self._clock()
            try:
                response = await http.send(request)
            except httpx.RequestError as exc:
                raise self._transport_failure(method, path, exc, is_write) from None
        log.debug(
            "%s %s -> %d in %.0f ms",
            method,
            path,
            response.status_code,
            (self._clock() - began) * 1000,
        )
        return self._interpret(method, path, response, is_write)

    def _transport_failure(
        self, method: str, path: str, exc: httpx.RequestError, is_write: bool
    ) -> Exception:
        """The error (or _Retry) for a request that got no answer."""
        detail = clean_text(str(exc), self._token.reveal())
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        if isinstance(exc, NOT_SENT):
            return _Retry(NetworkError(f"Could not reach Kitemaker ({what})"))
        if is_write:
            # Sent, maybe applied, answer lost: only a re-read can tell.
            return UnknownOutcomeError(
                method,
                path,
                f"{method} {path}: the connection failed before Kitemaker answered ({what}); "
                "the change may or may not have been saved",
            )
        if isinstance(exc, TRANSIENT):
            return _Retry(NetworkError(f"Kitemaker did not answer ({what})"))
        if isinstance(exc, httpx.DecodingError):  # a body whose encoding is broken
            return _Retry(BadResponseError(f"Kitemaker's answer could not be decoded ({what})"))
        return NetworkError(f"Could not talk to Kitemaker ({what})")

    def _interpret(self, method: str, path: str, response: httpx.Response, is_write: bool) -> Any:
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
            message = f"{method} {path}: Kitemaker answered {status} but its body could not be read"
            if is_write:
                raise UnknownOutcomeError(
                    method, path, message + "; the change was probably saved", status=status
                )
            raise _Retry(BadResponseError(message, status))
        error = self._error(response)
        if status >= 500:
            if is_write:
                raise UnknownOutcomeError(
                    method,
                    path,
                    f"{method} {path}: Kitemaker failed with {status}; "
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
