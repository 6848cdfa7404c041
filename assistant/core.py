"""The Assistant: question (+ conversation) -> retrieval -> generator -> Answer with citations.
`build_assistant` wires it from settings; it is the only place that does."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answer import EMPTY_QUESTION, Answer, Audience, Draft, Generator, TokenSink
from assistant.extractive import ExtractiveGenerator
from assistant.followup import names_own_subject, standalone_query
from assistant.settings import EmbeddingSettings, Settings
from index.embedding import CachedEmbedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder
from index.indexing import IndexReport, Progress, index_corpus
from index.retrieval import Hit, Retriever
from index.store import ChromaStore, StoredDocument, connect

HASHING_MODEL = "hashing"  # the deterministic test embedder, selectable like any model
MAX_QUESTION_CHARS = 2000


def quiet_environment() -> None:
    """The product sends nothing anywhere and loads models only from disk."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_VERBOSITY": "error",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        os.environ.setdefault(key, value)


def build_embedder(settings: EmbeddingSettings, cache: bool = True) -> Embedder:
    """The configured embedding model, behind a disk cache of passage vectors unless `cache`
    is False (benchmarks measure the model itself)."""
    if settings.model.startswith(HASHING_MODEL):
        return HashingEmbedder()
    from index.embedding import load_sentence_transformer

    model = load_sentence_transformer(
        settings.model, settings.cache_dir / "models", settings.threads
    )
    inner = SentenceTransformerEmbedder(
        model,
        settings.model,
        settings.query_prefix,
        settings.passage_prefix,
        settings.batch_size,
    )
    return CachedEmbedder(inner, settings.cache_dir / "embeddings.sqlite") if cache else inner


def store_stamp(settings: Settings, embedder: Embedder) -> dict[str, str]:
    """What a store must have been written with to be read with these settings."""
    chunking = settings.chunking.model_dump_json().encode()
    return {
        "embedding_model": embedder.name,
        "chunking": hashlib.sha256(chunking).hexdigest()[:12],
    }


def open_store(settings: Settings, embedder: Embedder) -> ChromaStore:
    s = settings.store
    client = connect(s.backend, s.path, s.host, s.port, s.token)
    return ChromaStore(client, s.collection, store_stamp(settings, embedder))


@dataclass
class Assistant:
    """Answers questions from the indexed corpus. Build it with `build_assistant`."""

    settings: Settings
    embedder: Embedder
    store: ChromaStore
    retriever: Retriever
    generator: Generator
    documents: dict[str, StoredDocument]

    def reindex(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the corpus folders and reload what retrieval sees."""
        report = index_corpus(
            self.settings.corpus.dirs, self.store, self.embedder, self.settings.chunking, progress
        )
        if report.changed or report.chunks_total != len(self.retriever.chunks):
            self.retriever.refresh()
            self.documents = self.store.documents()
        return report

    def search(self, question: str, history: Sequence[str], k: int) -> tuple[str, list[Hit]]:
        """The query searched with (the question made standalone) and the `k` best passages."""
        query = standalone_query(question, history)
        own = query != question and names_own_subject(question, self.retriever.common_words)
        return query, self.retriever.retrieve(query, k, also=[question] if own else [])

    def answer(
        self,
        question: str,
        history: Sequence[str] = (),
        audience: Audience | None = None,
        on_token: TokenSink | None = None,
    ) -> Answer:
        """Answer `question`, reading `history` (earlier user turns, oldest first) for context,
        in the style of `audience` (default from settings); `on_token` receives text as it is
        written, for a chat window to show it streaming."""
        started = time.perf_counter()
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in question):
            draft = Draft(EMPTY_QUESTION, (), answered=False)
            return self._stamp(question, question, draft, (), {"total": 0.0})
        query, hits = self.search(question, history, self.settings.retrieval.k)
        retrieved = time.perf_counter()
        draft = self.generator.generate(
            question, hits, history, audience or self.settings.answer.audience, on_token
        )
        timings = {
            "retrieval": retrieved - started,
            "generation": time.perf_counter() - retrieved,
            "total": time.perf_counter() - started,
        }
        return self._stamp(question, query, draft, tuple(hits), timings)

    def _stamp(
        self, question: str, query: str, draft: Draft, hits: tuple, timings: dict[str, float]
    ) -> Answer:
        citations = []
        for citation in draft.citations:
            stored = self.documents.get(citation.chunk.source)
            if stored:
                citation = replace(
                    citation, institution=stored.institution, date=stored.date, kind=stored.kind
                )
            citations.append(citation)
        return Answer(
            question=question,
            query=query,
            text=draft.text,
            citations=tuple(citations),
            hits=hits,
            answered=draft.answered,
            timings=timings,
            settings_fingerprint=self.settings.fingerprint(),
            reason=draft.reason,
        )


def build_generator(settings: Settings, retriever: Retriever, embedder: Embedder) -> Generator:
    a = settings.answer

    def similarity(question: str, sentences: list[str]) -> list[float]:
        vectors = embedder.embed(sentences, "passage")
        return [float(v) for v in vectors @ embedder.embed([question], "query")[0]]

    return ExtractiveGenerator(
        corpus=retriever,
        similarity=similarity,
        max_sentences=a.max_sentences,
        max_passages=a.max_passages,
        min_coverage=a.min_support,
        min_similarity=a.min_dense_score,
    )


def build_assistant(
    settings: Settings,
    index: bool = True,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> tuple[Assistant, IndexReport | None]:
    """Wire the assistant from settings; with `index`, bring the store up to date first.
    `embedder` overrides the configured one (a benchmark passes an uncached model)."""
    quiet_environment()
    embedder = embedder or build_embedder(settings.embedding)
    store = open_store(settings, embedder)
    report = None
    if index:
        report = index_corpus(settings.corpus.dirs, store, embedder, settings.chunking, progress)
    r = settings.retrieval
    retriever = Retriever(
        store,
        embedder,
        r.mode,
        r.candidates,
        r.rrf_k,
        {"dense": r.dense_weight, "bm25": r.bm25_weight},
    )
    assistant = Assistant(
        settings,
        embedder,
        store,
        retriever,
        build_generator(settings, retriever, embedder),
        store.documents(),
    )
    return assistant, report
