"""Errors as a person reads them in the app: the words come from `kiteboard.failures`
(shared with the command line); the app adds what it does next."""

from __future__ import annotations

from kiteboard.api import errors
from kiteboard.failures import explain
from kiteboard.ui.widgets.safe_text import safe_line

# A rejected token in the app: the shared words, and what the app does about it.
TOKEN_REJECTED = (
    f"{explain(errors.AuthError()).line}. Nothing is sent with it again: r tries once "
    "the token has changed."
)


def describe_error(error: BaseException) -> tuple[str, str, bool]:
    """(title, explanation, fatal): fatal when trying again cannot help."""
    failure = explain(error)
    if isinstance(error, errors.AuthError):
        return failure.title, TOKEN_REJECTED, failure.fatal
    text = failure.line
    if isinstance(error, errors.NetworkError):
        text = f"{text}. The board shows what was stored; retrying."
    elif isinstance(error, errors.RateLimitedError):
        text = f"{text}; trying again shortly."
    return failure.title, safe_line(text, max_chars=600), failure.fatal


def describe_switch_error(error: BaseException, name: str) -> str:
    """Why switching to profile `name` failed, in a sentence (never the token)."""
    if isinstance(error, errors.AuthError):
        return (
            f"Kitemaker did not accept the token of profile {name} "
            f"(`kiteboard init --profile {name}` saves a new one)."
        )
    # A config error is one line (file:line: key: message); the network says why.
    return safe_line(explain(error).line, max_chars=600)
