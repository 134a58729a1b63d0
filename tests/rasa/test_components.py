"""Custom Rasa components: normaliser, reading featurizer, classifier and entity extractor."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from bot.rasa_components.count_vectors import SentenceCountVectorsFeaturizer
from bot.rasa_components.entity_extractor import SpacyDocEntityExtractor
from bot.rasa_components.fallback import StrayKeysFallbackClassifier
from bot.rasa_components.intent_classifier import (
    SentenceLogisticRegressionClassifier,
    sentence_features,
)
from bot.rasa_components.normalizer import JapaneseNormalizer
from bot.rasa_components.reading_featurizer import SudachiReadingFeaturizer


def test_normalizer_rewrites_message_text():
    component = JapaneseNormalizer.create({}, None, None, None)
    [message] = component.process([Message(data={TEXT: "ＮＤＡ　の　ﾋﾅｶﾞﾀ"})])
    assert message.get(TEXT) == "NDA の ヒナガタ"


@pytest.fixture(scope="module")
def tokenized(nlp):
    """Messages as SpacyNLP and SpacyTokenizer leave them (doc and tokens)."""

    def make(text):
        message = Message(data={TEXT: text})
        doc = nlp(text)
        message.set(SPACY_DOCS[TEXT], doc)
        message.set(TOKENS_NAMES[TEXT], [Token(t.text, t.idx) for t in doc if t.text.strip()])
        return message

    return make


def trained(cls, config, training: TrainingData, tmp_path):
    """``cls`` created, trained on ``training`` and loaded back, the way a Rasa model does it."""
    (tmp_path / cls.__name__).mkdir()
    storage, resource = LocalModelStorage(tmp_path / cls.__name__), Resource(cls.__name__)
    context = ExecutionContext(graph_schema=None, model_id="test")
    cls.create(config, storage, resource, context).train(training)
    return cls.load(config, storage, resource, context)


@pytest.fixture
def featurizer(tmp_path, tokenized):
    training = TrainingData([tokenized("特許の費用"), tokenized("商標の登録")])
    return trained(
        SudachiReadingFeaturizer, SudachiReadingFeaturizer.get_default_config(), training, tmp_path
    )


def sentence_vector(featurizer, message):
    featurizer.process([message])
    _, sentence = message.get_sparse_features(TEXT)
    return sentence.features.toarray()


def test_kana_spellings_get_the_same_reading_features_as_kanji(featurizer, tokenized):
    kanji = sentence_vector(featurizer, tokenized("特許"))
    assert kanji.sum() > 0
    for kana in ("とっきょ", "トッキョ"):
        assert (sentence_vector(featurizer, tokenized(kana)) == kanji).all()


def test_sequence_features_have_one_row_per_token(featurizer, tokenized):
    message = tokenized("商標の登録")
    featurizer.process([message])
    sequence, _ = message.get_sparse_features(TEXT)
    assert sequence.features.shape[0] == 3


def classifier_pair(tmp_path, featurizer, tokenized):
    """Rasa's classifier and ours, trained on the same featurized examples."""
    examples = {
        "ask_patent": ["特許の費用", "とっきょをとりたい", "特許出願の流れ"],
        "ask_trademark": ["商標の登録", "ロゴを商標に", "しょうひょうの更新"],
    }
    messages = []
    for intent, texts in examples.items():
        for text in texts:
            message = tokenized(text)
            message.set("intent", intent)
            messages.append(message)
    featurizer.process(messages)
    return [
        trained(cls, cls.get_default_config(), TrainingData(messages), tmp_path)
        for cls in (LogisticRegressionClassifier, SentenceLogisticRegressionClassifier)
    ]


def test_sentence_classifier_predicts_exactly_like_rasas(tmp_path, featurizer, tokenized):
    rasas, ours = classifier_pair(tmp_path, featurizer, tokenized)
    assert ours.clf.coef_.flags["F_CONTIGUOUS"]
    for text in ("特許の期間", "しょうひょう", "ロゴ"):
        expected, actual = tokenized(text), tokenized(text)
        featurizer.process([expected, actual])
        rasas.process([expected])
        ours.process([actual])
        assert actual.get("intent")["name"] == expected.get("intent")["name"]
        for a, b in zip(actual.get("intent_ranking"), expected.get("intent_ranking"), strict=True):
            assert a["name"] == b["name"]
            assert a["confidence"] == pytest.approx(b["confidence"], abs=1e-12)


def test_sentence_features_join_every_featurizer_in_order(featurizer, tokenized):
    message = tokenized("特許の費用")
    featurizer.process([message])
    extra = Features(csr_matrix([[7.0, 0.0]]), FEATURE_TYPE_SENTENCE, TEXT, "extra")
    message.add_features(extra)
    _, combined = message.get_sparse_features(TEXT)
    assert (sentence_features(message).toarray() == combined.features.toarray()).all()


def entities(message):
    return [{k: v for k, v in e.items() if k != "extractor"} for e in message.get("entities")]


@pytest.mark.parametrize("text", ["PCT出願とNDAについて", "ものづくり補助金と商標", "天気の話"])
def test_entity_extractor_reusing_the_doc_finds_what_rasas_finds(nlp, tokenized, text):
    model = SpacyModel(model=nlp, model_name="spacy_ja")
    config = SpacyEntityExtractor.get_default_config()
    expected = SpacyEntityExtractor(config).process([Message(data={TEXT: text})], model)[0]
    reused = SpacyDocEntityExtractor(config).process([tokenized(text)], model)[0]
    fresh = SpacyDocEntityExtractor(config).process([Message(data={TEXT: text})], model)[0]
    assert entities(reused) == entities(expected) == entities(fresh)


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_sentence_count_vectors_match_rasas_without_token_rows(tmp_path, tokenized, analyzer):
    training = TrainingData([tokenized("特許の費用"), tokenized("商標の登録"), tokenized("NDAのひな形")])
    featurized = []
    for cls in (CountVectorsFeaturizer, SentenceCountVectorsFeaturizer):
        config = {**cls.get_default_config(), "analyzer": analyzer, "max_ngram": 2}
        message = tokenized("特許と商標の費用")
        trained(cls, config, training, tmp_path).process([message])
        featurized.append(message.get_sparse_features(TEXT))
    (rasas_sequence, rasas_sentence), (our_sequence, our_sentence) = featurized
    assert rasas_sequence is not None and our_sequence is None
    assert (our_sentence.features.toarray() == rasas_sentence.features.toarray()).all()
    assert our_sentence.features.sum() > 0


def classified(text: str, name: str, confidence: float) -> Message:
    intent = {"name": name, "confidence": confidence}
    return Message(data={TEXT: text, "intent": intent, "intent_ranking": [intent]})


@pytest.mark.parametrize(
    ("text", "confidence", "expected"),
    [
        ("k", 0.9, "nlu_fallback"),
        ("いいいい", 0.68, "nlu_fallback"),
        ("はい", 0.9, "affirm"),
        ("はい", 0.2, "nlu_fallback"),
    ],
)
def test_fallback_classifier_also_falls_back_on_stray_keys(text, confidence, expected):
    config = {**FallbackClassifier.get_default_config(), "threshold": 0.35}
    [message] = StrayKeysFallbackClassifier(config).process([classified(text, "affirm", confidence)])
    assert message.get("intent")["name"] == expected
    assert message.get("intent_ranking")[-1]["name"] == "affirm"  # the ranking keeps the classifier's guess


def test_the_gateway_channel_takes_the_intent_the_gateway_read_only_when_the_domain_has_it():
    from bot.rasa_components.channel import with_intent

    parsed = {"text": "12/10に商標の相談", "intent": {"name": "ask_trademark", "confidence": 0.7},
              "intent_ranking": [{"name": "ask_trademark", "confidence": 0.7},
                                 {"name": "book_consultation", "confidence": 0.2}],
              "entities": [{"entity": "ip_type", "value": "trademark"}]}  # fmt: skip
    hinted = with_intent(parsed, "book_consultation", ["ask_trademark", "book_consultation"])
    assert hinted["intent"] == {"name": "book_consultation", "confidence": 1.0}
    assert [r["name"] for r in hinted["intent_ranking"]] == ["book_consultation", "ask_trademark"]
    assert hinted["entities"] == parsed["entities"] and hinted["text"] == parsed["text"]
    assert with_intent(parsed, "restart_everything", ["ask_trademark"]) == parsed
    assert with_intent(parsed, None, ["ask_trademark"]) == parsed
