"""One scheduler process of tests/unit/seniorplus/scheduler/test_replicas.py
(started with spawn)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy.orm import sessionmaker

from seniorplus.db import make_engine
from seniorplus.scheduler.runner import Scheduler
from tests.unit.scheduler_helpers import NOW, Clock, FakeSender

IDLE_TICKS = 15  # ticks with nothing left to claim before the replica stops


def run_replica(url: str, start: Any, results: Any, name: str) -> None:
    """Tick against ``url`` until nothing is left; put (name, texts sent, claimed, lost)."""
    engine = make_engine(url, pooled=False)
    clock = Clock(NOW)
    sender = FakeSender(clock, pause_s=0.003)  # a few ms "on the network"
    scheduler = Scheduler(sessions=sessionmaker(bind=engine).begin, senders=sender, clock=clock)
    claimed = lost = idle = 0
    start.wait(60)
    while idle < IDLE_TICKS:
        report = asyncio.run(scheduler.tick())
        claimed, lost = claimed + report.claimed, lost + report.lost
        idle = 0 if report.claimed else idle + 1
        time.sleep(0.01 if report.claimed else 0.05)
    engine.dispose()
    results.put((name, [call.text for call in sender.sent], claimed, lost))
