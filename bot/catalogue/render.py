"""How a program reaches a visitor: a short card with its year, sources and unknowns."""

from __future__ import annotations

import re
from datetime import date

from bot.catalogue.models import Program
from bot.conversation.messages import BotMessage, Button, bot_message, card

CENTER_PAGE = "http://www.tokyo-kosha.or.jp/chizai/service/index.html"
OFFICIAL_HOST = "tokyo-kosha.or.jp"
PRIOR_CONSULTATION_MARK = "公社知財相談"
MAX_LIST_BUTTONS = 8

_FIELDS = (("summary", "支援内容"), ("eligibility", "対象"), ("rate", "助成率"), ("limit", "上限額"))
DETAIL_LABELS = {"amount": "助成率・上限額", "deadline": "募集期間", "eligibility": "対象"}
ELIGIBILITY_NOTE = "対象になるかどうかは個別の判断が必要です。公式ページの募集要項でご確認いただくか、知的財産相談でご相談ください。"
UNKNOWN = "{fields}は、このチャットでは確認できていません。公式ページでご確認ください。"
NO_YEAR = "(金額がいつの情報かは確認できていません。公式ページで最新の内容をご確認ください)"
THIRD_PARTY_SOURCE = "出典(第三者のサイト): {url}"
# A note in English left in a seed («limit as of 2013/H28»): said in Japanese.
_LIMIT_AS_OF = re.compile(r"limit as of [^)]+")


def official_page(program: Program) -> str:
    """The program's own page when it is the center's, else the center's service page."""
    if program.source_url and OFFICIAL_HOST in program.source_url:
        return program.source_url
    return CENTER_PAGE


def _as_of_label(as_of: str) -> str:
    """「2021-10-06」 → 「2021年10月6日時点」; a year or period as written (「令和7年度」)."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        return _LIMIT_AS_OF.sub("上限額は当時の資料による", as_of)
    return f"{day.year}年{day.month}月{day.day}日時点"


def _listed(labels: list[str]) -> str:
    """「対象」「募集期間」 → 「対象と募集期間」; three or more with 、 and と before the last."""
    return labels[0] if len(labels) == 1 else f"{'、'.join(labels[:-1])}と{labels[-1]}"


def _source(program: Program) -> str:
    if program.third_party:
        return THIRD_PARTY_SOURCE.format(url=program.source_url)
    return f"出典: {program.source_url}"


def _dated(program: Program) -> str:
    """When the card's facts are from, or that the year of its figures is not known."""
    if program.as_of:
        return f"({_as_of_label(program.as_of)}の情報です)"
    return NO_YEAR if program.rate or program.limit else ""


def program_card(program: Program) -> BotMessage:
    """The details of one program, saying plainly what is not known; as text, and as a card."""
    rows = [(label, getattr(program, field)) for field, label in _FIELDS if getattr(program, field)]
    if program.application_period:
        rows.append(("募集期間", program.application_period))
    known = {label for label, _ in rows}
    unknown = [label for label in (*(label for _, label in _FIELDS), "募集期間") if label not in known]
    notes = [_dated(program), UNKNOWN.format(fields=_listed(unknown)) if unknown else ""]
    if program.third_party and (program.rate or program.limit):
        notes.append(
            "※金額などは第三者のサイトに掲載された情報です。公式ページまたは知的財産相談で最新の内容をご確認ください。"
        )
    if PRIOR_CONSULTATION_MARK in (program.eligibility or ""):
        notes.append("※申請日以前に、申請内容について公社の知財相談を受けていることが要件です。")
    if program.source_url:
        notes.append(_source(program))
    notes = [note for note in notes if note]
    text = "\n".join([f"【{program.name}】", *(f"・{label}: {value}" for label, value in rows), *notes])
    return bot_message(text, _buttons(program), card(program.name, rows, notes))


def _buttons(program: Program) -> list[Button]:
    return [
        {"title": "相談を予約する", "payload": "/book_consultation"},
        {"title": "公式ページ", "payload": official_page(program)},
        {"title": "他の制度", "payload": "/ask_program"},
    ]


def program_detail(program: Program, detail: str | None) -> BotMessage:
    """One detail of a program asked about in a follow-up («それっていくら»): the amount, the
    application period or who may apply; what is not known is said so, with the official page."""
    if detail is None:
        return program_card(program)
    lines = [f"【{program.name}】"]
    if detail == "amount" and (program.rate or program.limit):
        amounts = (("助成率", program.rate), ("上限額", program.limit))
        lines += [f"・{label}: {value}" for label, value in amounts if value]
        missing = [label for label, value in amounts if not value]
        if missing:
            lines.append(UNKNOWN.format(fields=_listed(missing)))
        if program.third_party:
            lines.append(
                "※金額は第三者のサイトに掲載された情報です。公式ページで最新の内容をご確認ください。"
            )
    elif detail == "deadline" and program.application_period:
        lines.append(f"・募集期間: {program.application_period}")
    elif detail == "eligibility" and program.eligibility:
        lines += [f"・対象: {program.eligibility}", ELIGIBILITY_NOTE]
    else:
        lines.append(UNKNOWN.format(fields=DETAIL_LABELS[detail]))
    lines.append(_dated(program))
    if program.source_url:
        lines.append(_source(program))
    return bot_message("\n".join(line for line in lines if line), _buttons(program))


def program_list(programs: list[Program], intro: str) -> BotMessage:
    """A choice between programs, each a button that asks for its card."""
    return bot_message(intro, [program_button(p) for p in programs[:MAX_LIST_BUTTONS]])


def program_button(program: Program) -> Button:
    """A button that asks for ``program``'s card."""
    return {
        "title": program.name.removesuffix("事業"),
        "payload": f'/ask_program{{"program":"{program.id}"}}',
    }
