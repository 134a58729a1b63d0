"""The example reverse proxy (deploy/Caddyfile, Debian's caddy) in front of the real gateway: it
passes the chat through and holds what the gateway's HTTP server cannot (slow headers, big bodies)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from bot.core.config import ROOT
from scripts.system import free_port


@pytest.fixture(scope="module")
def proxy(system, tmp_path_factory) -> Iterator[str]:
    caddy = shutil.which("caddy")
    assert caddy, "caddy is missing: apt-get install caddy (scripts/system_packages.sh installs it)"
    folder = tmp_path_factory.mktemp("caddy")
    port = free_port()
    env = {**os.environ, "CHIZAI_DOMAIN": f":{port}", "CHIZAI_UPSTREAM": urlsplit(system.gateway_url).netloc,
           "CADDY_ADMIN": "off", "CADDY_ACCESS_LOG": str(folder / "access.log"), "XDG_DATA_HOME": str(folder),
           "XDG_CONFIG_HOME": str(folder)}  # fmt: skip
    command = [caddy, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"]
    with open(folder / "caddy.log", "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_a_visitor_chats_through_the_proxy(proxy):
    answer = httpx.post(
        f"{proxy}/api/chat", json={"sender_id": "web-proxied", "text": "相談は無料ですか"}, timeout=60
    )
    assert answer.status_code == 200 and answer.json()["messages"]


def test_the_proxy_closes_a_connection_whose_headers_never_end(proxy):
    address = urlsplit(proxy)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        began = time.monotonic()
        while connection.recv(1024):
            pass
        assert 9 < time.monotonic() - began < 15  # read_header 10s


def test_the_proxy_refuses_a_body_past_its_limit(proxy):
    answer = httpx.post(f"{proxy}/api/chat", content=b"x" * (300 * 1024), timeout=30)
    # Caddy 2.6 (Debian 12's) answers a body cut at max_size with 502, Caddy 2.7 and later with 413.
    assert answer.status_code in (413, 502)
    assert httpx.get(f"{proxy}/healthz", timeout=10).status_code == 200
