"""The normaliser's Sudachi helpers under the gateway's thread pool: many threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.text.normalize import content_words, reading, search_key

SENTENCES = [
    "外国特許出願費用助成について教えてください",
    "商標の登録はどれくらい有効ですか",
    "ﾄｯｷｮの審査請求",
] * 100


def test_sudachi_helpers_can_be_called_from_many_threads_at_once():
    expected = {text: (search_key(text), content_words(text), reading(text)) for text in set(SENTENCES)}
    with ThreadPoolExecutor(16) as pool:
        results = list(
            pool.map(lambda text: (search_key(text), content_words(text), reading(text)), SENTENCES)
        )
    assert results == [expected[text] for text in SENTENCES]
