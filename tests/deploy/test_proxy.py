"""The reverse proxy forwards only the vendor webhooks, GET /health and the console.

The real haproxy.cfg runs on loopback in front of two stub backends (its backends' DNS names
replaced by their addresses): allowed requests reach the right one, every other is refused by
the proxy and reaches nothing.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import DEPLOY, ROOT, tool

CONFIG = DEPLOY / "haproxy" / "haproxy.cfg"
SECURITY_DOC = ROOT / "docs" / "security.md"

ALLOWED = [
    ("POST", "/webhooks/sms/webhook", "rasa"),
    ("POST", "/webhooks/voice/webhook?step=a1b2&silence=1", "rasa"),
    ("POST", "/webhooks/voice/status", "rasa"),
    ("POST", "/webhooks/telegram/webhook", "rasa"),
    ("GET", "/health", "web"),
    ("GET", "/console", "web"),
    ("GET", "/console/login", "web"),
    ("POST", "/console/login", "web"),
    ("GET", "/console/static/console.js", "web"),
    ("GET", "/console/file.json?x=1", "web"),
]
REFUSED = [
    ("POST", "/model/parse"),  # Rasa's HTTP API
    ("GET", "/conversations/+33612345678/tracker"),
    ("POST", "/conversations/x/trigger_intent"),
    ("GET", "/status"),
    ("GET", "/version"),
    ("PUT", "/model"),
    ("POST", "/webhooks/rest/webhook"),  # the dev REST channel
    ("GET", "/webhooks/sms/"),
    ("GET", "/webhooks/sms/webhook"),  # webhooks take POST only
    ("POST", "/webhooks/twilio/webhook"),  # Rasa's stock channels
    ("POST", "/webhooks/sms/webhook/extra"),
    ("POST", "/WEBHOOKS/SMS/WEBHOOK"),
    ("POST", "/webhooks//sms/webhook"),
    ("POST", "/webhooks/sms/webhook/../../model/parse"),
    ("GET", "/console/../api/cases"),
    ("GET", "/console/%2e%2e/api/cases"),
    ("GET", "/console%2fstatic"),
    ("GET", "/console/.."),
    ("GET", "/console\\..\\api\\cases"),
    ("GET", "/console/%2E%2E/api/cases"),
    ("GET", "/consoles"),
    ("POST", "/health"),
    ("GET", "/api/cases"),  # the JSON API stays inside
    ("GET", "/simulateur"),
    ("POST", "/simulator/twilio/2010-04-01/Accounts/AC1/Messages.json"),
    ("GET", "/"),
    ("POST", "/webhook"),  # the action server's routes
    ("GET", "/actions"),
    ("GET", "/metrics"),  # Prometheus reads it inside the network, never through the proxy
    ("GET", "/health/ready"),
    ("GET", "/health/live"),
]


class Recorder(ThreadingHTTPServer):
    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.name = name
        self.seen: list[tuple[str, str, str | None]] = []
        self.request_ids: dict[str, str | None] = {}


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.request_ids[self.path] = self.headers.get("X-Request-Id")
        if (
            self.path not in ("/", "/health")
            or self.command != "GET"
            or "X-Forwarded-For" in self.headers
        ):
            self.server.seen.append((self.command, self.path, self.headers.get("X-Forwarded-For")))
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = answer

    def log_message(self, *_: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback_config(text: str, ports: dict[str, int], backends: dict[str, int]) -> str:
    """haproxy.cfg with loopback binds and the stub backends in place of the DNS names."""
    for public, local in ports.items():
        text, count = re.subn(rf"bind :{public}\b", f"bind 127.0.0.1:{local}", text)
        assert count == 1, f"bind :{public}"
    for name, port in backends.items():
        text, count = re.subn(
            rf'server-template {name} \d+ "\$\{{{name.upper()}_BACKEND\}}"',
            f"server {name}1 127.0.0.1:{port}",
            text,
        )
        assert count == 1, f"server-template {name}"
    return text.replace(" resolvers dns init-addr last,libc,none", "")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("haproxy")
    certificate = work / "certificate.pem"
    subprocess.run(
        [tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-days", "1", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    certificate.write_bytes((work / "cert.pem").read_bytes() + (work / "key.pem").read_bytes())
    stubs = {name: Recorder(name) for name in ("rasa", "web")}
    for stub in stubs.values():
        threading.Thread(target=stub.serve_forever, daemon=True).start()
    ports = {8080: free_port(), 8443: free_port(), 8404: free_port()}
    config = work / "haproxy.cfg"
    config.write_text(
        loopback_config(CONFIG.read_text(encoding="utf-8"), ports,
                        {n: s.server_address[1] for n, s in stubs.items()}),
        encoding="utf-8",
    )  # fmt: skip
    process = subprocess.Popen(
        [tool("haproxy"), "-db", "-f", str(config)], env={"HAPROXY_CERT": str(certificate)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", ports[8443]), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "HAProxy does not listen"
                time.sleep(0.1)
        yield {"ports": ports, "stubs": stubs}
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stub in stubs.values():
            stub.shutdown()


def request(
    port: int, method: str, path: str, tls: bool = True, **headers: str
) -> tuple[int, str, dict[str, str]]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=5, context=context
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    body = b"From=%2B33612345678&Body=bonjour" if method == "POST" else None
    connection.putrequest(
        method, path, skip_host=True, skip_accept_encoding=True
    )  # the path exactly as written
    for name, value in {"Host": "assistant.example.fr", **headers}.items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    answer = connection.getresponse()
    text = answer.read().decode("utf-8", "replace")
    connection.close()
    return answer.status, text, dict(answer.getheaders())


@pytest.mark.parametrize(("method", "path", "backend"), ALLOWED)
def test_allowed_paths_reach_their_service(
    proxy: dict[str, Any], method: str, path: str, backend: str
) -> None:
    status, body, headers = request(proxy["ports"][8443], method, path)
    assert (status, body) == (200, backend)
    assert headers["strict-transport-security"].startswith("max-age=")
    assert (method, path) in [(m, p) for m, p, _ in proxy["stubs"][backend].seen]


@pytest.mark.parametrize(("method", "path"), REFUSED)
def test_every_other_path_is_refused_by_the_proxy(
    proxy: dict[str, Any], method: str, path: str
) -> None:
    before = {name: len(stub.seen) for name, stub in proxy["stubs"].items()}
    status, body, _ = request(proxy["ports"][8443], method, path)
    assert status == 404 and body not in ("rasa", "web")
    assert {name: len(stub.seen) for name, stub in proxy["stubs"].items()} == before


def test_plain_http_moves_to_https_except_the_health_probe(proxy: dict[str, Any]) -> None:
    status, _, headers = request(proxy["ports"][8080], "POST", "/webhooks/sms/webhook", tls=False)
    assert status == 301 and headers["location"].startswith("https://assistant.example.fr/")
    assert request(proxy["ports"][8080], "GET", "/health", tls=False)[:2] == (200, "web")


def test_a_forged_forwarded_for_is_replaced(proxy: dict[str, Any]) -> None:
    request(
        proxy["ports"][8443], "GET", "/console/login?forged=1", **{"X-Forwarded-For": "203.0.113.9"}
    )
    (seen,) = [s for s in proxy["stubs"]["web"].seen if s[1] == "/console/login?forged=1"]
    assert seen[2] == "127.0.0.1"


def test_each_request_gets_the_proxys_own_request_id(proxy: dict[str, Any]) -> None:
    """A fresh id per request (in the logs of every process of the turn); a forged one replaced."""
    ids = []
    for n in range(2):
        path = f"/console/login?rid={n}"
        request(proxy["ports"][8443], "GET", path, **{"X-Request-Id": "forged-by-client"})
        ids.append(proxy["stubs"]["web"].request_ids[path])
    assert all(i and re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)
    assert ids[0] != ids[1]


def test_the_proxy_liveness_page_answers(proxy: dict[str, Any]) -> None:
    assert request(proxy["ports"][8404], "GET", "/healthz", tls=False)[0] == 200


def test_the_forwarded_webhooks_are_the_channels_of_the_bot() -> None:
    """Each forwarded webhook is a POST route of a channel of credentials.yml, in security.md."""
    credentials = (ROOT / "bot" / "credentials.yml").read_text(encoding="utf-8")
    classes = re.findall(r"^channels\.(\w+)\.(\w+):", credentials, re.MULTILINE)
    routes = set()
    for module, _ in classes:
        source = (ROOT / "channels" / f"{module}.py").read_text(encoding="utf-8")
        name = re.search(r'def name\(cls\) -> str:\s+return ([\w.]+|"\w+")', source)
        assert name is not None, module
        value = name.group(1)
        while not value.startswith('"'):  # a constant, or the connector's catalogue entry
            if value == "ENTRY.name":
                entry = re.search(r'^ENTRY = catalogue_entry\(("\w+")\)', source, re.MULTILINE)
                assert entry is not None, module
                value = entry.group(1)
            else:
                found = re.search(rf"^{value} = (ENTRY\.name|\"\w+\")", source, re.MULTILINE)
                assert found is not None, module
                value = found.group(1)
        value = value.strip('"')
        for path in re.findall(r'route\("(/\w+)", methods=\["POST"\]\)', source):
            routes.add(f"/webhooks/{value}{path}")
    forwarded = set(re.search(r"acl vendor_webhook path (.+)", CONFIG.read_text()).group(1).split())  # type: ignore[union-attr]
    assert "/webhooks/rest/webhook" in routes  # the parse sees the REST channel…
    assert forwarded == routes - {"/webhooks/rest/webhook"}  # …and the proxy leaves it out
    documented = set(
        re.findall(r"`POST (/webhooks/\S+)`", SECURITY_DOC.read_text(encoding="utf-8"))
    )
    assert forwarded == documented


def test_the_proxy_knows_no_other_backend() -> None:
    """Only rasa and web behind the proxy: never the action server (5055)."""
    text = CONFIG.read_text(encoding="utf-8")
    backends = set(re.findall(r"^backend (\S+)", text, re.MULTILINE))
    assert backends == {"rasa", "web", "refuse"}
    assert "5055" not in text and "actions" not in text
    assert re.findall(r"^\s*default_backend (\S+)", text, re.MULTILINE) == ["refuse"]
