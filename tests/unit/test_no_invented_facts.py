"""No reply states an amount, date, duration, phone number or address that our sources lack.

Scans every response the assistant can send: domain.yml templates, the knowledge base's answers
as the visitor reads them, the gateway's own replies, hand-off messages, the action server's
messages, and the catalogue card of every seeded program. Each figure must appear in
../shared/content/ or ../shared/seed/ (a knowledge-base answer's: or in its own quotes and
page dates).
"""

import ast
import inspect
import re
from pathlib import Path

import pytest
import yaml

from bot.catalogue.models import Program
from bot.catalogue.render import program_card
from bot.catalogue.seed import program_values
from bot.conversation import replies
from bot.core.config import ROOT, get_settings
from bot.escalation import messages as handoff
from bot.escalation.models import Escalation
from bot.faq.knowledge import load_knowledge
from bot.faq.render import answer_text
from bot.reading.facts import fact_tokens, source_tokens
from bot.services import answers
from bot.staffing.duty import Availability, Presence

URL = re.compile(r"https?://\S+")
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
# Product limits we set ourselves, not facts about the center.
OWN_FIGURES = {f"{get_settings().max_message_chars}文字"}


@pytest.fixture(scope="module")
def allowed() -> set[str]:
    content = get_settings().content_dir
    files = [*content.glob("*.md"), *content.glob("*.yml"), *(content.parent / "seed").glob("*")]
    assert files, f"no sources found under {content}"
    tokens = set()
    for path in files:
        tokens |= source_tokens(path.read_text("utf-8"))
    return tokens


def domain_texts() -> dict[str, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    texts = {}
    for name, variants in domain["responses"].items():
        for i, variant in enumerate(variants):
            buttons = " ".join(b["title"] for b in variant.get("buttons", []))
            texts[f"domain:{name}:{i}"] = f"{variant.get('text', '')} {buttons}"
    return texts


def faq_texts() -> dict[str, str]:
    # Addresses of sources are not statements: their digits are no figures.
    return {f"faq:{e.id}": URL.sub("", answer_text(e, first_topic_answer=True)) for e in load_knowledge()}


def quoted(key: str) -> set[str]:
    """What a knowledge-base answer may state besides the shared sources: its quotes, page dates."""
    entry = next((e for e in load_knowledge() if key == f"faq:{e.id}"), None)
    if entry is None:
        return set()
    return {t for f in entry.facts for t in source_tokens(f"{f.quote} {f.page_date or ''}")}


def japanese_strings(name: str, source: str) -> dict[str, str]:
    """String literals in Python source that a visitor could read (those with Japanese)."""
    texts = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and JAPANESE.search(node.value):
            texts[f"{name}:{node.lineno}"] = node.value
    return texts


def module_strings(*modules) -> dict[str, str]:
    return {k: v for m in modules for k, v in japanese_strings(m.__name__, inspect.getsource(m)).items()}


def action_strings() -> dict[str, str]:
    return {
        k: v
        for path in (ROOT / "actions").glob("*.py")
        for k, v in japanese_strings(f"actions/{path.name}", path.read_text("utf-8")).items()
    }


def catalogue_cards() -> dict[str, str]:
    entries = yaml.safe_load((get_settings().content_dir / "programs.yml").read_text("utf-8"))
    cards = {}
    for entry in entries:
        card = program_card(Program(id=entry["id"], **program_values(entry)))
        cards[f"catalogue:{entry['id']}"] = card["text"] + " " + " ".join(b["title"] for b in card["buttons"])
    return cards


PRESENCES = [
    Availability(p, "(職員が設定する対応時間)") for p in Presence
]  # hours are staff settings, not facts


def handoff_messages() -> dict[str, str]:
    texts = {}
    for reason in ("requested_human", "repeated_fallback", "urgent"):
        for consent in (None, True, False):
            escalation = Escalation(reason=reason, contact_consent=consent)
            for presence in PRESENCES:
                told = [*handoff.opened(escalation, presence), *handoff.opened_live(escalation, 2)]
                told += [*handoff.finished(escalation), handoff.waiting(escalation, presence, None)]
                told += [handoff.live_ended(escalation, presence), handoff.urgent_noted(escalation, presence)]
                for message in told:
                    texts[f"handoff:{reason}:{consent}:{presence.presence}:{message['text'][:10]}"] = message[
                        "text"
                    ]
    return texts


ALL_REPLIES = {
    **domain_texts(),
    **faq_texts(),
    **module_strings(replies, answers, handoff),
    **action_strings(),
    **catalogue_cards(),
    **handoff_messages(),
}


def test_the_scan_covers_every_kind_of_reply():
    kinds = {key.split(":")[0] for key in ALL_REPLIES}
    assert {"domain", "faq", "catalogue", "handoff"} <= kinds
    assert any(fact_tokens(text) for text in ALL_REPLIES.values())


@pytest.mark.parametrize("key", sorted(ALL_REPLIES))
def test_every_figure_in_a_reply_comes_from_a_source(allowed, key):
    invented = fact_tokens(ALL_REPLIES[key]) - allowed - OWN_FIGURES - quoted(key)
    assert not invented, f"{key} states figures not in our sources: {sorted(invented)}"


def test_the_checker_catches_an_invented_figure(allowed):
    assert fact_tokens("受付時間は9時から18時です。電話 03-1111-2222") - allowed == {
        "9時",
        "18時",
        "03-1111-2222",
    }


def test_sources_are_read_from_the_shared_folder():
    assert Path(get_settings().content_dir).name == "content"
