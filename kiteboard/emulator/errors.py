"""The emulator's one error type: an API error with the contract's status, code and message.

State methods and endpoint handlers raise it; `Emulator.handle` turns it into the
documented error body `{"errors": [{"message", "status", "code"}]}`.
"""

from __future__ import annotations

# The contract's documented 404 codes and messages (initiative/feedback from the doc
# examples). Keyed by what was not found.
NOT_FOUND = {
    "space": ("SPACE_NOT_FOUND", "The specified space does not exist"),
    "work item": ("ISSUE_NOT_FOUND", "Could not find the specified work item"),
    "initiative": ("INITIATIVE_NOT_FOUND", "Could not find the specified initiative"),
    "feedback": ("FEEDBACK_NOT_FOUND", "Could not find the specified feedback"),
}
UNAUTHORIZED_MESSAGE = "The requested action could not be completed"


class EmulatorError(Exception):
    """An error answer: HTTP status, the API's `code` and a message for humans."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, object]:
        return {"errors": [{"message": self.message, "status": self.status, "code": self.code}]}


def bad_request(message: str) -> EmulatorError:
    return EmulatorError(400, "BAD_REQUEST", message)


def not_found(what: str) -> EmulatorError:
    code, message = NOT_FOUND[what]
    return EmulatorError(404, code, message)


def unauthorized() -> EmulatorError:
    return EmulatorError(401, "UNAUTHORIZED", UNAUTHORIZED_MESSAGE)


def no_such_endpoint(method: str, path: str) -> EmulatorError:
    return EmulatorError(404, "NOT_FOUND", f"No such endpoint: {method} {path}")


def rate_limited(retry_after: int) -> EmulatorError:
    return EmulatorError(
        429, "RATE_LIMITED", f"Rate limit exceeded; retry after {retry_after} second(s)"
    )
