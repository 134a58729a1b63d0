"""Build the project's spaCy ``ja`` pipeline and the Rasa synonyms that go with it.

Runs in the Rasa environment (spaCy 3.4.4). Writes
- ``build/spacy_ja/``: a blank Japanese pipeline (Sudachi tokenizer) with an
  ``entity_ruler`` for IP terms and catalogue program names, matched on NORM;
- ``build/nlu/synonyms.yml``: Rasa synonyms mapping every pattern spelling to its id.

Usage: python scripts/build_spacy.py [--split-mode A|B|C] [--content DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import spacy
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text.normalize import normalize, reading, to_hiragana  # noqa: E402

ENTITIES = ROOT / "data" / "entities"


def kana_spellings(term: str) -> list[str]:
    """Hiragana and katakana spellings of a kanji term (特許 → とっきょ, トッキョ)."""
    if term.isascii():
        return []
    katakana = reading(term)
    return [to_hiragana(katakana), katakana]


def ip_type_terms() -> dict[str, list[str]]:
    """Each ip_type id with its spellings, kana ones included."""
    declared = yaml.safe_load((ENTITIES / "ip_types.yml").read_text("utf-8"))
    return {
        ip_id: _unique(t for term in terms for t in [term, *kana_spellings(term)])
        for ip_id, terms in declared.items()
    }


def program_terms(content_dir: Path) -> dict[str, list[str]]:
    """Each catalogue program id with its names and everyday aliases."""
    programs = yaml.safe_load((content_dir / "programs.yml").read_text("utf-8"))
    aliases = yaml.safe_load((ENTITIES / "program_aliases.yml").read_text("utf-8"))
    terms = {}
    for program in programs:
        name = program["name"]
        names = [name, name.removesuffix("事業"), *aliases.get(program["id"], [])]
        terms[program["id"]] = _unique(names)
    return terms


def _unique(items) -> list[str]:
    return list(dict.fromkeys(normalize(i) for i in items if i))


def build(split_mode: str, content_dir: Path, out_dir: Path) -> None:
    """Write the spaCy pipeline and the synonyms file under ``out_dir``."""
    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": split_mode}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM"})
    by_label = {"ip_type": ip_type_terms(), "program": program_terms(content_dir)}
    ruler.add_patterns(
        [
            {"label": label, "pattern": term, "id": term_id}
            for label, groups in by_label.items()
            for term_id, terms in groups.items()
            for term in terms
        ]
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir / "spacy_ja")
    synonyms = [
        {"synonym": term_id, "examples": "".join(f"- {t.lower()}\n" for t in terms)}
        for groups in by_label.values()
        for term_id, terms in groups.items()
    ]
    nlu_dir = out_dir / "nlu"
    nlu_dir.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"version": "3.1", "nlu": synonyms}, allow_unicode=True, sort_keys=False)
    (nlu_dir / "synonyms.yml").write_text(text, "utf-8")
    summary = {label: sum(map(len, g.values())) for label, g in by_label.items()}
    print(json.dumps({"split_mode": split_mode, "patterns": summary}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split-mode", default="A", choices="ABC")
    parser.add_argument("--content", type=Path, default=ROOT.parent / "shared" / "content")
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    build(args.split_mode, args.content, args.out)


if __name__ == "__main__":
    main()
