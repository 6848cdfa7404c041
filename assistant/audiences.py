"""The audiences an answer can be written for: the one list the settings, the generators, the
command line, the window and the exports read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Audience = Literal["ciudadania", "personal", "capacitacion"]


@dataclass(frozen=True)
class AudienceInfo:
    """An audience as people see it: its `label` and what its answers are like."""

    key: Audience
    label: str
    style: str


AUDIENCES: tuple[AudienceInfo, ...] = (
    AudienceInfo("ciudadania", "Ciudadanía", "lenguaje sencillo"),
    AudienceInfo("personal", "Personal", "cifras, nombres y fechas precisos"),
    AudienceInfo("capacitacion", "Capacitación", "resumen ordenado para talleres"),
)
AUDIENCE_KEYS: tuple[Audience, ...] = get_args(Audience)
assert tuple(a.key for a in AUDIENCES) == AUDIENCE_KEYS


def audience_label(key: str) -> str:
    """The label of the audience `key` (the key itself when it names none)."""
    return next((a.label for a in AUDIENCES if a.key == key), key)


def audience_from_label(label: str, default: Audience = "ciudadania") -> Audience:
    """The audience a label (or a key) names, or `default`."""
    return next((a.key for a in AUDIENCES if label in (a.label, a.key)), default)
