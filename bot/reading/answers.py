"""Whether a typed answer is a clear yes: consent and booking confirmations need one.

The classifier reads hesitations and polite refusals as ``affirm`` (「うーん」 0.38, 「もういいです」
0.61, 「大丈夫です」 0.90, which in Japanese may well mean "no, thanks"), and confidence does not
separate them from real yeses. Where a yes has consequences, only a button press or words that
say yes count; anything else is asked again. Standard library only: the actions use it too.
"""

from __future__ import annotations

import re

from bot.text.normalize import normalize

AFFIRM_PAYLOAD = "/affirm"
_YES = re.compile(
    r"はい|はーい|同意|どうい|承諾|了承|了解|承知|お願い|おねがい|予約する|予約します|確定|この内容で|その内容で|それで"
    r"|^(?:ok|okay|yes|yeah|yep|sure|オッケー|おっけー|オーケー|おけ|うん|ええ|もちろん|ぜひ|👍)(?:です|please)?[!！。 ]*$"
    r"|^yes\b|^sure\b|ええ(よ|わ|で)|頼む|たのむ",
    re.IGNORECASE,
)
_NO = re.compile(r"ません|ない|やめ|結構|いいえ|いや|だめ|ダメ|待って|考え")
# Negative words that say yes («相違ございません», «問題ありません», «間違いない»).
_NOT_A_NO = re.compile(r"(相違|問題|間違い|まちがい)(ございません|ありません|ない|なし)")


def is_clear_yes(text: str) -> bool:
    """True for the yes button or typed words that plainly say yes (「はい」「同意します」「OK」)."""
    text = normalize(text or "")
    if text.startswith(AFFIRM_PAYLOAD):
        return True
    return bool(_YES.search(text)) and not _NO.search(_NOT_A_NO.sub("", text))


_WANTS_CONTACT = re.compile(
    r"折り?返し|連絡(を|して|くだ|下さ|ほし|欲し|お願い|待)|電話(して|くだ|下さ|ほし|欲し|で)|メールで|頼む|たのむ|お願いします"
)
_NO_CONTACT = re.compile(
    r"^(いや|いいえ|いえ)|(は|も)いいです|結構|不要|いらない|要らない|入力しない|けっこう|大丈夫です$|やめ"
)


def wants_contact(text: str, has_contact: bool) -> bool | None:
    """Whether the visitor, offered a call back, wants one: a contact typed or words asking for
    it are a yes («ほな折り返しで頼むわ»), a refusal a no; ``None`` when neither."""
    text = normalize(text or "")
    if text.startswith("/deny") or (_NO_CONTACT.search(text) and not has_contact):
        return False
    if has_contact or is_clear_yes(text) or _WANTS_CONTACT.search(text):
        return True
    return None
