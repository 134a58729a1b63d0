"""Pick the FAQ entry for a topic question: the best sub-topic by keywords, else the general one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.catalogue.search import search_words
from bot.core.config import ROOT

FAQ_FILE = ROOT / "data" / "faq" / "topics.yml"
# YAML folds a line break into a space; after a Japanese full stop or comma it is not wanted.
_JOINED_LINE = re.compile("(?<=[。、]) ")


@dataclass(frozen=True)
class FaqEntry:
    id: str
    intent: str
    answer: str
    source: str
    keywords: frozenset[str] = field(default_factory=frozenset)
    general: bool = False
    related_programs: tuple[str, ...] = ()
    own_case: bool = True  # ends with "your own case: ask in a consultation"


@lru_cache
def load_faq(path: Path = FAQ_FILE) -> tuple[FaqEntry, ...]:
    """All FAQ entries, keywords turned into search words once."""
    entries = []
    for raw in yaml.safe_load(path.read_text("utf-8")):
        keywords = frozenset(w for k in raw.get("keywords", []) for w in search_words(str(k)))
        entries.append(
            FaqEntry(
                id=raw["id"],
                intent=raw["intent"],
                answer=_JOINED_LINE.sub("", raw["answer"].strip()),
                source=raw["source"],
                keywords=keywords,
                general=bool(raw.get("general")),
                related_programs=tuple(raw.get("related_programs", [])),
                own_case=bool(raw.get("own_case", True)),
            )
        )
    return tuple(entries)


def select_entry(intent: str, text: str) -> FaqEntry | None:
    """The sub-topic whose keywords ``text`` shares most, else the intent's general entry."""
    candidates = [e for e in load_faq() if e.intent == intent]
    words = set(search_words(text))
    scored = [(len(words & e.keywords), e) for e in candidates if not e.general]
    best_score, best_entry = max(scored, key=lambda pair: pair[0], default=(0, None))
    if best_score > 0:
        return best_entry
    return next((e for e in candidates if e.general), None)
