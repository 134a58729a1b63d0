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


def is_clear_yes(text: str) -> bool:
    """True for the yes button or typed words that plainly say yes (「はい」「同意します」「OK」)."""
    text = normalize(text or "")
    if text.startswith(AFFIRM_PAYLOAD):
        return True
    return bool(_YES.search(text)) and not _NO.search(text)
