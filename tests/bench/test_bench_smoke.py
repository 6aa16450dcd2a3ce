"""`make bench` end to end, in its short form (`scripts/bench.py --smoke`, `make bench-smoke`).

Both bots start, answer every warm-up turn, are measured on open-loop steps and on long
conversations, and the figures land in the JSON file and on the terminal. Needs the trained
model (models/current.tar.gz); the stock baseline is trained into the cache the first time
(about 3 min more). A few minutes on a free 2-core machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


@pytest.mark.timeout(1200)
def test_the_benchmark_measures_both_bots(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1150,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["bots"]) == {"senior-plus", "rasa-stock"}
    for name, bot in results["bots"].items():
        assert bot["silent_warmup_turns"] == [], name
        first = bot["steps"][0]
        assert first["messages"] > 0 and first["errors"] == 0 and first["unanswered"] == 0
        assert first["p50_ms"] <= first["p95_ms"] <= first["p99_ms"]
        assert first["cpu_ms_per_msg"]["rasa"] > 0
        assert bot["rss_mb"]["rasa"] > 200  # a loaded model, spaCy and TensorFlow
        long = bot["long"]
        assert long["first"]["messages"] == long["last"]["messages"] == 2 * 5
        assert long["first"]["errors"] == long["last"]["errors"] == 0
        assert min(long["events"]) > 20 * 2  # 20 turns stored: at least a user and a bot event
        assert long["paused"] == 0
    assert "actions" in results["bots"]["senior-plus"]["rss_mb"]
    assert "conversations simultanées" in run.stdout
    assert "Senior Plus" in run.stdout and "Rasa d'origine" in run.stdout
