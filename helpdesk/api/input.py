"""What the API accepts as input: a JSON object whose strings the database can store.

PostgreSQL refuses a NUL character in text, and no driver can encode an unpaired surrogate
("\\ud800" is valid JSON but not valid Unicode text); both are refused field by field here,
before anything is looked up or written.
"""

from __future__ import annotations

from typing import Annotated

from ninja.parser import Parser
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

UNSTORABLE_TEXT = "unstorable_text"


def is_storable(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= character <= "\udfff" for character in text)


def storable(text: str | None) -> str | None:
    if text is not None and not is_storable(text):
        raise PydanticCustomError(UNSTORABLE_TEXT, "NUL character or unpaired surrogate")
    return text


Text = Annotated[str | None, AfterValidator(storable)]


class NotAnObject(ValueError):
    pass


class ObjectParser(Parser):
    """A body must be a JSON object: a list, a string or null is refused like broken JSON."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(type(data).__name__)
        return data
