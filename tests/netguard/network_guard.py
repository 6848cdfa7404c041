"""The tests' network guard: sockets may reach this computer and nothing else.

`install()` patches the socket module so that a connection, a datagram or a name lookup aimed
anywhere but loopback (127.0.0.0/8, ::1, `localhost`) or a local socket (unix, netlink) raises
`NetworkBlocked` naming the destination, and records the attempt: in `ATTEMPTS` for this process
and, when the environment variable `NETGUARD_LOG` names a file, as one JSON line there, so that
the test session also sees what its subprocesses tried (`sitecustomize.py` beside this file
installs the guard in every Python process started with this folder on PYTHONPATH).

It sees what goes through Python's socket module. uvloop connects in C, so the guard hides it
(uvicorn then runs on asyncio's loop); code outside Python (Chroma's Rust server, Chromium) is
not covered."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LOG_VARIABLE = "NETGUARD_LOG"
LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
ALLOWED = "127.0.0.0/8, ::1, localhost y sockets locales"
NETWORK_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class NetworkBlocked(OSError):
    """A socket tried to leave this computer during the tests."""


@dataclass(frozen=True)
class Attempt:
    destination: str
    call: str
    pid: int
    command: str
    origin: str  # the innermost calling frames, to tell which library tried
    expected: bool  # made on purpose by a test of the guard itself

    def describe(self) -> str:
        return f"{self.destination} ({self.call}) en pid {self.pid} `{self.command}`: {self.origin}"


ATTEMPTS: list[Attempt] = []
_state = threading.local()
_originals: dict[str, Callable[..., Any]] = {}


def is_local_host(host: object) -> bool:
    """Whether `host` (a name or an address, as sockets and getaddrinfo take it) stays on this
    computer. The unspecified address (0.0.0.0, ::) is where servers bind, and a connection to
    it reaches this computer too."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])  # drop an IPv6 zone ("%eth0")
    except ValueError:
        return False  # any other name needs the network to be resolved
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _where(host: object, port: object) -> str:
    shown = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    return f"[{shown}]:{port}" if ":" in shown else f"{shown}:{port}"


def _origin() -> str:
    here = str(Path(__file__).resolve())
    frames = [f for f in traceback.extract_stack() if str(Path(f.filename).resolve()) != here]
    return " < ".join(f"{f.filename}:{f.lineno} {f.name}" for f in reversed(frames[-4:]))


def _refuse(destination: str, call: str) -> None:
    attempt = Attempt(
        destination,
        call,
        os.getpid(),
        " ".join(sys.argv)[:200],
        _origin(),
        bool(getattr(_state, "expected", False)),
    )
    ATTEMPTS.append(attempt)
    log = os.environ.get(LOG_VARIABLE)
    if log:
        with Path(log).open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(asdict(attempt), ensure_ascii=False) + "\n")
    raise NetworkBlocked(
        f"conexión bloqueada por la guardia de red de las pruebas: {destination} ({call}); "
        f"solo se permite {ALLOWED}"
    )


def _check_address(sock: socket.socket, address: Any, call: str) -> None:
    if sock.family in NETWORK_FAMILIES and not is_local_host(address[0]):
        _refuse(_where(address[0], address[1]), call)


def _connect(self: socket.socket, address: Any) -> None:
    _check_address(self, address, "socket.connect")
    _originals["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(self, address, "socket.connect_ex")
    return int(_originals["connect_ex"](self, address))


def _sendto(self: socket.socket, data: Any, *rest: Any) -> int:
    _check_address(self, rest[-1], "socket.sendto")  # sendto(data, [flags,] address)
    return int(_originals["sendto"](self, data, *rest))


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not is_local_host(address[0]):
        _refuse(_where(address[0], address[1]), "socket.create_connection")
    connection: socket.socket = _originals["create_connection"](address, *args, **kwargs)
    return connection


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_local_host(host):
        _refuse(_where(host, port), "socket.getaddrinfo")
    return _originals["getaddrinfo"](host, port, *args, **kwargs)


def install() -> None:
    """Patch the socket module of this process (once; later calls do nothing)."""
    if _originals:
        return
    _originals.update(
        connect=socket.socket.connect,
        connect_ex=socket.socket.connect_ex,
        sendto=socket.socket.sendto,
        create_connection=socket.create_connection,
        getaddrinfo=socket.getaddrinfo,
    )
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _sendto  # type: ignore[method-assign]
    socket.create_connection = _create_connection
    socket.getaddrinfo = _getaddrinfo
    # uvloop opens its sockets in C, out of the guard's sight; without it uvicorn (and anything
    # else that prefers it) falls back to asyncio, whose sockets are Python's.
    sys.modules.setdefault("uvloop", None)  # type: ignore[arg-type]


@contextmanager
def expected_attempts() -> Iterator[None]:
    """Attempts made by this thread meanwhile are on purpose (the guard's own tests): they are
    still refused and recorded, but marked expected."""
    _state.expected = True
    try:
        yield
    finally:
        _state.expected = False


def logged_attempts(log: Path) -> list[Attempt]:
    """Every attempt written to the log file `log` (by any process)."""
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [Attempt(**json.loads(line)) for line in lines if line.strip()]
