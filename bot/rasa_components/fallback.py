"""Rasa's FallbackClassifier, also falling back on stray keys whatever their confidence.

The classifier reads a lone or repeated kana or letter as ``affirm`` more often than not
(「ｋ」 0.40, 「ｋｋｋｋ」 0.55, 「いいいい」 0.68 before this component), and inside a form ``affirm``
is consent to keep contact details or a booking confirmed. Button payloads (``/affirm``) do not
pass through the NLU pipeline, so they are unaffected.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.text.normalize import is_stray_keys


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class StrayKeysFallbackClassifier(FallbackClassifier):
    """``FallbackClassifier`` that predicts ``nlu_fallback`` for stray keys too."""

    def _should_fallback(self, message: Message) -> bool:
        return is_stray_keys(str(message.get(TEXT) or "")) or super()._should_fallback(message)
