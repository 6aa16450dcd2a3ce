"""`make bench --replicas N` (scripts/bench.py): N Rasa replicas behind HAProxy, as deployed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from bench import balancer_config, rasa_replicas  # noqa: E402


def _backend(config: str, name: str) -> str:
    """The lines of one HAProxy backend section, without comments."""
    section = re.search(rf"^backend {name}\n(.*?)(?=^\S|\Z)", config, re.M | re.S)
    assert section, name
    return "\n".join(
        line.strip() for line in section.group(1).splitlines() if line.strip() and "#" not in line
    )


def test_the_balancer_spreads_over_every_replica_as_production_does() -> None:
    config = balancer_config("5205", ["5209", "5210"])
    assert "bind 127.0.0.1:5205" in config
    backend = _backend(config, "rasa")
    assert "server rasa1 127.0.0.1:5209 check" in backend
    assert "server rasa2 127.0.0.1:5210 check" in backend
    production = _backend((ROOT / "deploy" / "haproxy" / "haproxy.cfg").read_text(), "rasa")
    for setting in ("balance", "option httpchk", "http-check expect"):
        ours = [line for line in backend.splitlines() if line.startswith(setting)]
        theirs = [line for line in production.splitlines() if line.startswith(setting)]
        assert ours == theirs and ours, setting


def test_each_replica_is_rasa_on_its_own_port() -> None:
    env = {"RASA_PORT": "5205", "ACTIONS_PORT": "5206", "WEB_PORT": "5208", "RASA_TOKEN": "t"}
    replicas = rasa_replicas(env, "models/current.tar.gz", ["5209", "5210"])
    assert [replica.name for replica in replicas] == ["rasa1", "rasa2"]
    for replica, port in zip(replicas, ["5209", "5210"], strict=True):
        assert replica.command[replica.command.index("--port") + 1] == port
        assert replica.health_url == f"http://127.0.0.1:{port}/"
        assert "bot.server" in replica.command
