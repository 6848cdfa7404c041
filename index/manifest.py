"""The corpus manifest: per-file title, institution, date, kind and url, written by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

MANIFEST_NAME = "manifest.toml"


@dataclass(frozen=True)
class ManifestEntry:
    """What a person says about one corpus file; it wins over anything guessed from the file."""

    title: str
    institution: str = ""
    date: str = ""
    kind: str = ""
    url: str = ""
    acronym: str = ""  # the short name lawyers cite it by: "LGAMVLV"
    origin: str = ""  # where the file was taken from
    licence: str = ""  # under which terms it is redistributed, or the attribution it asks for

    @property
    def fingerprint(self) -> str:
        """A short hash of the entry: a file whose entry changed is indexed again."""
        values = "\x1f".join(getattr(self, name) for name in _FIELDS)
        return hashlib.sha256(values.encode()).hexdigest()[:12]


_FIELDS = tuple(f.name for f in fields(ManifestEntry))
NO_ENTRY = "-"  # the fingerprint of a file the manifest does not name


def read_manifest(root: Path) -> dict[str, ManifestEntry]:
    """Read `root/manifest.toml`, whose tables are keyed by the file's path relative to `root`
    (e.g. `["leyes/lgamvlv.pdf"]`). A missing manifest is an empty one; a malformed one raises
    `ValueError` with a Spanish message naming the file, the line and the field at fault."""
    path = root / MANIFEST_NAME
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"`{path}`: no se pudo leer el manifiesto ({err})") from err
    return parse_manifest(raw, str(path))


def parse_manifest(raw: str, name: str = MANIFEST_NAME) -> dict[str, ManifestEntry]:
    """Parse manifest text; `name` is only used in error messages."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        position = re.search(r"line (\d+)", str(err))
        line = f", línea {position.group(1)}" if position else ""
        raise ValueError(f"`{name}`{line}: el manifiesto no es TOML válido ({err})") from err

    entries: dict[str, ManifestEntry] = {}
    for key, table in data.items():
        where = _where(raw, key, name)
        if not isinstance(table, dict):
            raise ValueError(
                f'{where}: `{key}` debe ser una tabla ["{key}"] con title, institution, date, kind '
                f"y url, no un valor suelto"
            )
        if "title" not in table and table and all(isinstance(v, dict) for v in table.values()):
            raise ValueError(
                f"{where}: la tabla `{key}` no tiene `title`; si la clave es un nombre de archivo "
                f'con puntos o barras, escríbela entre comillas: ["{key}.…"]'
            )
        unknown = sorted(set(table) - set(_FIELDS))
        if unknown:
            raise ValueError(
                f"{where}: campo desconocido `{unknown[0]}` en `{key}`; los campos válidos son "
                + ", ".join(_FIELDS)
            )
        values: dict[str, str] = {}
        for field_name, value in table.items():
            if isinstance(value, dt.date | dt.datetime):
                value = value.isoformat()
            if not isinstance(value, str):
                raise ValueError(
                    f"{where}: el campo `{field_name}` de `{key}` debe ser texto entre comillas"
                )
            values[field_name] = value.strip()
        if not values.get("title"):
            raise ValueError(f"{where}: falta el campo `title` (o está vacío) en `{key}`")
        entries[_normalize_key(key)] = ManifestEntry(**values)
    return entries


def _normalize_key(key: str) -> str:
    key = key.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def _where(raw: str, key: str, name: str) -> str:
    """`name, línea N` for the table header of `key`, found in the raw text (tomllib keeps no
    positions)."""
    candidates = (f'["{key}"]', f"['{key}']", f"[{key}]", f'"{key}"', key)
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        if any(stripped.startswith(c) for c in candidates):
            return f"`{name}`, línea {number}"
    return f"`{name}`"
