"""Faults: an indexer killed at any moment, and two indexers at once.

The real indexer runs as a user runs it (`python -m assistant.cli index`, hashing embedder) and
is SIGKILLed at seeded random moments spread across its run; indexing again must leave a store
identical to one built in a single go. A second indexer is refused at once with a message
naming the store, a killed indexer leaves no lock behind, and readers never need the lock."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.core import build_assistant, build_embedder, indexing_lock, open_store
from assistant.settings import Settings
from index.indexing_lock import LOCK_NAME, IndexingBusyError, IndexingLock, store_lock
from index.loading import scan_corpus
from index.store import ChromaStore
from tests.conftest import DEFAULT_CORPUS, make_settings
from ui.window import Upload, Window

KILL_ROUNDS = 5
SEED = 6  # issue 6
BUSY = "Otro proceso"


def cli_env(store: Path, roots: list[Path], cache: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASISTENTE_")},
        "ASISTENTE_EMBEDDING__MODEL": "hashing",
        "ASISTENTE_EMBEDDING__CACHE_DIR": str(cache),
        "ASISTENTE_STORE__PATH": str(store),
        "ASISTENTE_CORPUS__DIRS": json.dumps([str(r) for r in roots]),
    }


def start_cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """The command line in a subprocess, its stderr (progress bar, summary) into `log`."""
    with log.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            cwd=log.parent,
        )


def run_cli(args: list[str], env: dict[str, str], log: Path) -> tuple[int, str, float]:
    """Run the command line to the end: exit code, stderr, seconds."""
    started = time.monotonic()
    code = start_cli(args, env, log).wait(timeout=600)
    return code, log.read_text(encoding="utf-8", errors="replace"), time.monotonic() - started


def lock_is_free(store: Path) -> bool:
    try:
        with IndexingLock(store / LOCK_NAME, str(store)).hold():
            return True
    except IndexingBusyError:
        return False


def wait_for_lock_holder(lock_file: Path, process: subprocess.Popen[bytes]) -> None:
    """Until `process` holds the lock (it writes its pid into the file once it has the flock;
    probing with a flock of our own could take the lock from under it)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if lock_file.is_file() and lock_file.read_text().strip() == str(process.pid):
            return
        time.sleep(0.05)
    pytest.fail("el indexador no llegó a tomar el candado")


def copy_corpus(source: Path, target: Path) -> Path:
    """A writable copy (the shared corpus is read-only, and copytree would keep that)."""
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copyfile(path, target / path.name)
    return target


# What a revision appends to a file: a paragraph to a text, comments where they change nothing
# a reader sees (a PDF reader ignores bytes after %%EOF).
REVISION = {
    ".md": "\n\nNota de la revisión {n}: párrafo agregado.\n",
    ".txt": "\n\nNota de la revisión {n}: párrafo agregado.\n",
    ".html": "\n<!-- revisión {n} -->\n",
    ".pdf": "\n% revision {n}\n",
}


@dataclass
class Corpus:
    """The corpus folders, and their original bytes to put back before the last run."""

    roots: list[Path]
    originals: dict[Path, bytes] = field(default_factory=dict)

    def files(self) -> list[Path]:
        return sorted(p for r in self.roots for p in r.iterdir() if p.suffix in REVISION)

    def revise(self, rng: random.Random, n: int) -> None:
        """Change every file (so the whole corpus is to be indexed again: the kill can land
        anywhere in it, and the documents stored are replaced, not just added), set one
        aside (to be removed from the store) and add a new one."""
        self.restore()
        self.originals = {path: path.read_bytes() for path in self.files()}
        for path in self.files():
            with path.open("ab") as out:
                out.write(REVISION[path.suffix].format(n=n).encode())
        rng.choice(self.files()).unlink()
        new = self.roots[0] / f"nota_nueva_{n}.md"
        new.write_text(f"# Nota nueva {n}\n\nUn documento que luego se retira.\n", "utf-8")

    def restore(self) -> None:
        for path, data in self.originals.items():
            path.write_bytes(data)
        self.originals.clear()
        for new in self.roots[0].glob("nota_nueva_*.md"):
            new.unlink()


def last_progress(stderr: str) -> tuple[int, int] | None:
    """The last (done, total) the progress bar showed."""
    found = re.findall(r"(\d+)/(\d+) \[", stderr)
    return (int(found[-1][0]), int(found[-1][1])) if found else None


def opened(settings: Settings) -> ChromaStore:
    return open_store(settings, build_embedder(settings.embedding))


def raw(store: ChromaStore) -> dict[str, Any]:
    # Everything Chroma holds, not what ChromaStore chooses to read back.
    return dict(store._collection.get(include=["documents", "metadatas", "embeddings"]))  # noqa: SLF001


@pytest.mark.slow
@pytest.mark.extra
def test_indexer_killed_at_random_points_then_rerun_equals_a_fresh_build(
    tmp_path: Path,
) -> None:
    corpus = Corpus([copy_corpus(DEFAULT_CORPUS, tmp_path / "corpus")])
    cache = tmp_path / "cache"
    fresh, resumed = tmp_path / "fresh", tmp_path / "resumed"
    fresh_env = cli_env(fresh / "store", corpus.roots, cache)
    env = cli_env(resumed / "store", corpus.roots, cache)
    fresh.mkdir()
    resumed.mkdir()

    # The reference, built in one go, measures the run; a run with nothing to do, the start-up.
    code, stderr, full = run_cli(["index"], fresh_env, fresh / "build.log")
    assert code == 0, stderr
    code, stderr, idle = run_cli(["index"], fresh_env, fresh / "again.log")
    assert code == 0 and "0 nuevos, 0 actualizados" in stderr, stderr
    work = max(full - idle, 1.0)
    assert full > 1.0, f"el corpus se indexa en {full:.1f} s: demasiado poco para cortarlo"

    # Kill points spread over the indexing: one at a random moment in each fifth of the run.
    # Before every run but the first, the whole corpus is revised, so each run has all of it
    # to do again on top of what the killed one left behind.
    rng = random.Random(SEED)
    points = [(i + rng.random()) / KILL_ROUNDS for i in range(KILL_ROUNDS)]
    interrupted = []
    for round_, point in enumerate(points):
        if round_:
            corpus.revise(rng, round_)
        delay = idle + point * work
        log = resumed / f"kill-{round_}.log"
        indexer = start_cli(["index"], env, log)
        time.sleep(delay)
        still_running = indexer.poll() is None
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=60)
        where = last_progress(log.read_text(encoding="utf-8", errors="replace"))
        print(f"ronda {round_}: SIGKILL a los {delay:.2f} s, progreso {where}")
        if still_running and where is not None and where[0] < where[1]:
            interrupted.append(round_)
        assert lock_is_free(resumed / "store"), "el indexador muerto dejó el candado tomado"
    assert len(interrupted) >= 3, f"solo {interrupted} de las rondas cortaron la indexación"

    corpus.restore()
    code, stderr, _ = run_cli(["index"], env, resumed / "final.log")
    assert code == 0, stderr
    print(
        f"referencia {full:.1f} s (arranque {idle:.1f} s); cortadas {interrupted}; {stderr[-200:]}"
    )

    settings = make_settings(resumed / "store", corpus.roots)
    reference = make_settings(fresh / "store", corpus.roots)
    store, built = opened(settings), opened(reference)
    got, want = raw(store), raw(built)
    assert len(got["ids"]) == len(set(got["ids"])), "pasajes duplicados"
    assert set(got["ids"]) == set(want["ids"])
    rows = {i: (d, m, e) for i, d, m, e in zip(*(got[k] for k in _FIELDS), strict=True)}
    for chunk_id, text, meta, vector in zip(*(want[k] for k in _FIELDS), strict=True):
        assert rows[chunk_id][0] == text, chunk_id
        assert rows[chunk_id][1] == meta, chunk_id
        assert np.allclose(rows[chunk_id][2], vector, atol=1e-6), chunk_id
    # No orphans: every passage belongs to a file of the corpus as it is now.
    files = {f.source: f.doc_id for f in scan_corpus(corpus.roots)}
    assert {(m["source"], m["doc_id"]) for m in got["metadatas"]} == set(files.items())
    # The bookkeeping: passages per document, expected counts, the stamp, the total.
    documents = store.documents()
    assert documents == built.documents()
    assert all(d.complete for d in documents.values())
    assert store.count() == built.count() == len(want["ids"])
    # The sentence windows too: the same ones with the same vectors, none orphaned.
    got_windows, want_windows = (
        s._windows.get(include=["metadatas", "embeddings"])  # noqa: SLF001
        for s in (store, built)
    )
    assert len(got_windows["ids"]) == len(set(got_windows["ids"])) > 0
    windows = dict(zip(got_windows["ids"], got_windows["embeddings"], strict=True))
    assert windows.keys() == set(want_windows["ids"])
    for window_id, vector in zip(want_windows["ids"], want_windows["embeddings"], strict=True):
        assert np.allclose(windows[window_id], vector, atol=1e-6), window_id
    assert {m["chunk_id"] for m in got_windows["metadatas"]} <= set(want["ids"])
    stamp = store._collection.metadata  # noqa: SLF001
    assert stamp == built._collection.metadata  # noqa: SLF001
    # The vector index answers: a stored passage is its own nearest neighbour.
    for index in range(0, len(want["ids"]), max(1, len(want["ids"]) // 5)):
        (_, similarity), *_ = store.nearest(np.asarray(want["embeddings"][index]), 3)
        assert similarity == pytest.approx(1.0, abs=1e-4)


_FIELDS = ("ids", "documents", "metadatas", "embeddings")


@pytest.mark.extra
def test_second_indexer_fails_fast_and_a_killed_one_frees_the_lock(tmp_path: Path) -> None:
    roots = [DEFAULT_CORPUS]
    store = tmp_path / "store"
    env = cli_env(store, roots, tmp_path / "cache")
    first = start_cli(["index"], env, tmp_path / "first.log")
    try:
        wait_for_lock_holder(store / LOCK_NAME, first)
        code, stderr, seconds = run_cli(["index"], env, tmp_path / "second.log")
        assert first.poll() is None, "el primer indexador terminó antes de la prueba"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    assert code == 2
    assert BUSY in stderr and str(store) in stderr and "espere a que termine" in stderr
    assert f"proceso {first.pid}" in stderr and "Traceback" not in stderr
    print(f"segundo indexador rechazado en {seconds:.1f} s")
    assert lock_is_free(store)


def test_while_the_lock_is_held_indexing_is_refused_and_questions_are_answered(
    tmp_path: Path, planted_corpus: Path
) -> None:
    store = tmp_path / "store"
    env = cli_env(store, [planted_corpus], tmp_path / "cache")
    code, stderr, _ = run_cli(["index"], env, tmp_path / "index.log")
    assert code == 0, stderr
    with indexing_lock(make_settings(store, [planted_corpus])).hold():
        code, stderr, _ = run_cli(["index", "--rebuild"], env, tmp_path / "busy.log")
        assert code == 2 and BUSY in stderr and "Traceback" not in stderr
        asked = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", "¿Cuántos apoyos otorgó?", "--json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["answered"] is True
    assert BUSY in asked.stderr  # a warning: the store is read as it stands


def test_staff_upload_while_another_indexer_runs_says_so_and_saves_nothing(
    tmp_path: Path, planted_corpus: Path
) -> None:
    settings = make_settings(tmp_path / "store", [planted_corpus])
    assistant, report = build_assistant(settings)
    window = Window(assistant, report)
    upload = tmp_path / "subida.txt"
    upload.write_text("El instituto abrió un refugio nuevo para 40 mujeres.", encoding="utf-8")
    before = sorted(p.name for p in planted_corpus.iterdir())
    holding, release = threading.Event(), threading.Event()

    def other_indexer() -> None:  # another thread of the same server counts as another indexer
        with assistant.store.lock.hold():
            holding.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=other_indexer)
    thread.start()
    try:
        assert holding.wait(timeout=60)
        message = window.add([Upload(upload, "subida.txt")], {})
        with pytest.raises(IndexingBusyError, match="espere a que termine"):
            assistant.reindex()
        withdrawn = window.withdraw("ley_ficticia.txt")
    finally:
        release.set()
        thread.join()
        window.close()
    assert message.startswith("✗ No se agregó") and BUSY in message
    assert withdrawn.startswith("✗ No se retiró") and BUSY in withdrawn
    assert sorted(p.name for p in planted_corpus.iterdir()) == before
    assert "ley_ficticia.txt" in assistant.documents
    # Once the other indexer is done, the same upload goes through.
    assert window.add([Upload(upload, "subida.txt")], {}).startswith("- ✓")
    assert "subida.txt" in assistant.documents


def test_the_lock_is_reentrant_for_its_holder_only(tmp_path: Path) -> None:
    lock = IndexingLock(tmp_path / "almacen" / LOCK_NAME, "«prueba»")
    refused: list[str] = []

    def stranger() -> None:
        try:
            with lock.hold():
                refused.append("")
        except IndexingBusyError as error:
            refused.append(str(error))

    with lock.hold(), lock.hold():  # the CLI holds it across a rebuild and the indexing
        thread = threading.Thread(target=stranger)
        thread.start()
        thread.join()
    assert refused and BUSY in refused[0] and "«prueba»" in refused[0]
    assert lock_is_free(tmp_path / "almacen")


def test_a_server_store_is_locked_per_server_and_collection_under_the_cache(
    tmp_path: Path,
) -> None:
    one = store_lock("http", tmp_path / "x", "10.0.0.5", 8000, "corpus", tmp_path / "cache")
    other = store_lock("http", tmp_path / "x", "10.0.0.5", 8000, "otra", tmp_path / "cache")
    assert one.path.parent == tmp_path / "cache" / "locks" and one.path != other.path
    assert "10.0.0.5:8000" in one.store
    embedded = store_lock("embedded", tmp_path / "x", "", 0, "corpus", tmp_path / "cache")
    assert embedded.path == tmp_path / "x" / LOCK_NAME
