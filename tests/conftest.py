"""Shared fixtures: settings on a temporary store, a tiny corpus with planted facts, the real
seed corpus (a fixed copy in tests/corpus) and the default corpus of 25 documents.

The whole session runs behind the network guard (tests/netguard/): nothing but loopback can be
reached, from this process or from any Python process the tests start, and a blocked attempt
fails the test during which it happened and the session."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from assistant.settings import Settings
from evals.process import free_port, running_server
from tests.netguard.network_guard import LOG_VARIABLE, install, logged_attempts

if TYPE_CHECKING:
    from assistant.core import Assistant

PROJECT = Path(__file__).resolve().parents[1]
# The fast tests' fixed corpus: the five seed documents (a copy, so that the default corpus can
# grow without changing what the tests see). The default corpus holds all 25 documents.
SEED_CORPUS = PROJECT / "tests" / "corpus"
DEFAULT_CORPUS = PROJECT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

NETGUARD = PROJECT / "tests" / "netguard"
BLOCKED = pytest.StashKey[list[str]]()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Guard this process, and (through `sitecustomize` on PYTHONPATH) every Python process
    started from it; all of them log blocked attempts to one file."""
    install()
    handle, log = tempfile.mkstemp(prefix="netguard-", suffix=".jsonl")
    os.close(handle)
    os.environ[LOG_VARIABLE] = log
    inherited = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(NETGUARD), inherited) if p)


def _unexpected_attempts() -> list[str]:
    log = os.environ.get(LOG_VARIABLE)
    attempts = logged_attempts(Path(log)) if log else []
    return [a.describe() for a in attempts if not a.expected]


@pytest.fixture(autouse=True)
def _network_stays_local() -> Iterator[None]:
    before = len(_unexpected_attempts())
    yield
    new = _unexpected_attempts()[before:]
    if new:
        pytest.fail("intentos de salir a la red:\n" + "\n".join(new), pytrace=False)


@pytest.fixture(autouse=True)
def _torch_threads_restored() -> Iterator[None]:
    """An assistant with the LLM generator keeps torch to one thread for the rest of its
    process (assistant.core.leave_cores_to_the_model); the tests after it get the count back."""
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch is not None else None
    yield
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    attempts = _unexpected_attempts()
    log = os.environ.pop(LOG_VARIABLE, None)
    if log:
        Path(log).unlink(missing_ok=True)
    session.config.stash[BLOCKED] = attempts
    if attempts:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    attempts = config.stash.get(BLOCKED, [])
    if attempts:
        terminalreporter.write_sep("=", "la guardia de red bloqueó intentos de salir a la red")
        for attempt in attempts:
            terminalreporter.write_line(attempt, red=True)


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


def planted_assistant(root: Path, files: dict[str, str]) -> Assistant:
    """An assistant, with the deterministic embedder, over a corpus of `files` (name: text)
    written under `root`, every file indexed."""
    from assistant.core import build_assistant

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    built, report = build_assistant(make_settings(root / "store", [corpus]))
    assert report is not None and report.failed == {}, report and report.failed
    return built


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


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1, telemetry off, for the session.

    `chroma` is a Python launcher that hands over to Chroma's Rust server, whose sockets the
    network guard cannot see: telemetry is off through ANONYMIZED_TELEMETRY instead."""
    executable = shutil.which("chroma")
    if executable is None:
        pytest.fail("`chroma` no está instalado (viene con el paquete chromadb)")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    command = [executable, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    ready = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    with running_server(command, ready, env={"ANONYMIZED_TELEMETRY": "False"}, timeout_s=60):
        yield "127.0.0.1", port


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


@pytest.fixture(scope="session")
def default_corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with the real embedding model on the default corpus, indexed once for the
    session (the tests that read it only ask questions)."""
    from assistant.core import build_assistant

    settings = Settings()
    settings.corpus.dirs = [DEFAULT_CORPUS]
    settings.store.path = tmp_path_factory.mktemp("default-store")
    _, report = build_assistant(settings)
    assert report is not None and report.failed == {}, report and report.failed
    return settings
