"""Run at start-up by every Python process the tests launch (the session puts this folder first
on PYTHONPATH): install the network guard before anything else, then the `sitecustomize` this
module shadows, if there is one. `python -I` and `python -S` skip it."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

from network_guard import install

install()


def _run_shadowed() -> None:
    here = Path(__file__).resolve().parent
    rest = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


_run_shadowed()
