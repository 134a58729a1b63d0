"""Fixed Japanese messages the gateway sends on its own (the engine's replies live in domain.yml)."""

from __future__ import annotations

from bot.conversation.messages import Button

HUMAN_BUTTON: Button = {"title": "担当者と話す", "payload": "/request_human"}
NEXT_STEP_BUTTONS: list[Button] = [
    {"title": "相談を予約する", "payload": "/book_consultation"},
    {"title": "支援制度を見る", "payload": "/ask_program"},
    HUMAN_BUTTON,
]

EMPTY_INPUT = "ご質問の内容が読み取れませんでした。お手数ですが、ご質問を文章で入力してください。"
EMPTY_AGAIN = "メッセージが空のようです。ご質問やご用件を文章でお送りください。"
TOO_LONG = "メッセージが長すぎます({limit}文字まで)。お手数ですが、要点を短くしてお送りください。"
INVALID_REQUEST = "送信内容を読み取れませんでした。お手数ですが、もう一度ご質問を入力してください。"
ENGINE_UNAVAILABLE = (
    "申し訳ありません。ただいまシステムが混み合っているか、一時的に停止しています。"
    "いただいたメッセージは記録しました。少し時間をおいて、もう一度お送りください。"
)
STORE_UNAVAILABLE = (
    "申し訳ありません。ただいまメッセージを受け付けられませんでした。"
    "少し時間をおいて、もう一度お送りください。"
)
TOO_MANY_TURNS = (
    "短い時間にたくさんのメッセージをいただいたため、いったん受付を止めています。"
    "少し時間をおいてから、もう一度お送りください。"
)
ALREADY_WITH_BOT = "チャットボットがお答えしています。ご質問をどうぞ。次の中から選ぶこともできます。"
NO_REPLY = "ご質問をもう少し詳しくお聞かせください。次の中から選ぶこともできます。"
ACTION_UNAVAILABLE = (
    "申し訳ありません。ただいま情報を取り出せませんでした。少し時間をおいて、もう一度お試しください。"
    "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお問い合わせください。"
)
