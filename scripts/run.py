"""Start Senior Plus on its embedded defaults: Rasa (5005), actions (5055), web (8000).

One readable log (each line prefixed by its service), Ctrl-C stops everything.
Run through `make run`, which installs, trains and migrates first.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import sys
import time

from services import child_env, services, start, stop, wait_until_up

COLOURS = {"rasa": "\033[36m", "actions": "\033[35m", "web": "\033[32m"}
RESET = "\033[0m"
# Lines of third-party noise that tell a newcomer nothing.
NOISE = re.compile(
    r"DeprecationWarning|declare_namespace|pkg_resources|MovedIn20Warning|SADeprecationWarning|"
    r"xla_computation|^\s*(import|from) |^\s*Base: DeclarativeMeta|warnings\.warn|UserWarning|"
    r"^\s*$|tensorflow|absl|oneDNN|cpu_feature_guard|rebuild TensorFlow|"
    r"setParseAction|parseString|resetCache|LooseVersion|originalTextFor"
)


def banner(env: dict[str, str]) -> str:
    return f"""
  Senior Plus est prêt.
  - Parler au bot dans ce terminal : dans un autre terminal, tapez  make chat
  - Ou en HTTP (dev) : curl -s -X POST http://127.0.0.1:{env["RASA_PORT"]}/webhooks/rest/webhook \\
        -H 'Content-Type: application/json' -d '{{"sender": "essai", "message": "bonjour"}}'
  - État des services : http://127.0.0.1:{env["WEB_PORT"]}/
  - API Rasa (jeton dans var/rasa_token) : http://127.0.0.1:{env["RASA_PORT"]}/model/parse?token=…
  Ctrl-C pour tout arrêter.
"""


def main() -> int:
    env = child_env()
    tty = sys.stdout.isatty()
    selector = selectors.DefaultSelector()
    processes: list[subprocess.Popen[bytes]] = []
    stopping = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGHUP, request_stop)
    try:
        for service in services(env):
            process = start(service, env, stdout=subprocess.PIPE)
            processes.append(process)
            assert process.stdout is not None
            os.set_blocking(process.stdout.fileno(), False)
            selector.register(process.stdout, selectors.EVENT_READ, service.name)
        ready = False
        started = time.monotonic()
        pending = {service.name: service for service in services(env)}
        while not stopping:
            for key, _ in selector.select(timeout=0.5):
                chunk = key.fileobj.read()  # type: ignore[union-attr]
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                for line in chunk.decode("utf-8", "replace").splitlines():
                    if NOISE.search(line):
                        continue
                    name = str(key.data)
                    prefix = f"{COLOURS[name]}{name:>7}{RESET}" if tty else f"{name:>7}"
                    say(f"{prefix} | {line}")
            for process in processes:
                if process.poll() is not None:
                    print(f"Un service s'est arrêté (code {process.returncode}) : arrêt de tout.")
                    stopping = True
            if not ready:
                for name, service in list(pending.items()):
                    try:
                        wait_until_up(
                            service, processes[[s.name for s in services(env)].index(name)], 0.1
                        )
                        del pending[name]
                    except (TimeoutError, RuntimeError):
                        pass
                if not pending:
                    ready = True
                    print(banner(env), flush=True)
                elif time.monotonic() - started > 300:
                    print(f"Démarrage trop long : {', '.join(pending)} ne répond pas.")
                    stopping = True
    finally:
        say("Arrêt de Senior Plus…")
        stop(processes)  # first, even if the terminal is gone
        say("Tout est arrêté.")
    return 0


def say(text: str) -> None:
    """Print, unless nobody reads our output any more (closed terminal or pipe)."""
    with contextlib.suppress(OSError):
        print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
