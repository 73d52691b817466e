"""Two people press a button at the same moment: each request on its own thread and connection."""

import html
import threading

from django.db import connection
from django.test import Client

ROUNDS = 10


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_at_once(*requests) -> list:
    """Each (client, path, data) is POSTed by its own thread, all released by one barrier; the
    responses follow redirects, so the page each person lands on (and its message) is there."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors = []

    def press(index, client, path, data):
        try:
            barrier.wait(timeout=10)
            responses[index] = client.post(path, data, follow=True)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(index, *request)) for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return responses


def page_text(response) -> str:
    """What the person reads on the page they land on. (Not `response.context`: the test client
    collects templates rendered by any thread, so two at once would mix their contexts.)"""
    return html.unescape(response.content.decode())
