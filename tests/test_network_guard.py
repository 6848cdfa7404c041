"""The network guard the whole session runs behind (tests/netguard/): a connection to anywhere
but loopback fails at once with an error naming the destination, in this process and in the
Python processes the tests start, and is recorded; loopback and unix sockets still work."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netguard.network_guard import (
    ATTEMPTS,
    LOG_VARIABLE,
    NetworkBlocked,
    expected_attempts,
    is_local_host,
    logged_attempts,
)

TEST_NET = "192.0.2.1"  # TEST-NET-1 (RFC 5737): never routed, a real connect would hang


@pytest.fixture
def echo_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that sends back what it receives, once per connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.sendall(connection.recv(64))

    threading.Thread(target=serve, daemon=True).start()
    yield int(listener.getsockname()[1])
    listener.close()


def test_local_hosts_are_told_apart_from_the_network() -> None:
    for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST.", None):
        assert is_local_host(host), host
    for host in ("0.0.0.0", "::", "::ffff:127.0.0.1", b"127.0.0.1", "app.localhost"):
        assert is_local_host(host), host
    for host in (TEST_NET, "10.0.0.1", "2001:db8::1", "example.org", "huggingface.co", "8.8.8.8"):
        assert not is_local_host(host), host


def test_leaving_the_computer_fails_at_once_naming_the_destination() -> None:
    calls = [
        lambda: socket.create_connection((TEST_NET, 80), timeout=10),
        lambda: socket.socket().connect((TEST_NET, 443)),
        lambda: socket.socket().connect_ex((TEST_NET, 8080)),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", (TEST_NET, 53)),
        lambda: socket.getaddrinfo("example.org", 443),
        lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 443, 0, 0)),
    ]
    expected = [
        f"{TEST_NET}:80",
        f"{TEST_NET}:443",
        f"{TEST_NET}:8080",
        f"{TEST_NET}:53",
        "example.org:443",
        "[2001:db8::1]:443",
    ]
    before = len(ATTEMPTS)
    with expected_attempts():
        for call, destination in zip(calls, expected, strict=True):
            started = time.monotonic()
            with pytest.raises(NetworkBlocked, match="guardia de red") as blocked:
                call()
            assert time.monotonic() - started < 1.0  # refused, not timed out
            assert destination in str(blocked.value)
    recorded = ATTEMPTS[before:]
    assert [a.destination for a in recorded] == expected
    assert all(a.expected and a.pid == os.getpid() for a in recorded)
    assert "test_network_guard.py" in recorded[0].origin


def test_loopback_and_unix_sockets_still_work(echo_server: int, tmp_path: Path) -> None:
    for host in ("127.0.0.1", "localhost"):
        with socket.create_connection((host, echo_server), timeout=10) as connection:
            connection.sendall(b"hola")
            assert connection.recv(64) == b"hola"
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"unix")
        assert right.recv(64) == b"unix"
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as listener, socket.socket(socket.AF_UNIX) as client:
        listener.bind(str(path))
        listener.listen()
        client.connect(str(path))


def test_python_subprocesses_are_guarded_too(echo_server: int, tmp_path: Path) -> None:
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0].endswith(str(Path("tests", "netguard")))
    log = tmp_path / "attempts.jsonl"  # not the session's log: these attempts are on purpose
    script = textwrap.dedent(
        f"""
        import socket, sys, time
        import sitecustomize
        print("guard:", sitecustomize.__file__)
        with socket.create_connection(("127.0.0.1", {echo_server}), timeout=10) as c:
            c.sendall(b"eco")
            print("loopback:", c.recv(64).decode())
        started = time.monotonic()
        try:
            socket.create_connection(("{TEST_NET}", 80), timeout=10)
        except OSError as error:
            print("blocked:", type(error).__name__, error, round(time.monotonic() - started, 2))
        try:
            import uvloop
        except ImportError:
            print("uvloop: hidden")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, LOG_VARIABLE: str(log)},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert lines["guard"].endswith(str(Path("tests", "netguard", "sitecustomize.py")))
    assert lines["loopback"] == "eco"
    kind, message = lines["blocked"].split(" ", 1)
    assert kind == "NetworkBlocked" and f"{TEST_NET}:80" in message
    assert float(message.rsplit(" ", 1)[1]) < 1.0
    assert lines["uvloop"] == "hidden"
    attempts = logged_attempts(log)
    assert [(a.destination, a.expected) for a in attempts] == [(f"{TEST_NET}:80", False)]
    assert attempts[0].pid != os.getpid()
    assert json.loads(log.read_text(encoding="utf-8"))["call"] == "socket.create_connection"
