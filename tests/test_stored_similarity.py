"""The extractive answer ranks sentences by meaning with vectors the store already holds (each
sentence's window, or its passage's), never by running the model at question time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.core import build_assistant, stored_similarity
from assistant.sentence_pool import SentencePool
from index.chunking import ChunkingConfig, chunk_document
from index.documents import Document
from index.sentences import split_sentence_spans
from index.windows import passage_sentences, sentence_id
from tests.conftest import SettingsFactory

ARTICLE = (
    "# CAPÍTULO V\n\nArtículo 59.- Los Centros de Justicia para las Mujeres brindarán asesoría "
    "jurídica, atención médica y psicológica a las mujeres que lo soliciten. Sí. También "
    "talleres. Los servicios se proporcionarán con independencia de que exista o no una denuncia "
    "ante el Ministerio Público. Fin."
)


def test_every_sentence_is_stored_alone_as_the_answer_quotes_it() -> None:
    document = Document("d1", Path("ley.md"), "ley.md", "Ley de prueba", "", "", "ley", ARTICLE)
    (chunk,) = chunk_document(document, ChunkingConfig())
    sentences = passage_sentences(chunk)
    spans = split_sentence_spans(chunk.text)
    assert [(s.start, s.end) for s in sentences] == spans
    assert [s.text for s in sentences] == [chunk.text[a:b] for a, b in spans]
    assert [s.window_id for s in sentences] == [sentence_id(chunk.chunk_id, a) for a, _ in spans]
    assert all(s.chunk_id == chunk.chunk_id and s.source == "ley.md" for s in sentences)


class _Counting:
    """The real deterministic embedder, counting the passage texts it is asked to embed."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.passages = inner, 0
        self.name = inner.name

    def embed(self, texts, kind):  # type: ignore[no-untyped-def]
        if kind == "passage":
            self.passages += len(texts)
        return self.inner.embed(texts, kind)


def test_sentences_score_by_their_stored_vectors(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    settings = backend_settings([planted_corpus])
    assistant, report = build_assistant(settings)
    assert report is not None and report.failed == {}
    hits = assistant.retriever.retrieve("¿Qué apoyos da el Programa Violeta?", 4)
    pool = SentencePool(hits)
    sentences = [(pool.chunk(s), s.start, s.text) for s in pool.sentences]
    embedder = _Counting(assistant.embedder)
    similarity = stored_similarity(assistant.store, embedder)  # type: ignore[arg-type]
    question = "apoyos del programa"
    got = similarity(question, sentences)
    assert embedder.passages == 0  # nothing embedded but the question
    query = assistant.embedder.embed([question], "query")[0]
    on_the_spot = assistant.embedder.embed([t for _, _, t in sentences], "passage") @ query
    assert np.allclose(got, on_the_spot, atol=1e-5)
    # a sentence asked for twice (Chroma refuses repeated ids)
    assert np.allclose(similarity(question, sentences + sentences[:2]), [*got, *got[:2]])

    # a passage the store does not hold (being re-indexed) is embedded on the spot
    chunk, _, text = sentences[0]
    stray = replace(chunk, chunk_id="no-existe")
    assert np.allclose(similarity(question, [(stray, 0, text)]), on_the_spot[:1], atol=1e-5)
    assert embedder.passages == 1

    # a removed document takes its sentences' vectors with it
    violeta = [
        sentence_id(c.chunk_id, a) for c, a, _ in sentences if c.source == "programa_violeta.md"
    ]
    assert violeta and set(violeta) <= set(assistant.store.sentence_vectors(violeta))
    (planted_corpus / "programa_violeta.md").unlink()
    assistant.reindex()
    assert assistant.store.sentence_vectors(violeta) == {}
