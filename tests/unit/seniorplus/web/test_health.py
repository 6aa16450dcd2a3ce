"""Web app: /health JSON and the French status page, with real probes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from seniorplus import __version__
from seniorplus.settings import REPO_ROOT, get_settings
from seniorplus.web.app import action_server_health_url, create_app


def _free_port() -> int:
    """A local port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _FakeService(BaseHTTPRequestHandler):
    """Answers 200 on the paths Rasa and the action server expose."""

    seen: list[str] = []  # noqa: RUF012  (shared by design, reset by the fixture)

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        ok = self.path in ("/", "/health")
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if ok else b"not found")

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def fake_service() -> Iterator[str]:
    """Base URL of a local HTTP server standing in for Rasa and the action server."""
    _FakeService.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _point_services(monkeypatch: pytest.MonkeyPatch, rasa: str, actions: str) -> None:
    monkeypatch.setenv("RASA_URL", rasa)
    monkeypatch.setenv("ACTION_SERVER_URL", actions)
    get_settings.cache_clear()


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("http://127.0.0.1:5055/webhook", "http://127.0.0.1:5055/health"),
        ("http://actions:5055/webhook/", "http://actions:5055/health"),
        ("http://actions:5055", "http://actions:5055/health"),
    ],
)
def test_action_server_health_url(configured: str, expected: str) -> None:
    assert action_server_health_url(configured) == expected


async def test_health_degraded_when_rasa_and_actions_are_down(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_services(
        monkeypatch, f"http://127.0.0.1:{_free_port()}", f"http://127.0.0.1:{_free_port()}/webhook"
    )
    response = await _get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": True,
        "rasa": False,
        "actions": False,
        "version": __version__,
    }


async def test_health_ok_when_everything_answers(
    database_url: str, monkeypatch: pytest.MonkeyPatch, fake_service: str
) -> None:
    _point_services(monkeypatch, fake_service, f"{fake_service}/webhook")
    response = await _get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert sorted(_FakeService.seen) == ["/", "/health"]


async def test_health_reports_database_down(
    monkeypatch: pytest.MonkeyPatch, fake_service: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://nobody@127.0.0.1:{_free_port()}/none")
    _point_services(monkeypatch, fake_service, f"{fake_service}/webhook")
    response = await _get("/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["rasa"], body["actions"]) == (
        "degraded",
        False,
        True,
        True,
    )


async def test_status_page_is_french_html(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_services(
        monkeypatch, f"http://127.0.0.1:{_free_port()}", f"http://127.0.0.1:{_free_port()}/webhook"
    )
    response = await _get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="fr">' in page
    assert "Senior Plus fonctionne" in page
    assert "Base de données : <strong>fonctionne</strong>" in page
    assert "Assistant (Rasa) : <strong>ne répond pas</strong>" in page
    assert "Serveur d&#39;actions : <strong>ne répond pas</strong>" in page
    assert "Comment parler à l'assistant" in page
    assert "make chat" in page
    assert "/webhooks/rest/webhook" in page
    assert "bonjour" in page


async def test_status_page_escapes_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    _point_services(
        monkeypatch,
        f"http://127.0.0.1:{_free_port()}/<script>alert(1)</script>",
        f"http://127.0.0.1:{_free_port()}/webhook",
    )
    page = (await _get("/")).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_import_does_no_io() -> None:
    """Importing the app with an invalid production config neither fails nor connects."""
    env = {k: v for k, v in os.environ.items() if k not in ("RASA_TOKEN", "DATABASE_URL")}
    env.update(APP_ENV="production", DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    code = (
        "import seniorplus.web.app as web, seniorplus.db as db, seniorplus.settings as s\n"
        "assert isinstance(web.app, web.FastAPI)\n"
        "assert db._engine is None\n"
        "assert s.get_settings.cache_info().currsize == 0\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
