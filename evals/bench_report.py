"""The benchmark's results, one frozen dataclass per measurement, and the two things made from
them: the printed table and the JSON report. Pure: numbers in, text and dicts out, so the table
and the JSON can never disagree."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Row = tuple[str, str]


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank, no interpolation: with 20
    timings, p95 is the second slowest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _p50_p95(values: Sequence[float], scale: float = 1.0) -> str:
    """Median / p95, times `scale` (1000 for milliseconds)."""
    return f"{scale * statistics.median(values):.1f} / {scale * percentile(values, 0.95):.1f}"


def _ms(values: Sequence[float]) -> str:
    return _p50_p95(values, 1000.0)


def p50_p95_ms(prefix: str, values: Sequence[float]) -> dict[str, float]:
    return {
        f"{prefix}_p50_ms": 1000.0 * statistics.median(values),
        f"{prefix}_p95_ms": 1000.0 * percentile(values, 0.95),
    }


@dataclass(frozen=True)
class Corpus:
    """A corpus the benchmark measures."""

    key: str  # its name in the JSON report: "seeds", "seeds ×10", "seeds + extra"
    label: str  # its name in the printed table: "semillas", …
    dirs: tuple[Path, ...]


@dataclass(frozen=True)
class CorpusResult:
    """Indexing and query times of one corpus, on a fresh store, with the bare model."""

    corpus: Corpus
    documents: int
    passages: int
    windows: int  # sentence windows embedded with the passages (index.windows)
    model_passages_s: float  # the bare model embedding the passages' texts once
    model_windows_s: float  # … and then the windows' texts
    index_s: float  # full indexing of the fresh store, whole pipeline
    reindex_s: float  # indexing again with nothing changed
    retrieval_s: tuple[float, ...]  # one per question
    answer_s: tuple[float, ...]  # extractive answer, one per question

    @property
    def model_rate(self) -> float:
        """Texts (passages and windows) the bare model embeds per second."""
        return (self.passages + self.windows) / (self.model_passages_s + self.model_windows_s)

    @property
    def pipeline_rate(self) -> float:
        return (self.passages + self.windows) / self.index_s

    @property
    def index_vs_passage_model(self) -> float:
        """What indexing costs against the model embedding the passages alone: above 1 by the
        windows, chunking, keyword index and store writes."""
        return self.index_s / self.model_passages_s

    def rows(self) -> list[Row]:
        label = self.corpus.label
        return [
            (
                f"[{label}] documentos / pasajes / ventanas",
                f"{self.documents} / {self.passages} / {self.windows}",
            ),
            (f"[{label}] modelo solo (textos/s)", f"{self.model_rate:.1f}"),
            (f"[{label}] indexación completa (textos/s)", f"{self.pipeline_rate:.1f}"),
            (f"[{label}] razón indexación / modelo", f"{self.pipeline_rate / self.model_rate:.2f}"),
            (f"[{label}] indexación completa (s)", f"{self.index_s:.1f}"),
            (
                f"[{label}] re-indexación sin cambios (s)",
                f"{self.reindex_s:.2f} ({self.reindex_s / self.index_s:.1%})",
            ),
            (f"[{label}] recuperación p50 / p95 (ms)", _ms(self.retrieval_s)),
            (f"[{label}] respuesta extractiva p50 / p95 (ms)", _ms(self.answer_s)),
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "passages": self.passages,
            "windows": self.windows,
            "index_s": self.index_s,
            "reindex_s": self.reindex_s,
            "model_passages_s": self.model_passages_s,
            "model_windows_s": self.model_windows_s,
            "index_vs_passage_model": self.index_vs_passage_model,
            **p50_p95_ms("retrieval", self.retrieval_s),
            **p50_p95_ms("answer", self.answer_s),
            "questions": len(self.retrieval_s),
        }


@dataclass(frozen=True)
class PeerResult:
    """The llama-index quickstart on the same corpus and model."""

    corpus: Corpus
    build_s: float
    query_s: tuple[float, ...]

    def rows(self) -> list[Row]:
        label = self.corpus.label
        return [
            (f"[{label}] llama-index quickstart: construcción (s)", f"{self.build_s:.1f}"),
            (f"[{label}] llama-index quickstart: consulta p50 / p95 (ms)", _ms(self.query_s)),
        ]

    def to_json(self) -> dict[str, Any]:
        return {"build_s": self.build_s, **p50_p95_ms("query", self.query_s)}


@dataclass(frozen=True)
class LlmResult:
    """Answers written by the language model. `load_s` is None when it could not be loaded
    (the assistant then answered extractively and nothing else was timed)."""

    corpus: Corpus
    load_s: float | None
    first_token_s: tuple[float, ...] = ()
    total_s: tuple[float, ...] = ()
    prompt_tokens: tuple[int, ...] = ()  # of each prompt the model was sent

    def rows(self) -> list[Row]:
        label = self.corpus.label
        if self.load_s is None:
            return [(f"[{label}] LLM", "no disponible (se respondió con el extractivo)")]
        rows = [(f"[{label}] LLM: carga del modelo (s)", f"{self.load_s:.1f}")]
        if self.first_token_s:
            rows.append(
                (
                    f"[{label}] LLM: primer token p50 / p95 (s, {len(self.first_token_s)} "
                    "preguntas)",
                    _p50_p95(self.first_token_s),
                )
            )
        rows.append(
            (
                f"[{label}] LLM: respuesta completa p50 / p95 (s, {len(self.total_s)} preguntas)",
                _p50_p95(self.total_s),
            )
        )
        return rows

    def to_json(self) -> dict[str, Any]:
        if self.load_s is None:
            return {"corpus": self.corpus.key, "available": False}
        first = self.first_token_s
        return {
            "corpus": self.corpus.key,
            "available": True,
            "load_s": self.load_s,
            "questions": len(self.total_s),
            # a question the evidence checks decline never reaches the model: no first token
            "first_token_p50_s": statistics.median(first) if first else None,
            "first_token_p95_s": percentile(first, 0.95) if first else None,
            "total_p50_s": statistics.median(self.total_s),
            "total_p95_s": percentile(self.total_s, 0.95),
            "prompt_tokens_p50": (
                statistics.median(self.prompt_tokens) if self.prompt_tokens else None
            ),
        }


@dataclass(frozen=True)
class ServeResult:
    """A running `asistente serve` answering through its API: the time from starting it to its
    first answer, and its peak resident memory (VmHWM) after all of them. Both None when it did
    not start. `shown`: its memory is a row of the printed table (the seed corpus's runs)."""

    corpus: Corpus
    generator: str
    questions: int
    ready_s: float | None
    peak_mib: float | None
    shown: bool = True

    def rows(self) -> list[Row]:
        if not self.shown:
            return []
        label = f"serve ({self.generator}): memoria pico (MiB, tras {self.questions} preguntas)"
        return [(label, "no arrancó" if self.peak_mib is None else f"{self.peak_mib:.0f}")]

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus.key,
            "generator": self.generator,
            "questions": self.questions,
            "ready_s": self.ready_s,
            "peak_mib": self.peak_mib,
        }


Section = CorpusResult | PeerResult | LlmResult | ServeResult


@dataclass(frozen=True)
class BenchResult:
    """Every measurement of one run, in the order it was taken (the table's order)."""

    sections: tuple[Section, ...]

    def table(self) -> str:
        rows = [row for section in self.sections for row in section.rows()]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)

    def to_json(self) -> dict[str, Any]:
        """`{"corpora": {key: …}, "llm": {…}, "serve": […]}`: per corpus its indexing and query
        times, its peer's, and `serve_ready_s` where an extractive `serve` ran on it (else
        None); `llm` the language model on the last corpus it was measured on, {} when it was
        not measured."""
        corpora: dict[str, dict[str, Any]] = {}
        for section in self.sections:
            if isinstance(section, CorpusResult):
                corpora[section.corpus.key] = {**section.to_json(), "serve_ready_s": None}
        for section in self.sections:
            if isinstance(section, PeerResult) and section.corpus.key in corpora:
                corpora[section.corpus.key]["peer"] = section.to_json()
            elif (
                isinstance(section, ServeResult)
                and section.generator == "extractive"
                and section.corpus.key in corpora
            ):
                corpora[section.corpus.key]["serve_ready_s"] = section.ready_s
        llms = [s for s in self.sections if isinstance(s, LlmResult)]
        loaded = [s for s in llms if s.load_s is not None]
        llm = (loaded or llms)[-1].to_json() if llms else {}
        serve = [s.to_json() for s in self.sections if isinstance(s, ServeResult)]
        return {"corpora": corpora, "llm": llm, "serve": serve}
