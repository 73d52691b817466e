"""all-MiniLM-L6-v2's forward pass written out in numpy: the reference the product's ONNX
Runtime graph (feedback.themes.english_model) is checked against (tests/feedback). About 28 ms
a text here, against about 4.5 ms through ONNX Runtime.

Before the English model was part of the grouping, this module replayed the grouping with the
pair [e5 ; MiniLM] / sqrt(2) as one vector for every text (2026-12-05: BANKING77 test ARI 0.461,
101 themes, but the three-language set's ARI fell from 0.343 to 0.281, since Hungarian and
Polish texts got vectors from an English-only vocabulary); the grouping now uses the English
model between English texts only (docs/feedback.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from feedback.themes.english_model import WordPieces, read_safetensors

HEADS = 12


class MiniLM:
    """all-MiniLM-L6-v2's six layers in numpy over the English model's word pieces."""

    def __init__(self, folder: Path):
        self.weights = read_safetensors(folder / "model.safetensors")
        self.pieces = WordPieces(folder / "vocab.txt")

    def embed(self, text: str):
        w = self.weights
        ids = np.array(self.pieces.tokens(text))
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


def erf(x):
    """Abramowitz and Stegun 7.1.26 (error under 1.5e-7): numpy has no erf."""
    sign, x = np.sign(x), np.abs(x)
    t = 1 / (1 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1 - poly * np.exp(-x * x))
