"""The one error hierarchy of the Kitemaker client.

Every error has ``.message`` (the API's own message when it sent one, else a readable
sentence of ours), ``.status`` (HTTP status or None) and ``.code`` (the API's code or
None). Messages never contain the token: the client builds them from the API's answer
and the request's method and path only, and scrubs the token out of what the server
says. Plain Python (no httpx, no pydantic), so the UI can import it cheaply.
"""

from __future__ import annotations


class KitemakerError(Exception):
    """Base of every error raised by KitemakerClient."""

    default_message = "The Kitemaker request failed"

    def __init__(
        self, message: str | None = None, *, status: int | None = None, code: str | None = None
    ) -> None:
        self.message: str = message or self.default_message
        self.status: int | None = status
        self.code: str | None = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message)]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.code is not None:
            parts.append(f"code={self.code!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class AuthError(KitemakerError):
    """401 (or 403): the token is missing, wrong or not allowed to do this."""

    default_message = "The API token was rejected"

    def __init__(
        self, message: str | None = None, *, status: int | None = 401, code: str | None = None
    ) -> None:
        super().__init__(message, status=status, code=code)


class NotFoundError(KitemakerError):
    """404 with the API's code: SPACE_NOT_FOUND, ISSUE_NOT_FOUND, INITIATIVE_NOT_FOUND,
    FEEDBACK_NOT_FOUND."""

    default_message = "Not found"

    def __init__(
        self, message: str | None = None, code: str | None = None, *, status: int | None = 404
    ) -> None:
        super().__init__(message, status=status, code=code)


class BadRequestError(KitemakerError):
    """400 (or another 4xx with an API error body): ``message`` is the API's message,
    e.g. why a title or status id was refused."""

    default_message = "Kitemaker refused the request"

    def __init__(
        self, message: str | None = None, *, status: int | None = 400, code: str | None = None
    ) -> None:
        super().__init__(message, status=status, code=code)


class RateLimitedError(KitemakerError):
    """429 that retries could not outlast; ``retry_after`` is the server's wait in
    seconds (None when it did not say)."""

    default_message = "Kitemaker is rate limiting requests"

    def __init__(
        self,
        message: str | None = None,
        retry_after: float | None = None,
        *,
        status: int | None = 429,
        code: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after: float | None = retry_after


class ServerUnavailableError(KitemakerError):
    """5xx, or an answer that is not the API's (HTML page, empty or malformed body)."""

    default_message = "Kitemaker is unavailable"

    def __init__(
        self, message: str | None = None, status: int | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(message, status=status, code=code)


class BadResponseError(ServerUnavailableError):
    """The server answered, but not as the Kitemaker API does: an HTML page (often a
    proxy, or a wrong base URL), an empty or malformed body, a shape the models cannot
    read. ``status`` is the HTTP status of that answer."""

    default_message = "Kitemaker sent an answer kiteboard cannot read"


class NetworkError(KitemakerError):
    """No answer: connection refused, DNS failure, timeout, reset (after retries)."""

    default_message = "Could not reach Kitemaker"


class UnknownOutcomeError(KitemakerError):
    """A write (POST/PUT) whose fate is unknown: the request may have been applied, but
    the answer was lost (timeout, connection lost mid-response, a 5xx, an unreadable
    success body). The client never resends it; the caller should re-read the data to
    find out."""

    def __init__(
        self,
        method: str,
        path: str,
        message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        super().__init__(
            message
            or f"{method} {path}: no answer from Kitemaker; the change may or may not have "
            "been saved",
            status=status,
            code=code,
        )

    def __repr__(self) -> str:
        return f"UnknownOutcomeError({self.method!r}, {self.path!r}, {self.message!r})"


__all__ = [
    "AuthError",
    "BadRequestError",
    "BadResponseError",
    "KitemakerError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "ServerUnavailableError",
    "UnknownOutcomeError",
]
