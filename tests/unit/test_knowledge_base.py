"""The knowledge base in data/faq/ (one file per topic): every entry has its sources, and every
figure an answer states is in one of its quotes."""

from pathlib import Path

import pytest
import yaml

from bot.core.config import ROOT, get_settings
from bot.reading.facts import fact_tokens, source_tokens

TOPICS = {"patent", "design", "trademark", "copyright", "trade_secret", "contract", "infringement", "center"}
NEXT_STEPS = {"consultation", "official_page", "program", "none"}
FILES = sorted(p for p in (ROOT / "data" / "faq").glob("*.yml") if p.name != "topics.yml")


def entries() -> list[tuple[Path, dict]]:
    return [(path, entry) for path in FILES for entry in yaml.safe_load(path.read_text("utf-8"))["entries"]]


def program_ids() -> set[str]:
    programs = yaml.safe_load((get_settings().content_dir / "programs.yml").read_text("utf-8"))
    return {p["id"] for p in programs}


def test_each_file_is_one_topic_and_ids_are_unique():
    assert FILES
    for path in FILES:
        assert yaml.safe_load(path.read_text("utf-8"))["topic"] == path.stem
        assert path.stem in TOPICS
    ids = [entry["id"] for _, entry in entries()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("path", "entry"), entries(), ids=lambda v: v["id"] if isinstance(v, dict) else v.stem
)
def test_an_entry_has_questions_an_answer_and_sourced_facts(path, entry):
    assert entry["id"].startswith(path.stem)
    assert 3 <= len(entry["questions"]) <= 6 and entry["title"] and entry["answer"].strip()
    assert entry["next_step"] in NEXT_STEPS
    assert set(entry.get("related_programs", [])) <= program_ids()
    assert entry["facts"]
    for fact in entry["facts"]:
        assert fact["quote"].strip() and fact["url"].startswith("http") and fact["publisher"]
        assert fact["page_date"] and isinstance(fact["official"], bool)


@pytest.mark.parametrize(
    ("path", "entry"), entries(), ids=lambda v: v["id"] if isinstance(v, dict) else v.stem
)
def test_every_figure_in_an_answer_is_in_one_of_its_quotes(path, entry):
    quoted = set().union(*(source_tokens(fact["quote"]) for fact in entry["facts"]))
    stated = fact_tokens(f"{entry['title']} {entry['answer']}")
    assert stated <= quoted, f"{entry['id']}: {sorted(stated - quoted)} not in its quotes"
