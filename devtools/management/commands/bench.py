"""`make bench`: seed 10,000 then 100,000 tickets into a benchmark database and time the pages."""

import logging
import tempfile
import time
import warnings

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from devtools import databases
from devtools.bench import helpdesk as bench
from helpdesk.models import Ticket


class Command(BaseCommand):
    help = "Benchmark the queue pages on PostgreSQL (a database whose name contains 'bench'; it is emptied)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="10000,100000", help="Ticket counts to measure at, rising.")
        parser.add_argument("--repeat", type=int, default=30, help="Timed repetitions of each figure.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure the tickets a previous run left (one size, the count it seeded) without seeding.",
        )

    def handle(self, *args, sizes, repeat, reuse, **options):
        settings_dict = connection.settings_dict
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/helpdesk_bench."
            )
        if "bench" not in settings_dict["NAME"]:
            raise CommandError(
                f"Refusing to empty {settings_dict['NAME']!r}: use a database named like helpdesk_bench."
            )
        self.create_database_if_missing(settings_dict)
        call_command("migrate", verbosity=0, interactive=False)
        counts = [int(size) for size in sizes.split(",")]
        # Publishing an update enqueues the worker's tasks; a line each would bury the figures.
        logging.getLogger("django-q").setLevel(logging.WARNING)
        results = []
        # The test client's host, and plain static files: nothing is collected for a benchmark.
        warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
        static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        # The files the benchmark attaches go to a directory of their own, removed afterwards.
        with (
            tempfile.TemporaryDirectory(prefix="helpdesk-bench-media-") as media,
            override_settings(
                ALLOWED_HOSTS=["testserver"],
                STORAGES={**settings.STORAGES, "staticfiles": static},
                MEDIA_ROOT=media,
            ),
        ):
            # A reused world attaches its files again, into this run's media directory.
            world, seeded = self.reusable_world(counts) if reuse else (None, 0)
            reused = world is not None
            if not reused:
                bench.reset()
                world, seeded = bench.build_world(), 0
            for count in counts:
                started = time.monotonic()
                if count > seeded:
                    bench.seed(world, count - seeded)
                    seeded = count
                if not world.entry_tickets:
                    # Five long cases; the last one also has 20 files on its messages.
                    *world.entry_tickets, last = bench.add_long_tickets(world, count=6)
                    world.files_ticket = bench.add_files(last)
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE helpdesk_ticket")
                    cursor.execute("VACUUM ANALYZE helpdesk_ticketentry")
                    cursor.execute("ANALYZE helpdesk_customer")
                self.stdout.write(
                    f"Seeded {count:,} tickets in {time.monotonic() - started:.0f} s; measuring…"
                    if not reused
                    else f"At the {count:,} tickets seeded before; measuring…"
                )
                before = bench.machine_reference_ms()
                figures = bench.measure_all(world, repeat=repeat)
                after = bench.machine_reference_ms()
                results.append((count, figures))
                self.report(count, figures)
                self.stdout.write(
                    f"  Machine reference, a fixed Python loop: {before:.1f} ms before measuring, "
                    f"{after:.1f} ms after (the lower, the faster this shared machine was running)."
                )
        if len(results) > 1:
            self.compare(results[0], results[-1])
        self.write_plans(world)

    def reusable_world(self, counts):
        """The world a previous run seeded, when it holds exactly the one size asked for."""
        if len(counts) != 1:
            raise CommandError("--reuse measures one size: give --sizes with a single count.")
        seeded = Ticket.objects.count()
        if seeded != counts[0]:
            self.stdout.write(f"The database holds {seeded:,} tickets, not {counts[0]:,}: seeding afresh.")
            return None, 0
        world = bench.seeded_world()
        if world is not None:
            self.stdout.write(f"Reusing the {seeded:,} tickets seeded by a previous run.")
        return world, seeded

    def create_database_if_missing(self, settings_dict):
        if databases.create_if_missing(settings_dict):
            self.stdout.write(f"Created the database {settings_dict['NAME']}.")

    def report(self, count, figures):
        self.stdout.write(f"\nAt {count:,} tickets (median / 95th percentile in ms, SQL queries):")
        for figure in figures:
            self.stdout.write(
                f"  {figure.label:<64} {figure.median_ms:8.1f} {figure.p95_ms:8.1f} {figure.queries:5d}"
            )

    def compare(self, small, large):
        self.stdout.write(
            f"\nRatios {large[0]:,} / {small[0]:,} tickets, median and 95th percentile; a page meets its "
            "target when its median is under the target at the larger size and at most twice the median "
            "at the smaller (the 95th percentiles are shown, not judged: this machine is shared):"
        )
        for before, after in zip(small[1], large[1], strict=True):
            median = after.median_ms / before.median_ms
            p95 = after.p95_ms / before.p95_ms
            if after.target_ms is None:
                verdict = "not a page: reported only"
            elif after.median_ms < after.target_ms and median <= 2:
                verdict = f"ok (target {after.target_ms:.0f} ms)"
            else:
                verdict = f"MISSES THE TARGET ({after.target_ms:.0f} ms)"
            self.stdout.write(f"  {after.label:<64} {median:6.2f} {p95:6.2f}  {verdict}")

    def write_plans(self, world):
        self.stdout.write("\nQuery plans:")
        for label, index, used, plan in bench.explain(world):
            self.stdout.write(f"  {label}: {'uses' if used else 'does NOT use'} {index}")
            self.stdout.write("    " + plan.replace("\n", "\n    "))
