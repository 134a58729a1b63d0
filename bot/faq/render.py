"""A knowledge-base entry as the visitor reads it: the answer, where it comes from, the next step."""

from __future__ import annotations

from bot.faq.knowledge import Entry, Fact

MAX_SOURCES = 2
THIRD_PARTY = "【第三者のサイト】"
THIRD_PARTY_NOTE = (
    "※第三者のサイトの情報を含みます。公式ページまたは知的財産相談で最新の内容をご確認ください。"
)
NO_DATE = "ページに日付の記載なし"
OWN_CASE = "ご自身の案件についての判断は、知的財産相談でご相談ください。"
GENERAL_INFORMATION = (
    "このチャットは一般的な情報のご案内で、個別の案件への法的な助言ではありません"
    "(法律上の個別の助言は弁護士・弁理士の業務です)。ご自身の案件は知的財産相談でご相談ください。"
)


def _source(fact: Fact) -> str:
    mark = "" if fact.official else THIRD_PARTY
    return f"出典: {fact.publisher}{mark} {fact.url} ({fact.page_date or NO_DATE})"


def sources(entry: Entry) -> list[str]:
    """One line per page the entry rests on (official pages first), at most ``MAX_SOURCES``."""
    pages: dict[str, Fact] = {}
    for fact in sorted(entry.facts, key=lambda f: not f.official):
        pages.setdefault(fact.url, fact)
    return [_source(fact) for fact in list(pages.values())[:MAX_SOURCES]]


def answer_text(entry: Entry, first_topic_answer: bool) -> str:
    """The answer, the third-party note when a source is not official, its sources, and the
    line about one's own case (for the general-information notice, the first time)."""
    lines = [entry.answer]
    if any(not fact.official for fact in entry.facts):
        lines.append(THIRD_PARTY_NOTE)
    lines.extend(sources(entry))
    if entry.topic != "center":
        lines.append(GENERAL_INFORMATION if first_topic_answer else OWN_CASE)
    return "\n".join(lines)
