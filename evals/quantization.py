"""How close, and how much faster, the int8 embedding model is to fp32 on the corpus's own texts.

`python -m evals.quantization [--texts N] [--rounds R]` embeds N passages, N sentence windows and
N sentences of the default corpus with multilingual-e5-small in fp32 and with its linear layers
in int8 (`index.embedding.quantize_linear_layers`), alternating the two R times in one process,
and prints the cosine between the two vectors of each text (mean, 5th percentile, minimum) and
the median time of each, with their ratio."""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from assistant.core import build_embedder, quiet_environment
from assistant.settings import Settings
from index.chunking import Chunk, chunk_document
from index.documents import DocumentError
from index.embedding import Embedder
from index.loading import load_document, scan_corpus
from index.manifest import read_manifest
from index.windows import chunk_windows, passage_sentences


def corpus_chunks(settings: Settings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for root in settings.corpus.dirs:
        manifest = read_manifest(root)
        for file in scan_corpus([root]):
            try:
                chunks += chunk_document(
                    load_document(file, manifest.get(file.source)), settings.chunking
                )
            except DocumentError:
                continue
    return chunks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100, help="texts of each kind")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each model")
    args = parser.parse_args(argv)
    quiet_environment()
    settings = Settings()
    chunks = corpus_chunks(settings)
    pick = random.Random(0)
    windows = [w.text for c in chunks for w in chunk_windows(c, settings.chunking.window_min_chars)]
    sentences = [s.text for c in chunks for s in passage_sentences(c)]
    texts = {
        "passages": [c.context_text for c in pick.sample(chunks, min(args.texts, len(chunks)))],
        "windows": pick.sample(windows, min(args.texts, len(windows))),
        "sentences": pick.sample(sentences, min(args.texts, len(sentences))),
    }
    models: dict[str, Embedder] = {}
    for label, quantized in (("fp32", False), ("int8", True)):
        models[label] = build_embedder(
            settings.embedding.model_copy(update={"int8": quantized}), cache=False
        )
    seconds: dict[str, list[float]] = {label: [] for label in models}
    vectors: dict[str, dict[str, np.ndarray]] = {label: {} for label in models}
    for _ in range(args.rounds):
        for label, model in models.items():
            started = time.perf_counter()
            for kind, batch in texts.items():
                vectors[label][kind] = model.embed(batch, "passage")
            seconds[label].append(time.perf_counter() - started)
    for kind in texts:
        cosines = (vectors["fp32"][kind] * vectors["int8"][kind]).sum(axis=1)
        print(
            f"{kind:<10} cosine int8 / fp32: mean {cosines.mean():.4f}  "
            f"p5 {np.percentile(cosines, 5):.4f}  min {cosines.min():.4f}"
        )
    fp32, int8 = (statistics.median(seconds[label]) for label in ("fp32", "int8"))
    total = sum(len(batch) for batch in texts.values())
    print(
        f"{total} texts, median of {args.rounds} rounds: fp32 {fp32:.1f} s, int8 {int8:.1f} s, "
        f"int8 {fp32 / int8:.2f}× as fast"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
