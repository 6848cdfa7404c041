"""Evaluation reports: report.json, report.md, a comparison table and a PNG chart."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

METRICS = (
    ("recall@{k}", "recall@{k}"),
    ("cited_gold", "cited-gold"),
    ("fact_accuracy", "fact acc."),
    ("fact_groups", "fact groups"),
    ("false_refusals", "false refusals"),
    ("refusal_accuracy", "refusal acc."),
    ("quote_fidelity", "quote fidelity"),
    ("latency_p50_s", "p50 s"),
    ("latency_p95_s", "p95 s"),
    ("first_token_p50_s", "1st token p50 s"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def metrics_table(rows: Sequence[tuple[str, dict[str, Any]]], k: int) -> str:
    """A markdown table, one row per (label, metrics)."""
    names = [(key.format(k=k), title.format(k=k)) for key, title in METRICS]
    lines = [
        "| | " + " | ".join(title for _, title in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for label, metrics in rows:
        lines.append(
            f"| {label} | " + " | ".join(_cell(metrics.get(key)) for key, _ in names) + " |"
        )
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    k = report["k"]
    parts = [
        f"# Evaluación: {report['label']}",
        "",
        f"- Preguntas: `{report['questions_file']}` ({report['overall']['questions']})",
        f"- Corpus: {', '.join(f'`{c}`' for c in report['corpus'])}",
        f"- Huella de configuración: `{report['settings_fingerprint']}`",
        "",
        "## Global",
        "",
        metrics_table([("todas", report["overall"])], k),
        "",
        "## Por tipo de pregunta",
        "",
        metrics_table(list(report["by_kind"].items()), k),
        "",
        "## Por mitad del corpus (ajuste / reservada)",
        "",
        metrics_table(list(report.get("by_half", {}).items()), k),
        "",
        f"## Preguntas con problemas ({len(report['failures'])})",
        "",
    ]
    parts += [
        f"- `{f['id']}` ({f['kind']}): {'; '.join(f['problems'])}" for f in report["failures"]
    ]
    return "\n".join(parts) + "\n"


def write_report(report: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    (out / "report.md").write_text(render_markdown(report), "utf-8")


def write_chart(reports: Sequence[dict[str, Any]], path: Path) -> None:
    """Recall@k for k = 1..10 per configuration, and per-kind bars of the main metrics for the
    first configuration (ours)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (curve, bars) = plt.subplots(1, 2, figsize=(13, 4.8))
    for report in reports:
        points = report["overall"]["recall_curve"]
        ks = [int(k) for k in points]
        curve.plot(ks, [points[str(k)] for k in ks], marker="o", label=report["label"])
    curve.set(xlabel="k", ylabel="recall@k", ylim=(0, 1.02), title="Recall@k")
    curve.grid(alpha=0.3)
    curve.legend()
    ours = reports[0]
    k = ours["k"]
    kinds = list(ours["by_kind"])
    keys = [f"recall@{k}", "cited_gold", "fact_accuracy", "refusal_accuracy"]
    width = 0.8 / len(keys)
    for i, key in enumerate(keys):
        values = [ours["by_kind"][kind].get(key) or 0.0 for kind in kinds]
        bars.bar([x + i * width for x in range(len(kinds))], values, width, label=key)
    bars.set_xticks([x + 0.4 - width / 2 for x in range(len(kinds))], kinds, rotation=20)
    bars.set(ylim=(0, 1.05), title=f"Por tipo ({ours['label']})")
    bars.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
