"""The store is read page by page (SQLite refuses one statement over 32 766 variables, which a
store of some 30 000 windows needed): every passage and window comes back once, in order, with
its own vector, whatever the page size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import index.store
from assistant.core import build_assistant
from tests.conftest import SEED_CORPUS, make_settings


def test_reading_in_small_pages_gives_what_one_page_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant, _ = build_assistant(make_settings(tmp_path / "store", [SEED_CORPUS]))
    store = assistant.store
    chunks, vectors = store.chunks_and_vectors()
    owners, window_vectors = store.windows_and_vectors()
    documents = store.documents()
    assert vectors is not None and len(chunks) == len(vectors) > 7
    assert len(owners) == len(window_vectors) > 7

    monkeypatch.setattr(index.store, "_PAGE", 7)
    paged_chunks, paged_vectors = store.chunks_and_vectors()
    paged_owners, paged_window_vectors = store.windows_and_vectors()
    assert [c.chunk_id for c in paged_chunks] == [c.chunk_id for c in chunks]
    assert paged_vectors is not None and np.array_equal(paged_vectors, vectors)
    assert sorted(zip(paged_owners, map(tuple, paged_window_vectors), strict=True)) == sorted(
        zip(owners, map(tuple, window_vectors), strict=True)
    )
    assert store.documents() == documents
