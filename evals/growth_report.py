"""The growth measurements (evals/growth.py) as data, and what is made from them: a table, the
JSON report and the plot. No measuring here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.bench_report import p50_p95_ms


@dataclass(frozen=True)
class GrowthPoint:
    """One store size: `copies` of the corpus, and what opening and querying it took."""

    copies: int
    passages: int
    windows: int
    exact: bool  # dense search was the exact product in memory (else Chroma's HNSW)
    build_s: float  # writing the store up to this size, from empty
    open_s: float  # opening it as the assistant does: passages, keyword index, vectors
    retrieval_s: tuple[float, ...]
    answer_s: tuple[float, ...]
    peak_mib: float  # the measuring process's VmHWM
    load: float = 0.0  # the machine's 1-minute load average after measuring (other work)

    @property
    def path(self) -> str:
        return "exact" if self.exact else "approximate"

    def latencies_ms(self) -> dict[str, float]:
        return {**p50_p95_ms("retrieval", self.retrieval_s), **p50_p95_ms("answer", self.answer_s)}

    def to_json(self) -> dict[str, Any]:
        return {
            "copies": self.copies,
            "passages": self.passages,
            "windows": self.windows,
            "path": self.path,
            **self.latencies_ms(),
            "peak_rss_mib": self.peak_mib,
            "open_s": self.open_s,
            "build_s": self.build_s,
            "load_avg_1m": self.load,
        }

    def describe(self) -> str:
        ms = self.latencies_ms()
        return (
            f"×{self.copies}: {self.passages} pasajes, {self.windows} ventanas, búsqueda densa "
            f"{'exacta' if self.exact else 'aproximada (HNSW)'}; recuperación "
            f"{ms['retrieval_p50_ms']:.1f} / {ms['retrieval_p95_ms']:.1f} ms, respuesta "
            f"{ms['answer_p50_ms']:.1f} / {ms['answer_p95_ms']:.1f} ms, memoria pico "
            f"{self.peak_mib:.0f} MiB, apertura {self.open_s:.1f} s, construcción "
            f"{self.build_s:.0f} s, carga {self.load:.1f}"
        )


@dataclass(frozen=True)
class GrowthReport:
    corpus: str
    base_passages: int
    base_windows: int
    dimensions: int
    exact_limit: int
    questions: int
    points: tuple[GrowthPoint, ...]

    def handover(self) -> dict[str, Any]:
        """Where the exact path gave way to the approximate one, and whether that is where
        the Retriever documents it: exact up to `exact_limit` passages, approximate above."""
        exact = [p.passages for p in self.points if p.exact]
        approximate = [p.passages for p in self.points if not p.exact]
        return {
            "documented_limit": self.exact_limit,
            "last_exact": max(exact, default=None),
            "first_approximate": min(approximate, default=None),
            "as_documented": all(p.exact == (p.passages <= self.exact_limit) for p in self.points),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "base_passages": self.base_passages,
            "base_windows": self.base_windows,
            "dimensions": self.dimensions,
            "embedder": f"hashing-{self.dimensions}",
            "questions": self.questions,
            "handover": self.handover(),
            "points": [p.to_json() for p in self.points],
        }

    def table(self) -> str:
        lines = [p.describe() for p in self.points]
        h = self.handover()
        verdict = "como está documentado" if h["as_documented"] else "NO como está documentado"
        lines.append(
            f"cambio a HNSW: último exacto {h['last_exact']}, primer aproximado "
            f"{h['first_approximate']}, límite {self.exact_limit}: {verdict}"
        )
        return "\n".join(lines)


def write_report(report: GrowthReport, out: Path) -> tuple[Path, Path]:
    """growth.json and growth.png in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    data = out / "growth.json"
    data.write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    plot = out / "growth.png"
    plot_growth(report, plot)
    return data, plot


def plot_growth(report: GrowthReport, path: Path) -> None:
    """Latencies (top) and peak memory (bottom) against passages on a log scale; filled marks
    for exact dense search, hollow for HNSW, and the documented handover as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    points = sorted(report.points, key=lambda p: p.passages)
    x = [p.passages for p in points]
    figure, (latency, memory) = plt.subplots(2, 1, sharex=True, figsize=(8, 7.5))
    series = [
        ("retrieval_p50_ms", "recuperación p50", "tab:blue", "-"),
        ("retrieval_p95_ms", "recuperación p95", "tab:blue", "--"),
        ("answer_p50_ms", "respuesta extractiva p50", "tab:orange", "-"),
        ("answer_p95_ms", "respuesta extractiva p95", "tab:orange", "--"),
    ]
    for key, label, color, style in series:
        y = [p.latencies_ms()[key] for p in points]
        latency.plot(x, y, style, color=color, label=label)
        _marks(latency, points, y, color)
    latency.set_ylabel("ms")
    latency.set_yscale("log")
    latency.set_title(
        f"Crecimiento del índice ({report.base_passages} pasajes por copia, "
        f"vectores de {report.dimensions} dim., {report.questions} preguntas)"
    )
    peaks = [p.peak_mib for p in points]
    memory.plot(x, peaks, "-", color="tab:green", label="memoria pico (VmHWM)")
    _marks(memory, points, peaks, "tab:green")
    memory.set_ylabel("MiB")
    memory.set_xlabel("pasajes (escala logarítmica)")
    memory.set_xscale("log")
    for axes in (latency, memory):
        axes.axvline(report.exact_limit, color="gray", linestyle=":", linewidth=1.5)
        axes.grid(True, which="both", alpha=0.3)
    latency.annotate(
        f"exacta → HNSW\n(> {report.exact_limit:,} pasajes)".replace(",", " "),
        xy=(report.exact_limit, 0.02),
        xycoords=("data", "axes fraction"),
        ha="right",
        va="bottom",
        fontsize=8,
        color="gray",
    )
    for point, peak in zip(points, peaks, strict=True):
        memory.annotate(
            f"×{point.copies}",
            (point.passages, peak),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    latency.legend(fontsize=8, loc="upper left")
    memory.legend(
        handles=[
            *memory.get_legend_handles_labels()[0],
            Line2D([], [], marker="o", color="black", linestyle="", label="búsqueda exacta"),
            Line2D(
                [],
                [],
                marker="o",
                color="black",
                markerfacecolor="white",
                linestyle="",
                label="búsqueda aproximada (HNSW)",
            ),
        ],
        fontsize=8,
        loc="upper left",
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _marks(axes: Any, points: list[GrowthPoint], y: list[float], color: str) -> None:
    for point, value in zip(points, y, strict=True):
        face = color if point.exact else "white"
        axes.plot([point.passages], [value], "o", color=color, markerfacecolor=face)
