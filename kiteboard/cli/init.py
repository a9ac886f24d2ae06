"""`kiteboard init`: ask for a token, check it with Kitemaker, save it in a profile.

It says where a token comes from (in the words of the app's welcome screen) before
asking for one. The token is read without echo, checked against /organization (the
organization's name is shown, so the user knows which account it is), and only then
written. Three rejected tokens end it with exit 3; nothing is written unless a token
was accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass as _getpass
import os
import sys
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from kiteboard.cli.main import fail
from kiteboard.config import (
    DEFAULT_BASE_URL,
    TOKEN_ENV,
    ConfigError,
    config_path_for,
    display_path,
    read_config_file,
    validate_base_url,
)
from kiteboard.config.lines import dotted
from kiteboard.config.token import token_problem
from kiteboard.exit_codes import EXIT_AUTH, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from kiteboard.failures import GET_TOKEN

PROG = "kiteboard init"
MAX_TRIES = 3
DEFAULT_PROFILE_NAME = "default"
PROMPT = "Kitemaker API token (typing is hidden): "

# (base_url, token) -> an object with `async organization()` and `async aclose()`.
ClientFactory = Callable[[str, str], Any]


def run_init(
    args: argparse.Namespace,
    *,
    getpass: Callable[[str], str] | None = None,
    client_factory: ClientFactory | None = None,
    environ: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """The `kiteboard init` command. Returns an exit code; never lets a traceback out."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        ask = getpass or _ask_for_token
        return _init(args, ask, client_factory or _default_client, environ, out, err)
    except ConfigError as error:
        return fail(error, prog=PROG, err=err)
    except KeyboardInterrupt:
        print("\ncancelled: nothing was written", file=err)
        return EXIT_INTERRUPTED
    except EOFError:
        print("\nno token given: nothing was written", file=err)
        return EXIT_AUTH
    except OSError as error:  # the config file could not be read or written
        return fail(error, prog=PROG, err=err)


def _init(
    args: argparse.Namespace,
    getpass: Callable[[str], str],
    client_factory: ClientFactory,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
) -> int:
    from kiteboard.config.write import save_profile

    path = config_path_for(getattr(args, "config", None), environ)
    existing, text = read_config_file(path)
    profiles = existing.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(path, None, "profiles", "expected a table of profiles")
    default = existing.get("default_profile")
    name = getattr(args, "profile", None) or (
        default if isinstance(default, str) and default else DEFAULT_PROFILE_NAME
    )
    if not name.strip() or any(unicodedata.category(c).startswith("C") for c in name):
        print(f"--profile: not a usable profile name: {name!r}", file=err)
        return EXIT_USAGE
    old = profiles.get(name, {})
    if not isinstance(old, dict):
        raise ConfigError(path, None, f"profiles.{name}", "expected a table")
    if getattr(args, "base_url", None):
        base_url = validate_base_url(args.base_url, key="--base-url")
    else:
        key = f"{dotted(('profiles', name))}.base_url"
        base_url = validate_base_url(str(old.get("base_url") or DEFAULT_BASE_URL), key=key)

    verb = "Updating" if name in profiles else "Adding"
    print(f'{verb} profile "{name}" in {display_path(path)}', file=out)
    print(f"Kitemaker: {base_url}", file=out)
    # The welcome screen's words: someone who starts here has not seen it.
    print(f"To get a token: {GET_TOKEN}", file=out, flush=True)
    for attempt in range(1, MAX_TRIES + 1):
        token = getpass(PROMPT).strip()
        if problem := token_problem(token):
            print(f"{problem}", file=err)
            continue
        verdict, detail = asyncio.run(_check_token(client_factory, base_url, token))
        if verdict == "accepted":
            break
        if verdict == "rejected":
            left = MAX_TRIES - attempt
            more = f"; try again ({left} {'try' if left == 1 else 'tries'} left)" if left else ""
            print(f"Kitemaker rejected this token{more}", file=err)
            continue
        print(f"could not check the token: {detail}; nothing was written", file=err)
        return EXIT_ERROR
    else:
        print(f"no token accepted after {MAX_TRIES} tries: nothing was written", file=err)
        return EXIT_AUTH

    print(f"Token accepted: organization {_printable(detail)}", file=out)
    values = {"base_url": base_url, "token": token}
    try:
        result = save_profile(path, existing, text, name, values)
    except OSError as error:
        return fail(error, prog=PROG, where=path, then="Nothing was written", err=err)
    print(f"Wrote {display_path(result.path)} (readable only by you)", file=out)
    if result.replaced_token_command:
        print(f'The token_command of profile "{name}" was replaced by the token.', file=out)
    if result.backup:
        print(
            f"The file's comments could not be kept; the previous file is "
            f"{display_path(result.backup)}",
            file=out,
        )
    if environ.get(TOKEN_ENV):
        print(f"Note: {TOKEN_ENV} is set and wins over the saved token.", file=out)
    is_default = result.set_default or default == name
    command = "kiteboard" if is_default else f"kiteboard --profile {name}"
    print(f"Next: run `{command}`", file=out)
    return EXIT_OK


async def _check_token(factory: ClientFactory, base_url: str, token: str) -> tuple[str, str]:
    """("accepted", organization name), ("rejected", "") or ("failed", why)."""
    from kiteboard.api.errors import AuthError, BadResponseError, KitemakerError, NotFoundError
    from kiteboard.failures import explain

    client = factory(base_url, token)
    try:
        organization = await client.organization()
    except AuthError:
        return "rejected", ""
    except (NotFoundError, BadResponseError) as error:
        return "failed", f"{explain(error).message} (is the base URL right? {base_url})"
    except KitemakerError as error:
        return "failed", explain(error).message
    finally:
        await client.aclose()
    return "accepted", organization.name


def _ask_for_token(prompt: str) -> str:
    """Hidden input at a terminal; from a pipe (`pass show km | kiteboard init`), one line
    read without getpass's "input may be echoed" warnings."""
    if sys.stdin is not None and sys.stdin.isatty():
        return _getpass.getpass(prompt)  # looked up now, so a test can replace it
    print(prompt, file=sys.stderr)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise EOFError
    return line


def _default_client(base_url: str, token: str) -> Any:
    from kiteboard.api.client import KitemakerClient

    return KitemakerClient(base_url, token)


def _printable(text: str, limit: int = 120) -> str:
    """Text from the server, safe for the terminal: no control or format characters."""
    cleaned = "".join(
        " " if unicodedata.category(c).startswith("C") else c for c in text[: limit * 2]
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
