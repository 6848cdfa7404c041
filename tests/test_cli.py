"""The command line, run in a real subprocess as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def run(args: list[str], tmp_path: Path, corpus: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ASISTENTE_EMBEDDING__MODEL": "hashing",
        "ASISTENTE_STORE__PATH": str(tmp_path / "store"),
        "ASISTENTE_CORPUS__DIRS": json.dumps([str(corpus)]),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )


def test_help_is_fast_and_spanish(tmp_path: Path, planted_corpus: Path) -> None:
    result = run(["--help"], tmp_path, planted_corpus)
    assert result.returncode == 0 and "Indexa" in result.stdout


def test_index_then_ask_json_shape(tmp_path: Path, planted_corpus: Path) -> None:
    indexed = run(["index"], tmp_path, planted_corpus)
    assert indexed.returncode == 0, indexed.stderr
    assert "3 nuevos" in indexed.stderr
    again = run(["index"], tmp_path, planted_corpus)
    assert "3 sin cambios" in again.stderr

    result = run(
        ["ask", "¿Cuántos apoyos otorgó el Programa Violeta?", "--json"], tmp_path, planted_corpus
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {"answer", "answered", "citations", "retrieved", "latency_s"} <= payload.keys()
    assert payload["answered"] is True
    citation = payload["citations"][0]
    assert {"key", "doc_id", "title", "source", "page", "text", "quote"} <= citation.keys()
    assert citation["quote"] in citation["text"]
    assert {"rank", "doc_id", "title", "source", "page", "text", "score"} <= payload["retrieved"][
        0
    ].keys()

    listed = run(["sources"], tmp_path, planted_corpus)
    assert "programa_violeta.md" in listed.stdout
