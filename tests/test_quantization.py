"""The int8 embedding model (`index.embedding.quantize_linear_layers`, off by default) stays
within cosine 0.99 of fp32 on Spanish text like the corpus's, and a store written by one is
never read with the other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core import build_embedder
from assistant.settings import EmbeddingSettings
from tests.test_e5_model import SPANISH

pytestmark = pytest.mark.slow

CORPUS_LIKE = [
    "Artículo 34 Ter.- Las órdenes de protección administrativas son de urgente aplicación y "
    "se otorgarán de oficio o a petición de parte por el Ministerio Público.",
    "La víctima puede acudir a los Centros de Justicia para las Mujeres, que brindan asesoría "
    "jurídica y atención psicológica gratuita las 24 horas.",
    "me corrieron del trabajo por estar embarazada, ¿es legal?",
    "El Programa Violeta otorgó 3,000 pesos mensuales a 1,250 mujeres jefas de familia en 2023.",
]


def test_int8_agrees_with_fp32_and_is_named_apart(test_cache_dir: Path) -> None:
    settings = EmbeddingSettings(cache_dir=test_cache_dir)
    assert not settings.int8  # off by default: it cost recall on questions_multi
    int8 = build_embedder(settings.model_copy(update={"int8": True}), cache=False)
    fp32 = build_embedder(settings, cache=False)
    assert int8.name != fp32.name and "int8" in int8.name
    texts = [*SPANISH, *CORPUS_LIKE]
    for kind in ("passage", "query"):
        a, b = int8.embed(texts, kind), fp32.embed(texts, kind)  # type: ignore[arg-type]
        assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
        cosines = (a * b).sum(axis=1)
        assert cosines.min() >= 0.99, cosines
    # a question's closeness to passages moves by a hundredth at most
    others = [*CORPUS_LIKE[:2], CORPUS_LIKE[3]]
    scores = [
        model.embed(others, "passage") @ model.embed([CORPUS_LIKE[2]], "query")[0]
        for model in (int8, fp32)
    ]
    assert np.abs(scores[0] - scores[1]).max() <= 0.01, scores
