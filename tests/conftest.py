"""Shared fixtures: settings on a temporary store, a tiny corpus with planted facts, the real
seed corpus and (when ../shared is beside the project) the extra corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SEED_CORPUS = PROJECT / "corpus"
EXTRA_CORPUS = PROJECT.parent / "shared" / "corpus" / "extra"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

PLANTED = {
    "programa_violeta.md": (
        "# Programa Violeta de Apoyo\n\n"
        "El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024. "
        "Las solicitudes se reciben en las oficinas del Instituto de la Mujer de Zacatecas.\n\n"
        "## Requisitos\n\n"
        "Para solicitar el apoyo se requiere identificación oficial y comprobante de domicilio.\n"
    ),
    "ley_ficticia.txt": (
        "LEY DE PRUEBA DEL ESTADO\n\n"
        "CAPÍTULO I\nDISPOSICIONES GENERALES\n\n"
        "Artículo 1.- Esta ley es de orden público y de observancia general en el estado.\n\n"
        "Artículo 2.- La violencia económica es toda acción u omisión que afecta la "
        "supervivencia económica de la víctima.\n\n"
        "CAPÍTULO II\nDE LAS ÓRDENES DE PROTECCIÓN\n\n"
        "Artículo 3.- Las órdenes de protección se expiden en un plazo máximo de ocho horas.\n"
    ),
    "convenio_municipal.txt": (
        "El municipio de Tlalnepantla y la universidad estatal firmaron un convenio de "
        "colaboración para capacitar a 250 servidoras públicas en perspectiva de género.\n"
    ),
}


@pytest.fixture
def planted_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in PLANTED.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def extra_corpus() -> Path:
    if not EXTRA_CORPUS.is_dir():
        pytest.skip(f"no está {EXTRA_CORPUS} (../shared/corpus/extra junto al proyecto)")
    return EXTRA_CORPUS


def make_settings(
    store: Path, corpus: list[Path], model: str = "hashing", **groups: dict
) -> Settings:
    """Settings on a private store; `model="hashing"` selects the deterministic test embedder."""
    settings = Settings(**groups)
    settings.corpus.dirs = corpus
    settings.store.path = store
    settings.embedding.model = model
    return settings


@pytest.fixture
def test_cache_dir() -> Path:
    """Where the real embedding model is materialized for tests, kept across runs."""
    path = Path(os.environ.get("ASISTENTE_TEST_CACHE", Path.home() / ".cache" / "asistente-tests"))
    path.mkdir(parents=True, exist_ok=True)
    return path
