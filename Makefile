# Senior Plus: every long command line lives here. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ENV := . scripts/env.sh &&
BOT := .venv-bot/bin
APP := .venv-app/bin
PY310 = $(shell scripts/python310.sh)
# One short French line per step; the libraries' output goes to var/log/ (VERBOSE=1 shows it).
STEP = $(PY310) scripts/progress.py step
export SENIOR_PLUS_MAKE_STARTED := $(shell date +%s.%N)

.PHONY: help intro install run events chat test lint typecheck unit validate model migrate seed eval-nlu eval-safety conversations browser simulator bench bench-turn bench-smoke sms-report content-report lock clean fuzz audit deploy-check scale-test scale-smoke

intro:
	@echo "Senior Plus : préparation (détails des bibliothèques dans var/log/, tout voir : VERBOSE=1 make run)"

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.venv-bot/.installed: requirements/bot.lock
	@$(STEP) "Création de l'environnement du bot (.venv-bot : Rasa, TensorFlow, spaCy ; 3 à 5 min)" \
	  --done "Environnement du bot créé" -- bash -c 'rm -rf .venv-bot && "$$0" -m venv .venv-bot && \
	  .venv-bot/bin/pip install --no-deps --disable-pip-version-check -r requirements/bot.lock && \
	  .venv-bot/bin/pip check' $(PY310)
	@touch $@

.venv-app/.installed: requirements/app.lock
	@$(STEP) "Création de l'environnement de l'application (.venv-app ; environ 1 min)" \
	  --done "Environnement de l'application créé" -- bash -c 'rm -rf .venv-app && "$$0" -m venv .venv-app && \
	  .venv-app/bin/pip install --no-deps --disable-pip-version-check -r requirements/app.lock && \
	  .venv-app/bin/pip check' $(PY310)
	@touch $@

install: .venv-bot/.installed .venv-app/.installed ## Create both Python 3.10 environments from the lock files
	@echo "✓ Environnements Python prêts (.venv-bot, .venv-app)"

model: .venv-bot/.installed ## Train the model if config, domain or data changed
	@scripts/model.sh

migrate: .venv-app/.installed ## Apply database migrations (embedded SQLite by default)
	@$(ENV) $(STEP) "Migrations de la base de données" --done "Base de données : {migrations}" -- \
	  $(APP)/alembic upgrade head

seed: migrate ## Load the Loire-Atlantique demo sites and mediators, and in dev the console's demo accounts
	@$(ENV) $(APP)/python -m devtools.seeds.booking
	@$(ENV) if [ "$$APP_ENV" = dev ]; then $(APP)/python -m devtools.seeds.console; fi

run: intro install model migrate ## Install what is missing, then start the assistant (Ctrl-C stops it)
	@# On the embedded database in dev: the demo mediators to book with, the console accounts (idempotent).
	@$(ENV) if [ "$$APP_ENV" = dev ] && [ "$${DATABASE_URL#sqlite}" != "$$DATABASE_URL" ]; then \
	  $(STEP) "Données de démonstration (dev)" --done "Données de démonstration en place" --show-stdout -- \
	  bash -c '$(APP)/python -m devtools.seeds.booking >&2 && $(APP)/python -m devtools.seeds.console'; fi
	@$(ENV) $(APP)/python scripts/run.py

simulator: install model migrate ## Start everything, then talk to it as an SMS, Telegram or phone user
	@$(ENV) { $(APP)/python -m devtools.simulator $$$$ & } ; $(APP)/python scripts/run.py

events: migrate ## The event consumer: Rasa's events from RabbitMQ for the console (EVENT_BROKER_TYPE=pika)
	@$(ENV) $(APP)/python -m seniorplus.events

chat: .venv-app/.installed ## Talk to the running assistant in this terminal
	@$(ENV) $(APP)/python scripts/chat.py

lint: .venv-app/.installed ## ruff (lint and format check)
	$(APP)/ruff check .
	$(APP)/ruff format --check .

typecheck: .venv-app/.installed .venv-bot/.installed ## mypy (strict) on the app code, and on channels/ and bot/ against the bot environment
	$(APP)/mypy
	@# Rasa and Sanic ship without type information: their classes are Any to subclass and
	@# their route decorators are untyped; everything else is strict.
	$(APP)/mypy --python-executable $(BOT)/python --strict --ignore-missing-imports \
	  --allow-subclassing-any --allow-untyped-decorators channels bot

unit: install model ## Unit tests (app and bot environments; one compares two ways of loading the model)
	@$(ENV) $(APP)/python -m pytest tests/unit -q -p no:cacheprovider
	@$(ENV) $(BOT)/python -m pytest tests/bot -q -p no:cacheprovider

validate: .venv-bot/.installed ## rasa data validate
	@$(ENV) $(BOT)/rasa data validate --config config.yml --domain bot/domain --data data

eval-nlu: model ## NLU on the held-out sets: accuracy by set, length and style, F1 by intent, entities (fails below the floors)
	@$(ENV) $(BOT)/python scripts/eval_nlu.py --model models/current.tar.gz --data tests/nlu/heldout.yml tests/nlu/heldout_journeys.yml tests/nlu/heldout_long.yml --out results/nlu

eval-safety: install model migrate ## The safety evaluation alone: lines by danger, false alarms, silent turns (results/safety)
	@$(ENV) $(APP)/python -m pytest tests/conversations/test_safety_eval.py -q -s -p no:cacheprovider

conversations: install model migrate ## End-to-end conversations through the REST channel
	@$(ENV) $(APP)/python -m pytest tests/conversations -q -p no:cacheprovider

browser: install model migrate ## The channel simulator in a real browser (Debian chromium, Playwright)
	@test -x /usr/bin/chromium || { echo "Installation de Chromium (paquet Debian)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@$(ENV) $(APP)/python -m pytest tests/browser -q -p no:cacheprovider

test: lint typecheck audit-ci unit deploy-check validate model eval-nlu conversations browser bench-smoke scale-smoke ## The whole test suite (with the short runs of the benchmark and of the scale test)
	@echo "Tous les tests sont passés."

# As deployed: 2 Rasa replicas behind HAProxy, PostgreSQL and the atomic Redis lock store of this
# machine. `make bench BENCH_ARGS=` measures one replica on the embedded SQLite instead.
BENCH_ARGS ?= --replicas 2 --database postgres

bench: install model ## Capacity: open-loop conversations until p95 > 1 s, against stock Rasa (~30 min)
	@$(SCALE_TOOLS)
	@$(ENV) $(APP)/python scripts/bench.py $(BENCH_ARGS)

bench-turn: install model ## CPU of one Rasa turn in one process, to compare two versions of the code (~3 min)
	@$(ENV) $(APP)/python scripts/bench_turn.py

bench-smoke: install model ## The capacity benchmark's short run, checked by a test (a few minutes)
	@$(ENV) $(APP)/python -m pytest tests/bench -q -p no:cacheprovider

SCALE_TOOLS = command -v haproxy >/dev/null && command -v redis-server >/dev/null && command -v pg_dump >/dev/null || { \
	  echo "Installation de HAProxy, Redis et des outils PostgreSQL (paquets Debian)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server postgresql-client >/dev/null; }

scale-test: install model ## HAProxy, 2 Rasa, 2 action servers, 2 web, faults, 200 conversations (about 6 min; docs/deployment.md)
	@$(SCALE_TOOLS)
	@$(ENV) $(APP)/python scripts/scale_test.py

scale-smoke: install model ## The scale test with 30 conversations and the same faults (3 to 5 min)
	@$(SCALE_TOOLS)
	@$(ENV) $(APP)/python scripts/scale_test.py --smoke

fuzz: install ## Long fuzz: FUZZ_BODIES hostile bodies at every public endpoint of the bot (default 50000)
	@$(ENV) FUZZ_BODIES=$${FUZZ_BODIES:-50000} $(BOT)/python -m pytest tests/bot/channels/test_fuzz_channels.py -q -s -p no:cacheprovider
	@$(ENV) FUZZ_BODIES=$${FUZZ_BODIES:-20000} $(APP)/python -m pytest tests/unit/actions/test_fuzz_action_server.py -q -s -p no:cacheprovider

.venv-audit/.installed: requirements/audit.lock
	@rm -rf .venv-audit && $(PY310) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet --no-deps --disable-pip-version-check -r requirements/audit.lock
	@touch $@

deploy/.venv/.installed: requirements/deploy.lock
	@rm -rf deploy/.venv && $(PY310) -m venv deploy/.venv
	deploy/.venv/bin/pip install --quiet --no-deps --disable-pip-version-check -r requirements/deploy.lock
	deploy/.venv/bin/pip check
	@touch $@

deploy-check: deploy/.venv/.installed ## Images, compose, Kubernetes and HAProxy checked without a container runtime (docs/deployment.md)
	@command -v docker-compose >/dev/null && command -v haproxy >/dev/null && command -v openssl >/dev/null || { \
	  echo "Installation de docker-compose, HAProxy et OpenSSL (paquets Debian)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose haproxy openssl >/dev/null; }
	@command -v kubectl >/dev/null || { echo "kubectl manque (il vient avec la machine : /usr/bin/kubectl)"; exit 1; }
	@deploy/check.sh

AUDIT_SERVICE ?= pypi
audit: .venv-audit/.installed ## pip-audit on both lock files (needs pypi.org or api.osv.dev; says clearly when unreachable)
	@$(PY310) scripts/audit.py $(AUDIT_SERVICE)

audit-ci: .venv-audit/.installed ## pip-audit as CI runs it: fails on a known vulnerability, says loudly when it could not ask
	@$(PY310) scripts/audit.py $(AUDIT_SERVICE) || [ $$? -eq 3 ]

sms-report: .venv-app/.installed ## SMS segments of every bot message (median <= 2, none > 4)
	@$(ENV) $(APP)/python scripts/sms_report.py

content-report: .venv-app/.installed ## Every dated figure and contact: validity, source, date checked, status
	@$(ENV) $(APP)/python scripts/content_report.py

lock: ## Re-resolve requirements/*.in into exact lock files
	@for env in bot app; do \
	  rm -rf /tmp/senior-plus-lock-$$env && $(PY310) -m venv /tmp/senior-plus-lock-$$env && \
	  /tmp/senior-plus-lock-$$env/bin/pip install --quiet -r requirements/$$env.in && \
	  (echo "# Generated by 'make lock' from $$env.in: exact versions, installed with --no-deps."; \
	   /tmp/senior-plus-lock-$$env/bin/pip freeze --all --exclude-editable) > requirements/$$env.lock; done

clean: ## Remove environments, models and local data
	rm -rf .venv-bot .venv-app models var results
