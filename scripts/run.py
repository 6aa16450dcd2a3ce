"""Start Senior Plus on its embedded defaults: Rasa (5005), actions (5055), web (8000).

Says which service is up and when all are ready, with the time it took; everything the
services write goes to var/log/services.log, and only what is not library noise (warnings,
INFO lines) reaches the terminal, prefixed by its service (VERBOSE=1: everything).
Ctrl-C stops everything. Run through `make run`, which installs, trains and migrates first.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
import time

from progress import LOG_DIR, duration, is_noise, verbose
from services import child_env, services, start, stop, wait_until_up

COLOURS = {"rasa": "\033[36m", "actions": "\033[35m", "web": "\033[32m"}
RESET = "\033[0m"
URLS = {
    "rasa": "http://127.0.0.1:{RASA_PORT}",
    "actions": "http://127.0.0.1:{ACTIONS_PORT}",
    "web": "http://127.0.0.1:{WEB_PORT}",
}
ROLES = {
    "rasa": "Rasa (le bot) prêt",
    "actions": "Serveur d'actions prêt",
    "web": "Application web prête",
}


def since_make(now: float | None = None) -> str:
    """', 12 s depuis « make run »' when make told us when it started."""
    try:
        started = float(os.environ.get("SENIOR_PLUS_MAKE_STARTED", ""))
    except ValueError:
        return ""
    elapsed = (now or time.time()) - started
    return f" ; {duration(elapsed)} depuis le début de « make »" if 0 < elapsed < 86400 else ""


def banner(env: dict[str, str], took: float) -> str:
    return f"""
  Senior Plus est prêt (services démarrés en {duration(took)}{since_make()}).
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
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_file = LOG_DIR / "services.log"
    log = log_file.open("a", encoding="utf-8")
    log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} make run\n")
    show_all = verbose()
    print(
        "… Démarrage des services (Rasa charge le modèle : 15 à 40 s ;"
        f" leur journal : var/log/{log_file.name})",
        flush=True,
    )
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
                    name = str(key.data)
                    log.write(f"{time.strftime('%H:%M:%S')} {name:>7} | {line}\n")
                    if not show_all and is_noise(line):
                        continue
                    prefix = f"{COLOURS[name]}{name:>7}{RESET}" if tty else f"{name:>7}"
                    say(f"{prefix} | {line}")
            for process in processes:
                if process.poll() is not None:
                    print(
                        f"Un service s'est arrêté (code {process.returncode}) : arrêt de tout"
                        f" (son journal : var/log/{log_file.name})."
                    )
                    stopping = True
            if not ready:
                for name, service in list(pending.items()):
                    try:
                        wait_until_up(
                            service, processes[[s.name for s in services(env)].index(name)], 0.1
                        )
                        del pending[name]
                        url = URLS[name].format(**env)
                        took = duration(time.monotonic() - started)
                        say(f"✓ {ROLES.get(name, name)} : {url} ({took})")
                    except (TimeoutError, RuntimeError):
                        pass
                if not pending:
                    ready = True
                    log.flush()
                    print(banner(env, time.monotonic() - started), flush=True)
                elif time.monotonic() - started > 300:
                    print(f"Démarrage trop long : {', '.join(pending)} ne répond pas.")
                    stopping = True
            log.flush()
    finally:
        say("Arrêt de Senior Plus…")
        stop(processes)  # first, even if the terminal is gone
        log.close()
        say("Tout est arrêté.")
    return 0


def say(text: str) -> None:
    """Print, unless nobody reads our output any more (closed terminal or pipe)."""
    with contextlib.suppress(OSError):
        print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
