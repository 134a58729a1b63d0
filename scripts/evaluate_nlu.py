"""Score a trained Rasa model on the held-out test split (tests/data/nlu_test.yml).

Runs in the Rasa environment. Prints accuracy, macro-F1, per-intent precision and
recall, the fallback rate and the most frequent confusion pairs; ``--json`` writes
the same figures to a file.

Usage: python scripts/evaluate_nlu.py [--model models/chizai.tar.gz] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from collections import Counter
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.log_utils import configure_structlog
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

ROOT = Path(__file__).resolve().parent.parent
FALLBACK = "nlu_fallback"


async def predict(model: Path, texts: list[str]) -> list[str]:
    """Intent names the model gives ``texts`` (``nlu_fallback`` included)."""
    agent = Agent.load(str(model))
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def report(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1, per-intent P/R/F1 and confusion pairs."""
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=False) if g != p)
    return {
        "examples": len(gold),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro"), 4),
        "fallback_rate": round(predicted.count(FALLBACK) / len(gold), 4),
        "per_intent": {
            label: {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "n": int(n)}
            for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=False)
        },
        "confusions": [{"gold": g, "predicted": p, "count": c} for (g, p), c in confusions.most_common()],
    }


def print_report(result: dict) -> None:
    print(f"examples      {result['examples']}")
    print(f"accuracy      {result['accuracy']:.4f}")
    print(f"macro-F1      {result['macro_f1']:.4f}")
    print(f"fallback rate {result['fallback_rate']:.4f}")
    print(f"\n{'intent':22} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}")
    for label, m in result["per_intent"].items():
        print(f"{label:22} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['n']:4d}")
    print("\nconfusion pairs (gold -> predicted: count)")
    for c in result["confusions"]:
        print(f"  {c['gold']} -> {c['predicted']}: {c['count']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "chizai.tar.gz")
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "nlu_test.yml")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--errors", action="store_true", help="list every misclassified text")
    args = parser.parse_args()
    configure_structlog(logging.WARNING)

    examples = list(load_data(str(args.data)).intent_examples)
    texts = [m.get("text") for m in examples]
    gold = [m.get("intent") for m in examples]
    predicted = asyncio.run(predict(args.model, texts))
    result = report(gold, predicted)
    print_report(result)
    if args.errors:
        print("\nmisclassified")
        for text, g, p in zip(texts, gold, predicted, strict=False):
            if g != p:
                print(f"  [{g} -> {p}] {text}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
