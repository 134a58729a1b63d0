"""Load test: many visitor conversations at once through ``/api/chat``, on loopback only.

Starts the whole system (Rasa, action server, gateway on the SQLite default) from the trained
model in a scratch folder, then runs ``--conversations`` conversations of ``--turns`` turns each,
``--concurrency`` at a time, bounded by ``--max-seconds`` (no new conversation starts after it).
Each turn is a question from the held-out test sentences. Then it reads the gateway's database.

Prints throughput, p50/p95/p99 latency, errors (non-200, broken answers, no answer), degraded
answers (the polite "try again" messages a healthy system should not need) and visitor messages
sent vs. recorded (lost must be 0). Exit status 1 when anything was an error or lost.

Usage: python scripts/load.py [--conversations 1000] [--turns 5] [--concurrency 16]
                              [--max-seconds 1800] [--json out.json] [--scaled]
(--scaled: the scaled system of scripts/scaled.py instead, on PostgreSQL and Redis)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation import replies  # noqa: E402
from scripts.scaled import scratch_scaled_system  # noqa: E402
from scripts.system import System  # noqa: E402

# Polite failure messages: fine when something is down, a sign of trouble under plain load.
DEGRADED = (replies.ENGINE_UNAVAILABLE, replies.STORE_UNAVAILABLE, "ただいま情報を取り出せませんでした")
REQUEST_TIMEOUT_SECONDS = 60
OPENING, CLOSING = "こんにちは", "ありがとうございました"


def test_sentences() -> list[str]:
    data = yaml.safe_load((ROOT / "tests/data/nlu_test.yml").read_text("utf-8"))
    return [line[2:].strip() for block in data["nlu"] for line in block["examples"].splitlines() if line]


def conversation_script(rng: random.Random, sentences: list[str], turns: int) -> list[str]:
    """A visitor's turns: a greeting, questions, thanks (as many as ``turns``)."""
    middle = [rng.choice(sentences) for _ in range(max(turns - 2, 0))]
    return [OPENING, *middle, CLOSING][:turns] if turns >= 2 else [rng.choice(sentences)][:turns]


@dataclass
class LoadFigures:
    conversations: int = 0
    turns_sent: int = 0
    latencies: list[float] = field(default_factory=list)
    http_errors: int = 0  # non-200 or no answer at all
    broken_answers: int = 0  # 200 without the contract's messages
    degraded_answers: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    recorded: int = 0
    left_received: int = 0  # visitor messages whose outcome was never written
    stopped_by_time: bool = False

    @property
    def errors(self) -> int:
        return self.http_errors + self.broken_answers

    @property
    def lost(self) -> int:
        return self.turns_sent - self.recorded

    def percentile(self, q: int) -> float:
        if not self.latencies:
            return 0.0
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000

    def as_dict(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "turns_sent": self.turns_sent,
            "seconds": round(self.seconds, 1),
            "turns_per_second": round(self.turns_sent / self.seconds, 1) if self.seconds else 0,
            "latency_ms": {f"p{q}": round(self.percentile(q), 1) for q in (50, 95, 99)}
            | {"max": round(max(self.latencies, default=0) * 1000, 1)},
            "errors": self.errors,
            "http_errors": self.http_errors,
            "broken_answers": self.broken_answers,
            "degraded_answers": self.degraded_answers,
            "error_samples": self.error_samples,
            "recorded": self.recorded,
            "lost": self.lost,
            "left_received": self.left_received,
            "stopped_by_time": self.stopped_by_time,
        }

    def report(self) -> str:
        figures = self.as_dict()
        latency = figures["latency_ms"]
        return "\n".join(
            [
                f"conversations: {self.conversations}, turns sent: {self.turns_sent}"
                + (" (stopped by --max-seconds)" if self.stopped_by_time else ""),
                f"time: {figures['seconds']} s, throughput: {figures['turns_per_second']} turns/s",
                f"latency: p50 {latency['p50']} ms, p95 {latency['p95']} ms, p99 {latency['p99']} ms,"
                f" max {latency['max']} ms",
                f"errors: {self.errors} (HTTP {self.http_errors}, broken answers {self.broken_answers}),"
                f" degraded answers: {self.degraded_answers}",
                *(f"  - {sample}" for sample in self.error_samples),
                f"visitor messages sent: {self.turns_sent}, recorded: {self.recorded}, lost: {self.lost},"
                f" without an outcome: {self.left_received}",
                "result: OK" if self.ok else "result: FAILED",
            ]
        )

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.lost == 0 and self.left_received == 0 and self.turns_sent > 0


async def _conversation(
    client: httpx.AsyncClient, sender_id: str, script: list[str], figures: LoadFigures
) -> None:
    for text in script:
        started = time.perf_counter()
        figures.turns_sent += 1
        try:
            response = await client.post("/api/chat", json={"sender_id": sender_id, "text": text})
        except httpx.HTTPError as error:
            figures.http_errors += 1
            _sample(figures, f"{sender_id}: {error!r}")
            continue
        figures.latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            figures.http_errors += 1
            _sample(figures, f"{sender_id}: HTTP {response.status_code} {response.text[:120]}")
            continue
        try:
            messages = response.json()["messages"]
            texts = [m["text"] for m in messages]
        except (ValueError, KeyError, TypeError):
            messages, texts = [], []
        if not messages or not all(isinstance(t, str) and t.strip() for t in texts):
            figures.broken_answers += 1
            _sample(figures, f"{sender_id}: answer without messages: {response.text[:120]}")
        elif any(mark in t for t in texts for mark in DEGRADED):
            figures.degraded_answers += 1
            _sample(figures, f"{sender_id}: degraded answer to {text!r}: {texts[0][:60]}")


def _sample(figures: LoadFigures, line: str) -> None:
    if len(figures.error_samples) < 10:
        figures.error_samples.append(line)


async def _run(
    gateway_url: str, run_id: str, conversations: int, turns: int, concurrency: int, max_seconds: float
) -> LoadFigures:
    rng = random.Random(8)
    sentences = test_sentences()
    figures = LoadFigures()
    deadline = time.monotonic() + max_seconds
    next_conversation = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(
        base_url=gateway_url, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits
    ) as client:

        async def worker() -> None:
            nonlocal next_conversation
            while next_conversation < conversations:
                if time.monotonic() > deadline:
                    figures.stopped_by_time = True
                    return
                number = next_conversation
                next_conversation += 1
                figures.conversations += 1
                script = conversation_script(rng, sentences, turns)
                await _conversation(client, f"web-load-{run_id}-{number}", script, figures)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        figures.seconds = time.monotonic() - started
    return figures


def run_load(
    gateway_url: str,
    database_url: str,
    conversations: int = 1000,
    turns: int = 5,
    concurrency: int = 16,
    max_seconds: float = 1800,
) -> LoadFigures:
    """Run the load against a running gateway and count what its database recorded."""
    run_id = uuid.uuid4().hex[:8]
    figures = asyncio.run(_run(gateway_url, run_id, conversations, turns, concurrency, max_seconds))
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text(
                    "SELECT m.status, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                    " WHERE m.direction = 'visitor' AND c.sender_id LIKE :senders GROUP BY m.status"
                ),
                {"senders": f"web-load-{run_id}-%"},
            ).all()
    finally:
        engine.dispose()
    by_status: dict[str, int] = dict(rows)
    figures.recorded = sum(by_status.values())
    figures.left_received = by_status.get("received", 0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=1800, help="no new conversation after this")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--scaled", action="store_true", help="PostgreSQL, Redis, two Rasa replicas, two gateway workers"
    )
    args = parser.parse_args()
    if not (0 < args.conversations <= 10_000 and 0 < args.turns <= 50 and 0 < args.concurrency <= 200):
        parser.error("keep it bounded: conversations 1-10000, turns 1-50, concurrency 1-200")

    with tempfile.TemporaryDirectory() as workdir:
        # Many turns a minute from one machine: the public limits would answer most of them.
        relaxed = {"CHIZAI_RELAXED_LIMITS": "true"}
        system = (
            scratch_scaled_system(Path(workdir), relaxed)
            if args.scaled
            else System(Path(workdir), extra_env=relaxed)
        )
        with system:
            kind = "scaled system" if args.scaled else "system (SQLite)"
            print(
                f"load: {args.conversations} conversations x {args.turns} turns, concurrency {args.concurrency},"
                f" against the {kind} at {system.gateway_url}",
                flush=True,
            )
            figures = run_load(
                system.gateway_url,
                system.database_url,
                args.conversations,
                args.turns,
                args.concurrency,
                args.max_seconds,
            )
    print(figures.report())
    if args.json:
        args.json.write_text(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2), "utf-8")
    sys.exit(0 if figures.ok else 1)


if __name__ == "__main__":
    main()
