"""What travels from the code that changed something to the pages that show it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    id: int
    channel: str
    name: str
    data: dict
    # The text it came as: each page following its channel is sent the same text, not a new
    # encoding of it (a chat line's event carries the line's HTML).
    text: str = field(default="", compare=False, repr=False)

    def to_json(self) -> str:
        if self.text:
            return self.text
        return json.dumps(
            {"id": self.id, "channel": self.channel, "name": self.name, "data": self.data},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        text = text.decode() if isinstance(text, bytes) else text
        return cls(**json.loads(text), text=text)
