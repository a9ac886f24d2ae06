"""Where each API lives. Plain Python, so the config can use it at no cost."""

from __future__ import annotations

import re

REST_BASE_URL = "https://toil.kitemaker.co/developers/rest/v1"
GRAPHQL_PATH = "/developers/graphql"
_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+")


def graphql_url(rest_base_url: str) -> str:
    """The GraphQL endpoint beside a REST base URL, so that ``--base-url`` and the
    emulator need nothing more: ``https://toil.kitemaker.co/developers/rest/v1`` ->
    ``https://toil.kitemaker.co/developers/graphql``. A base URL without
    ``/developers/rest`` keeps whatever prefix it has (a proxy's path) and gets
    ``/developers/graphql`` after it; a bare origin gets it at its root."""
    base = (rest_base_url or REST_BASE_URL).strip().rstrip("/")
    head, found, _ = base.rpartition("/developers/rest")
    if found:
        return head + GRAPHQL_PATH
    if base.endswith(GRAPHQL_PATH):
        return base
    return base + GRAPHQL_PATH if _ORIGIN.match(base) else GRAPHQL_PATH
