"""Start and stop the processes of Senior Plus (for run.py, the tests and the benchmark)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venv-bot" / "bin"
APP_BIN = ROOT / ".venv-app" / "bin"


def shifted_port(base: int) -> str:
    """A test stack's port, shifted by TEST_PORT_OFFSET so that two checkouts can test at once."""
    return str(base + int(os.environ.get("TEST_PORT_OFFSET") or 0))


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    health_url: str


def web_app(env: dict[str, str]) -> str:
    """The product's web app; in dev, the same with the channel simulator (devtools)."""
    dev = env.get("APP_ENV", "").strip().lower() == "dev"
    return "devtools.web:app" if dev else "seniorplus.web.app:app"


def services(env: dict[str, str], model: str = "models/current.tar.gz") -> list[Service]:
    """The Rasa server, the action server and the web app, with the ports from `env`."""
    rasa_port, actions_port, web_port = env["RASA_PORT"], env["ACTIONS_PORT"], env["WEB_PORT"]
    return [
        Service(
            "actions",
            [str(APP_BIN / "python"), "-m", "actions.server", "--actions", "actions",
             "--port", actions_port,
             "--logging-config-file", str(ROOT / "scripts" / "quiet_logging.yml")],
            f"http://127.0.0.1:{actions_port}/health",
        ),
        Service(
            "rasa",
            [str(BOT_BIN / "python"), "-m", "bot.server", "run", "--model", model,
             "--interface", "127.0.0.1",
             "--port", rasa_port, "--enable-api", "--auth-token", env["RASA_TOKEN"],
             "--credentials", "bot/credentials.yml", "--endpoints", "bot/endpoints.yml"],
            f"http://127.0.0.1:{rasa_port}/",  # the REST channel is off in production
        ),
        Service(
            "web",
            [str(APP_BIN / "uvicorn"), web_app(env), "--host", "127.0.0.1",
             "--port", web_port, "--no-access-log"],
            f"http://127.0.0.1:{web_port}/health",
        ),
    ]  # fmt: skip


def start(
    service: Service, env: dict[str, str], stdout: int | None = None
) -> subprocess.Popen[bytes]:
    """Start one service in its own process group (so Ctrl-C reaches us first)."""
    return subprocess.Popen(
        service.command,
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not None else None,
        start_new_session=True,
    )


def wait_until_up(service: Service, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll the health URL until it answers 200, the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{service.name} s'est arrêté au démarrage (code {process.returncode})"
            )
        try:
            if httpx.get(service.health_url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{service.name} ne répond pas après {timeout:.0f} s ({service.health_url})")


def stop(processes: list[subprocess.Popen[bytes]], grace: float = 10.0) -> None:
    """SIGTERM every process group, then SIGKILL what is still alive after `grace` seconds."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
            process.wait()


# Tests and the benchmark send many messages from one address and one sender on purpose.
UNLIMITED = {"RATE_LIMIT_PER_SENDER": "100000/minute", "RATE_LIMIT_PER_ADDRESS": "100000/minute"}


def child_env(**overrides: str) -> dict[str, str]:
    """The current environment (set by scripts/env.sh) with some values replaced."""
    env = dict(os.environ)
    env.update(overrides)
    env.setdefault("PYTHONPATH", str(ROOT))
    # TensorFlow on one thread when serving: its operations are tiny per message, and
    # the second core is better spent on the action server and the database
    # (docs/performance.md). Training keeps both threads.
    env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    if "ACTIONS_PORT" in overrides:
        env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{env['ACTIONS_PORT']}/webhook"
    if "RASA_PORT" in overrides:
        env["RASA_URL"] = f"http://127.0.0.1:{env['RASA_PORT']}"
    return env


if __name__ == "__main__":
    sys.exit("Ce module est utilisé par scripts/run.py, les tests et le banc de mesure.")
