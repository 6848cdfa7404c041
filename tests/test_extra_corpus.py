"""The whole default corpus (25 documents) through the indexer, with the
deterministic embedder so that it runs in seconds; the real model is covered elsewhere."""

from __future__ import annotations

from pathlib import Path

from assistant.core import build_assistant
from tests.conftest import DEFAULT_CORPUS, make_settings


def test_every_file_indexes_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "store", [DEFAULT_CORPUS])
    assistant, first = build_assistant(settings)
    assert first is not None
    files = [p for p in DEFAULT_CORPUS.iterdir() if p.name not in {"manifest.toml"}]
    assert first.failed == {}
    assert len(first.added) == len(files) == 25
    documents = assistant.store.documents()
    assert all(d.complete and d.chunks > 0 for d in documents.values())
    pdf_chunks = [c for c in assistant.store.chunks() if c.source.endswith(".pdf")]
    assert pdf_chunks and all(c.page is not None and c.page_end >= c.page for c in pdf_chunks)  # type: ignore[operator]
    lgamvlv = [c for c in pdf_chunks if c.source.startswith("ley_general_acceso")]
    assert max(c.page_end or 0 for c in lgamvlv) >= 80  # pages reach the end of the 88-page law
    assert any(c.heading.endswith("Artículo 6") for c in lgamvlv)

    second = assistant.reindex()
    assert second.unchanged == first.added
    assert second.chunks_embedded == 0 and not second.changed
