"""Find the programs a visitor means, by Sudachi-normalised words (not exact strings)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.catalogue.models import Program
from bot.core.config import ROOT
from bot.text.normalize import content_words, search_key

ENTITIES = ROOT / "data" / "entities"
NAME_WEIGHT, SUMMARY_WEIGHT = 3.0, 1.0
MIN_SCORE = 2.0
CLEAR_WINNER_RATIO = 1.5


@lru_cache
def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8")) or {}


def search_words(text: str) -> list[str]:
    """Content words of ``text`` with everyday words mapped to the catalogue's own."""
    synonyms = _yaml(ENTITIES / "search_synonyms.yml")
    return [synonyms.get(word, word) for word in content_words(text)]


@dataclass(frozen=True)
class Match:
    program: Program
    score: float


def _document(program: Program) -> dict[str, float]:
    aliases = _yaml(ENTITIES / "program_aliases.yml").get(program.id, [])
    weights: dict[str, float] = {}
    for text, weight in [(program.name, NAME_WEIGHT), *((a, NAME_WEIGHT) for a in aliases)]:
        for word in set(search_words(text)):
            weights[word] = max(weights.get(word, 0.0), weight)
    for word in set(search_words(program.summary or "")):
        weights[word] = max(weights.get(word, 0.0), SUMMARY_WEIGHT)
    return weights


def rank(query: str, programs: Iterable[Program]) -> list[Match]:
    """Programs matching ``query``, best first (an IDF-weighted overlap of words)."""
    documents = {program.id: (program, _document(program)) for program in programs}
    if not documents:
        return []
    frequency = Counter(word for _, doc in documents.values() for word in doc)
    idf = {word: math.log(1 + len(documents) / count) for word, count in frequency.items()}
    words = set(search_words(query))
    matches = [
        Match(program, sum(doc[w] * idf[w] for w in words if w in doc)) for program, doc in documents.values()
    ]
    return sorted((m for m in matches if m.score >= MIN_SCORE), key=lambda m: -m.score)


def best(matches: list[Match]) -> Program | None:
    """The one program a query clearly means, if there is one."""
    if len(matches) == 1 or (len(matches) > 1 and matches[0].score >= CLEAR_WINNER_RATIO * matches[1].score):
        return matches[0].program
    return None


# The word each IP right has in program names («外国特許出願費用助成»).
IP_WORDS = {
    "patent": "特許",
    "utility_model": "実用新案",
    "design": "意匠",
    "trademark": "商標",
    "copyright": "著作権",
}


def prefer_ip(matches: list[Match], ip_type: str | None) -> list[Match]:
    """The matches with those for the IP right the visitor named first, best first within each."""
    word = IP_WORDS.get(ip_type or "")
    if word is None:
        return matches
    return sorted(matches, key=lambda m: word not in m.program.name)


def named_program(text: str, programs: Iterable[Program]) -> Program | None:
    """The program ``text`` names outright (its name, with or without 事業, in any spelling), the
    longest name first: read from the catalogue as it is now, so a program staff add or rename is
    recognised at once, before the model is trained again."""
    key = search_key(text)
    named = [p for p in programs if search_key(p.name.removesuffix("事業")) in key]
    return max(named, key=lambda p: len(p.name), default=None)
