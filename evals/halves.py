"""The generalization check: the 25 documents of the default corpus split into two fixed halves,
laws, protocols, agreements, reports and notes on both sides. Tuning looks at questions about
the first half only; every evaluation reports the second apart, so that a change that helps the
questions it was tuned on and hurts the others shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Literal

from evals.matching import contains_quote
from evals.questions import Question

Half = Literal["ajuste", "reservada"]
HALVES: tuple[Half, ...] = ("ajuste", "reservada")

# The half tuned on ("ajuste"); every other document is held out ("reservada").
TUNED = frozenset(
    {
        "ley_general_acceso_mujeres_vida_libre_violencias_LGAMVLV.pdf",
        "ley_federal_prevenir_eliminar_discriminacion_LFPED.txt",
        "codigo_penal_federal_extracto_feminicidio_art325.pdf",
        "constitucion_CPEUM_extracto_articulos_1_y_4.md",
        "chihuahua_poder_judicial_protocolo_violencia_hostigamiento_acoso_2024.md",
        "coahuila_pj_acuerdo_C-311-2017_lineamientos_lenguaje_incluyente.md",
        "cladem_mexico_comite_cedaw_observaciones_finales.md",
        "cladem_mexico_sistematizacion_recomendaciones_comites_onu.md",
        "implan_torreon_mujeres_acceso_vida_sin_violencia.html",
        "implan_torreon_dia_internacional_eliminacion_violencia_mujer_2022.md",
        "inmujeres_informe_acciones_2023.md",
        "cdmx_semujeres_nota_informativa_encuentro_imef_2023.txt",
        "juarez_imm_iniciativa_spotlight_2022-12-07.txt",
    }
)


def half_of(sources: Iterable[str]) -> Half | None:
    """The half a question belongs to, from the documents it is about; None when it has
    none or documents of both halves."""
    names = {PurePosixPath(s).name for s in sources}
    if not names:
        return None
    tuned = names <= TUNED
    return "ajuste" if tuned else ("reservada" if not names & TUNED else None)


def question_sources(question: Question, passages: Mapping[str, str]) -> set[str]:
    """The documents `question` is about: its `docs`, or else those of the passages (source
    -> text, all of a document's passages joined) that hold one of its quotes."""
    if question.docs:
        return set(question.docs)
    return {
        source
        for source, text in passages.items()
        if any(contains_quote(text, quote) for quote in question.quotes)
    }
