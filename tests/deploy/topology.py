"""Read the rendered descriptions as one shape: process → image, command, replicas, environment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKLOADS = {"Deployment", "StatefulSet", "Job"}
DOCKERFILE_CMD = re.compile(r"^CMD\s+(\[.*\])\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Process:
    image: str  # "bot", "app" or the public image with its tag
    command: tuple[str, ...]
    replicas: int
    env_keys: frozenset[str]


def image_kind(image: str) -> str:
    """senior-plus-bot:1.0, registry.example.fr/senior-plus/bot:1.0 → "bot"; others unchanged."""
    for kind in ("bot", "app"):
        if re.search(rf"senior-plus[-/]{kind}(:|$)", image):
            return kind
    return image


def dockerfile_cmd(dockerfile: Path) -> tuple[str, ...]:
    import json

    found = DOCKERFILE_CMD.findall(dockerfile.read_text(encoding="utf-8"))
    return tuple(json.loads(found[-1])) if found else ()


def compose_processes(compose: dict[str, Any], deploy: Path) -> dict[str, Process]:
    processes = {}
    for name, service in compose["services"].items():
        command = tuple(service.get("command") or ())
        if not command and "build" in service:
            command = dockerfile_cmd(deploy.parent / service["build"]["dockerfile"])
        processes[name] = Process(
            image=image_kind(service["image"]),
            command=command,
            replicas=int(service.get("deploy", {}).get("replicas", 1)),
            env_keys=frozenset(service.get("environment") or {}),
        )
    return processes


def k8s_processes(docs: list[dict[str, Any]]) -> dict[str, Process]:
    configmaps = {
        d["metadata"]["name"]: d.get("data", {}) for d in docs if d["kind"] == "ConfigMap"
    }
    processes = {}
    for doc in docs:
        if doc["kind"] not in WORKLOADS:
            continue
        (container,) = doc["spec"]["template"]["spec"]["containers"]
        keys = {e["name"] for e in container.get("env", [])}
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                keys |= set(configmaps[source["configMapRef"]["name"]])
        processes[doc["metadata"]["name"]] = Process(
            image=image_kind(container["image"]),
            command=tuple(container.get("command", ())) + tuple(container.get("args", ())),
            replicas=int(doc["spec"].get("replicas", 1)),
            env_keys=frozenset(keys),
        )
    return processes


def uses_secret(container: dict[str, Any], secret: str) -> bool:
    return any(s.get("secretRef", {}).get("name") == secret for s in container.get("envFrom", []))


def k8s_config(docs: list[dict[str, Any]]) -> dict[str, str]:
    (config,) = [
        d["data"] for d in docs
        if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("senior-plus-config")
    ]  # fmt: skip
    return config


def env_file_keys(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values
