"""The Assistant: question (+ conversation) -> retrieval -> generator -> Answer with citations.
`build_assistant` wires it from settings; it is the only place that does."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer import EMPTY_QUESTION, Answer, Draft, Generator, Guidance, TokenSink
from assistant.audiences import Audience
from assistant.chat_model import ChatModel, ChatModelError, build_chat_model
from assistant.contacts import enforce_cited_contacts
from assistant.extractive import ExtractiveGenerator
from assistant.followup import names_own_subject, standalone_query
from assistant.grounded import GroundedGenerator
from assistant.intents import read_intent
from assistant.legal_terms import legal_wording
from assistant.markers import shift_citations, shifted_sink, without_markers
from assistant.question_plan import plan_question, summary_topic
from assistant.safety import (
    GUIDANCE_FOLLOWS,
    answers_questions,
    crisis_guidance,
    found_where_she_is,
    from_her_place,
    guidance_answers,
    not_answered,
    places,
    questions_beyond_help,
    services_for,
)
from assistant.sentence_pool import Similarity
from assistant.settings import EmbeddingSettings, Settings
from assistant.summaries import asks_about_whole
from index.chunking import Chunk
from index.embedding import CachedEmbedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder
from index.indexing import IndexReport, Progress, index_corpus
from index.indexing_lock import IndexingBusyError, IndexingLock, store_lock
from index.retrieval import Hit, Retriever
from index.store import ChromaStore, StoredDocument, connect
from index.windows import sentence_id

log = logging.getLogger(__name__)
HASHING_MODEL = "hashing"  # the deterministic test embedder, selectable like any model
# Units searched for each part of a compound question (see `interleave_parts`).
_PART_HITS = 2
# Units a summary draws on.
_SUMMARY_UNITS = 8
# The sections a summary of a whole document reads at most, evenly spread over it.
_OUTLINE_UNITS = 16
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
        settings.model, settings.cache_dir / "models", settings.threads, settings.int8
    )
    inner = SentenceTransformerEmbedder(
        model,
        f"{settings.model}|int8" if settings.int8 else settings.model,
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


def indexing_lock(settings: Settings) -> IndexingLock:
    """The lock every writer of the configured store holds (see `index_corpus`)."""
    s = settings.store
    return store_lock(s.backend, s.path, s.host, s.port, s.collection, settings.embedding.cache_dir)


def open_store(settings: Settings, embedder: Embedder) -> ChromaStore:
    s = settings.store
    client = connect(s.backend, s.path, s.host, s.port, s.token)
    return ChromaStore(
        client, s.collection, store_stamp(settings, embedder), indexing_lock(settings)
    )


@dataclass
class Assistant:
    """Answers questions from the indexed corpus. Build it with `build_assistant`."""

    settings: Settings
    embedder: Embedder
    store: ChromaStore
    retriever: Retriever
    generator: Generator
    documents: dict[str, StoredDocument]
    rewriter: ChatModel | None = None  # rewrites follow-ups when a language model is loaded

    def reindex(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the corpus folders and reload what retrieval sees."""
        report = self.index(progress)
        if self.stale(report):
            self.refresh()
        return report

    def stale(self, report: IndexReport) -> bool:
        """Whether retrieval no longer sees what the store holds after indexing `report`."""
        return report.changed or report.chunks_total != len(self.retriever.chunks)

    def index(self, progress: Progress | None = None) -> IndexReport:
        """Bring the store up to date with the corpus folders; what retrieval sees stays as it
        was until `refresh` (answers go on meanwhile)."""
        corpus = self.settings.corpus
        return index_corpus(
            corpus.dirs,
            self.store,
            self.embedder,
            self.settings.chunking,
            progress,
            corpus.max_text_chars,
        )

    def refresh(self) -> None:
        """Reload what retrieval and the library see from the store. Not safe while answering:
        callers hold the window's index access (`ui.window.IndexAccess`)."""
        self.retriever.refresh()
        self.documents = self.store.documents()

    def search(self, question: str, history: Sequence[str], k: int) -> tuple[str, list[Hit]]:
        """The query searched with (the question made standalone) and the `k` best passages."""
        query = standalone_query(question, history, self.rewriter)
        own = query != question and names_own_subject(question, self.retriever.common_words)
        also = [question] if own else []
        if self.rewriter is not None and query != question:
            # the model's rewrite leads; the rule-based one keeps the search from hinging on it
            also.append(standalone_query(question, history))
        if wording := legal_wording(question):
            # a situation told in everyday words is searched in the documents' words too
            also.append(f"{question} {wording}")
        plan = plan_question(question)
        # a summary draws on more of a document's sections than an answer does
        units = max(k, _SUMMARY_UNITS) if plan.wants_summary else k
        hits = self.retriever.retrieve(query, units, also=also)
        if plan.wants_summary and (document := self._summarized_document(question, hits)):
            # a summary of a whole document reads all of it, not the sections its name matches
            return query, self.retriever.outline(document, _OUTLINE_UNITS)

        if not plan.compound:
            return query, hits
        # Each part of a compound question is searched too, so that its best unit is among the
        # evidence even when the question as a whole leans to another part.
        found = [self.retriever.retrieve(part.query, _PART_HITS) for part in plan.parts]
        return query, interleave_parts(hits, found)

    def answer(
        self,
        question: str,
        history: Sequence[str] = (),
        audience: Audience | None = None,
        on_token: TokenSink | None = None,
        on_guidance: Callable[[Guidance], None] | None = None,
    ) -> Answer:
        """Answer `question`, reading `history` (earlier user turns, oldest first) for context,
        in the style of `audience` (default from settings); `on_token` receives the answer's
        text as it is written, for a chat window to show it streaming, and `on_guidance` the
        crisis guidance as soon as it exists, before the answer is written."""
        started = time.perf_counter()
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in question):
            draft = Draft(EMPTY_QUESTION, (), answered=False)
            return self._stamp(question, question, draft, (), {"total": 0.0})
        intent = read_intent(question)
        query, hits = self.search(question, history, self.settings.retrieval.k)
        # Someone in danger now: what to do now comes first, whatever the question asks.
        guidance = self._guidance(question) if intent.danger else None
        if guidance is not None and on_guidance:
            on_guidance(guidance)
        retrieved = time.perf_counter()
        if guidance is not None and (not intent.asks or guidance_answers(question, guidance)):
            # "me está golpeando", or "¿a dónde llamo?" with a line to call: what to do now
            draft = Draft("", (), answered=bool(guidance.citations), reason="crisis")
        else:
            # the answer's markers follow the guidance's, on the screen as in the Answer
            offset = len(guidance.citations) if guidance else 0
            sink = shifted_sink(on_token, offset) if on_token and offset else on_token
            draft = self.generator.generate(
                question,
                hits,
                history,
                audience or self.settings.answer.audience,
                # under the guidance, the answer shows only once it is known to answer her
                None if guidance else sink,
            )
            text, citations = shift_citations(draft.text, draft.citations, offset)
            draft = replace(draft, text=text, citations=citations)
            if guidance is not None:
                draft = self._under_guidance(question, draft, guidance)
                if on_token:
                    on_token(draft.text)

        draft = enforce_cited_contacts(draft)
        timings = {
            "retrieval": retrieved - started,
            "generation": time.perf_counter() - retrieved,
            "total": time.perf_counter() - started,
        }
        if "first_token" in draft.timings:
            timings["first_token"] = timings["retrieval"] + draft.timings["first_token"]
        return self._stamp(question, query, draft, tuple(hits), timings, guidance)

    def _summarized_document(self, question: str, hits: Sequence[Hit]) -> str | None:
        """The document a summary question asks about whole («Hazme un resumen del Protocolo
        de 2024 …»): the one it names, or the one its best passage is from, when the question's
        topic is no more than that document's name."""
        topic = summary_topic(question)
        scope = self.retriever.names.scope(topic)
        if scope is not None and len(scope.doc_ids) == 1:
            candidates = list(scope.doc_ids)
        else:
            candidates = [hits[0].chunk.doc_id] if hits else []
        for doc_id in candidates:
            if asks_about_whole(topic, self.retriever.name_terms(doc_id), self.retriever.idf):
                return doc_id
        return None

    def _under_guidance(self, question: str, draft: Draft, guidance: Guidance) -> Draft:
        """The documents' answer under the crisis guidance, if it answers what she asked
        besides help now; nothing when the guidance's own passages do; otherwise a sentence
        saying the documents do not."""
        asked = questions_beyond_help(question)
        idf = self.retriever.idf
        if (
            not asked
            or draft.answered
            and answers_questions(asked, without_markers(draft.text), idf, message=question)
        ):
            return draft
        services = " ".join(s.sentence for s in guidance.services)
        if answers_questions(asked, services, idf, GUIDANCE_FOLLOWS):
            return Draft("", (), answered=True, reason="crisis")
        return Draft(not_answered(asked), (), answered=False, reason="no responde a su pregunta")

    def _guidance(self, question: str) -> Guidance:

        # Each service that fits her situation is searched with her own words too, so that the
        # services of where she is come first; twice as deep as a question, since a local
        # service is often a line in a report about other things.
        k = 2 * self.settings.retrieval.k

        services = services_for(question)
        where = " ".join(sorted(places(question)))
        found = []
        for service in services:
            hits = self.retriever.retrieve(service.query, k, also=[question])
            if where and not found_where_she_is(service, question, hits):
                # she says where she is, and what was found for the service is not from there:
                # her place's documents are searched, and come first (a city's centre is a line
                # in its own report, which her words and the service's name rank below a law)
                local = self.retriever.retrieve(f"{service.query} {where}", k)
                mine = [h for h in local if from_her_place(question, h.chunk)]
                hits = [*mine, *(h for h in hits if h not in mine)]
            found.append(hits)
        return crisis_guidance(question, services, found)

    def _stamp(
        self,
        question: str,
        query: str,
        draft: Draft,
        hits: tuple[Hit, ...],
        timings: dict[str, float],
        guidance: Guidance | None = None,
    ) -> Answer:
        return Answer(
            question=question,
            query=query,
            text=draft.text,
            citations=draft.citations,
            hits=hits,
            answered=draft.answered,
            timings=timings,
            settings_fingerprint=self.settings.fingerprint(),
            reason=draft.reason,
            checks=draft.checks,
            guidance=guidance,
        )


def interleave_parts(hits: Sequence[Hit], parts: Sequence[Sequence[Hit]]) -> list[Hit]:
    """The question's two best units, then the best unit of each part not among them, then
    the question's other units: every part keeps a place near the top."""
    chosen = list(hits[:2])
    seen = {h.chunk.parent_id or h.chunk.chunk_id for h in chosen}
    for found in parts:
        for hit in found:
            key = hit.chunk.parent_id or hit.chunk.chunk_id
            if key not in seen:
                seen.add(key)
                chosen.append(hit)
                break
    for hit in hits[2:]:
        key = hit.chunk.parent_id or hit.chunk.chunk_id
        if key not in seen:
            seen.add(key)
            chosen.append(hit)
    return chosen


def leave_cores_to_the_model(settings: EmbeddingSettings) -> None:
    """Give torch one thread while a language model writes on this computer, unless the settings
    name a number. llama.cpp keeps every core busy as it writes, and torch on its default (a
    thread per core) then fights it for them: a 20-token query embedding went from ~40 ms to
    ~1 s while llama.cpp ran. On one thread the embedder stays quick beside it."""
    if settings.threads or settings.model.startswith(HASHING_MODEL):
        return
    import torch

    torch.set_num_threads(1)


def stored_similarity(store: ChromaStore, embedder: Embedder) -> Similarity:
    """Question-sentence closeness from the sentence vectors indexing stored
    (`index.windows.passage_sentences`): the answer costs one lookup, not a pass of the model
    per sentence. A sentence the store lacks (its document being re-indexed) is embedded on
    the spot."""

    def similarity(question: str, sentences: list[tuple[Chunk, int, str]]) -> list[float]:
        keys = [sentence_id(chunk.chunk_id, start) for chunk, start, _ in sentences]
        stored = store.sentence_vectors(keys)
        missing = [t for key, (_, _, t) in zip(keys, sentences, strict=True) if key not in stored]
        fresh = iter(embedder.embed(missing, "passage") if missing else ())
        vectors = np.stack([stored[key] if key in stored else next(fresh) for key in keys])
        return [float(v) for v in vectors @ embedder.embed([question], "query")[0]]

    return similarity


def build_generator(
    settings: Settings, retriever: Retriever, store: ChromaStore, embedder: Embedder
) -> Generator:
    """The generator `settings.answer.generator` names. When the language model cannot be
    loaded, the assistant says so once (a warning on stderr) and answers extractively."""
    a = settings.answer
    extractive = ExtractiveGenerator(
        corpus=retriever,
        similarity=stored_similarity(store, embedder),
        max_sentences=a.max_sentences,
        max_passages=a.max_passages,
        min_coverage=a.min_support,
        min_similarity=a.min_dense_score,
    )
    if a.generator != "llm":
        return extractive
    try:
        model = build_chat_model(settings.llm)
    except ChatModelError as error:
        log.warning(
            "No se pudo cargar el modelo de lenguaje (%s); respondo de forma extractiva.", error
        )
        return extractive
    leave_cores_to_the_model(settings.embedding)

    def pair_similarity(left: Sequence[str], right: Sequence[str]) -> list[float]:
        a_vectors = embedder.embed(list(left), "passage")
        b_vectors = embedder.embed(list(right), "passage")
        return [float(x @ y) for x, y in zip(a_vectors, b_vectors, strict=True)]

    llm = settings.llm
    return GroundedGenerator(
        model,
        extractive,
        retriever,
        pair_similarity,
        max_tokens=llm.max_tokens,
        passage_tokens=llm.passage_tokens,
        max_passages=llm.max_passages,
        min_similarity=llm.min_similarity,
        rare_idf=llm.rare_idf,
        evidence_gate=llm.evidence_gate,
    )


def build_assistant(
    settings: Settings,
    index: bool = True,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    skip_busy: bool = False,
) -> tuple[Assistant, IndexReport | None]:
    """Wire the assistant from settings; with `index`, bring the store up to date first.
    `embedder` overrides the configured one (a benchmark passes an uncached model). When
    another process is indexing the store, IndexingBusyError is raised, or with `skip_busy`
    the store is read as it stands (a warning says so; the report is None)."""
    quiet_environment()
    embedder = embedder or build_embedder(settings.embedding)
    store = open_store(settings, embedder)
    report = None
    if index:
        try:
            report = index_corpus(
                settings.corpus.dirs,
                store,
                embedder,
                settings.chunking,
                progress,
                settings.corpus.max_text_chars,
            )
        except IndexingBusyError as error:
            if not skip_busy:
                raise
            log.warning("%s Mientras tanto se responde con el índice tal como está.", error)
    r = settings.retrieval
    retriever = Retriever(
        store,
        embedder,
        r.mode,
        r.candidates,
        r.rrf_k,
        {"dense": r.dense_weight, "bm25": r.bm25_weight},
        leaders=r.leaders,
        unit_chars=r.unit_chars,
        scoped=r.scope,
    )
    generator = build_generator(settings, retriever, store, embedder)
    rewriter = None
    if isinstance(generator, GroundedGenerator) and settings.llm.rewrite_followups:
        rewriter = generator.model
    assistant = Assistant(
        settings, embedder, store, retriever, generator, store.documents(), rewriter
    )
    return assistant, report
