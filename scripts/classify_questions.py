"""Write the intent the trained model gives each answer-selection question, for
scripts/evaluate_answers.py (which runs in the app's environment, not Rasa's).

Usage: python scripts/classify_questions.py [--model models/chizai.tar.gz] [--out build/eval/answer_intents.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from pathlib import Path

import yaml
from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "data" / "blind"


def questions() -> dict[str, str]:
    """Every answer-selection question, open and sealed, by id."""
    paths = [*BLIND.glob("answer_questions_*.yml"), *(BLIND / "sealed").glob("answer_questions_*.yml")]
    return {
        q["id"]: q["text"] for path in paths for q in yaml.safe_load(path.read_text("utf-8"))["questions"]
    }


async def intents(agent: Agent, texts: dict[str, str]) -> dict[str, str]:
    return {qid: (await agent.parse_message(text))["intent"]["name"] for qid, text in texts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "chizai.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "eval" / "answer_intents.json")
    args = parser.parse_args()
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(args.model))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(asyncio.run(intents(agent, questions())), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
