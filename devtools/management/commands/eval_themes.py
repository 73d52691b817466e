"""Measure the complaint grouping on BANKING77: tune the threshold on train, report on test."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools import theme_eval
from feedback.themes import grouping

THRESHOLDS = (0.20, 0.25, 0.30, 0.35, 0.40, 0.45)
# Thresholds whose ARI is this close to the best count as equal; the highest of them wins,
# because a mixed theme misleads a manager more than a theme split in two.
ARI_TOLERANCE = 0.005


class Command(BaseCommand):
    help = "Purity and adjusted Rand index of the complaint themes on BANKING77 (make eval-themes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            default="../shared/corpora/complaints/banking77",
            help="folder with train.csv and test.csv (default: ../shared/corpora/complaints/banking77)",
        )

    def handle(self, *args, corpus, **options):
        folder = Path(corpus)
        if not (folder / "train.csv").exists():
            raise CommandError(f"{folder}/train.csv not found: pass --corpus FOLDER")
        train, test = theme_eval.load(folder / "train.csv"), theme_eval.load(folder / "test.csv")
        self.stdout.write(
            f"Tuning on train ({len(train)} texts); the default is {grouping.DEFAULT_THRESHOLD}"
        )
        results = [theme_eval.evaluate(train, threshold) for threshold in THRESHOLDS]
        for result in results:
            self.report("train", result)
        best_ari = max(result.ari for result in results)
        chosen = max(result.threshold for result in results if result.ari >= best_ari - ARI_TOLERANCE)
        self.stdout.write(f"Chosen threshold: {chosen:.2f}")
        self.report("test", theme_eval.evaluate(test, chosen))
        self.report("all 13k", theme_eval.evaluate(train + test, chosen))

    def report(self, split, result):
        self.stdout.write(
            f"{split:>8}  threshold {result.threshold:.2f}  texts {result.texts:>6}  "
            f"themes {result.themes:>5}  "
            f"purity {result.purity:.3f}  ARI {result.ari:.3f}  "
            f"time {result.seconds:.1f} s ({1000 * result.seconds / result.texts:.2f} ms per complaint)"
        )
