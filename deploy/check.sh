#!/usr/bin/env bash
# make deploy-check: the deployment descriptions checked without a container runtime or network.
#   1. compose.yml rendered by docker-compose (Debian's package), with the placeholder env file;
#   2. the production overlay rendered by kubectl kustomize, validated offline (kubernetes-validate);
#   3. haproxy.cfg checked by haproxy -c (Debian's package), warnings refused;
#   4. tests/deploy: same topology in compose and Kubernetes, images, the proxy's paths on loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VENV="deploy/.venv/bin"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

export SENIOR_PLUS_ENV_FILE=senior-plus.env.example HAPROXY_CERT_FILE=/dev/null
docker-compose -f deploy/compose.yml config --quiet
echo "compose : deploy/compose.yml se lit ($(docker-compose -f deploy/compose.yml config --services 2>/dev/null | wc -l) services)"

kubectl kustomize deploy/k8s/overlays/production > "$WORK/production.yaml"
"$VENV/kubernetes-validate" --strict --quiet "$WORK/production.yaml"
echo "kubernetes : overlay production rendu et valide ($(grep -c '^kind:' "$WORK/production.yaml") objets, schémas de Kubernetes $("$VENV/kubernetes-validate" --version))"

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/certificate.pem"
# The backends' names only resolve where the proxy runs: that warning alone is expected.
if ! HAPROXY_CERT="$WORK/certificate.pem" RASA_BACKEND=rasa:5005 WEB_BACKEND=web:8000 haproxy -c -f deploy/haproxy/haproxy.cfg > "$WORK/haproxy.log" 2>&1; then
  cat "$WORK/haproxy.log"; exit 1
fi
if grep -E '\[(WARNING|ALERT)\]' "$WORK/haproxy.log" | grep -v 'could not resolve address'; then
  echo "haproxy : avertissements refusés ci-dessus"; exit 1
fi
echo "haproxy : deploy/haproxy/haproxy.cfg valide ($(haproxy -v | head -1 | cut -d' ' -f1-3))"

"$VENV/python" -m pytest tests/deploy -q -p no:cacheprovider -W ignore::pytest.PytestConfigWarning
