"""Errors as a person reads them: one place turns exceptions into words."""

from __future__ import annotations

from kiteboard.ui.widgets.safe_text import safe_line

# How to get a token and give it to kiteboard: the first-run screen says these words,
# and so does every message about a token Kitemaker refused.
GET_TOKEN = (
    "in Kitemaker press Ctrl+K (Cmd+K on a Mac), choose Manage developer settings "
    "and create a personal access token."
)
USE_TOKEN = (
    "run kiteboard init (it asks for the token, checks it and keeps it in the config "
    "file), or start kiteboard with the token in the environment:"
)
TOKEN_IN_ENVIRONMENT = "KITEMAKER_TOKEN=… kiteboard"
TOKEN_HOW_TO = f"To get one: {GET_TOKEN} Then {USE_TOKEN} {TOKEN_IN_ENVIRONMENT}"
TOKEN_REJECTED = (
    f"Kitemaker did not accept the API token. {TOKEN_HOW_TO}. Nothing is sent with it "
    "again: r tries once the token has changed."
)


def describe_error(error: BaseException) -> tuple[str, str, bool]:
    """(title, explanation, fatal): fatal when trying again cannot help."""
    from kiteboard.api import errors

    message = safe_line(getattr(error, "message", None) or str(error), max_chars=300)
    if isinstance(error, errors.AuthError):
        return ("Token rejected", TOKEN_REJECTED, True)
    if isinstance(error, errors.RateLimitedError):
        return ("Rate limited", "Kitemaker asks us to slow down; trying again shortly.", False)
    if isinstance(error, errors.NetworkError):
        return ("Offline", f"{message}. The board shows what was stored; retrying.", False)
    if isinstance(error, errors.KitemakerError):
        return ("Kitemaker error", message, False)
    return ("Unexpected error", f"{type(error).__name__}: {message}", False)


def describe_switch_error(error: BaseException, name: str) -> str:
    """Why switching to profile `name` failed, in a sentence (never the token)."""
    from kiteboard.api import errors
    from kiteboard.config import ConfigError

    if isinstance(error, ConfigError):
        return str(error)  # one line: file:line: key: message
    if isinstance(error, errors.AuthError):
        return (
            f"Kitemaker did not accept the token of profile {name} "
            f"(`kiteboard init --profile {name}` saves a new one)."
        )
    message = safe_line(getattr(error, "message", None) or str(error), max_chars=300)
    if isinstance(error, errors.KitemakerError):
        return message  # e.g. "Could not reach Kitemaker: connection refused"
    return f"{type(error).__name__}: {message}"
