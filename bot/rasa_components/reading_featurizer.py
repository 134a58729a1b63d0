"""Sparse features from Sudachi reading forms, so kana spellings meet their kanji.

特許, とっきょ and ﾄｯｷｮ tokenise differently but share the reading トッキョ;
character n-grams of the reading give the classifier that link. The readings come from
the spaCy doc (its Sudachi tokenizer stores them in ``token.morph``), so the engine
loads the Sudachi dictionary once.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer

_VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SudachiReadingFeaturizer(SparseFeaturizer, GraphComponent):
    """Character n-grams (default 2–3) of katakana readings: per token and whole text."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyTokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config(), "min_ngram": 2, "max_ngram": 3}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: dict[str, int] | None = None,
    ) -> None:
        super().__init__(resource.name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = self._make_vectorizer(vocabulary)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not 1 <= config["min_ngram"] <= config["max_ngram"]:
            raise ValueError("SudachiReadingFeaturizer needs 1 <= min_ngram <= max_ngram.")

    def _make_vectorizer(self, vocabulary: dict[str, int] | None) -> CountVectorizer:
        return CountVectorizer(
            analyzer="char",
            ngram_range=(self._config["min_ngram"], self._config["max_ngram"]),
            lowercase=True,
            vocabulary=vocabulary,
        )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SudachiReadingFeaturizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SudachiReadingFeaturizer:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / _VOCABULARY_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = None
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        readings = ["".join(self._token_readings(m)) for m in training_data.training_examples]
        self._vectorizer.fit([r for r in readings if r] or [" "])
        with self._model_storage.write_to(self._resource) as directory:
            vocabulary = {k: int(v) for k, v in self._vectorizer.vocabulary_.items()}
            (directory / _VOCABULARY_FILE).write_text(json.dumps(vocabulary), "utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if not getattr(self._vectorizer, "vocabulary_", None) and self._vectorizer.vocabulary is None:
            return messages
        for message in messages:
            token_readings = self._token_readings(message)
            if not token_readings:
                continue
            sequence = self._vectorizer.transform(token_readings)
            # Whole-text n-grams cross token borders: と/っ/きょ still yields トッ, ッキ, キョ.
            sentence = self._vectorizer.transform(["".join(token_readings)])
            self.add_features_to_message(sequence.tocoo(), sentence.tocoo(), TEXT, message)
        return messages

    @staticmethod
    def _token_readings(message: Message) -> list[str]:
        """The reading of each Rasa token (its text where Sudachi gives none)."""
        doc = message.get(SPACY_DOCS[TEXT])
        by_start = {t.idx: "".join(t.morph.get("Reading")) for t in doc} if doc is not None else {}
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return [by_start.get(token.start) or token.text for token in tokens]
