"""`make bench-themes` on a server that has no benchmark database yet (a fresh machine): it makes
the database, migrates it and measures. Run on a corpus of a few texts, with sizes of a few
complaints; the real run is a benchmark (docs/performance.md)."""

import csv
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from feedback.themes import embeddings
from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database

TEXTS = [
    ("My card has not arrived yet", "card_arrival"),
    ("When will my new card be delivered?", "card_arrival"),
    ("I was charged twice for one purchase", "duplicate_charge"),
    ("The same payment was taken two times", "duplicate_charge"),
    ("How do I change my PIN?", "change_pin"),
    ("I want a different PIN for my card", "change_pin"),
]


def write_corpus(folder):
    folder.mkdir()
    for split in ("train", "test"):
        with (folder / f"{split}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "category"])
            writer.writerows(TEXTS)
    return folder


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_the_theme_benchmark_makes_its_database_when_the_server_has_none(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark needs PostgreSQL: run with DATABASE_URL=postgres://…")
    name = f"helpdesk_bench_themes_{uuid.uuid4().hex[:8]}"
    server = database_url_of_test_database().rpartition("/")[0]
    environment = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    environment.update(
        DATABASE_URL=f"{server}/{name}",
        DJANGO_SETTINGS_MODULE="config.dev_settings",
        DEBUG="0",
        SECRET_KEY="benchmark-only-key-not-for-any-site-0123456789",
    )
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "bench_themes", "--corpus", str(write_corpus(tmp_path / "corpus")),
             "--sizes", "12", "--measure", "3"],
            cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Created the database {name}." in result.stdout
    assert "12 complaints:" in result.stdout
    assert "per complaint: median" in result.stdout
    if embeddings.english_available():  # English texts, as English tickets: both models timed
        assert "by the English model: median" in result.stdout
