"""The two images: from the lock files, on a patched Python 3.10, non-root, with a health check."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import DEPLOY, ROOT

IMAGES = {"bot": DEPLOY / "bot.Dockerfile", "app": DEPLOY / "app.Dockerfile"}


def final_stage(dockerfile: Path) -> str:
    text = dockerfile.read_text(encoding="utf-8")
    return text[[m.start() for m in re.finditer(r"^FROM ", text, re.MULTILINE)][-1] :]


@pytest.mark.parametrize("env", IMAGES)
def test_the_image_installs_exactly_its_lock_file(env: str) -> None:
    text = IMAGES[env].read_text(encoding="utf-8")
    assert f"COPY requirements/{env}.lock " in text
    install = re.search(r"pip install ([^\n]*)", text)
    assert install is not None
    assert "--no-deps" in install.group(1) and re.search(
        rf"-r /tmp/{env}(-runtime)?\.lock", install.group(1)
    )
    assert "/opt/venv/bin/pip check" in text
    assert not re.search(r"pip install(?![^\n]*-r /tmp/)", text), "a package outside the lock file"


@pytest.mark.parametrize("env", IMAGES)
def test_the_image_runs_python_310_of_a_supported_distribution(env: str) -> None:
    text = IMAGES[env].read_text(encoding="utf-8")
    assert re.findall(r"^FROM (\S+)", text, re.MULTILINE) == ["ubuntu:22.04", "ubuntu:22.04"]
    assert "python3.10 -m venv /opt/venv" in text


@pytest.mark.parametrize("env", IMAGES)
def test_the_image_runs_as_a_user_other_than_root(env: str) -> None:
    users = re.findall(r"^USER\s+(\S+)", final_stage(IMAGES[env]), re.MULTILINE)
    assert users, "no USER: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


@pytest.mark.parametrize("env", IMAGES)
def test_python_keeps_its_asserts(env: str) -> None:
    """The code states invariants with assert (ruff S101 is off for that reason): no -O."""
    text = IMAGES[env].read_text(encoding="utf-8")
    assert "PYTHONOPTIMIZE" not in text and not re.search(r"python[0-9.]*\s+-O", text)


@pytest.mark.parametrize("env", IMAGES)
def test_the_image_has_a_health_check(env: str) -> None:
    assert re.search(r"^HEALTHCHECK .*CMD", final_stage(IMAGES[env]), re.MULTILINE)


@pytest.mark.parametrize("env", IMAGES)
def test_no_secret_is_baked_into_the_image(env: str) -> None:
    text = IMAGES[env].read_text(encoding="utf-8")
    for line in re.findall(r"^(?:ENV|ARG)\s+(.*)$", text, re.MULTILINE):
        assert not re.search(r"TOKEN|PASSWORD|SECRET|_SID|DATABASE_URL|TRACKER_STORE_URL", line), (
            line
        )
    assert not re.search(r"^COPY\s+(\.env|var/|\.\s)", text, re.MULTILINE)
    ignore_file = DEPLOY / f"{IMAGES[env].name}.dockerignore"
    lines = ignore_file.read_text(encoding="utf-8").splitlines()
    rules = [r.strip() for r in lines if r.strip() and not r.startswith("#")]
    assert rules[0] == "*", "the build context starts from nothing"
    assert not [r for r in rules if re.match(r"!(\.env|var\b|\.venv)", r)]


def test_the_app_image_leaves_out_only_test_and_lint_tools() -> None:
    pattern = re.compile((DEPLOY / "app-dev-only.txt").read_text(encoding="utf-8").strip(), re.I)
    lock = [
        line
        for line in (ROOT / "requirements" / "app.lock").read_text().splitlines()
        if "==" in line
    ]
    left_out = {line.split("==")[0].lower() for line in lock if pattern.search(line)}
    assert {"pytest", "playwright", "ruff", "mypy"} <= left_out
    assert not left_out & {"rasa-sdk", "fastapi", "uvicorn", "sqlalchemy", "psycopg", "alembic",
                           "greenlet", "pluggy", "tomli", "exceptiongroup", "twilio"}  # fmt: skip
    named = pattern.pattern.split("(", 1)[1].split(")", 1)[0].split("|")
    assert len(left_out) == len(named), "a name in app-dev-only.txt is not in app.lock"


def test_the_processes_start_as_make_run_starts_them() -> None:
    services = (ROOT / "scripts" / "services.py").read_text(encoding="utf-8")
    serve = (DEPLOY / "rasa-serve.sh").read_text(encoding="utf-8")
    for flag in ("--enable-api", "--auth-token", "--credentials", "--endpoints", "--model"):
        assert flag in services and flag in serve, flag
    assert '"-m", "bot.server", "run"' in services and "python -m bot.server run" in serve
    assert '"bot/credentials.yml"' in services and "--credentials bot/credentials.yml" in serve
    assert '"bot/endpoints.yml"' in services and "--endpoints bot/endpoints.yml" in serve
    assert '"-m", "actions.server", "--actions", "actions"' in services
    assert '"seniorplus.web.app:app"' in services


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/ok" else 503)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(("path", "code"), [("/ok", 0), ("/down", 1), (None, 1), ("", 0)])
def test_the_health_check_script(server: str, path: str | None, code: int) -> None:
    url = "http://127.0.0.1:9/ok" if path is None else (f"{server}{path}" if path else "")
    result = subprocess.run(
        [sys.executable, str(DEPLOY / "healthcheck.py")],
        env={"HEALTHCHECK_URL": url}, capture_output=True, timeout=10, check=False,
    )  # fmt: skip
    assert result.returncode == code
