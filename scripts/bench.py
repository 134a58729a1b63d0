"""Benchmark the running system in one go, on this machine.

Starts Rasa and the gateway (which runs the custom actions) from the trained model, then measures:
cold start of Rasa to its first ``/model/parse``; p50/p95 of bare Rasa ``/model/parse``,
of our ``/api/nlu/parse`` (interleaved) and of ``/api/chat`` (after them); the HTTP requests one
turn costs, counted from the gateway's ``/metrics`` (visitor → gateway and Rasa → action endpoint
as the gateway received them, gateway → Rasa as it sent them); throughput and p95 with 10
concurrent clients, ``/api/chat`` against the same turns sent straight to Rasa's REST channel;
RSS; and, unless ``--skip-train``, a full ``rasa train``.

Usage: python scripts/bench.py [--requests 300] [--skip-train] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import yaml
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.system import System  # noqa: E402

CONCURRENCY = 10


def test_sentences() -> list[str]:
    data = yaml.safe_load((ROOT / "tests/data/nlu_test.yml").read_text("utf-8"))
    return [line[2:].strip() for block in data["nlu"] for line in block["examples"].splitlines() if line]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def summary(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1)}


def timed(client: httpx.Client, url: str, body: dict, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = client.post(url, json=body, params=params)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def latencies(system: System, sentences: list[str], count: int) -> dict[str, dict[str, float]]:
    """Sequential calls. Bare and gateway parse are interleaved, so both see the same machine
    state; ``/api/chat`` runs on its own afterwards, its turns' actions and records being work of
    the gateway that would land in the next parse call."""
    results: dict[str, list[float]] = {"rasa_model_parse": [], "api_nlu_parse": [], "api_chat": []}
    with httpx.Client(timeout=30) as client:
        for i in range(count):
            body = {"text": sentences[i % len(sentences)]}
            results["rasa_model_parse"].append(
                timed(client, f"{system.rasa_url}/model/parse", body, system.rasa_auth)
            )
            results["api_nlu_parse"].append(timed(client, f"{system.gateway_url}/api/nlu/parse", body))
        for i in range(count):
            body = {"sender_id": f"web-bench-{i % 50}", "text": sentences[i % len(sentences)]}
            results["api_chat"].append(timed(client, f"{system.gateway_url}/api/chat", body))
    return {name: summary(values) for name, values in results.items()}


async def throughput(url: str, make_body, total: int) -> dict[str, float]:
    """Requests per second, p95 and errors with CONCURRENCY clients sharing ``total`` requests."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    errors = 0
    took: list[float] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            sent = time.perf_counter()
            response = await client.post(url, json=make_body(i))
            took.append(time.perf_counter() - sent)
            errors += response.status_code != 200

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {"requests": total, "per_second": round(total / elapsed, 1), "errors": errors, **summary(took)}


# The turns whose cost is counted: an FAQ answer (one custom action), and a booking-form answer
# typed when the place is asked (the form's validation, then the dynamic date question).
FAQ_TURN = ["特許の存続期間は何年ですか"]
BOOKING_TURN = ["相談を予約したい", '/inform{"ip_type":"patent"}', '/inform{"consultation_kind":"general"}', "秋葉原でお願いします"]  # fmt: skip


def request_counts(client: httpx.Client, system: System) -> dict[str, float]:
    """The gateway's request counters: received per route, sent to Rasa per path."""
    counts: dict[str, float] = {}
    for family in text_string_to_metric_families(client.get(f"{system.gateway_url}/metrics").text):
        for sample in family.samples:
            if sample.name == "chizai_requests_total" and sample.labels["route"] in (
                "/api/chat",
                "/engine/actions",
            ):
                key = f"gateway {sample.labels['route']}"
            elif sample.name == "chizai_engine_requests_total" and sample.labels["path"] != "/status":
                key = f"rasa {sample.labels['path']}"
            else:
                continue
            counts[key] = counts.get(key, 0) + sample.value
    return counts


def requests_per_turn(system: System) -> dict[str, dict[str, float]]:
    """HTTP requests of the last turn of each scripted conversation, by server and route."""
    costs = {}
    with httpx.Client(timeout=30) as client:
        for name, turns in (("faq_turn", FAQ_TURN), ("booking_form_turn", BOOKING_TURN)):
            sender = f"web-count-{uuid.uuid4().hex[:8]}"
            for text in turns[:-1]:
                client.post(f"{system.gateway_url}/api/chat", json={"sender_id": sender, "text": text})
            before = request_counts(client, system)
            client.post(f"{system.gateway_url}/api/chat", json={"sender_id": sender, "text": turns[-1]})
            after = request_counts(client, system)
            cost = {key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)}
            costs[name] = {**cost, "total": sum(cost.values())}
    return costs


def train_seconds() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv-rasa/bin/rasa"), "train", "--data", "data", "build/nlu", "--out", out,
             "--force", "--quiet"],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    sentences = test_sentences()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as workdir:
        # Many turns a minute from one machine: the public limits would answer most of them.
        system = System(Path(workdir), rest_channel=True, extra_env={"CHIZAI_RELAXED_LIMITS": "true"})
        try:
            system.start_rasa()
            figures["rasa_cold_start_s"] = round(system.wait_until_rasa_parses(), 1)
            system.start()
            latencies(system, sentences, 20)  # warm-up
            figures["latency"] = latencies(system, sentences, args.requests)
            figures["requests_per_turn"] = requests_per_turn(system)
            figures["throughput_10_clients"] = {
                "api_nlu_parse": asyncio.run(
                    throughput(
                        f"{system.gateway_url}/api/nlu/parse",
                        lambda i: {"text": sentences[i % len(sentences)]},
                        args.requests,
                    )
                ),
                "api_chat": asyncio.run(
                    throughput(
                        f"{system.gateway_url}/api/chat",
                        lambda i: {
                            "sender_id": f"web-load-{uuid.uuid4().hex[:8]}",
                            "text": sentences[i % len(sentences)],
                        },
                        args.requests,
                    )
                ),
                "rasa_rest_channel": asyncio.run(
                    throughput(
                        f"{system.rasa_url}/webhooks/rest/webhook",
                        lambda i: {
                            "sender": f"web-rest-{uuid.uuid4().hex[:8]}",
                            "message": sentences[i % len(sentences)],
                        },
                        args.requests,
                    )
                ),
            }
            figures["rss_mb"] = {name: round(system.rss_mb(name)) for name in ("rasa", "gateway")}
        finally:
            system.stop_all()
    if not args.skip_train:
        figures["rasa_train_s"] = train_seconds()

    lat, load = figures["latency"], figures["throughput_10_clients"]
    figures["gateway_overhead_ratio_p95"] = round(
        lat["api_nlu_parse"]["p95_ms"] / lat["rasa_model_parse"]["p95_ms"], 2
    )
    figures["chat_vs_rest_channel"] = {
        "throughput_ratio": round(
            load["api_chat"]["per_second"] / load["rasa_rest_channel"]["per_second"], 2
        ),
        "p95_ratio": round(load["api_chat"]["p95_ms"] / load["rasa_rest_channel"]["p95_ms"], 2),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
