"""The emulator in-process, as an httpx transport (for --demo and fast tests).

    emulator = Emulator(build_demo_state())
    client = httpx.AsyncClient(transport=EmulatorTransport(emulator), base_url=DEMO_BASE_URL)

Any origin works; the path must be under /developers/rest/v1, as on the real server.
The transport is both async and sync (httpx.Client works too, handy in tests).

How injected faults surface (see faults.py for the meaning of each):
- "reset"         -> httpx.ConnectError: nothing was applied, a client MAY resend;
- "drop_response" -> httpx.ReadError: the request WAS applied, the answer is lost;
- "timeout"       -> httpx.ReadTimeout after sleeping the request's read timeout;
                     nothing was applied, but a client cannot know that.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from kiteboard.emulator.app import BASE_PATH, Emulator, EmulatorResponse, api_path, outside_base

DEMO_BASE_URL = "http://emulator.invalid" + BASE_PATH


class EmulatorTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    def __init__(
        self,
        emulator: Emulator,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        sync_sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.emulator = emulator
        self._sleep = sleep
        self._sync_sleep = sync_sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        if self.emulator.latency_s:
            await self._sleep(self.emulator.latency_s)
        answer = self._answer(request, body)
        if answer.fault == "timeout":
            await self._sleep(_read_timeout(request))
        return self._deliver(request, answer)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if self.emulator.latency_s:
            self._sync_sleep(self.emulator.latency_s)
        answer = self._answer(request, body)
        if answer.fault == "timeout":
            self._sync_sleep(_read_timeout(request))
        return self._deliver(request, answer)

    def _answer(self, request: httpx.Request, body: bytes) -> EmulatorResponse:
        path = api_path(request.url.path)
        if path is None:
            return outside_base(request.method, request.url.path)
        query: dict[str, str] = {}
        for key, value in request.url.params.multi_items():
            query.setdefault(key, value)  # the first value wins, as on the HTTP server
        # As over HTTP, surrounding whitespace is not part of a header's value (RFC 9110).
        headers = {key.lower(): value.strip() for key, value in request.headers.items()}
        return self.emulator.handle(request.method, path, query, headers, body)

    @staticmethod
    def _deliver(request: httpx.Request, answer: EmulatorResponse) -> httpx.Response:
        if answer.fault == "reset":
            raise httpx.ConnectError("emulator: connection reset before sending", request=request)
        if answer.fault == "drop_response":
            raise httpx.ReadError("emulator: connection lost mid-response", request=request)
        if answer.fault == "timeout":
            raise httpx.ReadTimeout("emulator: no answer (injected timeout)", request=request)
        return httpx.Response(
            answer.status, headers=answer.headers, content=answer.body, request=request
        )


def _read_timeout(request: httpx.Request) -> float:
    timeout = request.extensions.get("timeout", {}).get("read")
    return float(timeout) if timeout else 0.0
