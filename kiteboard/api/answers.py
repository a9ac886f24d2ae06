"""Turning what the server answered into data or into a typed error.

Separate from the client's sending and retrying so that each can be read on its own.
Everything here is about ONE answer; whether to try again is decided in client.py.
The token never reaches this module except to be scrubbed out of the server's text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    KitemakerError,
    NotFoundError,
    RateLimitedError,
    ServerUnavailableError,
)

# Server text longer than this is cut: an error message is one line for a human, and a
# misbehaving server must not be able to flood the UI or a log through it.
MAX_MESSAGE_CHARS = 300


def decode_json(content: bytes) -> tuple[bool, Any]:
    """(True, value) when ``content`` is JSON, else (False, None)."""
    if not content.strip():
        return False, None
    try:
        return True, json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, None


def describe_body(content: bytes, content_type: str | None) -> str:
    """A few words on what a body that is not an API answer looks like."""
    if not content.strip():
        return "an empty body"
    head = content.lstrip()[:64].lower()
    if "html" in (content_type or "").lower() or head.startswith((b"<!doctype", b"<html", b"<")):
        return "an HTML page"
    ok, _ = decode_json(content)
    return "JSON that is not an API error" if ok else "a body that is not valid JSON"


def clean_text(text: Any, token: str) -> str | None:
    """The server's message as one safe line: a string, the token scrubbed out,
    whitespace collapsed, length capped. None when there is no usable text."""
    if not isinstance(text, str):
        return None
    if token:
        # Only where it stands as a whole token: a short one (the emulator's "t") must
        # not turn "attempts" into "a***emp***s".
        text = re.sub(rf"(?<![\w-]){re.escape(token)}(?![\w-])", "***", text)
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return text


def api_error(content: bytes, token: str) -> tuple[str | None, str | None] | None:
    """(message, code) from a Kitemaker error body ``{"errors": [{message, status,
    code}]}``, or GraphQL's ``{"errors": [{message, extensions: {code}}]}``; None when
    the body is not one (HTML, empty, malformed, other JSON)."""
    ok, data = decode_json(content)
    if not ok or not isinstance(data, dict):
        return None
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
    elif "message" in data:  # tolerate a bare {"message": ..., "code": ...}
        first = data
    else:
        return None
    code = first.get("code")
    extensions = first.get("extensions")
    if code is None and isinstance(extensions, dict):  # a GraphQL error says it there
        code = extensions.get("code")
    return clean_text(first.get("message"), token), code if isinstance(code, str) else None


def error_for_status(
    status: int,
    content: bytes,
    content_type: str | None,
    token: str,
    *,
    retry_after: float | None = None,
) -> KitemakerError:
    """The typed error for a non-2xx answer.

    A 4xx without a Kitemaker error body is NOT taken at its word: an HTML 404 from a
    proxy or a wrong base URL must not tell the sync engine that an item was deleted,
    so it becomes BadResponseError (a ServerUnavailableError). 429 is the exception:
    whatever its body, it means "slow down"."""
    parsed = api_error(content, token)
    message, code = parsed if parsed else (None, None)
    if status == 429:
        return RateLimitedError(message, retry_after, code=code)
    if status >= 500:
        if parsed is None:
            return BadResponseError(
                f"Kitemaker is unavailable: the server answered {status} with "
                f"{describe_body(content, content_type)}",
                status,
            )
        return ServerUnavailableError(
            message or f"Kitemaker is unavailable (HTTP {status})", status, code=code
        )
    if parsed is None:
        return BadResponseError(
            f"The server answered {status} with {describe_body(content, content_type)}, "
            "not a Kitemaker API answer: is the base URL right?",
            status,
        )
    if status in (401, 403):
        return AuthError(message, status=status, code=code)
    if status == 404:
        return NotFoundError(message, code)
    if 400 <= status < 500:
        return BadRequestError(message, status=status, code=code)
    return BadResponseError(
        message or f"The server answered with an unexpected status {status}", status, code=code
    )
