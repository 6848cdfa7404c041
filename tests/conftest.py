"""Shared fixtures: settings on a temporary store, a tiny corpus with planted facts, the real
seed corpus and (when ../shared is beside the project) the extra corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1, telemetry off, for the session."""
    executable = shutil.which("chroma")
    if executable is None:
        pytest.fail("`chroma` no está instalado (viene con el paquete chromadb)")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [executable, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("el servidor de Chroma no arrancó")
            time.sleep(0.3)
    yield "127.0.0.1", port
    server.terminate()
    server.wait(timeout=30)


SettingsFactory = Callable[..., Settings]


@pytest.fixture(params=["embedded", "http"])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> SettingsFactory:
    """Build settings on the embedded store or on the Chroma server: one test body, both
    backends. Each test gets a collection of its own."""

    def build(corpus: list[Path], **groups: dict) -> Settings:
        settings = make_settings(tmp_path / "store", corpus, **groups)
        if request.param == "http":
            host, port = request.getfixturevalue("chroma_server")
            settings.store.backend = "http"
            settings.store.host, settings.store.port = host, port
            settings.store.collection = f"test-{abs(hash(str(tmp_path))) % 10**12}"
        return settings

    return build
