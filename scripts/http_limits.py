"""What the gateway's HTTP server does with slow, idle and oversized connections, and what its
parser costs: ``make bench-http`` (figures in docs/deployment.md).

Starts the gateway as ``python -m bot serve`` does (h11, the limits of bot/core/config.py) and,
for comparison, under uvicorn's default parser (httptools). No Rasa is needed: only the static
chat page is requested.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.system import free_port  # noqa: E402

SERVE = "from bot.__main__ import serve; serve('127.0.0.1', {port}, 1)"
HTTPTOOLS = (
    "import uvicorn; uvicorn.run('bot.api.app:create_app', factory=True, port={port}, "
    "http='httptools', log_config=None)"
)


def start(code: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CHIZAI_DATABASE_URL": f"sqlite:///{folder / 'limits.db'}",
        "CHIZAI_RASA_TRACKER_URL": f"sqlite:///{folder / 'tracker.db'}",
        "CHIZAI_PURGE_INTERVAL_HOURS": "0",
        "CHIZAI_LOG_DIR": str(folder),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", code.format(port=port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1).raise_for_status()
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the gateway did not start")


def throughput(port: int, rounds: int = 60, at_once: int = 10) -> tuple[float, float]:
    """Requests per second and the median latency in ms, ten requests at a time."""

    async def measure() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            latencies: list[float] = []

            async def one() -> None:
                started = time.perf_counter()
                (await client.get("/")).raise_for_status()
                latencies.append(time.perf_counter() - started)

            for _ in range(50):
                await one()
            latencies.clear()
            began = time.perf_counter()
            for _ in range(rounds):
                await asyncio.gather(*(one() for _ in range(at_once)))
            return len(latencies) / (time.perf_counter() - began), statistics.median(latencies) * 1000

    return asyncio.run(measure())


def open_seconds(port: int, send: bytes, wait: float) -> float:
    """How long a connection stays open after sending ``send`` (``wait`` if still open then)."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(send)
        connection.settimeout(wait)
        began = time.perf_counter()
        try:
            while connection.recv(65536):
                pass
        except TimeoutError:
            return wait
        return time.perf_counter() - began


def header_bytes_taken(port: int, limit: int = 50 * 1024 * 1024) -> int:
    """How many bytes of one unfinished header can be sent before the server refuses it (``limit`` if all)."""
    sent = 0
    chunk = b"a" * 65536
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: ")
        connection.settimeout(5)
        try:
            while sent < limit:
                connection.sendall(chunk)
                sent += len(chunk)
        except OSError:
            return sent
    return sent


def report(name: str, code: str, folder: Path, wait: float) -> None:
    port = free_port()
    process = start(code, port, folder)
    try:
        rate, median = throughput(port)
        request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        idle_after = open_seconds(port, request, wait)
        silent = open_seconds(port, b"", wait)
        slow_header = open_seconds(port, b"GET / HTTP/1.1\r\nHost: x\r\n", wait)
        taken = header_bytes_taken(port)
        print(
            f"{name:28} {rate:6.0f} req/s  median {median:4.1f} ms | keep-alive closed after "
            f"{idle_after:4.1f} s | silent {fmt(silent, wait)} | slow header {fmt(slow_header, wait)} | "
            f"header sent before refused {taken / 1024:,.0f} KiB"
        )
    finally:
        process.terminate()
        process.wait()


def fmt(seconds: float, wait: float) -> str:
    return f"open past {wait:.0f} s" if seconds >= wait else f"closed after {seconds:.1f} s"


def main() -> None:
    wait = float(os.environ.get("HTTP_LIMITS_WAIT", "20"))
    with tempfile.TemporaryDirectory() as folder:
        report("python -m bot serve (h11)", SERVE, Path(folder), wait)
        report("uvicorn default (httptools)", HTTPTOOLS, Path(folder), wait)


if __name__ == "__main__":
    main()
