"""Starting a server in a subprocess for a test, a benchmark or a load run: on a free port of
127.0.0.1, waited for until it answers, stopped afterwards. The one way every caller does it
(`asistente serve`, a Chroma server, llama.cpp's OpenAI-compatible server)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path


class ServerFailed(RuntimeError):
    """The server exited, or did not answer in time; the message ends with its output."""


def peak_memory_mib(pid: int | None = None) -> float:
    """The peak resident memory of process `pid` (default: this one) so far, in MiB: the
    kernel's high-water mark (VmHWM), which no sampling can miss."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    if found is None:
        raise RuntimeError(f"/proc/{pid or 'self'}/status no dice VmHWM")
    return int(found.group(1)) / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(200 <= response.status < 300)
    except OSError:
        return False


# What `asistente serve` prints once the library behind its window is prepared.
LIBRARY_READY = "Documentos:"


def wait_for_output(log: Path, text: str, timeout_s: float = 300.0) -> None:
    """Wait until a running server's `log` shows `text`; ServerFailed after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while text not in log.read_text(encoding="utf-8", errors="replace"):
        if time.monotonic() > deadline:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise ServerFailed(f"«{text}» no apareció a tiempo en {log}:\n{tail}")
        time.sleep(0.3)


@contextmanager
def running_server(
    command: Sequence[str],
    ready_url: str,
    *,
    log: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = 600.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` (with the environment plus `env`) until it answers `ready_url` with a
    2xx; yield its process; terminate it after (killed if it does not stop in 30 s). Its
    output goes to `log` (or nowhere). Raises ServerFailed if it exits or times out first."""
    with ExitStack() as stack:
        output = stack.enter_context(log.open("wb")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout_s
            while not _answers(ready_url):
                if process.poll() is not None or time.monotonic() > deadline:
                    what = "terminó" if process.poll() is not None else "no respondió a tiempo"
                    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
                    raise ServerFailed(f"`{' '.join(command[:4])}…` {what}:\n{tail}")
                time.sleep(0.3)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
