"""Helpers shared by the real-server fixtures: free ports, waiting for a port, skip-or-fail policy."""
from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest


def under_ci() -> bool:
    """CI must prove the real servers work: there a missing server is a failure, never a skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip locally (a developer without apt may still run the rest), fail under CI."""
    if under_ci():
        pytest.fail(f"real server unavailable under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) for 127.0.0.1, made with the openssl command line."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not shutil.which("openssl"):
        unavailable("openssl is needed to make a test certificate")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    os.chmod(key, 0o644)  # read by Dovecot's unprivileged processes in the test's own directory
    return cert, key


def client_context(cert: Path) -> ssl.SSLContext:
    """A client context that trusts exactly the test certificate."""
    return ssl.create_default_context(cafile=str(cert))


def free_port() -> int:
    # The port is released before the server binds it; a race with another process is possible but
    # rare on a test machine, and the server start fails loudly if it happens.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_port(port: int, is_open: bool, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port) == is_open:
            return True
        time.sleep(0.05)
    return False
