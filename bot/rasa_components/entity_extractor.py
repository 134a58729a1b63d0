"""spaCy entity extraction that reuses the doc ``SpacyNLP`` already made for the message.

Rasa's ``SpacyEntityExtractor`` runs the whole spaCy pipeline a second time, because
``SpacyNLP`` lower-cases text by default. With ``case_sensitive: true`` on ``SpacyNLP`` the
two docs are the same, so this subclass takes the existing one and falls back to a fresh run
only when the texts differ.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class SpacyDocEntityExtractor(SpacyEntityExtractor):
    """``SpacyEntityExtractor`` over the message's existing spaCy doc."""

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or doc.text != text:
                doc = model.model(text)
            extracted = self.filter_irrelevant_entities(
                self.add_extractor_name(self._extract_entities(doc)), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages
