#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed (hash of data, config, domain and components).
set -euo pipefail
cd "$(dirname "$0")/.."
model=models/chizai.tar.gz
hash_file=models/chizai.inputs.sha256
inputs=$(find config.yml domain.yml data build/nlu build/spacy_ja bot/text bot/rasa_components \
  -type f -not -name '*.pyc' | LC_ALL=C sort)
hash=$(cat $inputs | sha256sum | cut -d' ' -f1)
if [ -f "$model" ] && [ -f "$hash_file" ] && [ "$(cat "$hash_file")" = "$hash" ]; then
  echo "model is up to date ($model)"
  exit 0
fi
scripts/step.sh train "training the Rasa model (about 1 min)" \
  .venv-rasa/bin/rasa train --data data build/nlu --out models --fixed-model-name chizai --quiet
echo "$hash" > "$hash_file"
