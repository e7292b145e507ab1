"""Finding free local ports: the engine's workers need consecutive ones (worker i on port + i)."""

from __future__ import annotations

import random
import socket

# below Linux's ephemeral range (32768–60999), so a port the kernel hands out for a client
# connection or a `bind(0)` never lands inside a block we picked
BLOCK_RANGE = (20000, 32000)


def free_port() -> int:
    """One free port, chosen by the kernel."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port_block(count: int, attempts: int = 200) -> int:
    """The first of `count` consecutive free ports (for the engine and its workers)."""
    low, high = BLOCK_RANGE
    for _ in range(attempts):
        start = random.randint(low, high - count)
        if all(port_free(start + i) for i in range(count)):
            return start
    raise RuntimeError(f"no {count} consecutive free ports between {low} and {high}")
