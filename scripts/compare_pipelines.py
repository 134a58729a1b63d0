"""Compare NLU pipelines and policies on accuracy, latency, memory, cold start and training time.

Each variant is config.yml with one change. For each: ``rasa train`` (timed), start a Rasa
server (cold start to first ``/model/parse``), score the held-out split through
``/model/parse``, time 200 more calls (p50/p95) and read the server's RSS.
Results go to stdout as a Markdown table (copied into docs/nlu.md).

Usage: python scripts/compare_pipelines.py [VARIANT ...]
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import percentile  # noqa: E402
from scripts.system import System  # noqa: E402

Config = dict
RASA = str(ROOT / ".venv-rasa/bin/rasa")


def _replace(config: Config, name: str, new: list[dict]) -> Config:
    config = copy.deepcopy(config)
    pipeline = []
    for step in config["pipeline"]:
        pipeline.extend(new if step["name"].endswith(name) else [step])
    config["pipeline"] = pipeline
    return config


def _stock_featurizers(config: Config) -> Config:
    """Rasa's own CountVectorsFeaturizer (with the per-token features DIET needs)."""
    config = copy.deepcopy(config)
    for step in config["pipeline"]:
        if step["name"].endswith("SentenceCountVectorsFeaturizer"):
            step["name"] = "CountVectorsFeaturizer"
    return config


def _with_policy(config: Config, policy: dict) -> Config:
    config = copy.deepcopy(config)
    config["policies"].append(policy)
    return config


ENTITIES = ["ip_type", "program"]
DIET = {"name": "DIETClassifier", "epochs": 100, "entity_recognition": False, "constrain_similarities": True}
VARIANTS: dict[str, Callable[[Config], Config]] = {
    "logreg (chosen)": lambda c: c,
    "logreg, Rasa's stock featurizers, classifier and extractor": lambda c: _replace(
        _replace(
            _stock_featurizers(c),
            "SpacyDocEntityExtractor",
            [{"name": "SpacyEntityExtractor", "dimensions": ENTITIES}],
        ),
        "SentenceLogisticRegressionClassifier",
        [{"name": "LogisticRegressionClassifier", "max_iter": 500}],
    ),
    "logreg, no reading features": lambda c: _replace(c, "SudachiReadingFeaturizer", []),
    "logreg, split mode C": lambda c: _replace(
        c, "SpacyNLP", [{"name": "SpacyNLP", "model": "build/split_C/spacy_ja", "case_sensitive": True}]
    ),
    "DIET": lambda c: _replace(_stock_featurizers(c), "LogisticRegressionClassifier", [DIET]),
    "DIET + TED policy": lambda c: _with_policy(
        _replace(_stock_featurizers(c), "LogisticRegressionClassifier", [DIET]),
        {"name": "TEDPolicy", "epochs": 50, "max_history": 5},
    ),
}


def accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in set(gold):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        precision = tp / max(1, predicted.count(label))
        recall = tp / gold.count(label)
        scores.append(2 * precision * recall / (precision + recall) if tp else 0.0)
    return sum(scores) / len(scores)


def held_out() -> tuple[list[str], list[str]]:
    data = yaml.safe_load((ROOT / "tests/data/nlu_test.yml").read_text("utf-8"))
    texts, gold = [], []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip():
                texts.append(line.strip()[2:])
                gold.append(block["intent"])
    return texts, gold


def measure(name: str, config: Config, workdir: Path) -> dict[str, str]:
    config_path = workdir / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    started = time.monotonic()
    subprocess.run(
        [RASA, "train", "--config", str(config_path), "--data", "data", "build/nlu",
         "--out", str(workdir), "--fixed-model-name", "variant", "--quiet"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    train_s = time.monotonic() - started
    system = System(workdir)
    try:
        system.start_rasa(workdir / "variant.tar.gz")
        cold_start = system.wait_until_rasa_parses()
        texts, gold = held_out()
        predicted, times = [], []
        with httpx.Client(timeout=30) as client:
            for text in texts + texts[:200]:
                t0 = time.perf_counter()
                parsed = client.post(
                    f"{system.rasa_url}/model/parse", json={"text": text}, params=system.rasa_auth
                ).json()
                times.append((time.perf_counter() - t0) * 1000)
                predicted.append(parsed["intent"]["name"])
        rss = system.rss_mb("rasa")
    finally:
        system.stop_all()
    predicted = predicted[: len(gold)]
    return {
        "variant": name,
        "accuracy": f"{accuracy(gold, predicted):.3f}",
        "macro-F1": f"{macro_f1(gold, predicted):.3f}",
        "p50 ms": f"{percentile(times, 50):.1f}",
        "p95 ms": f"{percentile(times, 95):.1f}",
        "cold start s": f"{cold_start:.1f}",
        "RSS MB": f"{rss:.0f}",
        "train s": f"{train_s:.0f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", default=list(VARIANTS))
    args = parser.parse_args()
    build = [str(ROOT / ".venv-rasa/bin/python"), "scripts/build_spacy.py"]
    subprocess.run([*build, "--split-mode", "C", "--out", "build/split_C"], cwd=ROOT, check=True)
    base = yaml.safe_load((ROOT / "config.yml").read_text("utf-8"))
    rows = []
    for name in args.variants:
        with tempfile.TemporaryDirectory() as workdir:
            rows.append(measure(name, VARIANTS[name](base), Path(workdir)))
            print(rows[-1], flush=True)
    header = list(rows[0])
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


if __name__ == "__main__":
    main()
