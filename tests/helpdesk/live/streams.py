"""Reading a server-sent events stream from the test client, as a page's EventSource would."""

import json


class Stream:
    """A stream being read: its messages as the page's EventSource would see them."""

    def __init__(self, response):
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "text/event-stream"
        self.response = response
        self.chunks = iter(response.streaming_content)

    def next_message(self) -> dict:
        """The next message (comments, the stream's "still here", skipped), or {} at its end."""
        for chunk in self.chunks:
            text = chunk.decode()
            if text.startswith(":"):
                continue
            return dict(line.split(": ", 1) for line in text.strip().splitlines())
        return {}

    def next_event(self) -> dict:
        message = self.next_message()
        return json.loads(message["data"]) if message else {}

    def close(self):
        self.response.close()
