# The app image: action server, web app (console, API, health), scheduler and event consumer,
# from requirements/app.lock. One image, four commands (deploy/compose.yml, deploy/k8s/base):
# the web app by default.
#   docker build -f deploy/app.Dockerfile -t senior-plus-app .
# Python 3.10 because rasa-sdk 3.6.2 requires >=3.8,<3.11; same base as the bot (docs/deployment.md).
FROM ubuntu:22.04 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.10 python3.10-venv python3.10-dev build-essential ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/app.lock deploy/app-dev-only.txt /tmp/
# The Makefile's install (--no-deps, pip check) minus the test and lint tools listed in
# deploy/app-dev-only.txt: pip check fails the build if anything kept needs one of them.
RUN grep -viE -f /tmp/app-dev-only.txt /tmp/app.lock > /tmp/app-runtime.lock \
 && python3.10 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-deps --disable-pip-version-check -r /tmp/app-runtime.lock \
 && /opt/venv/bin/pip check

FROM ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.10 ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group seniorplus
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY actions/ actions/
COPY seniorplus/ seniorplus/
COPY policies/ policies/
COPY observability/ observability/
COPY rendering/ rendering/
COPY safety/ safety/
COPY data/ data/
COPY migrations/ migrations/
COPY alembic.ini ./
COPY deploy/healthcheck.py deploy/
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    WEB_PORT=8000 ACTIONS_PORT=5055 SANIC_HOST=0.0.0.0 \
    HEALTHCHECK_URL=http://127.0.0.1:8000/health
USER seniorplus:seniorplus
EXPOSE 8000 5055
# Web app by default; the action server sets HEALTHCHECK_URL to its own /health, the scheduler
# and the event consumer (no port) to "".
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["uvicorn", "seniorplus.web.app:app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log", "--proxy-headers"]
