"""evals/growth.py: the copies of the corpus it writes, the store it grows and measures (on the
seed corpus, two sizes, real Chroma and a real measuring process), and the report and plot made
from the points, with the check of where dense search hands over to HNSW."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from assistant.settings import Settings
from evals.growth import base_records, copies_to_measure, run_growth, variant
from evals.growth_report import GrowthPoint, GrowthReport, write_report
from tests.conftest import SEED_CORPUS


def _point(copies: int, passages: int, exact: bool) -> GrowthPoint:
    return GrowthPoint(
        copies=copies,
        passages=passages,
        windows=3 * passages,
        exact=exact,
        build_s=copies * 2.0,
        open_s=copies * 0.5,
        retrieval_s=(0.010, 0.020, 0.030),
        answer_s=(0.100, 0.200, 0.300),
        peak_mib=300.0 + copies,
    )


def _report(*points: GrowthPoint) -> GrowthReport:
    return GrowthReport("corpus", 100, 300, 8, 250, 3, points)


def test_the_handover_is_checked_against_the_documented_limit() -> None:
    right = _report(_point(1, 100, True), _point(2, 200, True), _point(3, 300, False))
    assert right.handover() == {
        "documented_limit": 250,
        "last_exact": 200,
        "first_approximate": 300,
        "as_documented": True,
    }
    early = _report(_point(1, 100, True), _point(2, 200, False))
    assert early.handover()["as_documented"] is False
    assert "NO como está documentado" in early.table()


def test_the_report_and_plot_are_written(tmp_path: Path) -> None:
    report = _report(_point(1, 100, True), _point(10, 1000, False))
    data, plot = write_report(report, tmp_path / "out")
    written = json.loads(data.read_text(encoding="utf-8"))
    assert written["handover"]["last_exact"] == 100
    first, second = written["points"]
    assert (first["path"], second["path"]) == ("exact", "approximate")
    assert first["retrieval_p50_ms"] == 20.0 and first["retrieval_p95_ms"] == 30.0
    assert first["answer_p50_ms"] == 200.0 and second["peak_rss_mib"] == 310.0
    with Image.open(plot) as image:
        assert image.format == "PNG" and image.width > 400 and image.height > 400


def test_the_points_bracket_the_exact_limit() -> None:
    assert copies_to_measure(1756, quick=True) == [1, 10]
    assert copies_to_measure(1756, quick=False) == [1, 10, 100, 113, 114]
    assert 113 * 1756 <= 200_000 < 114 * 1756


def test_a_copy_is_the_same_document_with_its_own_ids_numbers_and_nearby_vectors() -> None:
    base = base_records([SEED_CORPUS], Settings(), 64)
    original = next(r for r in base if r.windows)
    assert variant(original, 0, 0) is original
    copy = variant(original, 3, 0)
    again = variant(original, 3, 0)  # deterministic
    assert again.chunks == copy.chunks and again.windows == copy.windows
    assert np.array_equal(again.vectors, copy.vectors)
    assert copy.document.doc_id != original.document.doc_id
    assert copy.document.source == f"v003_{original.document.source}"
    assert all(c.chunk_id.startswith(copy.document.doc_id) for c in copy.chunks)
    assert all(c.parent_id.startswith(copy.document.doc_id) for c in copy.chunks if c.parent_id)
    chunk_ids = {c.chunk_id for c in copy.chunks}
    assert all(w.chunk_id in chunk_ids for w in copy.windows)
    assert len({w.window_id for w in copy.windows}) == len(copy.windows)
    assert np.allclose(np.linalg.norm(copy.vectors, axis=1), 1.0, atol=1e-5)
    similarity = np.sum(copy.vectors * original.vectors, axis=1)
    assert similarity.min() > 0.7 and similarity.max() < 0.999


def test_a_store_grown_in_place_is_measured_at_each_size(tmp_path: Path) -> None:
    report = run_growth(
        [SEED_CORPUS], tmp_path / "work", tmp_path / "out", False, 2, 64, copies=[1, 2]
    )
    small, large = report.points
    assert small.passages == report.base_passages and large.passages == 2 * small.passages
    assert large.windows == 2 * small.windows == 2 * report.base_windows
    assert small.exact and large.exact and report.handover()["as_documented"]
    assert all(t > 0 for p in report.points for t in (*p.retrieval_s, *p.answer_s))
    assert large.peak_mib > 50
    assert json.loads((tmp_path / "out" / "growth.json").read_text())["points"][1]["copies"] == 2
