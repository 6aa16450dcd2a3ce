"""Start the whole assistant once (actions, Rasa with its channels, web app in dev mode) and
a headless Debian Chromium, for the channel simulator's browser tests.

Own ports (Rasa 5405, actions 5455, web 8405, plus TEST_PORT_OFFSET), own SQLite files and
secrets: a developer's running instance is never touched. Twilio signs for
``PUBLIC_BASE_URL`` (Rasa here) and the bot and app send through the simulator's fake
vendor APIs in this web app.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from services import child_env, services, shifted_port, start, stop, wait_until_up  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
RASA_PORT, ACTIONS_PORT, WEB_PORT = shifted_port(5405), shifted_port(5455), shifted_port(8405)
WEB_URL = f"http://127.0.0.1:{WEB_PORT}"
TIMEOUT_MS = 30_000  # the first answer of a fresh Rasa takes a few seconds


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("simulator")


@pytest.fixture(scope="session")
def stack_env(work_dir: Path) -> dict[str, str]:
    work = work_dir
    return child_env(
        APP_ENV="dev",
        RASA_PORT=RASA_PORT,
        ACTIONS_PORT=ACTIONS_PORT,
        WEB_PORT=WEB_PORT,
        RASA_TOKEN=uuid.uuid4().hex,
        DATABASE_URL=f"sqlite:///{work / 'app.db'}",
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
        LOCK_STORE_TYPE="in_memory",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{RASA_PORT}",
        TWILIO_ACCOUNT_SID="AC" + secrets.token_hex(16),
        TWILIO_AUTH_TOKEN=secrets.token_hex(16),
        TWILIO_SMS_NUMBER="+33757000000",
        TWILIO_API_URL=f"{WEB_URL}/simulator/twilio",
        TELEGRAM_BOT_TOKEN="1000000000:navigateur-" + secrets.token_hex(8),
        TELEGRAM_SECRET_TOKEN=secrets.token_hex(16),
        TELEGRAM_API_URL=f"{WEB_URL}/simulator/telegram",
        TEAM_PHONE="+33240000000",
        TEAM_OPENING_HOURS="lun-dim 00:00-23:59",  # someone is always there: <Dial> is tested
    )


@pytest.fixture(scope="session")
def stack(stack_env: dict[str, str], work_dir: Path) -> Iterator[str]:
    """Base URL of the web app, once the three services answer."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} manque : apt-get install chromium")
        pytest.skip(f"{CHROMIUM} manque (apt-get install chromium)")
    env = stack_env
    subprocess.run(
        [str(ROOT / ".venv-app" / "bin" / "alembic"), "upgrade", "head"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log_path = work_dir / "services.log"
    log = log_path.open("wb")
    by_name = {service.name: service for service in services(env)}
    processes = []
    try:
        # The web app first: the Telegram channel may call the fake Bot API as it starts.
        started = []
        for name in ("web", "actions", "rasa"):
            process = start(by_name[name], env, stdout=log.fileno())
            processes.append(process)
            started.append((by_name[name], process))
        for service, process in started:
            wait_until_up(service, process, timeout=240)
        yield WEB_URL
    except Exception:
        log.flush()
        print(log_path.read_text(errors="replace")[-5000:])
        raise
    finally:
        stop(processes)
        log.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session (the simulator's and the console's)."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} manque : apt-get install chromium")
        pytest.skip(f"{CHROMIUM} manque (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser(stack: str, chromium: Browser) -> Browser:
    """Chromium, once the whole assistant answers."""
    return chromium


@pytest.fixture
def page(browser: Browser, stack: str) -> Iterator[Page]:
    """The simulator page in a fresh browser context (a new fake number and chat each time)."""
    context = browser.new_context(locale="fr-FR", base_url=stack)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/simulateur")
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"erreurs JavaScript : {errors}"


# --- the agents' console (tests/browser/test_console.py) ------------------------------------

CONSOLE_WEB_PORT = shifted_port(8406)
CONSOLE_WEB_URL = f"http://127.0.0.1:{CONSOLE_WEB_PORT}"


@pytest.fixture(scope="session")
def console_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The web app alone (console, simulator's fake vendors; no Rasa, no model needed) on its
    own port and files, with the demo mediators and console accounts. Its settings."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} manque : apt-get install chromium")
        pytest.skip(f"{CHROMIUM} manque (apt-get install chromium)")
    work = tmp_path_factory.mktemp("console")
    env = child_env(
        APP_ENV="dev",
        WEB_PORT=CONSOLE_WEB_PORT,
        RASA_PORT=shifted_port(
            5406
        ),  # nothing listens there: the console says so when it needs Rasa
        ACTIONS_PORT=shifted_port(5456),
        RASA_TOKEN=uuid.uuid4().hex,
        DATABASE_URL=f"sqlite:///{work / 'app.db'}",
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
        TWILIO_ACCOUNT_SID="AC" + secrets.token_hex(16),
        TWILIO_AUTH_TOKEN=secrets.token_hex(16),
        TWILIO_SMS_NUMBER="+33757000000",
        TWILIO_API_URL=f"{CONSOLE_WEB_URL}/simulator/twilio",
        TELEGRAM_BOT_TOKEN="1000000000:console-" + secrets.token_hex(8),
        TELEGRAM_SECRET_TOKEN=secrets.token_hex(16),
        TELEGRAM_API_URL=f"{CONSOLE_WEB_URL}/simulator/telegram",
        SCHEDULER_ENABLED="0",
    )
    python = str(ROOT / ".venv-app" / "bin" / "python")
    for command in (
        [str(ROOT / ".venv-app" / "bin" / "alembic"), "upgrade", "head"],
        [python, "-m", "devtools.seeds.booking"],
        [python, "-m", "devtools.seeds.console"],
        [python, "-c", "from sqlalchemy import create_engine; "
         "from seniorplus.history.transcripts import EVENTS; import os; "
         "EVENTS.metadata.create_all(create_engine(os.environ['TRACKER_STORE_URL']))"],
    ):  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    web = next(service for service in services(env) if service.name == "web")
    log_path = work / "web.log"
    with log_path.open("wb") as log:
        process = start(web, env, stdout=log.fileno())
        try:
            wait_until_up(web, process, timeout=120)
            yield env
        except Exception:
            print(log_path.read_text(errors="replace")[-5000:])
            raise
        finally:
            stop([process])
