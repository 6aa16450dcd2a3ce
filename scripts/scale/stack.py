"""The production topology on loopback, started and stopped by the scale test.

Everything is the scale test's own: two databases on the machine's PostgreSQL (created,
then dropped), a private ``redis-server`` (restarted on purpose), an exchange and a queue
of their own on the machine's RabbitMQ (deleted at the end), HAProxy running the real
``deploy/haproxy/haproxy.cfg`` (binds and backends moved to loopback) with three sections
added: a TCP proxy in front of PostgreSQL (cut on purpose), and the internal load balancers
that DNS gives in compose (Rasa's API for the web app, the action servers for Rasa).
The shared Redis, PostgreSQL and RabbitMQ servers are never stopped or restarted.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from services import ROOT as ROOT
from services import Service, child_env, services, start, stop, wait_until_up

POSTGRES = ("127.0.0.1", 5432)
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"
SUPERVISOR = "scale-superviseur"


@dataclass(frozen=True)
class Ports:
    """Every port of the run, from ``base`` (17000 by default: far from the tests' ports)."""

    base: int = 17000

    @property
    def rasa_api(self) -> int:  # the web app's way to Rasa's API (pause, resume)
        return self.base + 10

    @property
    def actions_lb(self) -> int:
        return self.base + 20

    @property
    def vendor(self) -> int:
        return self.base + 40

    @property
    def postgres(self) -> int:
        return self.base + 50

    @property
    def redis(self) -> int:
        return self.base + 60

    @property
    def http(self) -> int:
        return self.base + 80

    @property
    def https(self) -> int:
        return self.base + 43

    @property
    def liveness(self) -> int:
        return self.base + 90

    def rasa(self, n: int) -> int:
        return self.base + n

    def actions(self, n: int) -> int:
        return self.base + 20 + n

    def web(self, n: int) -> int:
        return self.base + 30 + n

    def all(self, replicas: int) -> list[int]:
        fixed = [self.rasa_api, self.actions_lb, self.vendor, self.postgres, self.redis]
        fixed += [self.http, self.https, self.liveness]
        for n in range(1, replicas + 1):
            fixed += [self.rasa(n), self.actions(n), self.web(n)]
        return fixed


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Secrets:
    """Fresh secrets for each run: nothing from var/ or .env."""

    rasa_token: str = field(default_factory=lambda: secrets.token_hex(16))
    action_server_token: str = field(default_factory=lambda: secrets.token_hex(16))
    twilio_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    twilio_token: str = field(default_factory=lambda: secrets.token_hex(16))
    telegram_bot: str = field(default_factory=lambda: f"7{secrets.randbelow(10**9):09d}:scale")
    telegram_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    console_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))


def postgres_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        f"postgresql://postgres@{POSTGRES[0]}:{POSTGRES[1]}/postgres",
        autocommit=True,
        connect_timeout=5,
    )


def haproxy_config(ports: Ports, replicas: int, socket_path: Path) -> str:
    """The real haproxy.cfg on loopback, plus the PostgreSQL proxy and the internal balancers."""
    text = HAPROXY_CFG.read_text()
    for public, local in ((8080, ports.http), (8443, ports.https), (8404, ports.liveness)):
        text, count = re.subn(rf"bind :{public}\b", f"bind 127.0.0.1:{local}", text)
        assert count == 1, f"bind :{public} not found in haproxy.cfg"
    for name, port_of in (("rasa", ports.rasa), ("web", ports.web)):
        lines = "\n    ".join(
            f"server {name}{n} 127.0.0.1:{port_of(n)}" for n in range(1, replicas + 1)
        )
        text, count = re.subn(
            rf'server-template {name} \d+ "\$\{{{name.upper()}_BACKEND\}}"', lines, text
        )
        assert count == 1, f"server-template {name} not found in haproxy.cfg"
    text = text.replace(" resolvers dns init-addr last,libc,none", "")
    admin = f"    stats socket {socket_path} mode 600 level admin\n"
    text = re.sub(r"^global\n", f"global\n{admin}", text, count=1, flags=re.MULTILINE)
    rasa = "\n    ".join(
        f"server rasa{n} 127.0.0.1:{ports.rasa(n)} check inter 2s" for n in range(1, replicas + 1)
    )
    actions = "\n    ".join(
        f"server actions{n} 127.0.0.1:{ports.actions(n)} check inter 2s"
        for n in range(1, replicas + 1)
    )
    return f"""{text}
# --- Added by the scale test (scripts/scale/stack.py), not part of production ---------------
# PostgreSQL behind a TCP proxy the test cuts ("set server ... state maint").
listen scale_postgres
    mode tcp
    no log
    bind 127.0.0.1:{ports.postgres}
    timeout client 1h
    timeout server 1h
    server db {POSTGRES[0]}:{POSTGRES[1]}

# What compose's DNS round robin does: Rasa's API for the web app, the action servers for Rasa.
listen scale_rasa_api
    no log
    bind 127.0.0.1:{ports.rasa_api}
    option httpchk GET /
    {rasa}

listen scale_actions
    no log
    bind 127.0.0.1:{ports.actions_lb}
    option httpchk GET /health
    {actions}
"""


class Stack:
    """Start, break and stop the processes; every one is ours, stopped by its own id."""

    def __init__(self, work: Path, ports: Ports, model: Path, replicas: int = 2) -> None:
        self.work = work.resolve()
        self.model = model
        self.ports = ports
        self.replicas = replicas
        self.secrets = Secrets()
        tag = f"scale_{os.getpid()}"
        self.app_db = f"{tag}_app"
        self.tracker_db = f"{tag}_tracker"
        self.exchange = f"scale-{os.getpid()}-exchange"
        self.queue = f"scale-{os.getpid()}-events"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.databases: list[str] = []
        self.log: Callable[[str], None] = print
        self.make_certificate()
        self.env = self._environment()

    # Configuration.
    def make_certificate(self) -> None:
        """One self-signed certificate for 127.0.0.1: HAProxy's, and the fake vendors'.

        In production the vendors' APIs must be https: the processes trust this one
        certificate (``SSL_CERT_FILE``, read by httpx), and nothing else is contacted.
        """
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
             "-keyout", str(self.key), "-out", str(self.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        self.certificate.write_bytes(self.cert.read_bytes() + self.key.read_bytes())

    @property
    def cert(self) -> Path:
        return self.work / "cert.pem"

    @property
    def key(self) -> Path:
        return self.work / "key.pem"

    @property
    def certificate(self) -> Path:
        return self.work / "certificate.pem"

    def db_url(self, name: str, direct: bool = False) -> str:
        port = POSTGRES[1] if direct else self.ports.postgres
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.ports.https}"

    def _environment(self) -> dict[str, str]:
        s, p = self.secrets, self.ports
        vendor = f"https://127.0.0.1:{p.vendor}/simulator"
        return child_env(
            APP_ENV="production",
            LOG_FORMAT="json",
            DATABASE_URL=self.db_url(self.app_db),
            TRACKER_STORE_URL=self.db_url(self.tracker_db),
            REDIS_URL=f"redis://127.0.0.1:{p.redis}/0",
            LOCK_STORE_TYPE="bot.stores.redis_lock_store.AtomicRedisLockStore",
            LOCK_STORE_HOST="127.0.0.1",
            LOCK_STORE_PORT=str(p.redis),
            EVENT_BROKER_TYPE="pika",
            EVENT_BROKER_URL="127.0.0.1",
            EVENT_BROKER_PORT="5672",
            EVENT_BROKER_USERNAME="guest",
            EVENT_BROKER_PASSWORD="guest",  # noqa: S106  (the local RabbitMQ's guest account)
            EVENT_BROKER_EXCHANGE=self.exchange,
            EVENT_BROKER_QUEUE=self.queue,
            RASA_TOKEN=s.rasa_token,
            ACTION_SERVER_TOKEN=s.action_server_token,
            API_TOKENS="",
            RASA_URL=f"http://127.0.0.1:{p.rasa_api}",
            ACTION_SERVER_URL=f"http://127.0.0.1:{p.actions_lb}/webhook",
            PUBLIC_BASE_URL=self.public_url,
            TWILIO_ACCOUNT_SID=s.twilio_sid,
            TWILIO_AUTH_TOKEN=s.twilio_token,
            TWILIO_SMS_NUMBER="+33757000000",
            TWILIO_API_URL=f"{vendor}/twilio",
            TELEGRAM_BOT_TOKEN=s.telegram_bot,
            TELEGRAM_SECRET_TOKEN=s.telegram_secret,
            TELEGRAM_API_URL=f"{vendor}/telegram",
            TEAM_PHONE="+33240000000",
            TEAM_OPENING_HOURS="lun-ven 09:00-12:30 13:30-17:00",
            TRUSTED_PROXIES="127.0.0.1",
            FORWARDED_ALLOW_IPS="127.0.0.1",
            SCHEDULER_ENABLED="false",
            SCHEDULER_INTERVAL_S="5",
            MAX_MESSAGE_CHARS="8000",
            SSL_CERT_FILE=str(self.cert),
        )

    # Processes.
    def _launch(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.work / f"{name}.log").open("ab")
        self.processes[name] = start(Service(name, command, ""), env, stdout=log.fileno())
        log.close()  # the child has its own copy

    def _service(self, kind: str, n: int) -> tuple[Service, dict[str, str]]:
        p = self.ports
        env = dict(self.env)
        env.update(RASA_PORT=str(p.rasa(n)), ACTIONS_PORT=str(p.actions(n)), WEB_PORT=str(p.web(n)))
        (service,) = [s for s in services(env, model=str(self.model)) if s.name == kind]
        return Service(f"{kind}-{n}", service.command, service.health_url), env

    def start_service(self, kind: str, n: int) -> Service:
        service, env = self._service(kind, n)
        self._launch(service.name, service.command, env)
        return service

    def wait(self, service: Service, timeout: float) -> None:
        wait_until_up(service, self.processes[service.name], timeout)

    def start_redis(self) -> None:
        redis = shutil.which("redis-server")
        if redis is None:
            raise RuntimeError("redis-server absent (paquet Debian redis-server)")
        command = [
            redis,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.ports.redis),
            "--dir",
            str(self.work),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--protected-mode",
            "yes",
        ]
        self._launch("redis", command, self.env)
        deadline = time.monotonic() + 10
        while not port_in_use(self.ports.redis):
            if time.monotonic() > deadline:
                raise RuntimeError("Redis de l'essai ne démarre pas")
            time.sleep(0.1)

    def start_haproxy(self) -> None:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise RuntimeError("haproxy absent (paquet Debian haproxy)")
        config = self.work / "haproxy.cfg"
        config.write_text(haproxy_config(self.ports, self.replicas, self.socket_path))
        env = {**self.env, "HAPROXY_CERT": str(self.certificate)}
        check = subprocess.run([haproxy, "-c", "-f", str(config)], env=env, capture_output=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy -c : {check.stderr.decode(errors='replace')[-800:]}")
        self._launch("haproxy", [haproxy, "-db", "-f", str(config)], env)
        deadline = time.monotonic() + 10
        while not port_in_use(self.ports.https):
            if time.monotonic() > deadline:
                raise RuntimeError("HAProxy ne démarre pas")
            time.sleep(0.1)

    @property
    def socket_path(self) -> Path:
        return self.work / "haproxy.sock"

    def haproxy_command(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as admin:
            admin.settimeout(5)
            admin.connect(str(self.socket_path))
            admin.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := admin.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def prepare_databases(self) -> None:
        with postgres_admin() as admin:
            for name in (self.app_db, self.tracker_db):
                admin.execute(f'CREATE DATABASE "{name}"')
                self.databases.append(name)
        app = ROOT / ".venv-app" / "bin"
        steps = [
            [str(app / "alembic"), "upgrade", "head"],
            [str(app / "python"), "-m", "devtools.seeds.booking", "--force-dev-postgres"],
            [
                str(app / "python"),
                "-m",
                "seniorplus.console.accounts",
                "create",
                SUPERVISOR,
                "--name",
                "Superviseur de l'essai",
                "--role",
                "supervisor",
            ],
        ]
        seed_env = {**self.env, "APP_ENV": "test"}  # the demo mediators refuse production
        env = {**seed_env, "CONSOLE_PASSWORD": self.secrets.console_password}
        for command in steps:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command[1:3])} : {done.stderr.decode()[-800:]}")

    def start_all(self, timeout: float = 600) -> None:
        """Redis, HAProxy, databases, then every process; waits until each answers."""
        self.start_redis()
        self.start_haproxy()
        self.prepare_databases()
        waiting = []
        for kind in ("actions", "web", "rasa"):
            for n in range(1, self.replicas + 1):
                waiting.append(self.start_service(kind, n))
        app = str(ROOT / ".venv-app" / "bin" / "python")
        self._launch("scheduler", [app, "-m", "seniorplus.scheduler"], self.env)
        self._launch("events", [app, "-m", "seniorplus.events"], self.env)
        for service in waiting:
            self.wait(service, timeout)
            self.log(f"  {service.name} prêt")
        self.wait_proxy()

    def servers_up(self) -> dict[str, bool]:
        """Each server of HAProxy's backends: whether its health check says UP."""
        lines = self.haproxy_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {
            f"{r['pxname']}/{r['svname']}": r["status"].startswith(("UP", "no check"))
            for r in rows
            if r.get("svname") not in ("FRONTEND", "BACKEND", None)
        }

    def in_flight(self, backend: str, server: str) -> int:
        """Requests HAProxy has under way on one server (its ``scur``)."""
        lines = self.haproxy_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == backend and row.get("svname") == server:
                return int(row.get("scur") or 0)
        return 0

    def wait_proxy(self, timeout: float = 60) -> None:
        """Until HAProxy's checks see every server up (a check every 5 s, 2 to rise)."""
        deadline = time.monotonic() + timeout
        while not all(self.servers_up().values()):
            if time.monotonic() > deadline:
                down = [name for name, up in self.servers_up().items() if not up]
                raise RuntimeError(f"HAProxy ne voit pas : {', '.join(down)}")
            time.sleep(0.5)

    # Faults.
    def kill_rasa(self, n: int, within_s: float = 10) -> int:
        """SIGKILL, at a moment when webhooks are under way on it (if one comes within
        ``within_s``): the turns it was running die with it. Returns how many there were."""
        deadline = time.monotonic() + within_s
        while (busy := self.in_flight("rasa", f"rasa{n}")) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        process = self.processes[f"rasa-{n}"]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait()
        return busy

    def restart_rasa(self, n: int) -> Service:
        return self.start_service("rasa", n)

    def stop_redis(self) -> None:
        stop([self.processes.pop("redis")], grace=10)

    def cut_postgres(self) -> None:
        self.haproxy_command("set server scale_postgres/db state maint")
        self.haproxy_command("shutdown sessions server scale_postgres/db")

    def restore_postgres(self) -> None:
        self.haproxy_command("set server scale_postgres/db state ready")

    def stop_writers(self) -> None:
        """Everything that writes to the databases (before the backup), HAProxy too."""
        names = [n for n in self.processes if n not in ("redis",)]
        stop([self.processes.pop(n) for n in names], grace=15)

    # Cleaning up.
    def close(self) -> None:
        stop(list(self.processes.values()), grace=10)
        self.processes.clear()
        with contextlib.suppress(psycopg.Error), postgres_admin() as admin:
            for name in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.databases.clear()
        with contextlib.suppress(Exception):
            delete_rabbitmq_names(self.exchange, self.queue)


def delete_rabbitmq_names(exchange: str, queue: str) -> None:
    """Remove the run's exchange and queue (and the consumer's dead-letter names) from RabbitMQ."""
    import asyncio

    import aio_pika

    async def delete() -> None:
        connection = await aio_pika.connect(RABBITMQ, timeout=5)
        async with connection:
            for name in (queue, f"{queue}.dead", f"{queue}.retry"):
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.queue_delete(name)
            for name in (exchange, f"{queue}.dead", f"{queue}.retry"):
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.exchange_delete(name)

    asyncio.run(delete())
