"""The deployment descriptions, rendered by the real tools (no container runtime, no network).

`make deploy-check` installs the tools (Debian's docker-compose and haproxy, kubectl comes with
the machine) and runs these tests in deploy/.venv (requirements/deploy.lock).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERLAY = DEPLOY / "k8s" / "overlays" / "production"
ENV_EXAMPLE = DEPLOY / "senior-plus.env.example"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} manque : `make deploy-check` l'installe (paquet Debian).")
    return path


def render_compose(compose_file: Path = DEPLOY / "compose.yml") -> dict[str, Any]:
    """`docker-compose config` with the placeholder env file and a stand-in certificate path."""
    env = dict(os.environ)
    env.update(SENIOR_PLUS_ENV_FILE=ENV_EXAMPLE.name, HAPROXY_CERT_FILE="/dev/null")
    for name in ("RASA_REPLICAS", "ACTIONS_REPLICAS", "WEB_REPLICAS", "LOCK_STORE_TYPE"):
        env.pop(name, None)  # the defaults written in the file
    result = subprocess.run(
        [tool("docker-compose"), "-f", str(compose_file), "config"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def render_kustomize(overlay: Path = OVERLAY) -> list[dict[str, Any]]:
    result = subprocess.run(
        [tool("kubectl"), "kustomize", str(overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return render_compose()


@pytest.fixture(scope="session")
def compose_source() -> dict[str, Any]:
    """compose.yml as written (its x-config block, before merging)."""
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def k8s() -> list[dict[str, Any]]:
    return render_kustomize()
