"""The indexer's lock: one indexing at a time per store, so two never interleave their writes.

An advisory `flock` on a lock file. The operating system drops it when the file is closed,
which includes the holder dying in any way (even SIGKILL), so a crash never leaves a stale
lock behind and nobody has to delete a file by hand. Only writers take it: answering
questions reads the store without it. Linux and macOS only (`fcntl`)."""

from __future__ import annotations

import fcntl
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = "indexing.lock"


class IndexingBusyError(Exception):
    """Another indexing of the same store is running; the message is Spanish and names it."""


@dataclass
class _Held:
    thread: int
    depth: int
    fd: int


# flock excludes open files, not processes: a second open() of the lock file in the process
# that holds it would be refused like a stranger. So the holders are remembered per process,
# letting the thread that holds a lock take it again (the CLI holds it across a rebuild and
# the indexing that follows; the chat window across saving an upload and indexing it), while
# every other thread is refused as another indexer would be.
_HELD: dict[str, _Held] = {}
_GUARD = threading.Lock()


@dataclass(frozen=True)
class IndexingLock:
    """The lock of one store: its file, and how to name the store to a person."""

    path: Path
    store: str

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the `with` block; raise IndexingBusyError at once (no waiting)
        when another process or thread holds it."""
        key = str(self.path.absolute())
        me = threading.get_ident()
        with _GUARD:
            held = _HELD.get(key)
            if held is not None and held.thread != me:
                raise self._busy()
            if held is None:
                held = _HELD[key] = _Held(me, 0, self._acquire())
            held.depth += 1
        try:
            yield
        finally:
            with _GUARD:
                held.depth -= 1
                if held.depth == 0:
                    del _HELD[key]
                    os.close(held.fd)  # releases the flock

    def _acquire(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The file is never deleted: unlinking it while someone waits to open it would let two
        # indexers lock two different files of the same name.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise self._busy() from None
        # Who holds it, for a person looking at the file (the lock is the flock, not this).
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return fd

    def _busy(self) -> IndexingBusyError:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        holder = f" (proceso {pid})" if pid.isdigit() else ""
        return IndexingBusyError(
            f"Otro proceso{holder} está indexando el almacén {self.store}; espere a que "
            "termine y vuelva a intentarlo."
        )


def store_lock(
    backend: str, path: Path, host: str, port: int, collection: str, cache_dir: Path
) -> IndexingLock:
    """The lock of a store: inside the folder of an embedded store (whatever its collections:
    they share one database); for a Chroma server, under `cache_dir`, one per server and
    collection. A server's lock lives on this machine only, so it keeps apart the indexers of
    this machine but not one started on another computer against the same server: Chroma has
    no lock of its own to take."""
    if backend == "http":
        name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{host}_{port}_{collection}")
        return IndexingLock(
            cache_dir / "locks" / f"{name}.lock",
            f"«{collection}» del servidor http://{host}:{port}",
        )
    return IndexingLock(path / LOCK_NAME, f"«{path}»")
