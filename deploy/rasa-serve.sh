#!/bin/sh
# Start Rasa in the bot image: the model baked in (or mounted) at /app/models/current.tar.gz,
# the API token from the environment (never on the image), every channel of bot/credentials.yml.
set -eu
: "${RASA_TOKEN:?RASA_TOKEN manque : le jeton de l'API HTTP de Rasa est obligatoire.}"
exec python -m bot.server run --model /app/models/current.tar.gz \
  --interface 0.0.0.0 --port "${RASA_PORT:-5005}" --enable-api --auth-token "$RASA_TOKEN" \
  --credentials bot/credentials.yml --endpoints bot/endpoints.yml
