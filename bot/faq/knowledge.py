"""The knowledge base: data/faq/<topic>.yml, one file per topic, every entry with its sourced facts."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.core.config import ROOT

FAQ_DIR = ROOT / "data" / "faq"
VARIANTS_DIR = "variants"  # more ways visitors ask, per entry id: training data for the selector
TOPIC_INTENTS = {
    "patent": "ask_patent",
    "design": "ask_design",
    "trademark": "ask_trademark",
    "copyright": "ask_copyright",
    "trade_secret": "ask_trade_secret",
    "contract": "ask_contract",
    "infringement": "ask_infringement",
    "center": "ask_center_info",
}
# YAML folds a line break into a space; after a Japanese full stop or comma it is not wanted.
_JOINED_LINE = re.compile("(?<=[。、]) ")


@dataclass(frozen=True)
class Fact:
    quote: str
    url: str
    publisher: str
    page_date: str | None  # as the page shows it; None when it shows none
    official: bool


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    answer: str
    next_step: str  # consultation | official_page | program | none
    facts: tuple[Fact, ...]
    related_programs: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()

    @property
    def asked(self) -> tuple[str, ...]:
        """Every way of asking for this entry the selector learns from: title, questions, variants."""
        return (self.title, *self.questions, *self.variants)

    @property
    def intent(self) -> str:
        return TOPIC_INTENTS[self.topic]

    @property
    def official_url(self) -> str | None:
        """The first official page the entry rests on."""
        return next((f.url for f in self.facts if f.official), None)


def _fact(raw: dict) -> Fact:
    date = str(raw.get("page_date") or "none")
    return Fact(
        quote=str(raw["quote"]).strip(),
        url=str(raw["url"]),
        publisher=str(raw["publisher"]),
        page_date=None if date == "none" else date,
        official=bool(raw["official"]),
    )


def _entry(topic: str, raw: dict, variants: list[str]) -> Entry:
    return Entry(
        id=raw["id"],
        topic=topic,
        title=str(raw["title"]),
        questions=tuple(str(q) for q in raw["questions"]),
        answer=_JOINED_LINE.sub("", str(raw["answer"]).strip()),
        next_step=str(raw.get("next_step", "consultation")),
        facts=tuple(_fact(f) for f in raw["facts"]),
        related_programs=tuple(raw.get("related_programs") or ()),
        variants=tuple(str(v) for v in variants),
    )


@lru_cache
def load_knowledge(directory: Path = FAQ_DIR) -> tuple[Entry, ...]:
    """Every entry of every topic file in ``directory``."""
    entries: list[Entry] = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text("utf-8"))
        variants_path = directory / VARIANTS_DIR / path.name
        variants = yaml.safe_load(variants_path.read_text("utf-8")) if variants_path.is_file() else {}
        entries.extend(
            _entry(document["topic"], raw, variants.get(raw["id"], [])) for raw in document["entries"]
        )
    return tuple(entries)


def entry_fields(entry: Entry) -> dict[str, Any]:
    """An entry's fields as its seed file writes them (what the database keeps as JSON)."""
    return {
        "title": entry.title,
        "questions": list(entry.questions),
        "answer": entry.answer,
        "next_step": entry.next_step,
        "related_programs": list(entry.related_programs),
        "facts": [{**asdict(f), "page_date": f.page_date or "none"} for f in entry.facts],
        "variants": list(entry.variants),
    }


def from_fields(entry_id: str, topic: str, fields: dict[str, Any]) -> Entry:
    """The entry ``fields`` (as :func:`entry_fields` writes them) describe."""
    return _entry(topic, {**fields, "id": entry_id}, list(fields.get("variants") or []))
