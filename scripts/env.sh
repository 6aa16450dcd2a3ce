# Sourced by the Makefile's recipes: embedded defaults, overridden by .env and the environment.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi
mkdir -p "$ROOT/var"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
# Without APP_ENV the code means production (no simulator, no demo account, Secure cookies,
# secrets required): the Makefile's targets run on this machine, so dev unless .env says otherwise.
export APP_ENV="${APP_ENV:-dev}"
export RASA_PORT="${RASA_PORT:-5005}" ACTIONS_PORT="${ACTIONS_PORT:-5055}" WEB_PORT="${WEB_PORT:-8000}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:$RASA_PORT}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$ROOT/var/app.db}"
export TRACKER_STORE_URL="${TRACKER_STORE_URL:-sqlite:///$ROOT/var/tracker.db}"
export LOCK_STORE_TYPE="${LOCK_STORE_TYPE:-in_memory}" LOCK_STORE_HOST="${LOCK_STORE_HOST:-127.0.0.1}" LOCK_STORE_PORT="${LOCK_STORE_PORT:-6379}"
# Event broker (docs/architecture.md "Event broker"): off unless .env says pika. The same
# variables tell Rasa where to publish (bot/endpoints.yml) and the consumer where to read.
export EVENT_BROKER_TYPE="${EVENT_BROKER_TYPE:-bot.event_broker.Off}"
export EVENT_BROKER_URL="${EVENT_BROKER_URL:-127.0.0.1}" EVENT_BROKER_PORT="${EVENT_BROKER_PORT:-5672}"
export EVENT_BROKER_USERNAME="${EVENT_BROKER_USERNAME:-guest}" EVENT_BROKER_PASSWORD="${EVENT_BROKER_PASSWORD:-guest}"
export EVENT_BROKER_EXCHANGE="${EVENT_BROKER_EXCHANGE:-rasa-exchange}" EVENT_BROKER_QUEUE="${EVENT_BROKER_QUEUE:-seniorplus_events}"
export MAX_MESSAGE_CHARS="${MAX_MESSAGE_CHARS:-8000}"
if [ -z "${RASA_TOKEN:-}" ]; then
  [ -s "$ROOT/var/rasa_token" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ROOT/var/rasa_token")
  RASA_TOKEN="$(cat "$ROOT/var/rasa_token")"
fi
export RASA_TOKEN
# A secret kept in var/ for this machine (dev and tests); production sets the variable.
dev_secret() { [ -s "$ROOT/var/$1" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ROOT/var/$1"); cat "$ROOT/var/$1"; }
# The secret Rasa sends to the action server (actions/server.py, bot/endpoints.yml): generated
# here outside production; in production it must be set, or neither starts (docs/security.md).
if [ -z "${ACTION_SERVER_TOKEN:-}" ] && [ "$APP_ENV" != production ]; then
  ACTION_SERVER_TOKEN="$(dev_secret action_server_token)"
fi
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-}"
# Channels (docs/channels.md). Twilio and Telegram reach Rasa's webhooks at PUBLIC_BASE_URL;
# signatures are checked against it. Outbound APIs default to the channel simulator's
# fake vendor endpoints in the web app, so nothing leaves this machine in dev.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-$RASA_URL}"
export TWILIO_ACCOUNT_SID="${TWILIO_ACCOUNT_SID:-AC00000000000000000000000000000000}"
export TWILIO_AUTH_TOKEN="${TWILIO_AUTH_TOKEN:-$(dev_secret twilio_auth_token)}"
export TWILIO_SMS_NUMBER="${TWILIO_SMS_NUMBER:-+33757000000}"
export TWILIO_API_URL="${TWILIO_API_URL:-http://127.0.0.1:$WEB_PORT/simulator/twilio}"
export TELEGRAM_BOT_TOKEN="${TELEGRAM_BOT_TOKEN:-1000000000:simulateur-senior-plus}"
export TELEGRAM_SECRET_TOKEN="${TELEGRAM_SECRET_TOKEN:-$(dev_secret telegram_secret_token)}"
export TELEGRAM_API_URL="${TELEGRAM_API_URL:-http://127.0.0.1:$WEB_PORT/simulator/telegram}"
export TEAM_PHONE="${TEAM_PHONE:-+33240000000}"  # the mediators' line a caller is put through to
export TEAM_OPENING_HOURS="${TEAM_OPENING_HOURS:-lun-ven 09:00-12:30 13:30-17:00}"
# Reverse proxies whose X-Forwarded-For Rasa and the web app believe (none by default); uvicorn
# trusts the same (docs/deployment.md, « Adresse du client et limites de débit »).
export TRUSTED_PROXIES="${TRUSTED_PROXIES:-}"
export FORWARDED_ALLOW_IPS="${FORWARDED_ALLOW_IPS-$TRUSTED_PROXIES}"
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"  # the action server listens on this machine only
# JSON API (docs/api.md): machine tokens as "name:sha256hex" pairs, only hashes configured.
# Dev and tests: one token kept in var/api_token, named api-dev (audit actor "agent:api-dev"):
#   curl -H "Authorization: Bearer $(cat var/api_token)" http://127.0.0.1:$WEB_PORT/api/cases
if [ -z "${API_TOKENS:-}" ] && [ "$APP_ENV" != production ]; then
  API_TOKENS="api-dev:$(printf %s "$(dev_secret api_token)" | { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; } | cut -d' ' -f1)"
fi
export API_TOKENS="${API_TOKENS:-}"
