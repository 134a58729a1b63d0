"""Score the urgency detector (bot/escalation/urgency.py) on the blind urgency sets.

Each set (tests/data/blind/urgency_*.yml, written by helpers that never saw the code) labels
visitor messages urgent or not. Prints precision and recall of "urgent" per writer and in all,
and, for the open sets only, the messages it got wrong. ``--sealed`` adds the sealed thirds
(figures only: never tuned on). Targets (the person-behind-the-bot issue): recall >= 0.95 at
precision >= 0.9.

Usage: python scripts/evaluate_urgency.py [--sealed]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.escalation.urgency import likely_urgent_reason, urgent_reason  # noqa: E402

BLIND = ROOT / "tests" / "data" / "blind"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, gold: bool, said: bool, line: str) -> None:
        if gold and said:
            self.tp += 1
        elif said:
            self.fp += 1
            self.wrong.append(f"  false alarm: {line}")
        elif gold:
            self.fn += 1
            self.wrong.append(f"  missed:      {line}")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, name: str) -> str:
        total = self.tp + self.fp + self.fn + self.tn
        return (
            f"{name:<22} {total:4d} messages  urgent recall {self.recall:.3f}  precision {self.precision:.3f}"
            f"  (missed {self.fn}, false alarms {self.fp})"
        )


DETECTORS = {
    "rules (interrupt a turn)": urgent_reason,
    "rules + learned (priority of a hand-off)": likely_urgent_reason,
}


def score(paths: list[Path], detector) -> Score:
    result = Score()
    for path in paths:
        for message in yaml.safe_load(path.read_text("utf-8"))["messages"]:
            text = str(message["text"])
            result.add(bool(message["urgent"]), detector(text) is not None, f"{message['id']} {text}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sealed", action="store_true", help="also the sealed thirds (figures only)")
    args = parser.parse_args()
    open_sets = sorted(BLIND.glob("urgency_*.yml"))
    print("urgency detectors on the blind sets (target: recall >= 0.95 at precision >= 0.90)")
    for name, detector in DETECTORS.items():
        print(f"\n== {name}")
        for path in open_sets:
            print(score([path], detector).line(path.stem))
        whole = score(open_sets, detector)
        print(whole.line("blind (open) all"))
        print("\n".join(whole.wrong))
        if args.sealed:
            print(
                score(sorted((BLIND / "sealed").glob("urgency_*.yml")), detector).line("blind (sealed) all")
            )


if __name__ == "__main__":
    main()
