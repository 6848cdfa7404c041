"""The retrieval contract: incremental indexing, interruption, mismatch refusal, ranking,
citing and declining, as one body over both stores (embedded Chroma and a real Chroma server),
with the deterministic hashing embedder (the real model is exercised in test_real_model.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.answer import NOT_IN_DOCUMENTS
from assistant.core import build_assistant, build_embedder, open_store
from index.embedding import HashingEmbedder, TextKind, Vectors
from index.indexing import index_corpus
from index.store import StoreMismatchError
from tests.conftest import SettingsFactory


def test_incremental_indexing_add_change_delete_unchanged(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    settings = backend_settings([planted_corpus])
    assistant, first = build_assistant(settings)
    assert first is not None
    assert sorted(first.added) == sorted(p.name for p in planted_corpus.iterdir())
    assert first.failed == {} and first.chunks_total == assistant.store.count() > 0
    ids_before = {c.chunk_id for c in assistant.store.chunks()}

    again = assistant.reindex()
    assert again.unchanged == first.added and not again.changed
    assert {c.chunk_id for c in assistant.store.chunks()} == ids_before

    (planted_corpus / "convenio_municipal.txt").write_text(
        "El municipio firmó un convenio para capacitar a 300 policías.", encoding="utf-8"
    )
    (planted_corpus / "ley_ficticia.txt").unlink()
    (planted_corpus / "nuevo.md").write_text(
        "# Nuevo\n\nUn documento recién agregado.", encoding="utf-8"
    )
    changed = assistant.reindex()
    assert changed.updated == ["convenio_municipal.txt"]
    assert changed.removed == ["ley_ficticia.txt"]
    assert changed.added == ["nuevo.md"]
    assert changed.unchanged == ["programa_violeta.md"]
    sources = {c.source for c in assistant.store.chunks()}
    assert sources == {"convenio_municipal.txt", "nuevo.md", "programa_violeta.md"}
    texts = " ".join(c.text for c in assistant.store.chunks())
    assert "300 policías" in texts and "250 servidoras" not in texts
    answer = assistant.answer("¿A cuántos policías capacitará el convenio del municipio?")
    assert answer.answered and "300" in answer.text


def test_a_changed_manifest_entry_indexes_its_file_again(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    """The manifest is part of what was indexed: a title, institution or licence corrected
    by hand reaches the citations without `--rebuild`."""
    assistant, _ = build_assistant(backend_settings([planted_corpus]))
    (planted_corpus / "manifest.toml").write_text(
        '["programa_violeta.md"]\ntitle = "Programa Violeta (reglas de operación)"\n'
        'institution = "Instituto de la Mujer de Zacatecas"\nlicence = "Dominio público"\n',
        encoding="utf-8",
    )
    report = assistant.reindex()
    assert report.updated == ["programa_violeta.md"] and len(report.unchanged) == 2
    stored = assistant.documents["programa_violeta.md"]
    assert stored.title == "Programa Violeta (reglas de operación)"
    assert stored.licence == "Dominio público"
    chunks = [c for c in assistant.retriever.chunks.values() if c.source == "programa_violeta.md"]
    assert {c.institution for c in chunks} == {"Instituto de la Mujer de Zacatecas"}
    assert not assistant.reindex().changed


def test_one_bad_file_is_reported_and_the_rest_indexes(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    (planted_corpus / "dañado.pdf").write_bytes(b"%PDF-1.7 esto no es un pdf completo")
    (planted_corpus / "vacio.txt").write_bytes(b"")
    settings = backend_settings([planted_corpus])
    assistant, report = build_assistant(settings)
    assert report is not None
    assert set(report.failed) == {"dañado.pdf", "vacio.txt"}
    assert all(reason for reason in report.failed.values())
    assert len(report.added) == len(PLANTED_NAMES)
    assert "dañado.pdf" in report.summary()


PLANTED_NAMES = ["convenio_municipal.txt", "ley_ficticia.txt", "programa_violeta.md"]


def test_interrupted_document_is_redone(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    settings = backend_settings([planted_corpus])
    assistant, _ = build_assistant(settings)
    victim = next(c for c in assistant.store.chunks() if c.source == "ley_ficticia.txt")
    # Simulate a crash half-way through a document: one of its passages never got written.
    assistant.store._collection.delete(ids=[victim.chunk_id])  # noqa: SLF001
    assert not assistant.store.documents()["ley_ficticia.txt"].complete
    report = assistant.reindex()
    assert report.updated == ["ley_ficticia.txt"]
    assert assistant.store.documents()["ley_ficticia.txt"].complete


def test_store_written_by_another_model_is_refused(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    settings = backend_settings([planted_corpus])
    build_assistant(settings)
    settings.chunking = settings.chunking.model_copy(update={"max_chars": 333})
    with pytest.raises(StoreMismatchError, match="--rebuild"):
        open_store(settings, build_embedder(settings.embedding))


def test_hybrid_retrieval_ranks_the_planted_fact_first(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    settings = backend_settings([planted_corpus])
    assistant, _ = build_assistant(settings)
    for mode in ("hybrid", "bm25", "dense"):
        assistant.retriever.mode = mode  # type: ignore[assignment]
        hits = assistant.retriever.retrieve(
            "¿Cuántos apoyos económicos otorgó el Programa Violeta?", 3
        )
        assert hits[0].chunk.source == "programa_violeta.md", mode
        assert "4,321" in hits[0].chunk.text
    hits = assistant.retriever.retrieve("plazo para expedir órdenes de protección", 3)
    assert hits[0].chunk.heading.endswith("Artículo 3")


def test_answer_cites_the_supporting_passage(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    assistant, _ = build_assistant(backend_settings([planted_corpus]))
    answer = assistant.answer("¿Cuántos apoyos económicos otorgó el Programa Violeta?")
    assert answer.answered
    assert "4,321" in answer.text and "[1]" in answer.text
    cited = answer.citations[0]
    assert cited.chunk.source == "programa_violeta.md"
    assert cited.quote in cited.chunk.text and "4,321" in cited.quote


def test_out_of_corpus_question_is_declined(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    assistant, _ = build_assistant(backend_settings([planted_corpus]))
    answer = assistant.answer("¿Cuál es el horario del consulado de Japón en Monterrey?")
    assert not answer.answered
    assert answer.text == NOT_IN_DOCUMENTS and answer.citations == ()


def test_follow_up_carries_the_topic(
    planted_corpus: Path, backend_settings: SettingsFactory
) -> None:
    assistant, _ = build_assistant(backend_settings([planted_corpus]))
    answer = assistant.answer(
        "¿y qué requisitos piden?", history=["¿Qué es el Programa Violeta de Apoyo?"]
    )
    assert answer.answered and "identificación oficial" in answer.text
    assert "Programa Violeta" in answer.query


LONG_ARTICLE = (
    "# Ley de los Centros\n\nArtículo 12.- Los Centros de Justicia para las Mujeres rendirán un "
    "informe anual de su presupuesto ejercido al Congreso del Estado. Su personal recibirá "
    "capacitación continua en materia de archivo, contabilidad y adquisiciones. Las oficinas "
    "contarán con mobiliario, equipo de cómputo y vehículos oficiales suficientes. El órgano de "
    "gobierno sesionará de forma ordinaria cada tres meses y de forma extraordinaria cuando lo "
    "convoque su presidencia. Los servicios se prestarán aunque la usuaria no haya presentado "
    "denuncia alguna. Los inventarios se actualizarán cada año conforme a la normatividad "
    "aplicable en materia de bienes muebles e inmuebles del Estado.\n"
)
SHORT_GUIDE = (
    "# Guía\n\nPresentar una denuncia ante el ministerio público es un derecho de la usuaria; "
    "la denuncia puede presentarse por escrito o de palabra.\n"
)


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "hnsw"])
def test_one_sentence_of_a_long_passage_finds_it(
    tmp_path: Path, backend_settings: SettingsFactory, exact: bool
) -> None:
    root = tmp_path / "centros"
    root.mkdir()
    (root / "ley_centros.md").write_text(LONG_ARTICLE, encoding="utf-8")
    (root / "guia_denuncia.md").write_text(SHORT_GUIDE, encoding="utf-8")
    question = "¿me atienden aunque no haya presentado denuncia?"
    found = {}
    for min_chars in (80, 0):
        settings = backend_settings([root])
        settings.store.path = tmp_path / f"store-{min_chars}"
        settings.store.collection += f"-{min_chars}"
        settings.chunking = settings.chunking.model_copy(update={"window_min_chars": min_chars})
        assistant, _ = build_assistant(settings)
        assert (assistant.store.window_count() > 0) == (min_chars > 0)
        retriever = assistant.retriever
        retriever.mode = "dense"
        if not exact:
            retriever._exact_limit = 0  # noqa: SLF001 - the store's own (HNSW) search path
            retriever.refresh()
        found[min_chars] = [h.chunk.source for h in retriever.retrieve(question, 2)]
    # the passage's own vector averages budget, archives and vehicles: alone it loses to the
    # guide that repeats "denuncia"; its window with the one sentence that answers wins
    assert found[0][0] == "guia_denuncia.md"
    assert found[80][0] == "ley_centros.md"


def test_sentence_windows_follow_their_document(
    tmp_path: Path, backend_settings: SettingsFactory
) -> None:
    root = tmp_path / "centros"
    root.mkdir()
    (root / "ley_centros.md").write_text(LONG_ARTICLE, encoding="utf-8")
    (root / "guia_denuncia.md").write_text(SHORT_GUIDE, encoding="utf-8")
    assistant, _ = build_assistant(backend_settings([root]))
    owners, vectors = assistant.store.windows_and_vectors()
    chunk_ids = {c.chunk_id for c in assistant.store.chunks()}
    assert len(owners) == len(vectors) >= 4 and set(owners) <= chunk_ids
    assert {c.source for c in assistant.store.chunks() if c.chunk_id in owners} == {
        "ley_centros.md"
    }  # the guide is one window long: its passage's own vector is that window's

    (root / "ley_centros.md").write_text(LONG_ARTICLE.replace("tres meses", "dos meses"), "utf-8")
    assert assistant.reindex().updated == ["ley_centros.md"]
    assert assistant.store.window_count() == len(owners)  # replaced, not added
    (root / "ley_centros.md").unlink()
    assert assistant.reindex().removed == ["ley_centros.md"]
    assert assistant.store.window_count() == 0
    assistant.store.reset()
    assert assistant.store.count() == assistant.store.window_count() == 0


class _CountingEmbedder:
    """The deterministic embedder, remembering every text it is asked to embed."""

    def __init__(self) -> None:
        self._inner = HashingEmbedder()
        self.name = self._inner.name
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors:
        self.texts += list(texts)
        return self._inner.embed(texts, kind)


def test_each_distinct_text_is_embedded_once_and_every_record_keeps_its_vector(
    tmp_path: Path, backend_settings: SettingsFactory
) -> None:
    # a long section spills over several passages that repeat its last sentences, so their
    # sentences (and often windows) are the same texts twice
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentences = [
        f"La medida número {n} obliga a la dependencia {n} a informar cada {n} meses."
        for n in range(1, 80)
    ]
    (corpus / "programa_largo.md").write_text(
        "# Programa\n\n## Medidas\n\n" + " ".join(sentences), encoding="utf-8"
    )
    settings = backend_settings([corpus])
    counting = _CountingEmbedder()
    store = open_store(settings, counting)
    report = index_corpus([corpus], store, counting, settings.chunking, None)
    assert report.failed == {} and report.chunks_total > 2
    assert len(counting.texts) == len(set(counting.texts))
    chunks, vectors = store.chunks_and_vectors()
    assert vectors is not None
    expected = counting._inner.embed([c.context_text for c in chunks], "passage")
    assert abs(vectors - expected).max() < 1e-6
    sentence_ids = [f"{c.chunk_id}:0" for c in chunks]
    stored = store.sentence_vectors(sentence_ids)
    assert len(stored) == len(chunks)
