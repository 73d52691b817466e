"""Several people press a button at the same moment: each on its own thread and connection."""

import html
import threading

from django.db import connection
from django.test import Client

ROUNDS = 10


def at_once(count: int, work) -> list:
    """work(index) in `count` threads released by one barrier, each on its own database
    connection; the results in order. An exception in a thread fails the test."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors = []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_at_once(*requests, follow: bool = True) -> list:
    """Each (client, path, data) is POSTed at the same moment; with `follow` the responses
    follow redirects, so the page each person lands on (and its message) is there."""
    return at_once(len(requests), lambda index: requests[index][0].post(*requests[index][1:], follow=follow))


def page_text(response) -> str:
    """What the person reads on the page they land on. (Not `response.context`: the test client
    collects templates rendered by any thread, so two at once would mix their contexts.)"""
    return html.unescape(response.content.decode())
