"""Choose the FallbackClassifier threshold: in-domain accuracy vs. rejected nonsense.

For each threshold, a held-out question counts as right only if its top intent is right
and above the threshold; a nonsense line counts as rejected if its top confidence is below.
Runs in the Rasa environment on the trained model (whose own threshold does not matter:
the classifier's ranking is read below the fallback).

Usage: python scripts/tune_fallback.py [--model models/chizai.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections import Counter
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.log_utils import configure_structlog

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)


async def top_intents(agent: Agent, texts: list[str]) -> list[tuple[str, float, str]]:
    """For each text: the classifier's best intent and confidence (ignoring nlu_fallback), and
    the intent the model as configured answers (nlu_fallback included)."""
    tops = []
    for text in texts:
        parsed = await agent.parse_message(text)
        best = next(r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback")
        tops.append((best["name"], best["confidence"], parsed["intent"]["name"]))
    return tops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "chizai.tar.gz")
    args = parser.parse_args()
    configure_structlog(logging.WARNING)
    examples = load_data(str(ROOT / "tests/data/nlu_test.yml")).intent_examples
    nonsense = [
        line for line in (ROOT / "tests/data/nlu_nonsense.txt").read_text("utf-8").splitlines() if line
    ]
    agent = Agent.load(str(args.model))
    held_out = asyncio.run(top_intents(agent, [m.get("text") for m in examples]))
    noise = asyncio.run(top_intents(agent, nonsense))
    gold = [m.get("intent") for m in examples]
    print(f"{'threshold':>9} {'accuracy':>9} {'fallback on held-out':>21} {'nonsense rejected':>18}")
    for t in THRESHOLDS:
        right = sum(g == name and conf >= t for g, (name, conf, _) in zip(gold, held_out, strict=True))
        fell = sum(conf < t for _, conf, _ in held_out)
        rejected = sum(conf < t for _, conf, _ in noise)
        print(f"{t:9.2f} {right / len(gold):9.3f} {fell / len(gold):21.3f} {rejected / len(noise):18.3f}")
    # The model as configured (its threshold and the stray-key fallback): in a form, affirm is
    # consent or a booking confirmed, and deny stops the form.
    answered = Counter(predicted for _, _, predicted in noise)
    print(f"nonsense as the model answers it: {dict(answered.most_common())}")
    print(f"nonsense read as affirm/deny: {answered['affirm'] + answered['deny']} of {len(noise)}")


if __name__ == "__main__":
    main()
