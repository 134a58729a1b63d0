"""Score a trained Rasa model on the project's split and on the blind splits.

Runs in the Rasa environment. For the project's held-out split (tests/data/nlu_test.yml)
it prints accuracy, macro-F1, per-intent precision and recall, the fallback rate and the
most frequent confusion pairs; then one line per blind split (tests/data/blind/, written by
helpers that never saw the training data): Japanese and English apart, with the share of
unrelated questions declined (out_of_scope or fallback) and of in-domain ones falling back.
``--sealed`` adds the sealed thirds (run them only before resolving an issue, never in CI);
``--json`` writes every figure to a file.

Usage: python scripts/evaluate_nlu.py [--model models/chizai.tar.gz] [--sealed] [--json out.json]
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
BLIND = ROOT / "tests" / "data" / "blind"
FALLBACK = "nlu_fallback"
DECLINED = {FALLBACK, "out_of_scope"}


async def predict(agent: Agent, texts: list[str]) -> list[str]:
    """Intent names the model gives ``texts`` (``nlu_fallback`` included)."""
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def examples_of(paths: list[Path]) -> tuple[list[str], list[str]]:
    """Texts and gold intents of the NLU files ``paths``."""
    texts, gold = [], []
    for path in paths:
        for message in load_data(str(path)).intent_examples:
            texts.append(message.get("text"))
            gold.append(message.get("intent"))
    return texts, gold


def blind_splits(sealed: bool) -> dict[str, list[Path]]:
    """The blind splits by name: Japanese and English, the sealed thirds on request."""
    splits = {"blind ja": sorted(BLIND.glob("nlu_ja_*.yml")), "blind en": sorted(BLIND.glob("nlu_en_*.yml"))}
    if sealed:
        splits["sealed ja"] = sorted((BLIND / "sealed").glob("nlu_ja_*.yml"))
        splits["sealed en"] = sorted((BLIND / "sealed").glob("nlu_en_*.yml"))
    return splits


def scope_rates(gold: list[str], predicted: list[str]) -> dict:
    """Unrelated questions declined, and in-domain ones wrongly falling back or declined."""
    unrelated = [p for g, p in zip(gold, predicted, strict=True) if g == "out_of_scope"]
    in_domain = [p for g, p in zip(gold, predicted, strict=True) if g != "out_of_scope"]
    return {
        "unrelated_declined": round(sum(p in DECLINED for p in unrelated) / max(len(unrelated), 1), 4),
        "in_domain_fallback": round(in_domain.count(FALLBACK) / max(len(in_domain), 1), 4),
    }


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
    parser.add_argument("--errors", action="store_true", help="list every misclassified text (never sealed)")
    parser.add_argument("--sealed", action="store_true", help="also score the sealed blind thirds")
    args = parser.parse_args()
    configure_structlog(logging.WARNING)

    agent = Agent.load(str(args.model))
    texts, gold = examples_of([args.data])
    predicted = asyncio.run(predict(agent, texts))
    result = report(gold, predicted)
    print(f"== project split ({args.data.relative_to(ROOT)})")
    print_report(result)
    result["blind"] = {}
    print(
        f"\n== blind splits\n{'split':10} {'n':>4} {'accuracy':>8} {'macro-F1':>8} {'declined':>8} {'fallback':>8}"
    )
    for name, paths in blind_splits(args.sealed).items():
        blind_texts, blind_gold = examples_of(paths)
        blind_predicted = asyncio.run(predict(agent, blind_texts))
        blind = {**report(blind_gold, blind_predicted), **scope_rates(blind_gold, blind_predicted)}
        result["blind"][name] = blind
        print(
            f"{name:10} {blind['examples']:4d} {blind['accuracy']:8.4f} {blind['macro_f1']:8.4f} "
            f"{blind['unrelated_declined']:8.4f} {blind['in_domain_fallback']:8.4f}"
        )
        if args.errors and not name.startswith("sealed"):
            texts += blind_texts
            gold += blind_gold
            predicted += blind_predicted
    print(
        "(declined: unrelated questions read as out_of_scope or fallback; fallback: in-domain ones falling back)"
    )
    if args.errors:
        print("\nmisclassified")
        for text, g, p in zip(texts, gold, predicted, strict=False):
            if g != p:
                print(f"  [{g} -> {p}] {text}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
