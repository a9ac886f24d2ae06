"""The Kitemaker clients (REST and GraphQL): models, errors, clients. Never imports textual.

Importing this package is free: ``from kiteboard.api import KitemakerClient`` loads
httpx and pydantic only when the name is first used (they cost ~170 ms together), and
the modules errors, retry, colors and urls stay plain Python.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "KitemakerClient": "client",
    "GraphQLClient": "graphql_client",
    "graphql_url": "urls",
    "ClientStats": "client",
    "Pacer": "client",
    "RetryPolicy": "retry",
    "KitemakerError": "errors",
    "AuthError": "errors",
    "NotFoundError": "errors",
    "BadRequestError": "errors",
    "RateLimitedError": "errors",
    "ServerUnavailableError": "errors",
    "BadResponseError": "errors",
    "NetworkError": "errors",
    "UnknownOutcomeError": "errors",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kiteboard.api' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
