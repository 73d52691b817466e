"""Ticket references and the tokens of the links we send.

A reference is read out on the phone, so it avoids characters that sound or look alike
(0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). It names a ticket but grants nothing: the status page needs
the separate, unguessable token.

A link's token (status page, chat, survey, subscription confirmation) is stored only as its
SHA-256 hash, so a copy of the database is not a list of working links. The token has 256
random bits, so an unsalted hash cannot be reversed, and a lookup by the hash is an indexed
equality that reveals nothing through its timing.
"""

import hashlib
import re
import secrets

REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
_GROUP = 4
_REFERENCE_RE = re.compile(rf"\b([{REFERENCE_ALPHABET}]{{{_GROUP}}})-?([{REFERENCE_ALPHABET}]{{{_GROUP}}})\b")


def new_reference() -> str:
    """Eight characters in two groups ("K7MX-4R9D"): 23^8, about 78 billion."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(2 * _GROUP))
    return f"{chars[:_GROUP]}-{chars[_GROUP:]}"


def new_status_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token_hash() -> str:
    """The hash of a token nobody holds: the stored value before a link is drawn and sent."""
    return hash_token(new_status_token())


def normalise_reference(text: str) -> str:
    """A reference as typed ("k7mx 4r9d", "K7MX4R9D") in its canonical form, or ""."""
    squeezed = re.sub(r"[\s\-_.#]", "", (text or "").upper())
    match = (
        _REFERENCE_RE.fullmatch(squeezed[:_GROUP] + "-" + squeezed[_GROUP:]) if len(squeezed) == 8 else None
    )
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def find_references(text: str) -> list[str]:
    """References mentioned in a text such as an email subject ("Re: [#K7MX-4R9D] …")."""
    return [f"{a}-{b}" for a, b in _REFERENCE_RE.findall((text or "").upper())]
