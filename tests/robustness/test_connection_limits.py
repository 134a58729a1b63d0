"""The gateway's HTTP server (``python -m bot serve``) refuses oversized headers and closes idle
keep-alive connections; slow clients are the reverse proxy's to hold (docs/deployment.md)."""

import socket
import time
from urllib.parse import urlsplit

from bot.core.config import get_settings


def connect(system) -> socket.socket:
    address = urlsplit(system.gateway_url)
    return socket.create_connection((address.hostname, address.port), timeout=10)


def test_an_unfinished_header_past_the_limit_is_refused(system):
    with connect(system) as connection:
        connection.sendall(
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * (get_settings().max_header_bytes + 1024)
        )
        answer = connection.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:80]


def test_an_idle_keep_alive_connection_is_closed(system):
    with connect(system) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        began = time.monotonic()
        while connection.recv(65536):
            pass
        assert time.monotonic() - began < get_settings().keep_alive_seconds + 3
