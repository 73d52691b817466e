"""The word forms' dictionaries with their index kept on disk, for the suite's many processes.

helpdesk.word_forms reads simplemma's dictionaries once per process; most of the few seconds
that takes is building each dictionary's index (where each block of its front-coded stream
starts), by decoding the whole stream. Every pytest worker, live server and subprocess that saves
or searches an FAQ entry used to build the same index again. Installed here, the first process to
need an index writes it, named after a digest of the stream it indexes, and every later one reads
it back in a tenth of a second. The dictionaries answer exactly as before (the same stream, the
same index).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from array import array
from pathlib import Path

FOLDER = Path(tempfile.gettempdir()) / "helpdesk-word-forms-index"


def install() -> None:
    """Make helpdesk.word_forms read its dictionaries through the kept index (before first use)."""
    try:
        from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamDictionaryFactory
    except ImportError:  # simplemma 1.1 builds no index
        return
    from simplemma.strategies import DictionaryLookupStrategy

    from helpdesk import word_forms

    class IndexedDictionaries(StreamDictionaryFactory):
        __slots__ = ()

        def _get_dictionary_uncached(self, lang: str):
            return indexed_dictionary(lang)

    word_forms._LOOKUP = DictionaryLookupStrategy(IndexedDictionaries())


def indexed_dictionary(lang: str):
    from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap, _read_decompressed

    data = _read_decompressed(lang)
    path = FOLDER / f"{lang}-{hashlib.blake2b(data, digest_size=12).hexdigest()}.index"
    try:
        return from_index(StreamMap, data, path.read_bytes())
    except (OSError, ValueError, KeyError):
        dictionary = StreamMap(lang)
        write_index(dictionary, path)
        return dictionary


def write_index(dictionary, path: Path) -> None:
    # The block starts as one array of numbers, the blocks' first keys and resume seeds as byte
    # strings with their lengths: plain data, nothing is executed when it is read back.
    blocks = dictionary._blocks
    columns = [dictionary._firsts, [key for _, key, _ in blocks], [value for _, _, value in blocks]]
    header = {"rev": dictionary._rev, "count": dictionary._count, "pos": dictionary._pos, "n": len(blocks)}
    parts = [json.dumps(header).encode() + b"\n", array("q", [start for start, _, _ in blocks]).tobytes()]
    parts += [array("I", map(len, column)).tobytes() for column in columns]
    parts += [b"".join(column) for column in columns]
    FOLDER.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}")
    partial.write_bytes(b"".join(parts))
    partial.replace(path)  # whole or not at all, whichever process writes it


def from_index(stream_map, data: bytes, index: bytes):
    line, _, rest = index.partition(b"\n")
    header = json.loads(line)
    n = header["n"]
    starts = array("q")
    starts.frombytes(rest[: 8 * n])
    position = 8 * n
    all_lengths = []
    for _ in range(3):
        lengths = array("I")
        lengths.frombytes(rest[position : position + 4 * n])
        all_lengths.append(lengths)
        position += 4 * n
    columns = []
    for lengths in all_lengths:
        column = []
        for length in lengths:
            column.append(rest[position : position + length])
            position += length
        columns.append(column)
    if position != len(rest) or len(starts) != n:
        raise ValueError("an index of another stream")
    dictionary = stream_map.__new__(stream_map)
    dictionary._data, dictionary._rev, dictionary._count, dictionary._pos = (
        data,
        header["rev"],
        header["count"],
        header["pos"],
    )
    dictionary._firsts = columns[0]
    dictionary._blocks = list(zip(starts, columns[1], columns[2], strict=True))
    return dictionary
