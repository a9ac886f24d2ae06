"""Errors as a person reads them: one place turns exceptions into words."""

from __future__ import annotations

from kiteboard.ui.widgets.safe_text import safe_line

TOKEN_HOW_TO = (
    "Create a token in Kitemaker (Ctrl/Cmd+K → Manage developer settings), then put it "
    "in KITEMAKER_TOKEN or run `kiteboard init`."
)


def describe_error(error: BaseException) -> tuple[str, str, bool]:
    """(title, explanation, fatal): fatal when trying again cannot help."""
    from kiteboard.api import errors

    message = safe_line(getattr(error, "message", None) or str(error), max_chars=300)
    if isinstance(error, errors.AuthError):
        return ("Token rejected", f"Kitemaker did not accept the API token. {TOKEN_HOW_TO}", True)
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
