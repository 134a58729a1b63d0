"""Score answer selection on the blind answer-selection questions (tests/data/blind/answer_*).

The questions were written by helpers that had not read the knowledge base and labelled by
others with the entries that answer them, or none. For each method it prints top-1 (the share of
answerable questions given an acceptable entry), the none share (the share of questions no entry
answers that get the honest "not in this chat"), and the near misses (a wrong entry given).
Methods: keyword overlap (the old selector's way, as a baseline), BM25 alone, the classifier
alone, and the mix the product uses; each with the intent the model gave as a prior when
build/eval/answer_intents.json exists (scripts/classify_questions.py writes it). «as routed»
follows the product: program questions go to the catalogue, other non-topic intents get no FAQ
answer. ``--sealed`` scores the sealed thirds too (only before resolving an issue, never in CI).

Usage: python scripts/evaluate_answers.py [--sealed] [--errors] [--intents build/eval/answer_intents.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalogue.models import Program  # noqa: E402
from bot.catalogue.search import best, rank, search_words  # noqa: E402
from bot.catalogue.seed import program_values  # noqa: E402
from bot.core.config import get_settings  # noqa: E402
from bot.faq.knowledge import TOPIC_INTENTS, Entry, load_knowledge  # noqa: E402
from bot.faq.select import Selector, Weights  # noqa: E402

BLIND = ROOT / "tests" / "data" / "blind"
PROGRAM = "program:"
BM25_ALONE, CLASSIFIER_ALONE = 0.5, 0.25


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    acceptable: tuple[str, ...]  # empty: no entry answers it
    intent: str | None


def load_split(folder: Path, intents: dict[str, str]) -> list[Question]:
    """The labelled questions in ``folder`` (a question file with its label file)."""
    split = []
    for labels_path in sorted(folder.glob("answer_labels_*.yml")):
        labels = yaml.safe_load(labels_path.read_text("utf-8"))["labels"]
        questions_path = folder / labels_path.name.replace("answer_labels_", "answer_questions_")
        for q in yaml.safe_load(questions_path.read_text("utf-8"))["questions"]:
            label = labels[q["id"]]
            acceptable = () if label in (None, "none") else tuple(label)
            split.append(Question(q["id"], q["text"], acceptable, intents.get(q["id"])))
    return split


def project_split() -> tuple[float, float]:
    """On the question variants (data/faq/variants/), for a selector trained without them: top-1
    (below the threshold counts as a miss) and the share ranked first."""
    entries = load_knowledge()
    selector = Selector([replace(e, variants=()) for e in entries])
    asked = [(v, e.id) for e in entries for v in e.variants]
    top1 = sum(getattr(selector.choose(v, None), "id", None) == eid for v, eid in asked)
    first = sum(selector.ranked(v, None, limit=1)[0].entry.id == eid for v, eid in asked)
    return top1 / max(len(asked), 1), first / max(len(asked), 1)


def catalogue() -> list[Program]:
    raw = yaml.safe_load((get_settings().content_dir / "programs.yml").read_text("utf-8"))
    return [Program(id=p["id"], **program_values(p)) for p in raw]


def keyword_method(entries: tuple[Entry, ...]) -> Callable[[str, str | None], str | None]:
    """The old way: the entry sharing most content words with the question (two at least)."""
    words = [set(search_words(" ".join((e.title, *e.questions)))) for e in entries]

    def choose(text: str, intent: str | None) -> str | None:
        asked = set(search_words(text))
        overlap, index = max((len(asked & w), i) for i, w in enumerate(words))
        return entries[index].id if overlap >= 2 else None

    return choose


def selector_method(selector: Selector, use_intent: bool) -> Callable[[str, str | None], str | None]:
    def choose(text: str, intent: str | None) -> str | None:
        entry = selector.choose(text, intent if use_intent else None)
        return entry.id if entry else None

    return choose


def routed_method(selector: Selector, programs: list[Program]) -> Callable[[str, str | None], str | None]:
    """What the product answers (bot/services/answers.py): a program question the program it
    clearly means (or a list: no answer yet), else an entry; a topic question or a misunderstood
    one an entry; the rest none."""

    def choose(text: str, intent: str | None) -> str | None:
        if intent == "ask_program":
            matches = rank(text, programs)
            program = best(matches)
            if program or matches:  # the program meant, or a list of those near the question
                return PROGRAM + program.id if program else None
        elif intent == "nlu_fallback":
            intent = None
        elif intent not in TOPIC_INTENTS.values():
            return None
        entry = selector.choose(text, intent)
        return entry.id if entry else None

    return choose


def score(questions: list[Question], choose: Callable[[str, str | None], str | None]) -> dict:
    answerable = [q for q in questions if q.acceptable]
    unanswerable = [q for q in questions if not q.acceptable]
    picks = {q.id: choose(q.text, q.intent) for q in questions}
    right = sum(picks[q.id] in q.acceptable for q in answerable)
    honest = sum(picks[q.id] is None for q in unanswerable)
    near_miss = sum(picks[q.id] is not None and picks[q.id] not in q.acceptable for q in questions)
    return {
        "answerable": len(answerable),
        "top1": right / max(len(answerable), 1),
        "unanswerable": len(unanswerable),
        "none_share": honest / max(len(unanswerable), 1),
        "near_miss": near_miss / max(len(questions), 1),
        "picks": picks,
    }


def methods(has_intents: bool) -> dict[str, Callable[[str, str | None], str | None]]:
    entries = load_knowledge()
    mixed = Selector(entries)
    found: dict[str, Callable[[str, str | None], str | None]] = {
        "keyword overlap": keyword_method(entries),
        # Each opinion alone at its own best balanced threshold on the open split.
        "BM25 (Sudachi)": selector_method(
            Selector(entries, Weights(bm25=1, classifier=0, threshold=BM25_ALONE)), has_intents
        ),
        "classifier": selector_method(
            Selector(entries, Weights(bm25=0, threshold=CLASSIFIER_ALONE)), has_intents
        ),
        "mix, no intent": selector_method(mixed, False),
    }
    if has_intents:
        found["mix + intent"] = selector_method(mixed, True)
        found["as routed"] = routed_method(mixed, catalogue())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intents", type=Path, default=ROOT / "build" / "eval" / "answer_intents.json")
    parser.add_argument("--sealed", action="store_true", help="also score the sealed thirds")
    parser.add_argument(
        "--errors", action="store_true", help="list the open questions the product gets wrong"
    )
    args = parser.parse_args()
    intents = json.loads(args.intents.read_text("utf-8")) if args.intents.is_file() else {}
    splits = {"blind open": load_split(BLIND, intents)}
    if args.sealed:
        splits["blind sealed"] = load_split(BLIND / "sealed", intents)
    print(
        f"== answer selection over {len(load_knowledge())} entries"
        + ("" if intents else " (no intents file)")
    )
    print(f"{'split':13} {'method':16} {'top-1':>6} {'none':>6} {'near miss':>9}  (answerable / none)")
    chosen = methods(bool(intents))
    for split, questions in splits.items():
        for name, choose in chosen.items():
            result = score(questions, choose)
            print(
                f"{split:13} {name:16} {result['top1']:6.3f} {result['none_share']:6.3f} "
                f"{result['near_miss']:9.3f}  ({result['answerable']} / {result['unanswerable']})"
            )
            if args.errors and split == "blind open" and name == list(chosen)[-1]:
                for q in questions:
                    pick = result["picks"][q.id]
                    if pick not in q.acceptable and not (pick is None and not q.acceptable):
                        print(
                            f"   {q.id} [{q.intent}] {q.text[:50]} → {pick} (want {list(q.acceptable) or 'none'})"
                        )
    top1, first = project_split()
    print(f"project split (variants held out, mix, no intent): top-1 {top1:.3f}, ranked first {first:.3f}")
    print("(targets: top-1 ≥ 0.90 on answerable questions; ≥ 0.90 of the others get the honest none)")


if __name__ == "__main__":
    main()
