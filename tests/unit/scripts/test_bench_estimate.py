"""The CPU-based estimate of `make bench` (scripts/bench.py): conversations per busy core."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from bench import cpu_estimate, targets  # noqa: E402


def test_conversations_per_core_follow_from_the_cpu_per_message() -> None:
    steps = [
        {"messages": 100, "cpu_ms_per_msg": {"rasa": 40.0, "actions": 10.0, "banc": 3.0}},
        {"messages": 300, "cpu_ms_per_msg": {"rasa": 60.0, "actions": 10.0, "banc": 3.0}},
    ]
    scripts = [["bonjour"] * 8, ["bonjour"] * 10]  # 9 turns on average, over 8 think times
    estimate = cpu_estimate(steps, scripts, think_s=20.0)
    assert estimate["msg_s_per_conversation"] == round(9 / 160, 4)
    # Rasa: 55 ms per message (weighted by messages); 0.7 core / (9/160 msg/s × 0.055 s).
    assert estimate["rasa"] == {"cpu_ms_per_msg": 55.0, "conversations_per_core": 226}
    assert estimate["actions"]["conversations_per_core"] == round(0.7 / (9 / 160 * 0.010))
    assert "banc" not in estimate  # the load generator is not sized


def test_the_issues_targets_are_checked_against_the_run() -> None:
    bot = {
        "capacity": 200,
        "steps": [
            {"target": 100, "p95_ms": 300.0, "p99_ms": 500.0},
            {"target": 200, "p95_ms": 800.0, "p99_ms": 1700.0},
        ],
        "estimate": {"rasa": {"cpu_ms_per_msg": 18.0}},
        "rss_mb": {"rasa": 1700.0},
        "long": {"first": {"mean_ms": 100.0}, "last": {"mean_ms": 115.0}},
    }
    met = [ok for _, ok in targets(bot)]
    # 200 < 1000; p99 1700 > 2 × 800 at the largest step held; 18 ms; 1.7 GB; +15 %.
    assert met == [False, False, True, False, True]
