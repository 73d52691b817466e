"""Typed readers for settings that come from the environment.

Each reader rejects a malformed value loudly at start-up instead of letting a typo
(DEBUG=ture, a port of "80a") silently fall back to a default.
"""

import ipaddress
import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses and networks ("10.0.0.5, 10.1.0.0/16, 2001:db8::/32"),
    each written as a network."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks; got {item!r}.") from None
    return networks


def development_site_url() -> str:
    """The address `make run` serves at: http://HOST:PORT, with HOST and PORT as the Makefile
    passes them (127.0.0.1 and 8000 unless set). A server listening on every address (0.0.0.0,
    ::) is linked as 127.0.0.1, the address that reaches it from the machine it runs on."""
    host = env_str("HOST", "127.0.0.1") or "127.0.0.1"
    port = env_int("PORT", 8000)
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (read, not bound to)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{port}"


def env_addresses(name: str) -> list[tuple[str, str]]:
    """Comma-separated email addresses, each with or without a name ("Ops <ops@example.com>"),
    as (name, address) pairs, the form Django's ADMINS takes."""
    raw = os.environ.get(name, "")
    pairs = getaddresses([raw]) if raw.strip() else []
    for _name, address in pairs:
        if "@" not in address:
            raise ImproperlyConfigured(f"{name} must be email addresses separated by commas; got {raw!r}.")
    return pairs
