"""Strict readers for configuration from the environment.

Every setting comes from here so that `.env.example` can list them all (a test keeps the two in
sync) and a typo such as DEBUG=ture fails loudly instead of silently meaning False.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"True", "true", "1"}
_FALSE = {"False", "false", "0"}


def env_str(name: str, default: str = "") -> str:
    """Return NAME, or the contents of the file named by NAME_FILE (for mounted secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        with open(path, encoding="utf-8") as secret_file:
            return secret_file.read().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    """A whole number from `minimum` to `maximum`: an absurd value (a negative hold, a session
    lasting centuries) would break the code that uses it, so it fails at start-up instead."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(f"{name} must be from {minimum} to {maximum}, not {number}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]
