"""One request through an ASGI application as uvicorn makes it, for the tests that run the
production application (config.asgi) in a process of their own."""

import asyncio


async def call(application, path: str, *, method="GET", headers=(), body=b"") -> dict:
    """`method` `path` (GET unless told): its status, headers (lower-cased names) and body."""
    # A client's body comes with its length, unless it is sent in chunks.
    chunked = any(name.lower() == b"transfer-encoding" for name, _ in headers)
    length = [] if chunked else [(b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *length, *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent, answer = [{"type": "http.request", "body": body, "more_body": False}], {"body": ""}

    async def receive():
        if sent:
            return sent.pop()
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"").decode()

    await application(scope, receive, send)
    return answer
